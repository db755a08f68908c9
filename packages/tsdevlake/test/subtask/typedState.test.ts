import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Ref, Schema, Stream } from "effect"
import { expectTypeOf } from "vitest"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as State from "../../src/State.js"
import { checkpointCodec } from "../../src/internal/subtask/checkpoint.js"
import { ctxFor, inHarness, Item, items, latestState, rawRows, run, Thing } from "../fixtures/subtaskPlugin.js"

const p1 = "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"
const rawItems = "_raw_testplugin_items"

const ItemsState = Schema.Struct({ since: Schema.DateFromString, next: Schema.Int })
type ItemsState = typeof ItemsState.Type

const since = new Date("2024-05-06T07:08:09.010Z")

/**
 * Items from `ctx.state.next` on, each with the state after it; the states each collect received go to `seen`,
 * and while `failAfter` holds a number the collect fails after that many records.
 */
const typedItems = (
  total: Ref.Ref<number>,
  seen: Ref.Ref<ReadonlyArray<ItemsState | undefined>>,
  failAfter?: Ref.Ref<number | undefined>
) =>
  DataStream.make({
    name: "items",
    toolModel: Item,
    domainTypes: ["CROSS"],
    domainModels: [Thing],
    state: ItemsState,
    collect: (ctx) =>
      Stream.unwrap(Effect.gen(function*() {
        yield* Ref.update(seen, (all) => [...all, ctx.state])
        const start = ctx.state?.next ?? 0
        const n = yield* Ref.get(total)
        const records = Stream.fromIterable(
          items(n).slice(start).map((d, i) => DataStream.raw(d, { state: { since, next: start + i + 1 } }))
        )
        const limit = failAfter === undefined ? undefined : yield* Ref.get(failAfter)
        return limit === undefined ? records : Stream.concat(Stream.take(records, limit), Stream.fail("down"))
      })),
    convert: (item) => Effect.succeed([new Thing({ name: item.name })])
  })

/** The same stream as an older version wrote it: no schema, a state of another shape. */
const untypedItems = (total: number) =>
  DataStream.make({
    name: "items",
    toolModel: Item,
    domainTypes: ["CROSS"],
    domainModels: [Thing],
    collect: () => Stream.fromIterable(items(total).map((d, i) => DataStream.raw(d, { state: { page: i + 1 } }))),
    convert: (item) => Effect.succeed([new Thing({ name: item.name })])
  })

const ids = (rows: ReadonlyArray<{ readonly data: unknown }>) => rows.map((r) => (r.data as { id: string }).id)
const allIds = (n: number) => items(n).map((d) => d.id)

const savedState = Effect.map(latestState("Collect Items", p1), (saved) => {
  assert.isTrue(Option.isSome(saved), "expected a saved state")
  return Option.getOrThrow(saved).state as { readonly initial?: unknown; readonly state?: unknown }
})

const warnings = (logs: ReadonlyArray<string>) => logs.filter((line) => line.startsWith("WARN"))

describe("typed state: types", () => {
  it("ctx.state has the schema's type, records' states must fit it; without a schema it is unknown", () => {
    DataStream.make({
      name: "typed",
      toolModel: Item,
      domainTypes: ["CROSS"],
      state: ItemsState,
      collect: (ctx) => {
        expectTypeOf(ctx.state).toEqualTypeOf<{ readonly since: Date; readonly next: number } | undefined>()
        return Stream.make(
          DataStream.raw({ id: "a" }),
          DataStream.raw({ id: "b" }, { state: { since: new Date(), next: 2 } })
        )
      },
      convert: () => Effect.succeed([])
    })
    DataStream.make({
      name: "mistyped",
      toolModel: Item,
      domainTypes: ["CROSS"],
      state: ItemsState,
      // @ts-expect-error `since` is a Date in the decoded state, not its encoded string
      collect: () => Stream.make(DataStream.raw({ id: "c" }, { state: { since: "2024-01-01", next: 3 } })),
      convert: () => Effect.succeed([])
    })
    DataStream.make({
      name: "untyped",
      toolModel: Item,
      domainTypes: ["CROSS"],
      collect: (ctx) => {
        expectTypeOf(ctx.state).toEqualTypeOf<unknown>()
        return Stream.make(DataStream.raw({ id: "a" }, { state: { anything: true } }))
      },
      convert: () => Effect.succeed([])
    })
    expectTypeOf<DataStream.CollectContext["state"]>().toEqualTypeOf<unknown>()
    expectTypeOf<DataStream.RawRecord["state"]>().toEqualTypeOf<unknown>()
  })
})

