import { assert, describe, it } from "@effect/vitest"
import { Chunk, Clock, Effect, Stream } from "effect"
import { forEachParent } from "../../src/internal/stream/forEachParent.js"
import * as FaultServer from "../utils/faultServer.js"

const parents = (n: number) => Stream.range(1, n)

describe("forEachParent", () => {
  it.effect("emits each parent's records together and in parent order, whatever finishes first", () =>
    Effect.gen(function*() {
      let active = 0
      let maxActive = 0
      const finished: Array<number> = []
      const child = (p: number) =>
        Stream.fromEffect(Effect.sync(() => {
          active += 1
          maxActive = Math.max(maxActive, active)
        })).pipe(
          Stream.drain,
          Stream.concat(
            Stream.range(0, 2).pipe(
              // Later parents are faster, so they finish before earlier ones.
              Stream.mapEffect((i) => Effect.as(Effect.sleep(`${(10 - p) * 100} millis`), p * 100 + i))
            )
          ),
          Stream.ensuring(Effect.sync(() => {
            active -= 1
            finished.push(p)
          }))
        )
      const out = yield* FaultServer.runVirtual(
        Stream.runCollect(forEachParent(parents(9), child, { concurrency: 3 }))
      )
      assert.deepStrictEqual(
        [...out],
        Array.from({ length: 9 }, (_, i) => [0, 1, 2].map((j) => (i + 1) * 100 + j)).flat()
      )
      assert.strictEqual(maxActive, 3)
      assert.notDeepEqual(finished, [...finished].sort((a, b) => a - b))
    }))

  it.effect("runs children concurrently: 8 one-second children take 2 s at concurrency 4, 8 s at 1", () =>
    Effect.gen(function*() {
      const child = (p: number) => Stream.fromEffect(Effect.as(Effect.sleep("1 second"), p))
      const timed = (concurrency: number) =>
        Effect.gen(function*() {
          const start = yield* Clock.currentTimeMillis
          const out = yield* FaultServer.runVirtual(
            Stream.runCollect(forEachParent(parents(8), child, { concurrency }))
          )
          return { out: [...out], millis: (yield* Clock.currentTimeMillis) - start }
        })
      const four = yield* timed(4)
      const one = yield* timed(1)
      assert.deepStrictEqual(four.out, [1, 2, 3, 4, 5, 6, 7, 8])
      assert.deepStrictEqual(one.out, four.out)
      assert.strictEqual(four.millis, 2000)
      assert.strictEqual(one.millis, 8000)
    }))

  it.effect("a consumer that stops early stops the children and starts no more parents", () =>
    Effect.gen(function*() {
      const started: Array<number> = []
      let interrupted = 0
      const child = (p: number) =>
        Stream.fromEffect(Effect.sync(() => started.push(p))).pipe(
          Stream.drain,
          Stream.concat(Stream.repeatEffect(Effect.as(Effect.sleep("10 millis"), p))),
          Stream.onEnd(Effect.void),
          (s) => Stream.ensuring(s, Effect.sync(() => interrupted++))
        )
      const out = yield* FaultServer.runVirtual(
        Stream.runCollect(Stream.take(forEachParent(parents(1000), child, { concurrency: 2 }), 5))
      )
      assert.deepStrictEqual([...out], [1, 1, 1, 1, 1])
      assert.isAtMost(started.length, 2)
      assert.strictEqual(interrupted, started.length)
    }))

  it.effect("a failing child fails the stream after the earlier parents' records", () =>
    Effect.gen(function*() {
      const child = (p: number) =>
        p === 3
          ? Stream.concat(Stream.make(30), Stream.fail(`parent ${p} failed`))
          : Stream.fromEffect(Effect.as(Effect.sleep(`${p} seconds`), p * 10))
      const seen: Array<number> = []
      const result = yield* FaultServer.runVirtual(
        forEachParent(parents(6), child, { concurrency: 4 }).pipe(
          Stream.runForEach((n) => Effect.sync(() => seen.push(n))),
          Effect.flip
        )
      )
      assert.strictEqual(result, "parent 3 failed")
      assert.deepStrictEqual(seen, [10, 20, 30])
    }))

  it.effect("keeps memory bounded: children ahead of the consumer buffer at most bufferSize chunks", () =>
    Effect.gen(function*() {
      let produced = 0
      const child = (p: number) =>
        Stream.range(1, 1000).pipe(
          Stream.rechunk(1),
          Stream.tap(() => Effect.sync(() => produced++)),
          Stream.map((i) => p * 10_000 + i)
        )
      // The consumer stalls on its first element; parents 2.. can only fill their small buffers.
      const out = yield* FaultServer.runVirtual(
        forEachParent(parents(50), child, { concurrency: 4, bufferSize: 8 }).pipe(
          Stream.mapEffect((n) => n === 10_001 ? Effect.as(FaultServer.liveSleep(50), n) : Effect.succeed(n)),
          Stream.take(2),
          Stream.runCollect,
          Effect.map(Chunk.toArray)
        )
      )
      assert.deepStrictEqual(out, [10_001, 10_002])
      // 4 children in flight × (8 queued + a few in transit), far below 4 × 1000.
      assert.isAtLeast(produced, 4 * 8)
      assert.isBelow(produced, 200)
    }))
})
