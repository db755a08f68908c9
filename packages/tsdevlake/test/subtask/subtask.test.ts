import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Fiber, Layer, Option, Ref, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Ipc from "../../src/Ipc.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as State from "../../src/State.js"
import * as Subtask from "../../src/Subtask.js"
import { modelTable } from "../../src/internal/model/tables.js"
import { describeParseError } from "../../src/internal/process/arguments.js"
import {
  ctxFor,
  inHarness,
  Item,
  items,
  itemStream,
  itemTable,
  latestState,
  migrations,
  Note,
  noteTable,
  Other,
  query,
  rawRows,
  run,
  TestPlugin,
  Thing
} from "../fixtures/subtaskPlugin.js"
import { isolatedDatabase, testDatabases } from "../utils/databases.js"

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
          collect: () =>
            Stream.unwrap(
              Effect.map(Ref.get(count), (n) => Stream.fromIterable(items(n).map((d) => DataStream.raw(d))))
            )
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
  return Option.getOrThrow(saved) as {
    readonly state: { readonly state?: unknown; readonly skip: number }
    readonly completed: boolean
  }
}

// A state store that fails its `n`-th checkpoint, as a crash between the batch's insert and its commit would.
const failingCheckpoint = (n: number) =>
  Effect.gen(function*() {
    const real = yield* State.State
    let calls = 0
    const realStatement = real.checkpointStatement!
    // Subtasks commit checkpoints as statements of their batch (the path to break); `checkpoint` for completeness.
    return State.State.of({
      ...real,
      checkpoint: (runId, state) =>
        ++calls === n
          ? Effect.fail(new Db.DbError({ reason: "Query", detail: "injected failure" }))
          : real.checkpoint(runId, state),
      checkpointStatement: (runId, state) =>
        ++calls === n
          ? { sql: `UPDATE ${State.table.name} SET "injected failure" = 1`, params: [] }
          : realStatement(runId, state)
    })
  })

/**
 * The third of four batches fails with its checkpoint (10 records, batches of 3): the first two stay with
 * their checkpoint, and an incremental rerun collects the rest exactly once.
 */
const failedBatchThenRerun = Effect.gen(function*() {
  const failAfter = yield* Ref.make<number | undefined>(undefined)
  const seen = yield* Ref.make<ReadonlyArray<unknown>>([])
  const stream = resumable(10, failAfter, seen)
  const failing = yield* failingCheckpoint(3)
  const exit = yield* Effect.exit(
    run("collect", stream, ctxFor("p1"), { batchSize: 3 }).pipe(Effect.provideService(State.State, failing))
  )
  assert.include((failure(exit) as Db.DbError).detail, "injected failure")
  assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(6))
  assert.deepStrictEqual(checkpointOf(yield* latestState("Collect Items", p1)).state.state, { next: 6 })
  yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
  assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(10))
  assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { next: 6 }])
  return { failAfter, seen, stream }
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
    inHarness(() => Effect.asVoid(failedBatchThenRerun)))

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
                  return DataStream.raw(
                    data,
                    k % pageSize === pageSize - 1 ? { state: { page: (k + 1) / pageSize } } : {}
                  )
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
            Stream.unwrap(Effect.map(Ref.get(hang), (h) =>
              h ? Stream.concat(Stream.take(base.collect(ctx), 7), Stream.never) : base.collect(ctx)))
        }
        const fiber = yield* Effect.fork(run("collect", stream, ctxFor("p1"), { batchSize: 3 }))
        // Two whole batches are committed (one progress line each); the third waits for records that never come.
        for (let i = 0; i < 2000 && (yield* Ref.get(lines)).length < 2; i++) {
          yield* Effect.sleep("5 millis")
        }
        yield* Effect.sleep("20 millis")
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual(
          (yield* Ref.get(lines)).map((l) =>
            JSON.parse(l).current
          ),
          [3, 6]
        )
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
              return Stream.fromIterable(
                items(n).slice(start).map((d, i) => DataStream.raw(d, { state: { next: start + i + 1 } }))
              )
            }))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* Ref.set(total, 8)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        // Nothing new: the state stays where it was, for this run and the next.
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        // A full run starts from scratch.
        yield* run("collect", stream, ctxFor("p1"))
        assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(8))
        assert.deepStrictEqual(yield* Ref.get(seen), [undefined, { next: 5 }, { next: 8 }, { next: 8 }, undefined])
      })
    ))
})

// A substream of notes, three per item, collected concurrently (used here and on every database below).
// Items of scope p1 are i0..i3; scope p2 has its own item "other".
const parents = itemStream({
  collect: (ctx) =>
    Stream.fromIterable(
      ctx.scope.id === "p1" ? items(4).map((d) => DataStream.raw(d)) : [DataStream.raw({ id: "other", name: "o" })]
    )
})
const delays: Record<string, number> = { i0: 40, i1: 25, i2: 10, i3: 0 }
const notesPerItem = 3

