import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Either, Stream } from "effect"
import { groupedByWeight } from "../../src/internal/subtask/batching.js"

const groups = <E>(stream: Stream.Stream<number, E>, count: number, maxWeight: number) =>
  Effect.map(
    Stream.runCollect(groupedByWeight(stream, count, maxWeight, (n) => n)),
    (chunks) => Chunk.toReadonlyArray(chunks).map((chunk) => Chunk.toReadonlyArray(chunk))
  )

describe("groupedByWeight", () => {
  it.effect("cuts a group at count elements", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* groups(Stream.make(1, 1, 1, 1, 1, 1, 1), 3, 100), [[1, 1, 1], [1, 1, 1], [1]])
    }))

  it.effect("cuts a group once its elements weigh maxWeight; a heavier element is a group of its own", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* groups(Stream.make(4, 5, 1, 50, 2, 3), 10, 10), [[4, 5, 1], [50], [2, 3]])
    }))

  it.effect("groups across the source's chunks", () =>
    Effect.gen(function*() {
      const source = Stream.fromChunks(Chunk.make(1, 2), Chunk.make(3), Chunk.make(4, 5, 6, 7))
      assert.deepStrictEqual(yield* groups(source, 3, 100), [[1, 2, 3], [4, 5, 6], [7]])
    }))

  it.effect("emits nothing for an empty stream", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* groups(Stream.empty, 3, 100), [])
    }))

  it.effect("emits the elements received before a failure, then fails", () =>
    Effect.gen(function*() {
      const seen: Array<ReadonlyArray<number>> = []
      const source = Stream.concat(Stream.make(1, 2, 3, 4), Stream.fail("source failed"))
      const result = yield* Effect.either(
        Stream.runForEach(groupedByWeight(source, 3, 100, (n) => n), (chunk) =>
          Effect.sync(() => seen.push(Chunk.toReadonlyArray(chunk))))
      )
      assert.deepStrictEqual(seen, [[1, 2, 3], [4]])
      assert.deepStrictEqual(result, Either.left("source failed"))
    }))
})
