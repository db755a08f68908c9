import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Fiber, Option, Ref, Schema, Stream } from "effect"
import * as DataStream from "../src/DataStream.js"
import * as Db from "../src/Db.js"
import { describeParseError } from "../src/internal/decode.js"
import * as Model from "../src/Model.js"
import * as State from "../src/State.js"
import * as Subtask from "../src/Subtask.js"
import {
  ctxFor,
  inHarness,
  Item,
  items,
  itemStream,
  itemTable,
  latestState,
  Note,
  noteTable,
  Other,
  query,
  rawRows,
  run,
  Thing
} from "./fixtures/subtaskPlugin.js"

const p1 = "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"
const p2 = "{\"ConnectionId\":1,\"ScopeId\":\"p2\"}"
const rawItems = "_raw_testplugin_items"

const failure = <A, E>(exit: Exit.Exit<A, E>): unknown => {
  assert.isTrue(Exit.isFailure(exit), "expected the run to fail")
  if (Exit.isSuccess(exit)) return undefined
  return Option.getOrElse(Cause.failureOption(exit.cause), () => Cause.squash(exit.cause))
}

class Probe extends Model.ToolModel<Probe>("Probe")({
  id: Schema.String.pipe(Model.primaryKey),
  displayName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("display_name")),
  fullName: Schema.String,
  startedAt: Schema.optional(Schema.NullOr(Model.DateTime)),
  team: Schema.optional(Schema.String).pipe(Model.source("/team/name")),
  odd: Schema.optional(Schema.String).pipe(Model.source("/a~1b/c~0d"))
}) {}

describe("Subtask.defaultExtractor", () => {
  const extract = Subtask.defaultExtractor(Probe)
  const base = { id: "x1", display_name: "D", fullName: "F" }

  it("finds a field by its JSON key", () => {
    const probe = Either.getOrThrow(extract(base)) as Probe
    assert.strictEqual(probe.displayName, "D")
    assert.strictEqual(probe.fullName, "F")
  })

  it("finds a field by its property (camelCase) name when the JSON key is absent", () => {
    const probe = Either.getOrThrow(extract({ id: "x1", displayName: "by name", fullName: "F" })) as Probe
    assert.strictEqual(probe.displayName, "by name")
  })

  it("finds a field by the snake_case of its key, and decodes dates", () => {
    const probe = Either.getOrThrow(
      extract({ ...base, fullName: undefined, full_name: "snake", started_at: "2023-01-10T11:00:00.000Z" })
    ) as Probe
    assert.strictEqual(probe.fullName, "snake")
    assert.instanceOf(probe.startedAt, Date)
    assert.strictEqual(probe.startedAt!.toISOString(), "2023-01-10T11:00:00.000Z")
  })

  it("prefers the JSON key over the snake_case spelling", () => {
    const probe = Either.getOrThrow(extract({ ...base, full_name: "snake" })) as Probe
    assert.strictEqual(probe.fullName, "F")
  })

  it("follows a source JSON pointer, nested and with ~1 / ~0 escapes", () => {
    const probe = Either.getOrThrow(
      extract({ ...base, team: "not this", odd: "nor this", "a/b": { "c~d": "escaped" }, "team/name": "x" })
    ) as Probe
    assert.strictEqual(probe.odd, "escaped")
    assert.strictEqual(probe.team, undefined)
    const nested = Either.getOrThrow(extract({ ...base, team: { name: "core" } })) as Probe
    assert.strictEqual(nested.team, "core")
  })

  it("leaves a missing optional field undefined, also behind a pointer into a missing object", () => {
    const probe = Either.getOrThrow(extract({ ...base, team: null })) as Probe
    assert.strictEqual(probe.startedAt, undefined)
    assert.strictEqual(probe.team, undefined)
    assert.strictEqual(probe.odd, undefined)
  })

  it("fails on a missing required field, naming it", () => {
    const result = extract({ id: "x1", display_name: "D" })
    assert.isTrue(Either.isLeft(result))
    const text = describeParseError(Either.getLeft(result).pipe(Option.getOrThrow))
    assert.include(text, "fullName")
    assert.include(text, "missing")
  })

  it("fails on a wrong-typed field without echoing its value", () => {
    const result = extract({ ...base, fullName: 918273645 })
    const text = describeParseError(Either.getLeft(result).pipe(Option.getOrThrow))
    assert.include(text, "fullName")
    assert.notInclude(text, "918273645")
  })

  it("rejects an invalid date", () => {
    assert.isTrue(Either.isLeft(extract({ ...base, startedAt: "not a date" })))
  })
})

