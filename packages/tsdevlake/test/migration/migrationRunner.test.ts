import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import * as Db from "../../src/Db.js"
import * as Migration from "../../src/Migration.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as ModelInfo from "../../src/ModelInfo.js"
import { Item, Note, TConnection, Thing } from "../fixtures/subtaskPlugin.js"
import { entityColumns } from "../utils/columns.js"
import { isolatedDatabase, testDatabases } from "../utils/databases.js"

const columnsOf = (table: string) => Effect.flatMap(Db.Database, (db) => db.columnsOf(table))
const names = (table: string) => Effect.map(columnsOf(table), (cs) => cs.map((c) => c.name))
const exec = (statement: string) => Effect.flatMap(Db.Database, (db) => db.execute(statement))

const noPK = ["created_at", "updated_at", "_raw_data_params", "_raw_data_table", "_raw_data_id", "_raw_data_remark"]

const spec = (jsonSchema: object, table = "t") =>
  Either.getOrThrow(MigrationRunner.tableSpecOf({ table_name: table, json_schema: jsonSchema }))
const column = (s: Db.TableSpec, name: string) => s.columns.find((c) => c.name === name)!

// The widgets tool table after the `change` script: `_raw_data_remark` dropped, `color` added.
const widgetColumnsAfterChange = [
  "created_at",
  "updated_at",
  "_raw_data_params",
  "_raw_data_table",
  "_raw_data_id",
  "connection_id",
  "id",
  "width",
  "color"
]

describe("MigrationRunner.tableSpecOf", () => {
  it("puts common.NoPKModel's columns first, then one column per property", () => {
    const s = Either.getOrThrow(MigrationRunner.tableSpecOf(ModelInfo.make(Item, { tableName: "_tool_x_items" })))
    assert.strictEqual(s.name, "_tool_x_items")
    assert.deepStrictEqual(s.columns.map((c) => c.name), [...noPK, "connection_id", "id", "name", "started_at", "team"])
    assert.deepStrictEqual(column(s, "_raw_data_id").type, "unsignedInteger")
    assert.deepStrictEqual(column(s, "started_at").type, "datetime")
  })

  it("auto-increments a connection's integer id", () => {
    const s = Either.getOrThrow(
      MigrationRunner.tableSpecOf(ModelInfo.make(TConnection, { tableName: "_tool_x_connections" }))
    )
    assert.deepStrictEqual(column(s, "id"), {
      name: "id",
      type: "integer",
      primaryKey: true,
      autoIncrement: true,
      nullable: false
    })
    assert.strictEqual(column(s, "name").maxLength, 100)
  })

  it("does not auto-increment the keys of a tool table with a composite key", () => {
    const s = Either.getOrThrow(MigrationRunner.tableSpecOf(ModelInfo.make(Note, { tableName: "_tool_x_notes" })))
    const keys = s.columns.filter((c) => c.primaryKey)
    assert.deepStrictEqual(keys.map((c) => [c.name, c.autoIncrement]), [["connection_id", false], ["item_id", false], [
      "n",
      false
    ]])
    assert.strictEqual(column(s, "item_id").maxLength, 255)
  })

  it("follows gorm's prioritized primary key when autoIncrement is not given (as pydevlake's schemas)", () => {
    const int = { type: "integer", primaryKey: true }
    // A lone integer key, or the one named id, auto-increments.
    assert.isTrue(
      column(spec({ type: "object", properties: { key: int, label: { type: "string" } } }), "key").autoIncrement
    )
    const withId = spec({ type: "object", properties: { connectionId: int, id: int } })
    assert.deepStrictEqual([column(withId, "connection_id").autoIncrement, column(withId, "id").autoIncrement], [
      false,
      true
    ])
    // Several keys without id: none; a string id: not an integer.
    const composite = spec({ type: "object", properties: { a: int, b: int } })
    assert.deepStrictEqual(composite.columns.filter((c) => c.autoIncrement).map((c) => c.name), [])
    assert.isFalse(
      column(spec({ type: "object", properties: { id: { type: "string", primaryKey: true } } }), "id").autoIncrement
    )
    // An explicit autoIncrement wins.
    assert.isFalse(
      column(spec({ type: "object", properties: { id: { ...int, autoIncrement: false } } }), "id").autoIncrement
    )
  })

  it("gives a string key without maxLength varchar(255), a long string text", () => {
    const s = spec({
      type: "object",
      properties: {
        id: { type: "string", primaryKey: true },
        body: { type: "string" },
        short: { type: "string", maxLength: 10 }
      }
    })
    assert.strictEqual(column(s, "id").maxLength, 255)
    assert.isUndefined(column(s, "body").maxLength)
    assert.strictEqual(column(s, "short").maxLength, 10)
  })

  it("refuses a schema Go could not convert", () => {
    const result = MigrationRunner.tableSpecOf({
      table_name: "bad",
      json_schema: { type: "object", properties: { x: { type: "null" } } }
    })
    assert.isTrue(Either.isLeft(result))
    assert.include(Either.getLeft(result).pipe((o) => o._tag === "Some" ? o.value : ""), "bad: x")
  })
})