const noteStream = (options: {
  readonly calls: Ref.Ref<ReadonlyArray<readonly [string, unknown]>>
  readonly finished?: Ref.Ref<ReadonlyArray<string>>
  readonly failAt?: Ref.Ref<readonly [string, number] | undefined>
  readonly withState: boolean
}) =>
  DataStream.make({
    name: "notes",
    toolModel: Note,
    domainTypes: ["CROSS"],
    parent: parents,
    concurrency: 3,
    collect: (ctx, parent: Item) =>
      Stream.unwrap(Effect.gen(function*() {
        yield* Ref.update(options.calls, (all) => [...all, [parent.id, ctx.state] as const])
        const start = options.withState ? (ctx.state as { next?: number } | undefined)?.next ?? 0 : 0
        const failAt = options.failAt === undefined ? undefined : yield* Ref.get(options.failAt)
        const records = Stream.range(start, notesPerItem - 1).pipe(
          Stream.mapEffect((n) =>
            failAt !== undefined && failAt[0] === parent.id && failAt[1] === n
              ? Effect.fail(new Error(`note ${n} of ${parent.id} failed`))
              : Effect.as(
                Effect.sleep(delays[parent.id] ?? 0),
                DataStream.raw(
                  { itemId: parent.id, n, text: `${parent.id}/${n}` },
                  options.withState ? { state: { next: n + 1 } } : {}
                )
              )
          )
        )
        return options.finished === undefined
          ? records
          : Stream.concat(records, Stream.execute(Ref.update(options.finished, (all) => [...all, parent.id])))
      })),
    convert: () => Effect.succeed([])
  })

const notesOf = (rows: ReadonlyArray<{ readonly data: unknown }>) =>
  rows.map((r) => {
    const d = r.data as { itemId: string; n: number }
    return `${d.itemId}/${d.n}`
  })
const allNotes = ["i0", "i1", "i2", "i3"].flatMap((id) => Array.from({ length: notesPerItem }, (_, n) => `${id}/${n}`))

describe("collect: substreams", () => {
  const rawNotes = "_raw_testplugin_notes"
  const prepareParents = Effect.gen(function*() {
    for (const scope of ["p1", "p2"]) {
      yield* run("collect", parents, ctxFor(scope))
      yield* run("extract", parents, ctxFor(scope))
    }
  })

  it.live("collects the children of this scope's parents concurrently, written in parent order", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* prepareParents
        const calls = yield* Ref.make<ReadonlyArray<readonly [string, unknown]>>([])
        const finished = yield* Ref.make<ReadonlyArray<string>>([])
        const stream = noteStream({ calls, finished, withState: true })
        yield* run("collect", stream, ctxFor("p1"), { batchSize: 2 })
        assert.deepStrictEqual(notesOf(yield* rawRows(rawNotes)), allNotes)
        assert.deepStrictEqual((yield* rawRows(rawNotes)).map((r) => r.params), allNotes.map(() => p1))
        assert.deepStrictEqual((yield* Ref.get(calls)).map(([id]) => id), ["i0", "i1", "i2", "i3"])
        // Children ran at the same time: a later, faster child finished before the first one.
        const order = yield* Ref.get(finished)
        assert.isTrue(order.indexOf("i2") < order.indexOf("i0"), `finish order ${order.join(",")}`)
        const saved = checkpointOf(yield* latestState("Collect Notes", p1))
        assert.isTrue(saved.completed)
        yield* run("extract", stream, ctxFor("p1"))
        const notes = yield* query(`SELECT item_id, n FROM ${noteTable} ORDER BY _raw_data_id`)
        assert.deepStrictEqual(notes.map((r) => `${r["item_id"]}/${r["n"]}`), allNotes)
      })
    ))

  it.live("a failed substream resumes at the failed parent, from its last state", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* prepareParents
        const calls = yield* Ref.make<ReadonlyArray<readonly [string, unknown]>>([])
        const failAt = yield* Ref.make<readonly [string, number] | undefined>(["i2", 1])
        const stream = noteStream({ calls, failAt, withState: true })
        const exit = yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 2 }))
        assert.strictEqual((failure(exit) as Error).message, "note 1 of i2 failed")
        assert.deepStrictEqual(notesOf(yield* rawRows(rawNotes)), allNotes.slice(0, 7))
        const saved = checkpointOf(yield* latestState("Collect Notes", p1))
        assert.deepStrictEqual(saved.state.state, { next: 1 })

        yield* Ref.set(failAt, undefined)
        yield* Ref.set(calls, [])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 2 })
        assert.deepStrictEqual(notesOf(yield* rawRows(rawNotes)), allNotes)
        assert.deepStrictEqual(yield* Ref.get(calls), [["i2", { next: 1 }], ["i3", undefined]])
      })
    ))

  // The parent the checkpoint names may be gone by the time of the rerun (re-extracted parents without it):
  // the parents after it in key order must still be collected.
  it.live("resuming after the checkpoint's parent disappeared still collects the later parents", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const present = yield* Ref.make(["i0", "i1", "i2", "i3"])
        const changing = itemStream({
          collect: () =>
            Stream.unwrap(Effect.map(Ref.get(present), (ids) =>
              Stream.fromIterable(ids.map((id) =>
                DataStream.raw({ id, name: id })
              ))))
        })
        yield* run("collect", changing, ctxFor("p1"))
        yield* run("extract", changing, ctxFor("p1"))
        const calls = yield* Ref.make<ReadonlyArray<readonly [string, unknown]>>([])
        const failAt = yield* Ref.make<readonly [string, number] | undefined>(["i2", 1])
        const stream = { ...noteStream({ calls, failAt, withState: true }), parent: changing }
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 2 }))))
        yield* Ref.set(present, ["i0", "i1", "i3"])
        yield* run("collect", changing, ctxFor("p1"))
        yield* run("extract", changing, ctxFor("p1"))
        yield* Ref.set(failAt, undefined)
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 2 })
        assert.deepStrictEqual(notesOf(yield* rawRows(rawNotes)), [...allNotes.slice(0, 7), "i3/0", "i3/1", "i3/2"])
      })
    ))

  it.live("a failed substream without state skips what its current parent already wrote", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* prepareParents
        const calls = yield* Ref.make<ReadonlyArray<readonly [string, unknown]>>([])
        const failAt = yield* Ref.make<readonly [string, number] | undefined>(["i1", 2])
        const stream = noteStream({ calls, failAt, withState: false })
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 4 }))))
        assert.deepStrictEqual(notesOf(yield* rawRows(rawNotes)), allNotes.slice(0, 5))
        assert.strictEqual(checkpointOf(yield* latestState("Collect Notes", p1)).state.skip, 2)

        yield* Ref.set(failAt, undefined)
        yield* Ref.set(calls, [])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }), { batchSize: 4 })
        assert.deepStrictEqual(notesOf(yield* rawRows(rawNotes)), allNotes)
        assert.deepStrictEqual((yield* Ref.get(calls)).map(([id]) => id), ["i1", "i2", "i3"])
      })
    ))
})