describe("collect", () => {
  it.effect("writes params, url, input and the data as JSON bytes", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const data = [{ id: "a", name: "é ü 🚀", n: [1, null] }, { id: "b", name: "second" }]
        const stream = itemStream({
          collect: () =>
            Stream.make(
              DataStream.raw(data[0], { url: "https://api.test/items?page=1", input: { page: 1 } }),
              DataStream.raw(data[1])
            )
        })
        yield* run("collect", stream, ctxFor("p1"))
        const rows = yield* rawRows(rawItems)
        assert.deepStrictEqual(rows.map((r) => r.params), [p1, p1])
        assert.deepStrictEqual(rows.map((r) => r.data), data)
        assert.strictEqual(rows[0]!.dataText, JSON.stringify(data[0]))
        assert.strictEqual(rows[0]!.url, "https://api.test/items?page=1")
        assert.deepStrictEqual(rows[0]!.input, { page: 1 })
        assert.strictEqual(rows[1]!.url, "")
        const [typed] = yield* query(`SELECT typeof(data) AS t FROM ${rawItems} LIMIT 1`)
        assert.strictEqual(typed!["t"], "blob")
      })
    ))

  it.effect("encodes params like Go's json.Marshal for a scope id with <, & and non-ASCII", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const scopeId = "a<b&c>d ü"
        const stream = itemStream({ collect: () => Stream.make(DataStream.raw({ id: "a", name: "A" })) })
        yield* run("collect", stream, ctxFor(scopeId))
        yield* run("extract", stream, ctxFor(scopeId))
        const expected = "{\"ConnectionId\":1,\"ScopeId\":\"a\\u003cb\\u0026c\\u003ed ü\"}"
        const rows = yield* rawRows(rawItems)
        assert.strictEqual(rows[0]!.params, expected)
        const [tool] = yield* query(`SELECT _raw_data_params FROM ${itemTable}`)
        assert.strictEqual(tool!["_raw_data_params"], expected)
      })
    ))

  it.effect("a full run deletes this scope's raw rows only; an incremental run keeps them", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const count = yield* Ref.make(3)
        const stream = itemStream({
          collect: () => Stream.unwrap(Effect.map(Ref.get(count), (n) => Stream.fromIterable(items(n).map((d) => DataStream.raw(d)))))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* Ref.set(count, 2)
        yield* run("collect", stream, ctxFor("p2"))
        yield* Ref.set(count, 1)
        yield* run("collect", stream, ctxFor("p1"))
        const paramsOf = (rows: ReadonlyArray<{ params: string }>) => rows.map((r) => r.params)
        assert.deepStrictEqual(paramsOf(yield* rawRows(rawItems)), [p2, p2, p1])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(paramsOf(yield* rawRows(rawItems)), [p2, p2, p1, p1])
      })
    ))
})

// A collector that honours `ctx.state` (`{ next }`: index of the next record) and, while `failAfter` holds a
// number, fails once it has emitted that many records in the run.
const resumable = (total: number, failAfter: Ref.Ref<number | undefined>, seen: Ref.Ref<ReadonlyArray<unknown>>) =>
  itemStream({
    collect: (ctx) =>
      Stream.unwrap(Effect.gen(function*() {
        yield* Ref.update(seen, (all) => [...all, ctx.state])
        const start = (ctx.state as { next?: number } | undefined)?.next ?? 0
        const records = Stream.fromIterable(items(total).slice(start)).pipe(
          Stream.zipWithIndex,
          Stream.map(([data, i]) => DataStream.raw(data, { state: { next: start + i + 1 } }))
        )
        const limit = yield* Ref.get(failAfter)
        return limit === undefined
          ? records
          : Stream.concat(Stream.take(records, limit), Stream.fail(new Error("network down")))
      }))
  })

