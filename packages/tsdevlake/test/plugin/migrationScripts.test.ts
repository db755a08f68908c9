import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import * as ModelInfo from "../../src/ModelInfo.js"

class FakeConnection extends Model.Connection<FakeConnection>("FakeConnection")({ token: Model.Secret }) {}
class FakeProject extends Model.ToolScope<FakeProject>("FakeProject")({ url: Schema.String }) {}
class FakeScopeConfig extends Model.ScopeConfig<FakeScopeConfig>("FakeScopeConfig")({ env: Schema.String }) {}
class FakePipeline extends Model.ToolModel<FakePipeline>("FakePipeline")({
  id: Schema.Int.pipe(Model.primaryKey),
  status: Schema.String
}) {}

const folder = { pluginFolder: "fakeplugin" }

// The fake plugin's migrations (backend/python/test/fakeplugin/fakeplugin/migrations.py), rewritten here.
const initSchemas = Migration.script({
  version: 20230530000001,
  name: "init schemas",
  operations: [
    Migration.createTable(FakeConnection, folder),
    Migration.createTable(FakePipeline, folder),
    Migration.createTable(FakeProject, folder),
    Migration.createTable(FakeScopeConfig, folder)
  ]
})
const populateRawDataTable = Migration.script({
  version: 20230630000001,
  name: "populated _raw_data_table column for fakeproject",
  operations: [
    Migration.execute(
      "UPDATE _tool_fakeplugin_fakeprojects SET _raw_data_table = \"_raw_fakeproject_scopes\" WHERE 1=1",
      { dialect: "mysql" }
    ),
    Migration.execute(
      "UPDATE _tool_fakeplugin_fakeprojects SET _raw_data_table = '_raw_fakeproject_scopes' WHERE 1=1",
      { dialect: "postgres" }
    )
  ]
})

const migrationError = (thunk: () => unknown): Migration.MigrationError => {
  try {
    thunk()
  } catch (error) {
    assert.instanceOf(error, Migration.MigrationError)
    return error as Migration.MigrationError
  }
  return assert.fail("expected a MigrationError")
}

describe("versions", () => {
  const valid = [20230530000001, 20230420123456, 20240229235959, 20000229000000, 99991231235959, 10000101000000]
  const invalid: ReadonlyArray<readonly [unknown, RegExp]> = [
    [2023053000000, /must be 14 digits/],
    [202305300000011, /must be 14 digits/],
    [20230530000001.5, /must be 14 digits/],
    [-20230530000001, /must be 14 digits/],
    [0, /must be 14 digits/],
    ["20230530000001", /must be 14 digits/],
    [20230230000000, /2023-02-30 00:00:00 is not a real date and time/],
    [20230229000000, /not a real date/],
    [19000229000000, /not a real date/],
    [20231301000000, /not a real date/],
    [20230001000000, /not a real date/],
    [20230100000000, /not a real date/],
    [20230532000000, /not a real date/],
    [20230431000000, /not a real date/],
    [20230530240000, /not a real date/],
    [20230530236000, /not a real date/],
    [20230530235960, /not a real date/]
  ]
  for (const version of valid) {
    it(`accepts ${version}`, () => {
      assert.isUndefined(Migration.versionProblem(version))
      assert.isTrue(Schema.is(Migration.Version)(version))
    })
  }
  for (const [version, reason] of invalid) {
    it(`rejects ${JSON.stringify(version)}`, () => {
      assert.match(Migration.versionProblem(version)!, reason)
      assert.isFalse(Schema.is(Migration.Version)(version))
    })
  }

  it("script() throws a MigrationError naming the script", () => {
    const error = migrationError(() => Migration.script({ version: 20230230000000, name: "bad", operations: [] }))
    assert.strictEqual(error.script, "\"bad:20230230000000\"")
    assert.match(error.message, /^Migration script "bad:20230230000000": invalid version 20230230000000/)
    assert.match(
      migrationError(() => Migration.script({ version: 20230530000001, name: "", operations: [] })).message,
      /the name is empty/
    )
  })
})