describe("extract", () => {
  const fixed = (data: ReadonlyArray<unknown>) =>
    itemStream({ collect: () => Stream.fromIterable(data.map((d) => DataStream.raw(d))) })
  const toolRows = query(
    `SELECT connection_id, id, name, team, started_at, _raw_data_id, _raw_data_table, _raw_data_params FROM ${itemTable} ORDER BY id`
  )

  it.effect("sets the connection id and the raw-data origin, and decodes by name, alias and pointer", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = fixed([
          { id: "a", name: "A", started_at: "2023-01-10T11:00:00.000Z", team: { name: "core" } },
          { id: "b", name: "B" }
        ])
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        const raw = yield* rawRows(rawItems)
        const rows = yield* toolRows
        assert.deepStrictEqual(
          rows.map((r): Record<string, unknown> => ({ ...r, started_at: r["started_at"] === null ? null : "set" })),
          [
            {
              connection_id: 1,
              id: "a",
              name: "A",
              team: "core",
              started_at: "set",
              _raw_data_id: raw[0]!.id,
              _raw_data_table: rawItems,
              _raw_data_params: p1
            },
            {
              connection_id: 1,
              id: "b",
              name: "B",
              team: null,
              started_at: null,
              _raw_data_id: raw[1]!.id,
              _raw_data_table: rawItems,
              _raw_data_params: p1
            }
          ]
        )
      })
    ))

  it.effect("adds convert's order index to the tool table before writing", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const indexes = query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${itemTable}'`)
        const ordered = `idx_${itemTable}_tsdevlake_order`
        assert.notInclude((yield* indexes).map((r) => r["name"]), ordered)
        const stream = fixed([{ id: "a", name: "A" }])
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        const index = (yield* indexes).find((r) => r["name"] === ordered)
        assert.include(String(index?.["sql"]), "(\"_raw_data_params\", \"_raw_data_id\", \"connection_id\", \"id\")")
      })
    ))

  it.effect("convert reads the scope's tool rows through that index (on MySQL a page statement forces it)", () => {
    // The Database as the harness has it, but noting the index each keyset read of the tool table names.
    const named: Array<string | undefined> = []
    const noting = Layer.effect(
      Db.Database,
      Effect.map(Db.Database, (db): Db.Database => ({
        ...db,
        streamTuples: (table, options) => {
          if (table === itemTable) named.push(options.index)
          return db.streamTuples(table, options)
        }
      }))
    ).pipe(Layer.provide(Db.layerMemory))
    return inHarness(() =>
      Effect.gen(function*() {
        const stream = fixed([{ id: "a", name: "A" }])
        for (const verb of DataStream.verbs) yield* run(verb, stream, ctxFor("p1"))
        assert.deepStrictEqual(named, [`idx_${itemTable}_tsdevlake_order`])
      }), { db: noting })
  })

  it.effect("a custom extract may return several rows per raw record", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = itemStream({
          collect: () =>
            Stream.make(
              DataStream.raw({ group: "g", names: ["x", "y", "z"] }),
              DataStream.raw({ group: "h", names: [] })
            ),
          extract: (data: { group: string; names: Array<string> }) =>
            Effect.succeed(data.names.map((name, i) => new Item({ id: `${data.group}${i}`, name })))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        const raw = yield* rawRows(rawItems)
        const rows = yield* toolRows
        assert.deepStrictEqual(rows.map((r) => [r["id"], r["name"], r["_raw_data_id"]]), [
          ["g0", "x", raw[0]!.id],
          ["g1", "y", raw[0]!.id],
          ["g2", "z", raw[0]!.id]
        ])
      })
    ))

  it.effect("upserts: extracting a re-collected record again updates its row instead of adding one", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const data = yield* Ref.make<ReadonlyArray<unknown>>(items(3))
        const stream = itemStream({
          collect: () =>
            Stream.unwrap(Effect.map(Ref.get(data), (all) => Stream.fromIterable(all.map((d) => DataStream.raw(d)))))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        yield* Ref.set(data, [{ id: "i1", name: "renamed" }])
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        yield* run("extract", stream, ctxFor("p1", { incremental: true }))
        const raw = yield* rawRows(rawItems)
        const rows = yield* toolRows
        assert.deepStrictEqual(rows.map((r) => [r["id"], r["name"], r["_raw_data_id"]]), [
          ["i0", "item 0", raw[0]!.id],
          ["i1", "renamed", raw[3]!.id],
          ["i2", "item 2", raw[2]!.id]
        ])
        // A full extract of the same raw rows: still one row per id (the later raw record wins).
        yield* run("extract", stream, ctxFor("p1"))
        assert.deepStrictEqual((yield* toolRows).map((r) => [r["id"], r["name"]]), [
          ["i0", "item 0"],
          ["i1", "renamed"],
          [
            "i2",
            "item 2"
          ]
        ])
      })
    ))

  it.effect("an incremental extract processes only the raw rows added since the last run", () =>
    inHarness(({ lines }) =>
      Effect.gen(function*() {
        const data = yield* Ref.make<ReadonlyArray<unknown>>(items(3))
        const seen = yield* Ref.make<ReadonlyArray<string>>([])
        const stream = itemStream({
          collect: () =>
            Stream.unwrap(Effect.map(Ref.get(data), (all) => Stream.fromIterable(all.map((d) => DataStream.raw(d))))),
          extract: (d: { id: string; name: string }) =>
            Effect.as(Ref.update(seen, (all) => [...all, d.id]), new Item({ id: d.id, name: d.name }))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        // Another scope's rows are never this scope's business.
        yield* run("collect", stream, ctxFor("p2", { incremental: true }))
        yield* Ref.set(data, items(5).slice(3))
        yield* run("collect", stream, ctxFor("p1", { incremental: true }))
        yield* Ref.set(seen, [])
        yield* Ref.set(lines, [])
        yield* run("extract", stream, ctxFor("p1", { incremental: true }), { batchSize: 10 })
        assert.deepStrictEqual(yield* Ref.get(seen), ["i3", "i4"])
        assert.deepStrictEqual((yield* toolRows).map((r) => r["id"]), allIds(5))
        assert.deepStrictEqual((yield* Ref.get(lines)).map((l) => JSON.parse(l)), [{
          current: 2,
          total: 0,
          increment: 2
        }])
        // Nothing new: nothing processed.
        yield* Ref.set(seen, [])
        yield* run("extract", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(yield* Ref.get(seen), [])
        // A full extract processes all of this scope's rows again.
        yield* run("extract", stream, ctxFor("p1"))
        assert.deepStrictEqual(yield* Ref.get(seen), allIds(5))
      })
    ))

  it.effect("an incremental extract after a full re-collect processes the re-collected rows", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const name = yield* Ref.make("first")
        const stream = itemStream({
          collect: () =>
            Stream.unwrap(Effect.map(Ref.get(name), (n) =>
              Stream.fromIterable(
                items(3).map((d) => DataStream.raw({ ...d, name: n }))
              )))
        })
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        // The full collect deletes the scope's raw rows; the new ones must get ids after the extracted ones.
        yield* Ref.set(name, "second")
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(
          (yield* toolRows).map((r) => r["name"]),
          ["second", "second", "second"]
        )
      })
    ))

  it.effect("a record that does not fit the tool model fails naming the field, not its value", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = fixed([{ id: "a", name: "A" }, { id: "b", name: 424242424242 }])
        yield* run("collect", stream, ctxFor("p1"))
        const error = failure(yield* Effect.exit(run("extract", stream, ctxFor("p1")))) as Subtask.SubtaskError
        assert.instanceOf(error, Subtask.SubtaskError)
        assert.strictEqual(error.subtask, "Extract Items")
        assert.include(error.message, "name")
        assert.include(error.message, rawItems)
        assert.notInclude(error.message, "424242424242")
        const missing = fixed([{ id: "c" }])
        yield* run("collect", missing, ctxFor("p1"))
        const error2 = failure(yield* Effect.exit(run("extract", missing, ctxFor("p1")))) as Subtask.SubtaskError
        assert.include(error2.message, "name is missing")
      })
    ))

  it.effect("fails clearly when the tool table was not migrated", () =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const error = yield* Subtask.run(TestPlugin, "extract", fixed([]), ctxFor("p1")).pipe(
        Effect.flip,
        Effect.provide(Layer.mergeAll(State.layerMemory, Ipc.layerMemory(lines), Db.layerMemory))
      )
      assert.instanceOf(error, Subtask.SubtaskError)
      assert.include(error.message, `tool table ${itemTable} does not exist`)
    }))
})