// The same records with no state: the collector always starts again from the first one.
const stateless = (total: number, failAfter: Ref.Ref<number | undefined>) =>
  itemStream({
    collect: () =>
      Stream.unwrap(Effect.map(Ref.get(failAfter), (limit) => {
        const records = Stream.fromIterable(items(total).map((d) => DataStream.raw(d)))
        return limit === undefined
          ? records
          : Stream.concat(Stream.take(records, limit), Stream.fail(new Error("network down")))
      }))
  })

const ids = (rows: ReadonlyArray<{ readonly data: unknown }>) => rows.map((r) => (r.data as { id: string }).id)
const allIds = (n: number) => items(n).map((d) => d.id)

// The runner's checkpoint as stored: the last record's state and the records written since it.
const checkpointOf = (saved: Option.Option<State.Saved>) => {
  assert.isTrue(Option.isSome(saved), "expected a saved state")
  return Option.getOrThrow(saved) as { readonly state: { readonly state?: unknown; readonly skip: number }; readonly completed: boolean }
}

// A state store that fails its `n`-th checkpoint, as a crash between the batch's insert and its commit would.
const failingCheckpoint = (n: number) =>
  Effect.gen(function*() {
    const real = yield* State.State
    let calls = 0
    return State.State.of({
      ...real,
      checkpoint: (runId, state) =>
        ++calls === n ? Effect.fail(new Db.DbError({ reason: "Query", detail: "injected failure" })) : real.checkpoint(runId, state)
    })
  })