class Widget extends Model.ToolModel<Widget>("Widget")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  size: Schema.Int
}) {}

const init = Migration.script({
  version: 20260101000001,
  name: "init",
  operations: [Migration.createTable(Widget, { tableName: "widgets" })]
})

describe("MigrationRunner.apply", () => {
  it.effect("applies each script once and records it in DevLake's history", () =>
    Effect.gen(function*() {
      const second = Migration.script({
        version: 20260101000002,
        name: "add color",
        operations: [Migration.addColumn("widgets", "color", "varchar(20)")]
      })
      const first = yield* MigrationRunner.apply([init, second], { comment: "testplugin" })
      assert.deepStrictEqual(first, {
        applied: ["init:20260101000001", "add color:20260101000002"],
        skipped: [],
        domainTables: []
      })
      const again = yield* MigrationRunner.apply([init, second], { comment: "testplugin" })
      assert.deepStrictEqual(again, {
        applied: [],
        skipped: ["init:20260101000001", "add color:20260101000002"],
        domainTables: []
      })
      const history = yield* exec(
        "SELECT script_version, script_name, comment FROM _devlake_migration_history ORDER BY script_version"
      )
      assert.deepStrictEqual(history, [
        { script_version: 20260101000001, script_name: "init", comment: "testplugin" },
        { script_version: 20260101000002, script_name: "add color", comment: "testplugin" }
      ])
      assert.deepStrictEqual(yield* names("widgets"), [...noPK, "connection_id", "id", "size", "color"])
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("runs scripts in version order whatever the list order, and a new script later", () =>
    Effect.gen(function*() {
      const rename = Migration.script({
        version: 20260101000002,
        name: "rename",
        operations: [Migration.renameTable("widgets", "gadgets")]
      })
      const report = yield* MigrationRunner.apply([rename, init])
      assert.deepStrictEqual(report.applied, ["init:20260101000001", "rename:20260101000002"])
      const db = yield* Db.Database
      assert.isTrue(yield* db.tableExists("gadgets"))
      assert.isFalse(yield* db.tableExists("widgets"))
      const drop = Migration.script({
        version: 20260101000003,
        name: "drop",
        operations: [Migration.dropTable("gadgets")]
      })
      const later = yield* MigrationRunner.apply([init, rename, drop])
      assert.deepStrictEqual(later.applied, ["drop:20260101000003"])
      assert.isFalse(yield* db.tableExists("gadgets"))
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("execute: SQLite runs only statements without a dialect", () =>
    Effect.gen(function*() {
      const script = Migration.script({
        version: 20260101000002,
        name: "data",
        operations: [
          Migration.execute("INSERT INTO widgets (connection_id, id, size) VALUES (1, 'w1', 1)"),
          Migration.execute("THIS IS NOT SQL FOR MYSQL", { dialect: "mysql" }),
          Migration.execute("THIS IS NOT SQL FOR POSTGRES", { dialect: "postgres" }),
          Migration.execute("UPDATE widgets SET size = size + 1")
        ]
      })
      yield* MigrationRunner.apply([init, script])
      assert.deepStrictEqual(yield* exec("SELECT id, size FROM widgets"), [{ id: "w1", size: 2 }])
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("execute: a failing statement fails the script, which is not recorded, unless ignoreError", () =>
    Effect.gen(function*() {
      const broken = Migration.script({
        version: 20260101000002,
        name: "broken",
        operations: [Migration.execute("SELECT * FROM no_such_table")]
      })
      const error = yield* Effect.flip(MigrationRunner.apply([init, broken]))
      assert.instanceOf(error, MigrationRunner.MigrationRunnerError)
      assert.include(error.message, "migration broken:20260101000002: execute:")
      assert.include(error.message, "no_such_table")
      const history = yield* exec("SELECT script_name FROM _devlake_migration_history")
      assert.deepStrictEqual(history, [{ script_name: "init" }])
      const tolerant = Migration.script({
        version: 20260101000002,
        name: "broken",
        operations: [Migration.execute("SELECT * FROM no_such_table", { ignoreError: true })]
      })
      assert.deepStrictEqual((yield* MigrationRunner.apply([init, tolerant])).applied, ["broken:20260101000002"])
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("add_column, rename_column, drop_column and drop_table", () =>
    Effect.gen(function*() {
      const db = yield* Db.Database
      const change = Migration.script({
        version: 20260101000002,
        name: "change",
        operations: [
          Migration.addColumn("widgets", "color", "varchar(20)"),
          Migration.addColumn("widgets", "color", "varchar(20)"),
          Migration.renameColumn("widgets", "size", "width"),
          Migration.renameColumn("widgets", "no_such_column", "whatever"),
          Migration.dropColumn("widgets", "_raw_data_remark"),
          Migration.execute("CREATE TABLE scratch (x INTEGER)"),
          Migration.dropTable("scratch"),
          Migration.dropTable("never_existed")
        ]
      })
      yield* MigrationRunner.apply([init, change])
      assert.deepStrictEqual(yield* names("widgets"), widgetColumnsAfterChange)
      const color = (yield* columnsOf("widgets")).find((c) => c.name === "color")!
      assert.strictEqual(color.type.toLowerCase(), "varchar(20)")
      assert.isFalse(yield* db.tableExists("scratch"))
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("creates tables with the key and auto-increment of tableSpecOf", () =>
    Effect.gen(function*() {
      const script = Migration.script({
        version: 20260101000001,
        name: "init",
        operations: [
          Migration.createTable(TConnection, { tableName: "conns" }),
          Migration.createTable(Note, { tableName: "notes" })
        ]
      })
      yield* MigrationRunner.apply([script])
      const conns = yield* columnsOf("conns")
      assert.deepStrictEqual(conns.filter((c) => c.primaryKey).map((c) => c.name), ["id"])
      yield* exec("INSERT INTO conns (name) VALUES ('a')")
      yield* exec("INSERT INTO conns (name) VALUES ('b')")
      assert.deepStrictEqual(yield* exec("SELECT id, name FROM conns ORDER BY id"), [{ id: 1, name: "a" }, {
        id: 2,
        name: "b"
      }])
      const notes = yield* columnsOf("notes")
      assert.deepStrictEqual(notes.filter((c) => c.primaryKey).map((c) => c.name), ["connection_id", "item_id", "n"])
      const indexes = yield* exec(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notes' AND sql IS NOT NULL"
      )
      assert.deepStrictEqual(indexes, [{ name: "idx_notes__raw_data_params" }])
    }).pipe(Effect.provide(Db.layerMemory)))

  it.effect("creates the domain tables once, with the domain model's columns", () =>
    Effect.gen(function*() {
      const first = yield* MigrationRunner.apply([], { domainModels: [Thing] })
      assert.deepStrictEqual(first.domainTables, ["test_things"])
      assert.deepStrictEqual(yield* names("test_things"), [...entityColumns, "name"])
      assert.deepStrictEqual((yield* columnsOf("test_things")).filter((c) => c.primaryKey).map((c) => c.name), ["id"])
      const second = yield* MigrationRunner.apply([], { domainModels: [Thing] })
      assert.deepStrictEqual(second.domainTables, [])
    }).pipe(Effect.provide(Db.layerMemory)))

  it("domainTableSpec refuses a model without a table name", () => {
    assert.throws(() => MigrationRunner.domainTableSpec(Widget), /Widget has no table name/)
  })
})

for (const database of (await testDatabases()).filter((d) => d.name !== "sqlite")) {
  describe.skipIf(database.skip !== undefined)(`MigrationRunner.apply on ${database.name}`, () => {
    it.live("runs the statements of its dialect, changes columns, and applies each script once", () =>
      Effect.acquireUseRelease(
        Effect.promise(() => isolatedDatabase(database, "migrator")),
        (isolated) =>
          Effect.gen(function*() {
            const other = database.name === "mysql" ? "postgres" : "mysql"
            const change = Migration.script({
              version: 20260101000002,
              name: "change",
              operations: [
                Migration.execute("INSERT INTO widgets (connection_id, id, size) VALUES (1, 'w1', 1)"),
                Migration.execute("UPDATE widgets SET size = 10", { dialect: database.name as Migration.Dialect }),
                Migration.execute("THIS IS NOT SQL", { dialect: other }),
                Migration.addColumn("widgets", "color", "varchar(20)"),
                Migration.renameColumn("widgets", "size", "width"),
                Migration.dropColumn("widgets", "_raw_data_remark")
              ]
            })
            const first = yield* MigrationRunner.apply([init, change], { domainModels: [Thing] })
            assert.deepStrictEqual(first, {
              applied: ["init:20260101000001", "change:20260101000002"],
              skipped: [],
              domainTables: ["test_things"]
            })
            const again = yield* MigrationRunner.apply([init, change], { domainModels: [Thing] })
            assert.deepStrictEqual(again.applied, [])
            assert.deepStrictEqual(
              (yield* exec("SELECT id, width FROM widgets")).map((r) => [r["id"], Number(r["width"])]),
              [["w1", 10]]
            )
            assert.deepStrictEqual(yield* names("widgets"), widgetColumnsAfterChange)
            const history = yield* exec("SELECT script_name FROM _devlake_migration_history ORDER BY script_version")
            assert.deepStrictEqual(history.map((r) => r["script_name"]), ["init", "change"])
          }).pipe(Effect.provide(Db.layer(isolated.url))),
        (isolated) => Effect.promise(() => isolated.drop())
      ))
  })
}

describe("error identifiers", () => {
  it("follow tsdevlake/<PublicModule>/<Error>, the _tag named for the error", () => {
    const { MigrationRunnerError } = MigrationRunner
    assert.strictEqual(MigrationRunnerError.identifier, "tsdevlake/MigrationRunner/MigrationRunnerError")
    assert.strictEqual(new MigrationRunnerError({ script: "s", detail: "d" })._tag, "MigrationRunnerError")
    assert.strictEqual(Migration.MigrationError.identifier, "tsdevlake/Migration/MigrationError")
    assert.strictEqual(ModelInfo.ModelInfoError.identifier, "tsdevlake/ModelInfo/ModelInfoError")
  })
})

describe("MigrationRunner.apply of scripts no plugin bound", () => {
  it.effect("fails naming the script, and creates no table in the placeholder folder", () =>
    Effect.gen(function*() {
      const unbound = Migration.script({
        version: 20260101000001,
        name: "init",
        operations: [Migration.createTable(Item)]
      })
      const error = yield* Effect.flip(MigrationRunner.apply([unbound]))
      assert.strictEqual(error._tag, "MigrationRunnerError")
      assert.strictEqual(
        error.message,
        "migration init:20260101000001: create_table names a table in no plugin folder (<plugin folder>): apply the " +
          "plugin's migrations (plugin.migrations), which Plugin.make binds to its folder"
      )
      const tables = yield* exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '_tool_%'")
      assert.deepStrictEqual(tables, [])
    }).pipe(Effect.provide(Db.layerMemory)))
})