describe("a state store outside the database (no checkpoint statement)", () => {
  it.effect("commits each batch and its checkpoint in one transaction, and completes the runs", () =>
    Effect.gen(function*() {
      yield* MigrationRunner.apply(migrations, { domainModels: [Thing, Other] })
      const stream = itemStream({ collect: () => Stream.fromIterable(items(5).map((d) => DataStream.raw(d))) })
      for (const verb of DataStream.verbs) yield* run(verb, stream, ctxFor("p1"), { batchSize: 2 })
      assert.deepStrictEqual(ids(yield* rawRows(rawItems)), allIds(5))
      assert.strictEqual((yield* query("SELECT id FROM test_things")).length, 5)
      const state = yield* State.State
      const convert = yield* state.latest({ subtask: "Convert Items", connectionId: 1, params: p1 })
      assert.isTrue(Option.isSome(convert) && convert.value.completed)
    }).pipe(
      Effect.provide(
        Layer.mergeAll(State.layerMemory, Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([])), Db.layerMemory)
      )
    ))
})

describe("convert", () => {
  const things = query(`SELECT id, name, _raw_data_params, _raw_data_table, _raw_data_id FROM test_things ORDER BY id`)

  const pipeline = (stream: DataStream.DataStream, scope = "p1", options: Subtask.RunOptions = {}) =>
    Effect.gen(function*() {
      for (const verb of DataStream.verbs) yield* run(verb, stream, ctxFor(scope), options)
    })

  it.effect("gives a domain row without id the tool row's domain id, and sets its raw-data origin", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = itemStream({ collect: () => Stream.fromIterable(items(2).map((d) => DataStream.raw(d))) })
        yield* pipeline(stream)
        const raw = yield* rawRows(rawItems)
        assert.deepStrictEqual(yield* things, [
          {
            id: "testfolder:Item:1:i0",
            name: "item 0",
            _raw_data_params: p1,
            _raw_data_table: rawItems,
            _raw_data_id: raw[0]!.id
          },
          {
            id: "testfolder:Item:1:i1",
            name: "item 1",
            _raw_data_params: p1,
            _raw_data_table: rawItems,
            _raw_data_id: raw[1]!.id
          }
        ])
      })
    ))

  it.effect("keeps an id the convertor set", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = itemStream({
          collect: () => Stream.fromIterable(items(2).map((d) => DataStream.raw(d))),
          convert: (item: Item) =>
            Effect.succeed([
              new Thing({ id: `custom:${item.id}`, name: item.name }),
              new Thing({ name: `${item.name} (default id)` })
            ])
        })
        yield* pipeline(stream)
        // Two rows of one tool row without an id share its domain id: the second wins (an upsert).
        assert.deepStrictEqual((yield* things).map((r) => [r["id"], r["name"]]), [
          ["custom:i0", "item 0"],
          ["custom:i1", "item 1"],
          ["testfolder:Item:1:i0", "item 0 (default id)"],
          ["testfolder:Item:1:i1", "item 1 (default id)"]
        ])
      })
    ))

  it.effect("a full convert deletes this scope's rows of this raw table only", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const db = yield* Db.Database
        yield* db.insertBatch("test_things", modelTable(Thing, "test_things").columns, [
          { id: "stale", name: "s", _raw_data_params: p1, _raw_data_table: rawItems },
          { id: "other-table", name: "t", _raw_data_params: p1, _raw_data_table: "_raw_testplugin_others" },
          { id: "other-scope", name: "u", _raw_data_params: p2, _raw_data_table: rawItems }
        ])
        const stream = itemStream({ collect: () => Stream.fromIterable(items(1).map((d) => DataStream.raw(d))) })
        yield* pipeline(stream)
        assert.deepStrictEqual((yield* things).map((r) => r["id"]), [
          "other-scope",
          "other-table",
          "testfolder:Item:1:i0"
        ])
      })
    ))

  it.effect("an incremental convert processes the tool rows extracted since the last run, re-extracted ones included", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const data = yield* Ref.make<ReadonlyArray<unknown>>(items(3))
        const converted = yield* Ref.make<ReadonlyArray<string>>([])
        const stream = itemStream({
          collect: () =>
            Stream.unwrap(Effect.map(Ref.get(data), (all) => Stream.fromIterable(all.map((d) => DataStream.raw(d))))),
          convert: (item: Item) =>
            Effect.as(Ref.update(converted, (all) => [...all, item.id]), [new Thing({ name: item.name })])
        })
        yield* pipeline(stream)
        yield* Ref.set(data, [{ id: "i1", name: "renamed" }, { id: "i9", name: "new" }])
        yield* Ref.set(converted, [])
        for (const verb of DataStream.verbs) yield* run(verb, stream, ctxFor("p1", { incremental: true }))
        assert.deepStrictEqual(yield* Ref.get(converted), ["i1", "i9"])
        assert.deepStrictEqual((yield* things).map((r) => r["name"]), ["item 0", "renamed", "item 2", "new"])
      })
    ))

  it.effect("fails when convert returns a model missing from domainModels, or not a domain model", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const undeclared = itemStream({
          collect: () => Stream.make(DataStream.raw({ id: "a", name: "A" })),
          convert: () => Effect.succeed([new Other({ label: "x" })])
        })
        yield* run("collect", undeclared, ctxFor("p1"))
        yield* run("extract", undeclared, ctxFor("p1"))
        const error = failure(yield* Effect.exit(run("convert", undeclared, ctxFor("p1")))) as Subtask.SubtaskError
        assert.instanceOf(error, Subtask.SubtaskError)
        assert.strictEqual(
          error.message,
          "Convert Items: convert returned a Other; add it to the stream's domainModels"
        )
        assert.deepStrictEqual(yield* query("SELECT id FROM test_others"), [])

        const notDomain = itemStream({
          collect: () => Stream.make(DataStream.raw({ id: "a", name: "A" })),
          convert: (item: Item) => Effect.succeed([item])
        })
        const error2 = failure(yield* Effect.exit(run("convert", notDomain, ctxFor("p1")))) as Subtask.SubtaskError
        assert.include(error2.message, "convert returned a Item, not a domain model")
      })
    ))

  it.effect("reports progress per batch as {current, total, increment}", () =>
    inHarness(({ lines }) =>
      Effect.gen(function*() {
        const stream = itemStream({ collect: () => Stream.fromIterable(items(5).map((d) => DataStream.raw(d))) })
        const progress = Effect.map(Ref.get(lines), (all) => all.map((l) => JSON.parse(l)))
        yield* run("collect", stream, ctxFor("p1"), { batchSize: 2 })
        assert.deepStrictEqual(yield* progress, [
          { current: 2, total: 0, increment: 2 },
          { current: 4, total: 0, increment: 2 },
          { current: 5, total: 0, increment: 1 }
        ])
        for (const verb of ["extract", "convert"] as const) {
          yield* Ref.set(lines, [])
          yield* run(verb, stream, ctxFor("p1"), { batchSize: 2 })
          assert.deepStrictEqual(yield* progress, [
            { current: 2, total: 5, increment: 2 },
            { current: 4, total: 5, increment: 2 },
            { current: 5, total: 5, increment: 1 }
          ], verb)
          // Every line is one JSON object with exactly these keys, in this order (what Go's decoder reads).
          assert.strictEqual((yield* Ref.get(lines))[0], "{\"current\":2,\"total\":5,\"increment\":2}")
        }
      })
    ))
})

