import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Option, Ref, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import { PluginDefinitionError } from "../../src/internal/plugin/definition.js"
import { advance, completed, startRunning, withCarry } from "../../src/internal/subtask/substreamState.js"
import {
  ctxFor,
  inHarness,
  type Item,
  items,
  itemStream,
  latestState,
  Note,
  rawRows,
  run
} from "../fixtures/subtaskPlugin.js"

const p1 = "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"
const parents = itemStream({ collect: () => Stream.fromIterable(items(4).map((d) => DataStream.raw(d))) })

// The latest `updated` of each parent's notes: i1's is the latest of all, the last parent's (i3) the earliest.
const latestOf: Record<string, string> = {
  i0: "2024-01-02T00:00:00.000Z",
  i1: "2024-01-09T00:00:00.000Z",
  i2: "2024-01-03T00:00:00.000Z",
  i3: "2024-01-01T00:00:00.000Z"
}

const NotesState = Schema.Struct({ latest: Schema.DateFromString })
type NotesState = typeof NotesState.Type

const later = (a: NotesState, b: NotesState) => a.latest >= b.latest ? a : b

/** Two notes per parent, the second with the parent's latest `updated` as the state. */
const notes = (options: {
  readonly combine: boolean
  readonly seen: Ref.Ref<ReadonlyArray<readonly [string, NotesState | undefined]>>
  readonly failAt?: Ref.Ref<string | undefined>
}) =>
  DataStream.make({
    name: "notes",
    toolModel: Note,
    domainTypes: ["CROSS"],
    parent: parents,
    concurrency: 2,
    state: NotesState,
    ...(options.combine ? { combineState: later } : {}),
    collect: (ctx, parent: Item) =>
      Stream.unwrap(Effect.gen(function*() {
        yield* Ref.update(options.seen, (all) => [...all, [parent.id, ctx.state] as const])
        const failAt = options.failAt === undefined ? undefined : yield* Ref.get(options.failAt)
        const latest = new Date(latestOf[parent.id]!)
        const first = DataStream.raw({ itemId: parent.id, n: 0, text: "a" })
        const second = DataStream.raw({ itemId: parent.id, n: 1, text: "b" }, { state: { latest } })
        return failAt === parent.id
          ? Stream.concat(Stream.make(first), Stream.fail(`${parent.id} failed`))
          : Stream.make(first, second)
      })),
    convert: () => Effect.succeed([])
  })

const savedState = Effect.map(latestState("Collect Notes", p1), (saved) => Option.getOrThrow(saved).state as any)

const prepareParents = Effect.zipRight(run("collect", parents, ctxFor("p1")), run("extract", parents, ctxFor("p1")))

describe("substream state", () => {
  it.effect("without combineState, the last parent's state wins: every parent of the next run gets it", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* prepareParents
        const seen = yield* Ref.make<ReadonlyArray<readonly [string, NotesState | undefined]>>([])
        const stream = notes({ combine: false, seen })
        yield* run("collect", stream, ctxFor("p1"))
        assert.deepStrictEqual((yield* savedState).state, { latest: latestOf["i3"] })
        yield* Ref.set(seen, [])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        const states = (yield* Ref.get(seen)).map(([, state]) => state?.latest.toISOString())
        assert.deepStrictEqual(states, [latestOf["i3"], latestOf["i3"], latestOf["i3"], latestOf["i3"]])
      })
    ))

  it.effect("with combineState, the run saves every parent's final state combined, the next run starts from it", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* prepareParents
        const seen = yield* Ref.make<ReadonlyArray<readonly [string, NotesState | undefined]>>([])
        const stream = notes({ combine: true, seen })
        yield* run("collect", stream, ctxFor("p1"), { batchSize: 3 })
        assert.deepStrictEqual((yield* savedState).state, { latest: latestOf["i1"] })
        yield* Ref.set(seen, [])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        const states = (yield* Ref.get(seen)).map(([, state]) => state?.latest.toISOString())
        assert.deepStrictEqual(states, [latestOf["i1"], latestOf["i1"], latestOf["i1"], latestOf["i1"]])
      })
    ))

  it.effect("an interrupted run checkpoints the combination (encoded); the resumed run completes it", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* prepareParents
        const seen = yield* Ref.make<ReadonlyArray<readonly [string, NotesState | undefined]>>([])
        const failAt = yield* Ref.make<string | undefined>("i2")
        const stream = notes({ combine: true, seen, failAt })
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 1 }))))
        const checkpoint = yield* savedState
        assert.deepStrictEqual(checkpoint.carry, { latest: latestOf["i1"] })
        assert.strictEqual(checkpoint.parent.at(-1), "i2")
        yield* Ref.set(failAt, undefined)
        yield* Ref.set(seen, [])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 1 })
        assert.deepStrictEqual((yield* Ref.get(seen)).map(([id]) => id), ["i2", "i3"])
        assert.strictEqual((yield* rawRows("_raw_testplugin_notes")).length, 8)
        assert.deepStrictEqual((yield* savedState).state, { latest: latestOf["i1"] })
      })
    ))

  it("combineState is for substreams only: a definition error otherwise", () => {
    assert.throws(
      () =>
        itemStream({
          collect: () => Stream.empty,
          state: NotesState,
          combineState: later
        } as any),
      PluginDefinitionError,
      /combineState but no parent/
    )
  })
})

describe("substreamState", () => {
  const sum = (a: unknown, b: unknown) => (a as number) + (b as number)
  const rows = (...cps: ReadonlyArray<readonly [ReadonlyArray<unknown>, number]>) =>
    cps.map(([parent, state]) => ({ checkpoint: { parent, state, skip: 0 } }))

  it("adds a parent's final state when the next parent's rows begin, once per parent", () => {
    const a = ["a"]
    const b = ["b"]
    const running = startRunning(undefined)
    advance(sum, running, rows([a, 1], [a, 2]))
    advance(sum, running, rows([a, 3], [b, 10]))
    assert.strictEqual(running.combined, 3)
    assert.deepStrictEqual(withCarry(running, { parent: b, state: 10, skip: 0 }), {
      parent: b,
      state: 10,
      skip: 0,
      carry: 3
    })
    assert.deepStrictEqual(completed(sum, running, { parent: b, state: 10, skip: 0, carry: 3 }), {
      parent: b,
      state: 13,
      skip: 0
    })
  })

  it("a resumed parent (its key read back from JSON) is the same parent, not a new one", () => {
    const running = startRunning({ parent: ["a"], state: 2, carry: 5, skip: 0 })
    advance(sum, running, rows([["a"], 4], [["b"], 7]))
    assert.strictEqual(running.combined, 9)
    assert.strictEqual(completed(sum, running, { skip: 0 }).state, 16)
  })

  it("a run with no row keeps the state it started from", () => {
    const running = startRunning(undefined)
    assert.strictEqual(completed(sum, running, { initial: 4, state: 4, skip: 0 }).state, 4)
  })
})