describe("typed state: collect", () => {
  it.effect("is stored encoded and decoded on resume: a Date survives the round trip", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const total = yield* Ref.make(3)
        const seen = yield* Ref.make<ReadonlyArray<ItemsState | undefined>>([])
        const stream = typedItems(total, seen)
        yield* run("collect", stream, ctxFor("p1"))
        assert.deepStrictEqual((yield* savedState).state, { since: since.toISOString(), next: 3 })
        yield* Ref.set(total, 5)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        const resumed = (yield* Ref.get(seen))[1]
        assert.instanceOf(resumed?.since, Date)
        assert.strictEqual(resumed?.since.getTime(), since.getTime())
        assert.strictEqual(resumed?.next, 3)
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(5))
      })
    ))

  it.effect("an interrupted run's checkpoint is encoded per batch and decoded when the rerun resumes", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const total = yield* Ref.make(10)
        const seen = yield* Ref.make<ReadonlyArray<ItemsState | undefined>>([])
        const failAfter = yield* Ref.make<number | undefined>(7)
        const stream = typedItems(total, seen, failAfter)
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 3 }))))
        assert.deepStrictEqual((yield* savedState).state, { since: since.toISOString(), next: 7 })
        yield* Ref.set(failAfter, undefined)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { since, next: 7 }])
      })
    ))

  it.effect("a saved state that no longer decodes: one warning naming the stream and the field, then a full run", () =>
    inHarness(({ logs }) =>
      Effect.gen(function*() {
        yield* run("collect", untypedItems(4), ctxFor("p1"))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(4))
        const total = yield* Ref.make(5)
        const seen = yield* Ref.make<ReadonlyArray<ItemsState | undefined>>([])
        yield* run("collect", typedItems(total, seen), ctxFor("p1", { incremental: true }))
        const warned = warnings(yield* Ref.get(logs))
        expect(warned).toHaveLength(1)
        expect(warned[0]).toMatch(
          /^WARN: Collect Items: the saved state no longer decodes \(.*since.*\); collecting afresh$/
        )
        // Started afresh as a full run: the older rows were deleted, none is there twice.
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined])
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(5))
        assert.deepStrictEqual((yield* savedState).state, { since: since.toISOString(), next: 5 })
      })
    ))

  it.effect("a saved state that is not JSON: an incremental run is a full run, with no duplicate", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const total = yield* Ref.make(4)
        const seen = yield* Ref.make<ReadonlyArray<ItemsState | undefined>>([])
        const stream = typedItems(total, seen)
        yield* run("collect", stream, ctxFor("p1"))
        const db = yield* Db.Database
        yield* db.execute(`UPDATE ${db.dialect.quote(State.table.name)} SET ${db.dialect.quote("state")} = 'oops{'`)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, undefined])
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(4))
      })
    ))

  it.effect("a record's state that does not encode fails the subtask naming the field", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = DataStream.make({
          name: "items",
          toolModel: Item,
          domainTypes: ["CROSS"],
          domainModels: [Thing],
          state: ItemsState,
          collect: () => Stream.make(DataStream.raw(items(1)[0], { state: { since, next: 1.5 } })),
          convert: () => Effect.succeed([])
        })
        const exit = yield* Effect.exit(run("collect", stream, ctxFor("p1")))
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? exit.cause : undefined
        expect(String(error)).toMatch(/Collect Items: a record's state does not fit the stream's state schema: next/)
      })
    ))

  it.effect("a stream without a schema stores and gives back its state as JSON, as before", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
        const stream = DataStream.make({
          name: "items",
          toolModel: Item,
          domainTypes: ["CROSS"],
          domainModels: [Thing],
          collect: (ctx) =>
            Stream.unwrap(Effect.as(
              Ref.update(seen, (all) => [...all, ctx.state]),
              Stream.make(DataStream.raw(items(1)[0], { state: { at: since } }))
            )),
          convert: () => Effect.succeed([])
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { at: since.toISOString() }])
      })
    ))
})

describe("checkpointCodec", () => {
  it("without a schema is the identity; with one it converts initial and state, once when they are the same", () => {
    const plain = checkpointCodec(undefined)
    const checkpoint = { initial: { a: 1 }, state: { a: 2 }, skip: 3 }
    assert.strictEqual(plain.encode(checkpoint).pipe((e) => e._tag === "Right" ? e.right : undefined), checkpoint)
    const typed = checkpointCodec(ItemsState)
    const state = { since, next: 1 }
    const encoded = typed.encode({ initial: state, state, parent: ["k"], skip: 0 })
    assert.deepStrictEqual(encoded._tag === "Right" ? encoded.right : undefined, {
      initial: { since: since.toISOString(), next: 1 },
      state: { since: since.toISOString(), next: 1 },
      parent: ["k"],
      skip: 0
    })
    const decoded = typed.decode({ initial: undefined, state: { since: since.toISOString(), next: 1 }, skip: 2 })
    assert.deepStrictEqual(decoded._tag === "Right" ? decoded.right : undefined, {
      initial: undefined,
      state,
      skip: 2
    })
    assert.strictEqual(typed.decode({ state: { next: 1 }, skip: 0 })._tag, "Left")
  })
})
