import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Db from "../../src/Db.js"
import * as State from "../../src/State.js"
import { isolatedDatabase, type TestDatabase, testDatabases } from "../utils/databases.js"

const key: State.RunKey = {
  subtask: "Collect Users",
  connectionId: 1,
  params: "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"
}
const otherScope: State.RunKey = { ...key, params: "{\"ConnectionId\":1,\"ScopeId\":\"p2\"}" }
const otherConnection: State.RunKey = { ...key, connectionId: 2 }
const otherSubtask: State.RunKey = { ...key, subtask: "Collect Teams" }

type Provide = <A, E>(self: Effect.Effect<A, E, State.State>) => Effect.Effect<A, unknown>

const provider = (layer: Layer.Layer<State.State, unknown>): Provide => (self) => Effect.provide(self, layer)

// On MySQL/PostgreSQL each test gets a database of its own (the table name is fixed).
const onServer = (database: TestDatabase): Provide => (self) =>
  Effect.acquireUseRelease(
    Effect.promise(() => isolatedDatabase(database, "state")),
    (isolated) => Effect.provide(self, State.layerSql.pipe(Layer.provide(Db.layer(isolated.url)))),
    (isolated) => Effect.promise(() => isolated.drop())
  )

const stores: ReadonlyArray<readonly [string, Provide, string | undefined]> = [
  ["layerSql on SQLite", provider(State.layerSql.pipe(Layer.provide(Db.layerMemory))), undefined],
  ["layerMemory", provider(State.layerMemory), undefined],
  ...(await testDatabases()).filter((d) => d.name !== "sqlite").map((d) =>
    [`layerSql on ${d.name}`, onServer(d), d.skip] as const
  )
]

for (const [name, layer, skip] of stores) {
  describe.skipIf(skip !== undefined)(`State.${name}`, () => {
    it.live("has no state before a run checkpoints, nor for a run that only started", () =>
      Effect.gen(function*() {
        const state = yield* State.State
        assert.isTrue(Option.isNone(yield* state.latest(key)))
        yield* state.start(key)
        assert.isTrue(Option.isNone(yield* state.latest(key)))
      }).pipe(layer))

    it.live("returns the latest checkpoint, then the completed state", () =>
      Effect.gen(function*() {
        const state = yield* State.State
        const run = yield* state.start(key)
        yield* state.checkpoint(run, { page: 2, cursor: "a\"b" })
        assert.deepStrictEqual(
          yield* state.latest(key),
          Option.some({ state: { page: 2, cursor: "a\"b" }, completed: false })
        )
        yield* state.checkpoint(run, { page: 3 })
        assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: { page: 3 }, completed: false }))
        yield* state.complete(run, { page: 4, done: [1, null] })
        assert.deepStrictEqual(
          yield* state.latest(key),
          Option.some({ state: { page: 4, done: [1, null] }, completed: true })
        )
      }).pipe(layer))

    it.live("a newer run shows only once it checkpoints; then it is the latest, not completed", () =>
      Effect.gen(function*() {
        const state = yield* State.State
        const first = yield* state.start(key)
        yield* state.complete(first, { n: 1 })
        const second = yield* state.start(key)
        assert.notStrictEqual(second, first)
        assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: { n: 1 }, completed: true }))
        yield* state.checkpoint(second, { n: 2 })
        assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: { n: 2 }, completed: false }))
        yield* state.complete(second, { n: 3 })
        assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: { n: 3 }, completed: true }))
      }).pipe(layer))

    it.live("keeps runs apart by scope params, connection and subtask", () =>
      Effect.gen(function*() {
        const state = yield* State.State
        const runs = yield* Effect.forEach([key, otherScope, otherConnection, otherSubtask], (k) => state.start(k))
        yield* Effect.forEach(runs, (run, i) => state.checkpoint(run, { i }))
        yield* state.complete(runs[1]!, { i: 10 })
        assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: { i: 0 }, completed: false }))
        assert.deepStrictEqual(yield* state.latest(otherScope), Option.some({ state: { i: 10 }, completed: true }))
        assert.deepStrictEqual(yield* state.latest(otherConnection), Option.some({ state: { i: 2 }, completed: false }))
        assert.deepStrictEqual(yield* state.latest(otherSubtask), Option.some({ state: { i: 3 }, completed: false }))
        assert.isTrue(Option.isNone(yield* state.latest({ ...key, params: "{\"ConnectionId\":1,\"ScopeId\":\"p3\"}" })))
      }).pipe(layer))

    it.live("a null state is a state", () =>
      Effect.gen(function*() {
        const state = yield* State.State
        const run = yield* state.start(key)
        yield* state.complete(run, null)
        assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: null, completed: true }))
      }).pipe(layer))
  })
}

describe("State.layerSql", () => {
  it.effect("stores one row per run in _pydevlake_subtask_runs, with JSON state and a completion time", () =>
    Effect.gen(function*() {
      const state = yield* State.State
      const db = yield* Db.Database
      const run = yield* state.start(key)
      yield* state.checkpoint(run, { page: 2 })
      const [pending] = yield* db.execute(
        "SELECT subtask_name, connection_id, params, state, started, completed FROM _pydevlake_subtask_runs"
      )
      assert.strictEqual(pending!["subtask_name"], "Collect Users")
      assert.strictEqual(pending!["connection_id"], 1)
      assert.strictEqual(pending!["params"], key.params)
      assert.strictEqual(pending!["state"], "{\"page\":2}")
      assert.isNotNull(pending!["started"])
      assert.isNull(pending!["completed"])
      yield* state.complete(run, { page: 3 })
      const [done] = yield* db.execute("SELECT state, completed FROM _pydevlake_subtask_runs")
      assert.strictEqual(done!["state"], "{\"page\":3}")
      assert.isNotNull(done!["completed"])
    }).pipe(Effect.provide(State.layerSql.pipe(Layer.provideMerge(Db.layerMemory)))))

  it.effect("adds params to a table pydevlake created, whose rows then belong to no scope", () =>
    Effect.gen(function*() {
      const db = yield* Db.Database
      yield* db.createTableIfNotExists({
        name: State.table.name,
        columns: State.table.columns.filter((c) => c.name !== "params")
      })
      yield* db.execute(
        "INSERT INTO _pydevlake_subtask_runs (subtask_name, connection_id, started, state) VALUES ('Collect Users', 1, '2024-01-01 00:00:00', '{\"old\":true}')"
      )
      const state = yield* Effect.provide(State.State, State.layerSql)
      assert.include((yield* db.columnsOf(State.table.name)).map((c) => c.name), "params")
      assert.isTrue(Option.isNone(yield* state.latest(key)))
      const run = yield* state.start(key)
      yield* state.checkpoint(run, { fresh: true })
      assert.deepStrictEqual(yield* state.latest(key), Option.some({ state: { fresh: true }, completed: false }))
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("ignores a state that is not JSON", () =>
    Effect.gen(function*() {
      const state = yield* State.State
      const db = yield* Db.Database
      const run = yield* state.start(key)
      yield* db.execute("UPDATE _pydevlake_subtask_runs SET state = ? WHERE id = ?", ["{not json", run])
      assert.isTrue(Option.isNone(yield* state.latest(key)))
    }).pipe(Effect.provide(State.layerSql.pipe(Layer.provideMerge(Db.layerMemory)))))
})