describe("a plugin's extract or convert that throws", () => {
  const failing = (fail: (item: { id: string; name: string }) => unknown) =>
    itemStream({
      collect: () => Stream.fromIterable(items(3).map((d) => DataStream.raw(d))),
      convert: (item: Item) => item.id === "i1" ? fail(item) as never : Effect.succeed([new Thing({ name: item.name })])
    })

  it.effect("fails the subtask naming the record and the field, not the value", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const Length = Schema.Struct({ label: Schema.String.pipe(Schema.maxLength(3)) })
        const stream = failing((item) => Schema.decodeUnknownSync(Length)({ label: `${item.name} value-not-shown` }))
        yield* run("collect", stream, ctxFor("p1"))
        yield* run("extract", stream, ctxFor("p1"))
        const error = failure(yield* Effect.exit(run("convert", stream, ctxFor("p1")))) as Subtask.SubtaskError
        assert.instanceOf(error, Subtask.SubtaskError)
        assert.match(
          error.message,
          /^Convert Items: convert of tool row testfolder:Item:1:i1 of _tool_testfolder_items failed: label /
        )
        assert.notInclude(error.message, "value-not-shown")
      })
    ))

  it.effect("a thrown Error or a defect of the returned effect names the record and the error", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* run("collect", failing(() => undefined), ctxFor("p1"))
        yield* run("extract", failing(() => undefined), ctxFor("p1"))
        const thrown = failing(() => {
          throw new TypeError("cannot read properties of undefined")
        })
        const error = failure(yield* Effect.exit(run("convert", thrown, ctxFor("p1")))) as Subtask.SubtaskError
        assert.strictEqual(
          error.message,
          "Convert Items: convert of tool row testfolder:Item:1:i1 of _tool_testfolder_items failed: TypeError: cannot read properties of undefined"
        )
        const died = failing(() => Effect.die(new RangeError("out of range\nsecond line")))
        const error2 = failure(yield* Effect.exit(run("convert", died, ctxFor("p1")))) as Subtask.SubtaskError
        assert.match(error2.message, /tool row testfolder:Item:1:i1 .* failed: RangeError: out of range$/)
      })
    ))

  it.effect("a custom extract's throw names the raw row", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = itemStream({
          collect: () => Stream.fromIterable(items(2).map((d) => DataStream.raw(d))),
          extract: (d: { id: string }) => {
            if (d.id === "i1") throw new Error("unexpected shape")
            return Effect.succeed(new Item({ id: d.id, name: "n" }))
          }
        })
        yield* run("collect", stream, ctxFor("p1"))
        const error = failure(yield* Effect.exit(run("extract", stream, ctxFor("p1")))) as Subtask.SubtaskError
        assert.match(
          error.message,
          /^Extract Items: extract of raw row \d+ of _raw_testplugin_items failed: Error: unexpected shape$/
        )
      })
    ))
})