describe("encode", () => {
  it("writes the JSON Go's RemoteMigrationScript decodes, snake_case, absent options left out", () => {
    const [, second] = Migration.encode([initSchemas, populateRawDataTable])
    assert.deepStrictEqual(second, {
      version: 20230630000001,
      name: "populated _raw_data_table column for fakeproject",
      operations: [
        {
          type: "execute",
          sql: "UPDATE _tool_fakeplugin_fakeprojects SET _raw_data_table = \"_raw_fakeproject_scopes\" WHERE 1=1",
          dialect: "mysql",
          ignore_error: false
        },
        {
          type: "execute",
          sql: "UPDATE _tool_fakeplugin_fakeprojects SET _raw_data_table = '_raw_fakeproject_scopes' WHERE 1=1",
          dialect: "postgres",
          ignore_error: false
        }
      ]
    })
  })

  it("encodes every operation type", () => {
    const [encoded] = Migration.encode([
      Migration.script({
        version: 20240101000000,
        name: "all ops",
        operations: [
          Migration.execute("SELECT 1"),
          Migration.execute("DROP INDEX x", { ignoreError: true }),
          Migration.addColumn("t", "duration_sec", "bigint"),
          Migration.dropColumn("t", "c"),
          Migration.renameColumn("t", "old", "new"),
          Migration.dropTable("t"),
          Migration.renameTable("t1", "t2"),
          Migration.createTable(FakePipeline, { tableName: "_tool_x_pipelines" })
        ]
      })
    ])
    const ops = encoded!.operations
    assert.deepStrictEqual(ops.slice(0, 7), [
      { type: "execute", sql: "SELECT 1", ignore_error: false },
      { type: "execute", sql: "DROP INDEX x", ignore_error: true },
      { type: "add_column", table: "t", column: "duration_sec", column_type: "bigint" },
      { type: "drop_column", table: "t", column: "c" },
      { type: "rename_column", table: "t", old_name: "old", new_name: "new" },
      { type: "drop_table", table: "t" },
      { type: "rename_table", old_name: "t1", new_name: "t2" }
    ])
    assert.deepStrictEqual(ops[7], {
      type: "create_table",
      model_info: ModelInfo.make(FakePipeline, { tableName: "_tool_x_pipelines" })
    })
    assert.notInclude(JSON.stringify(encoded), "null")
  })

  it("embeds ModelInfo.make in create_table, which Go loads with base common.NoPKModel", () => {
    const [first] = Migration.encode([initSchemas])
    const tables = first!.operations.map((op) => {
      assert.strictEqual(op.type, "create_table")
      const modelInfo = (op as { model_info: ModelInfo.DynamicModelInfo }).model_info
      assert.isTrue(Either.isRight(ModelInfo.validate(modelInfo.json_schema, "common.NoPKModel")))
      return modelInfo.table_name
    })
    assert.deepStrictEqual(tables, [
      "_tool_fakeplugin_fakeconnections",
      "_tool_fakeplugin_fakepipelines",
      "_tool_fakeplugin_fakeprojects",
      "_tool_fakeplugin_fakescopeconfigs"
    ])
  })

  it("refuses scripts that fail check()", () => {
    assert.throws(() => Migration.encode([populateRawDataTable, initSchemas]), Migration.MigrationError)
  })
})

