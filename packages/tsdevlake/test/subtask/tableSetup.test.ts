// A field added to a tool model after the release of the script that created its table
// (`Migration.createTable(Task)` reads the class as it is now, so no definition check sees it): every subtask
// names the missing column and the migration that adds it, before it reads a row or calls the API.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Ref, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Ipc from "../../src/Ipc.js"
import * as Migration from "../../src/Migration.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import * as State from "../../src/State.js"
import * as Subtask from "../../src/Subtask.js"
import { isolatedDatabase, testDatabases } from "../utils/databases.js"

class Conn extends Model.Connection<Conn>("Conn")({}) {}
class Project extends Model.ToolScope<Project>("Project")({}) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}
class Thing extends Model.DomainModel<Thing>("Thing", { table: "acme_things" })({ title: Schema.String }) {}

// The class as it was when the first script was released, and as it is now.
class TaskV1 extends Model.ToolModel<TaskV1>("Task")({
  id: Schema.Int.pipe(Model.primaryKey),
  title: Schema.String
}) {}
class Task extends Model.ToolModel<Task>("Task")({
  id: Schema.Int.pipe(Model.primaryKey),
  title: Schema.String,
  priority: Schema.optional(Schema.Int)
}) {}

const pluginOf = (model: typeof TaskV1 | typeof Task, calls: Ref.Ref<number>) => {
  const tasks = DataStream.make({
    name: "tasks",
    toolModel: model,
    domainTypes: ["TICKET"],
    domainModels: [Thing],
    // The API: counts its calls, which a stale table must prevent.
    collect: () =>
      Stream.fromEffect(Effect.as(Ref.update(calls, (n) => n + 1), DataStream.raw({ id: 1, title: "one" }))),
    convert: () => Effect.succeed([])
  })
  const plugin = Plugin.make({
    name: "acme",
    connection: Conn,
    scope: Project,
    scopeConfig: Config,
    streams: [tasks],
    // The same released script, read from the class of its day.
    migrations: [Migration.script({
      version: 20240101000001,
      name: "init schemas",
      operations: [Conn, Project, Config, model].map((m) => Migration.createTable(m))
    })],
    testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
    remoteScopeGroups: () => Effect.succeed([]),
    remoteScopes: () => Effect.succeed([]),
    domainScopes: () => []
  })
  return { plugin, tasks }
}

const expected = "model Task: field priority has no column in _tool_acme_tasks (the table was created before the " +
  "field existed): add a new migration script with Migration.addColumn(Task, \"priority\", \"bigint\")"

const services = (db: Layer.Layer<Db.Database, unknown>) =>
  Layer.mergeAll(State.layerSql, Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([]))).pipe(
    Layer.provideMerge(db)
  )

const staleTable = Effect.gen(function*() {
  const calls = yield* Ref.make(0)
  const old = pluginOf(TaskV1, calls)
  yield* MigrationRunner.apply(old.plugin.migrations, { domainModels: [Thing] })
  const now = pluginOf(Task, calls)
  const report = yield* MigrationRunner.apply(now.plugin.migrations, { domainModels: [Thing] })
  assert.deepStrictEqual([report.applied.length, report.skipped.length], [0, 1])
  const ctx = Subtask.taskContext(now.plugin, {
    connection: new Conn({ id: 1, name: "c" }),
    scope: new Project({ id: "p1", name: "p1", connectionId: 1 }),
    scopeConfig: new Config({}),
    options: {}
  })
  const runOf = (verb: DataStream.Verb) => Subtask.run(now.plugin, verb, now.tasks, ctx)
  return { calls, runOf }
})

const failsBeforeAnything = Effect.gen(function*() {
  const { calls, runOf } = yield* staleTable
  for (const verb of DataStream.verbs) {
    const error = yield* Effect.flip(runOf(verb))
    assert.instanceOf(error, Subtask.SubtaskError)
    assert.strictEqual(error.message, `${verb[0]!.toUpperCase()}${verb.slice(1)} Tasks: ${expected}`)
  }
  assert.strictEqual(yield* Ref.get(calls), 0, "collect called the API")
})

describe("a table created before a field of its model existed", () => {
  it.effect("fails collect, extract and convert in one line naming the model, field, table and fix", () =>
    failsBeforeAnything.pipe(Effect.provide(services(Db.layerMemory))))

  it.effect("runs once a new script adds the column", () =>
    Effect.gen(function*() {
      const { calls, runOf } = yield* staleTable
      const addPriority = Migration.script({
        version: 20240101000002,
        name: "task priority",
        operations: [Migration.addColumn("_tool_acme_tasks", "priority", "bigint")]
      })
      yield* MigrationRunner.apply([addPriority])
      for (const verb of DataStream.verbs) yield* runOf(verb)
      assert.strictEqual(yield* Ref.get(calls), 1)
    }).pipe(Effect.provide(services(Db.layerMemory))))

  it.effect("names a domain table that lacks a column of the framework's domain model", () =>
    Effect.gen(function*() {
      const { runOf } = yield* staleTable
      const db = yield* Db.Database
      yield* db.execute("ALTER TABLE _tool_acme_tasks ADD priority bigint")
      yield* db.dropTableIfExists("acme_things")
      yield* db.execute("CREATE TABLE acme_things (id varchar(255) PRIMARY KEY, title text)")
      const error = yield* Effect.flip(runOf("convert"))
      assert.strictEqual(
        error.message,
        "Convert Tasks: domain model Thing: field rawDataParams has no column _raw_data_params in acme_things (the " +
          "table is DevLake's, older than the framework's domain models): upgrade DevLake, or locally drop the " +
          "table and run.sh migrate again"
      )
    }).pipe(Effect.provide(services(Db.layerMemory))))
})

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`a stale tool table on ${database.name}`, () => {
    it.live("fails every subtask before it calls the API, naming the column", () =>
      Effect.acquireUseRelease(
        Effect.promise(() => isolatedDatabase(database, "drift")),
        (isolated) => failsBeforeAnything.pipe(Effect.provide(services(Db.layer(isolated.url)))),
        (isolated) => Effect.promise(() => isolated.drop())
      ))
  })
}