describe("raw rows another writer left", () => {
  it.effect("a raw row nested 20,000 deep fails extract in one line naming it, not with a stack overflow", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const stream = itemStream({ collect: () => Stream.fromIterable(items(2).map((d) => DataStream.raw(d))) })
        yield* run("collect", stream, ctxFor("p1"))
        const db = yield* Db.Database
        const deep = "[".repeat(20_000) + "]".repeat(20_000)
        yield* db.execute(`UPDATE ${rawItems} SET data = ? WHERE id = (SELECT MIN(id) FROM ${rawItems})`, [deep])
        const error = failure(yield* Effect.exit(run("extract", stream, ctxFor("p1")))) as Subtask.SubtaskError
        // V8's JSON.parse is not recursive: the row parses, and fails the model's decoding in one line.
        assert.strictEqual(
          error.message,
          "Extract Items: raw row 1 of _raw_testplugin_items does not fit Item: id is missing"
        )
      })
    ))
})

describe("batches of large records", () => {
  it.effect("are cut by batchBytes in every subtask, and every record is written once", () =>
    inHarness(({ lines }) =>
      Effect.gen(function*() {
        // Each record's JSON is about 3,000 characters; a batch may hold about 10,000.
        const big = Array.from(
          { length: 40 },
          (_, k) => ({ id: `i${String(k).padStart(2, "0")}`, name: "x".repeat(3000) })
        )
        const stream = itemStream({ collect: () => Stream.fromIterable(big.map((d) => DataStream.raw(d))) })
        const increments = Effect.map(Ref.get(lines), (all) => all.map((l) => JSON.parse(l).increment as number))
        const options = { batchSize: 100, batchBytes: 10_000 }

        yield* run("collect", stream, ctxFor("p1"), options)
        // A group closes once it weighs 10,000: four records each, the rest last.
        assert.deepStrictEqual(yield* increments, [...Array(10).fill(4)])

        for (const verb of ["extract", "convert"] as const) {
          yield* Ref.set(lines, [])
          yield* run(verb, stream, ctxFor("p1"), options)
          // Reads start with a page of 16 rows (their size unknown), then fit the budget: 3 rows of ~3,000.
          const seen = yield* increments
          assert.strictEqual(seen[0], 16, verb)
          assert.isTrue(seen.slice(1).every((n) => n <= 4), `${verb}: ${seen}`)
          assert.strictEqual(seen.reduce((a, b) => a + b, 0), 40, verb)
        }
        const [tool] = yield* query(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM ${itemTable}`)
        assert.deepStrictEqual([Number(tool!["n"]), Number(tool!["ids"])], [40, 40])
        const [things] = yield* query("SELECT COUNT(*) AS n FROM test_things")
        assert.strictEqual(Number(things!["n"]), 40)
      })
    ))

  it.effect("a failed collect still writes the records it received before the failure", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const big = Array.from({ length: 6 }, (_, k) => ({ id: `i${k}`, name: "x".repeat(3000) }))
        const stream = itemStream({
          collect: () =>
            Stream.concat(Stream.fromIterable(big.map((d) => DataStream.raw(d))), Stream.fail(new Error("API down")))
        })
        const exit = yield* Effect.exit(run("collect", stream, ctxFor("p1"), { batchSize: 100, batchBytes: 10_000 }))
        assert.isTrue(Exit.isFailure(exit))
        // One full group of four, then the two received before the failure.
        assert.strictEqual((yield* rawRows(rawItems)).length, 6)
      })
    ))
})

describe("extract and convert: resuming", () => {
  for (const verb of ["extract", "convert"] as const) {
    it.effect(`an interrupted ${verb} continues after its last committed batch`, () =>
      inHarness(() =>
        Effect.gen(function*() {
          const seen = yield* Ref.make<ReadonlyArray<string>>([])
          const stream = itemStream({
            collect: () => Stream.fromIterable(items(7).map((d) => DataStream.raw(d))),
            extract: (d: { id: string; name: string }) =>
              Effect.as(verb === "extract" ? Ref.update(seen, (all) => [...all, d.id]) : Effect.void, new Item(d)),
            convert: (item: Item) =>
              Effect.as(verb === "convert" ? Ref.update(seen, (all) => [...all, item.id]) : Effect.void, [
                new Thing({ name: item.name })
              ])
          })
          yield* run("collect", stream, ctxFor("p1"))
          if (verb === "convert") yield* run("extract", stream, ctxFor("p1"))
          const failing = yield* failingCheckpoint(2)
          const exit = yield* Effect.exit(
            run(verb, stream, ctxFor("p1"), { batchSize: 3 }).pipe(Effect.provideService(State.State, failing))
          )
          assert.isTrue(Exit.isFailure(exit))
          const written = verb === "extract"
            ? query(`SELECT id FROM ${itemTable} ORDER BY id`)
            : query("SELECT name AS id FROM test_things ORDER BY id")
          assert.strictEqual((yield* written).length, 3)
          yield* Ref.set(seen, [])
          yield* run(verb, stream, ctxFor("p1", { incremental: true }), { batchSize: 3 })
          assert.deepStrictEqual(yield* Ref.get(seen), allIds(7).slice(3))
          assert.strictEqual((yield* written).length, 7)
        })
      ))
  }
})

describe("shouldRunOn", () => {
  it.effect("a stream that does not apply to the scope writes nothing and logs the skip", () =>
    inHarness(({ lines, logs }) =>
      Effect.gen(function*() {
        const stream = itemStream({
          collect: () => Stream.die("must not be called"),
          convert: () => Effect.die("must not be called"),
          shouldRunOn: (scope: { id: string }) => scope.id !== "p1"
        })
        for (const verb of DataStream.verbs) yield* run(verb, stream, ctxFor("p1"))
        const db = yield* Db.Database
        assert.isFalse(yield* db.tableExists(rawItems))
        assert.strictEqual(yield* db.countWhere(State.table.name, {}), 0)
        assert.deepStrictEqual(yield* Ref.get(lines), [])
        const skips = (yield* Ref.get(logs)).filter((l) => l.includes("skipped"))
        assert.deepStrictEqual(skips, [
          "INFO: Collect Items: skipped, the stream does not apply to scope p1",
          "INFO: Extract Items: skipped, the stream does not apply to scope p1",
          "INFO: Convert Items: skipped, the stream does not apply to scope p1"
        ])
        // The same stream runs for another scope.
        assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", stream, ctxFor("p2")))))
      })
    ))
})

// The same runner against a SQLite file (batches written by the writer thread), MySQL/MariaDB and
// PostgreSQL, each test in a database of its own.
for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(
    `subtasks on ${database.name}${database.name === "sqlite" ? " (file)" : ""}`,
    () => {
      const onServer = <A, E>(body: Parameters<typeof inHarness<A, E>>[0]) =>
        Effect.acquireUseRelease(
          Effect.promise(() => isolatedDatabase(database, "subtask")),
          (isolated) => inHarness(body, { db: Db.layer(isolated.url) }),
          (isolated) => Effect.promise(() => isolated.drop())
        )

      it.live("collect, extract and convert a scope whose id needs escaping, with non-ASCII data", () =>
        onServer(() =>
          Effect.gen(function*() {
            const scopeId = "a<b&c>d ü"
            const params = "{\"ConnectionId\":1,\"ScopeId\":\"a\\u003cb\\u0026c\\u003ed ü\"}"
            const data = [
              { id: "ü1", name: "é ü 🚀", started_at: "2023-01-10T11:00:00.123Z", team: { name: "core" } },
              { id: "x2", name: "\"quoted\" \\ back" }
            ]
            const stream = itemStream({
              collect: () =>
                Stream.fromIterable(
                  data.map((d, i) => DataStream.raw(d, { url: `https://api.test/${i}`, input: { i } }))
                )
            })
            for (const verb of DataStream.verbs) yield* run(verb, stream, ctxFor(scopeId), { batchSize: 1 })
            const raw = yield* rawRows(rawItems)
            assert.deepStrictEqual(raw.map((r) => [r.params, r.data, r.url, r.input]), [
              [params, data[0], "https://api.test/0", { i: 0 }],
              [params, data[1], "https://api.test/1", { i: 1 }]
            ])
            const tools = yield* query(
              `SELECT id, name, team, started_at, _raw_data_id, _raw_data_params FROM ${itemTable} ORDER BY _raw_data_id`
            )
            assert.deepStrictEqual(
              tools.map((r) => [r["id"], r["name"], r["team"], Number(r["_raw_data_id"]), r["_raw_data_params"]]),
              [["ü1", "é ü 🚀", "core", raw[0]!.id, params], ["x2", "\"quoted\" \\ back", null, raw[1]!.id, params]]
            )
            assert.strictEqual(
              new Date(tools[0]!["started_at"] as string | Date).toISOString(),
              "2023-01-10T11:00:00.123Z"
            )
            const domain = yield* query("SELECT id, name, _raw_data_table FROM test_things ORDER BY name")
            assert.deepStrictEqual(domain.map((r) => [r["id"], r["name"], r["_raw_data_table"]]), [
              ["testfolder:Item:1:x2", "\"quoted\" \\ back", rawItems],
              ["testfolder:Item:1:ü1", "é ü 🚀", rawItems]
            ])
          })
        ))

      it.live("a batch whose transaction fails is rolled back; the rerun continues exactly once", () =>
        onServer(() =>
          Effect.gen(function*() {
            const { failAfter, seen, stream } = yield* failedBatchThenRerun
            // Incremental extract and convert after a second incremental collect.
            yield* run("extract", stream, ctxFor("p1"), { batchSize: 4 })
            yield* run("convert", stream, ctxFor("p1"), { batchSize: 4 })
            const more = resumable(12, failAfter, seen)
            yield* run("collect", more, ctxFor("p1", { incremental: true }))
            yield* run("extract", more, ctxFor("p1", { incremental: true }))
            yield* run("convert", more, ctxFor("p1", { incremental: true }))
            const names = yield* query("SELECT name FROM test_things ORDER BY id")
            assert.deepStrictEqual(names.map((r) => r["name"]).sort(), items(12).map((d) => d.name).sort())
          })
        ))

      it.live("a substream collected concurrently resumes at its failed parent", () =>
        onServer(() =>
          Effect.gen(function*() {
            yield* run("collect", parents, ctxFor("p1"))
            yield* run("extract", parents, ctxFor("p1"))
            const calls = yield* Ref.make<ReadonlyArray<readonly [string, unknown]>>([])
            const failAt = yield* Ref.make<readonly [string, number] | undefined>(["i2", 1])
            const notes = noteStream({ calls, failAt, withState: true })
            assert.isTrue(Exit.isFailure(yield* Effect.exit(run("collect", notes, ctxFor("p1"), { batchSize: 2 }))))
            yield* Ref.set(failAt, undefined)
            yield* Ref.set(calls, [])
            yield* run("collect", notes, ctxFor("p1", { incremental: true }), { batchSize: 2 })
            assert.deepStrictEqual(notesOf(yield* rawRows("_raw_testplugin_notes")), allNotes)
            assert.deepStrictEqual(yield* Ref.get(calls), [["i2", { next: 1 }], ["i3", undefined]])
          })
        ))
    }
  )
}