describe("decode", () => {
  it("reads Go's migration_test.go fixture", () => {
    const raw = {
      name: "test",
      version: 20230420123456,
      operations: [
        { type: "execute", sql: "SOME SQL", dialect: "mysql" },
        { type: "drop_column", table: "t", column: "c" },
        { type: "drop_table", table: "t" }
      ]
    }
    const decoded = Migration.decode([raw])
    if (Either.isLeft(decoded)) assert.fail(decoded.left.message)
    assert.deepStrictEqual(decoded.right, [
      {
        version: 20230420123456,
        name: "test",
        operations: [
          { type: "execute", sql: "SOME SQL", dialect: "mysql", ignoreError: false },
          { type: "drop_column", table: "t", column: "c" },
          { type: "drop_table", table: "t" }
        ]
      }
    ])
  })

  it("reads pydevlake's output (extra schema keys, null dialect)", () => {
    const raw = {
      operations: [
        { type: "execute", sql: "SOME SQL", dialect: null, ignore_error: false },
        {
          type: "create_table",
          model_info: {
            json_schema: {
              title: "FakeConnection",
              type: "object",
              properties: {
                id: { title: "Id", type: "integer", primaryKey: true },
                token: { title: "Token", type: "string", writeOnly: true, format: "password" },
                proxy: { title: "Proxy", type: "string", minLength: 1, maxLength: 65536, format: "uri" }
              },
              required: ["name", "token"]
            },
            table_name: "_tool_fakeplugin_fakeconnections"
          }
        }
      ],
      version: 20230530000001,
      name: "init schemas"
    }
    const decoded = Migration.decode([raw])
    if (Either.isLeft(decoded)) assert.fail(decoded.left.message)
    const [execute, create] = decoded.right[0]!.operations
    assert.deepStrictEqual(execute, { type: "execute", sql: "SOME SQL", ignoreError: false })
    assert.strictEqual(create?.type, "create_table")
    if (create?.type === "create_table") {
      assert.deepStrictEqual(create.modelInfo.json_schema.properties["proxy"], {
        title: "Proxy",
        type: "string",
        maxLength: 65536,
        format: "uri"
      })
    }
  })

  it("round-trips encode", () => {
    const scripts = [initSchemas, populateRawDataTable]
    const decoded = Migration.decode(JSON.parse(JSON.stringify(Migration.encode(scripts))))
    if (Either.isLeft(decoded)) assert.fail(decoded.left.message)
    assert.deepStrictEqual(decoded.right, scripts)
  })

  it("rejects what Go cannot run", () => {
    const base = { version: 20230530000001, name: "x" }
    const rejected: ReadonlyArray<unknown> = [
      { ...base, operations: [{ sql: "no type" }] },
      { ...base, operations: [{ type: "truncate_table", table: "t" }] },
      { ...base, operations: [{ type: "execute", sql: "x", dialect: "sqlite" }] },
      { ...base, operations: [{ type: "add_column", table: "t", column: "c" }] },
      { ...base, version: 2023, operations: [] },
      { ...base, version: "20230530000001", operations: [] },
      {
        ...base,
        operations: [{
          type: "create_table",
          model_info: { table_name: "t", json_schema: { properties: { a: { type: "null" } } } }
        }]
      }
    ]
    for (const raw of rejected) {
      assert.isTrue(Either.isLeft(Migration.decode([raw])), JSON.stringify(raw))
    }
  })
})

describe("check", () => {
  const script = (version: number, name: string, operations: ReadonlyArray<Migration.Operation> = []) =>
    Migration.script({ version, name, operations })

  it("accepts strictly increasing versions", () => {
    assert.isTrue(Either.isRight(Migration.check([initSchemas, populateRawDataTable])))
    assert.isTrue(Either.isRight(Migration.check([])))
  })

  it("rejects a repeated name:version", () => {
    const result = Migration.check([script(20230101000000, "a"), script(20230101000000, "a")])
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left.message, "Migration script \"a:20230101000000\": appears twice")
    }
  })

  it("rejects versions that do not increase", () => {
    for (
      const scripts of [
        [script(20230102000000, "a"), script(20230101000000, "b")],
        [script(20230101000000, "a"), script(20230101000000, "b")]
      ]
    ) {
      const result = Migration.check(scripts)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.match(
          result.left.message,
          /"b:20230101000000": its version is not greater than that of the previous script "a:/
        )
      }
    }
  })

  it("rejects invalid versions and create_table schemas Go cannot load, also in decoded scripts", () => {
    const badVersion = { version: 20230230000000, name: "x", operations: [] }
    assert.match(Either.flip(Migration.check([badVersion])).pipe(Either.getOrThrow).message, /not a real date/)
    const badTable: Migration.Script = {
      version: 20230101000000,
      name: "bad table",
      operations: [{
        type: "create_table",
        modelInfo: { table_name: "t", json_schema: { properties: { "_x": { type: "string" } } } }
      }]
    }
    const result = Migration.check([badTable])
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) assert.match(result.left.message, /create_table t: .*"_x".*unexported/)
    assert.throws(() => Migration.validate([badTable]), Migration.MigrationError)
  })
})

describe("constructors", () => {
  it("createTable fails with the ModelInfoError of a model Go would reject", () => {
    class Bad extends Model.ToolModel<Bad>("Bad")({
      x: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("bad-key"))
    }) {}
    assert.throws(() => Migration.createTable(Bad, folder), ModelInfo.ModelInfoError)
  })

  it("tablesAfter follows create, rename and drop", () => {
    const later = Migration.script({
      version: 20240101000000,
      name: "rename and drop",
      operations: [
        Migration.renameTable("_tool_fakeplugin_fakepipelines", "_tool_fakeplugin_pipelines"),
        Migration.dropTable("_tool_fakeplugin_fakescopeconfigs"),
        Migration.renameTable("missing", "ignored")
      ]
    })
    assert.deepStrictEqual([...Migration.tablesAfter([initSchemas, populateRawDataTable, later])].sort(), [
      "_tool_fakeplugin_fakeconnections",
      "_tool_fakeplugin_fakeprojects",
      "_tool_fakeplugin_pipelines"
    ])
  })
})