describe("collect: resuming", () => {
  it.effect("a failed run keeps its committed batches and the last record's state; the rerun continues exactly once", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const failAfter = yield* Ref.make<number | undefined>(7)
        const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
        const stream = resumable(10, failAfter, seen)
        const exit = yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 3 }))
        assert.strictEqual((failure(exit) as Error).message, "network down")
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(7))
        const saved = checkpointOf(yield* latestState("Collect Items", p1))
        assert.isFalse(saved.completed)
        assert.deepStrictEqual(saved.state.state, { next: 7 })
        assert.strictEqual(saved.state.skip, 0)

        yield* Ref.set(failAfter, undefined)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { next: 7 }])
        const done = checkpointOf(yield* latestState("Collect Items", p1))
        assert.isTrue(done.completed)
        assert.deepStrictEqual(done.state.state, { next: 10 })
      })
    ))

  it.effect("a batch whose transaction fails leaves neither its rows nor its checkpoint", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const failAfter = yield* Ref.make<number | undefined>(undefined)
        const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
        const stream = resumable(10, failAfter, seen)
        const failing = yield* failingCheckpoint(3)
        const exit = yield* Effect.exit(
          run("collect", stream, ctxFor("p1"), { batchSize: 3 }).pipe(Effect.provideService(State.State, failing))
        )
        assert.strictEqual((failure(exit) as Db.DbError).detail, "injected failure")
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(6))
        assert.deepStrictEqual(checkpointOf(yield* latestState("Collect Items", p1)).state.state, { next: 6 })

        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { next: 6 }])
      })
    ))

  it.effect("records without state: the rerun skips the records already written", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const failAfter = yield* Ref.make<number | undefined>(5)
        const stream = stateless(10, failAfter)
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 2 }))))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(5))
        assert.strictEqual(checkpointOf(yield* latestState("Collect Items", p1)).state.skip, 5)

        yield* Ref.set(failAfter, undefined)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 2 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
      })
    ))

  it.effect("records without state, failed transaction: exactly once after the rerun", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const failAfter = yield* Ref.make<number | undefined>(undefined)
        const stream = stateless(10, failAfter)
        const failing = yield* failingCheckpoint(2)
        const exit = yield* Effect.exit(
          run("collect", stream, ctxFor("p1"), { batchSize: 4 }).pipe(Effect.provideService(State.State, failing))
        )
        assert.isTrue(Exit.isFailure(exit))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(4))
        assert.strictEqual(checkpointOf(yield* latestState("Collect Items", p1)).state.skip, 4)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 4 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
      })
    ))

  it.effect("state only at page ends: the rerun resumes from the page and skips what was written of it", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const pageSize = 4
        const failAfter = yield* Ref.make<number | undefined>(6)
        const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
        const stream = itemStream({
          collect: (ctx) =>
            Stream.unwrap(Effect.gen(function*() {
              yield* Ref.update(seen, (all) => [...all, ctx.state])
              const page = (ctx.state as { page?: number } | undefined)?.page ?? 0
              const records = Stream.fromIterable(items(10).slice(page * pageSize)).pipe(
                Stream.zipWithIndex,
                Stream.map(([data, i]) => {
                  const k = page * pageSize + i
                  // The last record of a page carries the next page; the others none.
                  return DataStream.raw(data, k % pageSize === pageSize - 1 ? { state: { page: (k + 1) / pageSize } } : {})
                })
              )
              const limit = yield* Ref.get(failAfter)
              return limit === undefined ? records : Stream.concat(Stream.take(records, limit), Stream.fail("down"))
            }))
        })
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 3 }))))
        const saved = checkpointOf(yield* latestState("Collect Items", p1))
        assert.deepStrictEqual(saved.state.state, { page: 1 })
        assert.strictEqual(saved.state.skip, 2)

        yield* Ref.set(failAfter, undefined)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { page: 1 }])
      })
    ))

  it.live("an interrupted run (killed mid-batch) keeps whole batches only", () =>
    inHarness(({ lines }) =>
      Effect.gen(function*() {
        const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
        const hang = yield* Ref.make(true)
        const base = resumable(10, yield* Ref.make<number | undefined>(undefined), seen)
        const stream = {
          ...base,
          collect: (ctx: DataStream.CollectContext) =>
            Stream.unwrap(Effect.map(Ref.get(hang), (h) => h ? Stream.concat(Stream.take(base.collect(ctx), 7), Stream.never) : base.collect(ctx)))
        }
        const fiber = yield* Effect.fork(run("collect", stream, ctxFor("p1"), { batchSize: 3 }))
        // Two whole batches are committed (one progress line each); the third waits for records that never come.
        for (let i = 0; i < 400 && (yield* Ref.get(lines)).length < 2; i++) yield* Effect.sleep("5 millis")
        yield* Effect.sleep("20 millis")
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual((yield* Ref.get(lines)).map((l) => JSON.parse(l).current), [3, 6])
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(6))
        const saved = checkpointOf(yield* latestState("Collect Items", p1))
        assert.isFalse(saved.completed)
        assert.deepStrictEqual(saved.state.state, { next: 6 })
        yield* Ref.set(hang, false)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
      })
    ))

  it.effect("an incremental run after a completed one starts from that run's last state", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
        const total = yield* Ref.make(5)
        const stream = itemStream({
          collect: (ctx) =>
            Stream.unwrap(Effect.gen(function*() {
              yield* Ref.update(seen, (all) => [...all, ctx.state])
              const start = (ctx.state as { next?: number } | undefined)?.next ?? 0
              const n = yield* Ref.get(total)
              return Stream.fromIterable(items(n).slice(start).map((d, i) => DataStream.raw(d, { state: { next: start + i + 1 } })))
            }))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* Ref.set(total, 8)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        // Nothing new: the state stays where it was.
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        // A full run starts from scratch.
        yield* run("collect", stream, ctxFor("p1"))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { next: 5 }, { next: 8 }, undefined])
      })
    ))
})
