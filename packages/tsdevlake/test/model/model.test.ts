import { assert, describe, it } from "@effect/vitest"
import { Either, Inspectable, Redacted, Schema } from "effect"
import * as util from "node:util"
import * as Model from "../../src/Model.js"

class FakeConnection extends Model.Connection<FakeConnection>("FakeConnection")({ token: Model.Secret }) {}

class FakeProject extends Model.ToolScope<FakeProject>("FakeProject")({ url: Schema.String }) {}

class FakeScopeConfig extends Model.ScopeConfig<FakeScopeConfig>("FakeScopeConfig")({ env: Schema.String }) {}

class FakePipeline extends Model.ToolModel<FakePipeline>("FakePipeline")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  state: Schema.Literal("success", "failure", "pending"),
  startedAt: Schema.optional(Schema.NullOr(Model.DateTime)),
  durationSec: Schema.optional(Schema.Number),
  title: Schema.String.pipe(Model.source("/profile/title")),
  avatarURL: Schema.String
}) {}

class GitRepository extends Model.ToolScope<GitRepository>("GitRepository")({}) {}

class CicdPipeline extends Model.DomainModel<CicdPipeline>("CicdPipeline", { table: "cicd_pipelines" })({
  name: Schema.String
}) {}

class CicdScope extends Model.DomainScope<CicdScope>("CicdScope", { table: "cicd_scopes" })({
  name: Schema.String,
  createdDate: Schema.optional(Model.DateTime)
}) {}

type Row = readonly [key: string, column: string, type: Model.ColumnType, primaryKey: boolean]

const rows = (model: Model.Any): ReadonlyArray<Row> =>
  Model.fieldsOf(model).map((f) => [f.key, f.column, f.type, f.primaryKey] as const)

const field = (model: Model.Any, key: string): Model.Field => {
  const found = Model.fieldsOf(model).find((f) => f.key === key)
  if (found === undefined) assert.fail(`${model.identifier} has no field ${key}`)
  return found
}

const rawOrigin: ReadonlyArray<Row> = [
  ["_raw_data_params", "_raw_data_params", "string", false],
  ["_raw_data_table", "_raw_data_table", "string", false],
  ["_raw_data_id", "_raw_data_id", "integer", false],
  ["_raw_data_remark", "_raw_data_remark", "string", false]
]
const timestamps: ReadonlyArray<Row> = [
  ["createdAt", "created_at", "datetime", false],
  ["updatedAt", "updated_at", "datetime", false]
]

describe("fieldsOf", () => {
  it("connection: id, name, proxy, timestamps, then the plugin's fields", () => {
    assert.deepStrictEqual(rows(FakeConnection), [
      ["id", "id", "integer", true],
      ["name", "name", "string", false],
      ["proxy", "proxy", "string", false],
      ...timestamps,
      ["token", "token", "string", false]
    ])
    assert.deepStrictEqual(Model.primaryKeyOf(FakeConnection).map((f) => f.key), ["id"])
  })

  it("tool scope: connectionId and id are the key; raw origin keyed by JSON key, named in code", () => {
    assert.deepStrictEqual(rows(FakeProject), [
      ["connectionId", "connection_id", "integer", true],
      ...rawOrigin,
      ...timestamps,
      ["id", "id", "string", true],
      ["name", "name", "string", false],
      ["scopeConfigId", "scope_config_id", "integer", false],
      ["url", "url", "string", false]
    ])
    assert.strictEqual(field(FakeProject, "_raw_data_params").name, "rawDataParams")
    assert.strictEqual(field(FakeProject, "connectionId").autoIncrement, false)
    assert.strictEqual(field(FakeProject, "id").maxLength, 255)
  })

  it("scope config: id, name, connectionId, entities (JSON array), timestamps", () => {
    assert.deepStrictEqual(rows(FakeScopeConfig), [
      ["id", "id", "integer", true],
      ["name", "name", "string", false],
      ["connectionId", "connection_id", "integer", false],
      ["entities", "entities", "json", false],
      ...timestamps,
      ["env", "env", "string", false]
    ])
    assert.strictEqual(field(FakeScopeConfig, "entities").jsonType, "array")
  })

  it("tool model: connectionId + declared key, gorm column names", () => {
    assert.deepStrictEqual(rows(FakePipeline), [
      ["connectionId", "connection_id", "integer", true],
      ...rawOrigin,
      ...timestamps,
      ["id", "id", "integer", true],
      ["state", "state", "string", false],
      ["startedAt", "started_at", "datetime", false],
      ["durationSec", "duration_sec", "number", false],
      ["title", "title", "string", false],
      ["avatarURL", "avatar_url", "string", false]
    ])
    assert.deepStrictEqual(Model.primaryKeyOf(FakePipeline).map((f) => f.key), ["connectionId", "id"])
    assert.deepStrictEqual(field(FakePipeline, "state").enum, ["success", "failure", "pending"])
    assert.strictEqual(field(FakePipeline, "title").source, "/profile/title")
    assert.strictEqual(field(FakePipeline, "startedAt").format, "date-time")
    assert.isTrue(field(FakePipeline, "startedAt").nullable)
    assert.isFalse(field(FakePipeline, "startedAt").required)
    assert.isTrue(field(FakePipeline, "title").required)
  })

  it("domain model and domain scope: string id key plus raw origin", () => {
    const expected: ReadonlyArray<Row> = [["id", "id", "string", true], ...rawOrigin, ...timestamps]
    assert.deepStrictEqual(rows(CicdPipeline), [...expected, ["name", "name", "string", false]])
    assert.deepStrictEqual(rows(CicdScope), [
      ...expected,
      ["name", "name", "string", false],
      ["createdDate", "created_date", "datetime", false]
    ])
  })

  it("maps every schema shape to a column type and a json_schema type", () => {
    enum Level {
      Low = "low",
      High = "high"
    }
    class Nested extends Schema.Class<Nested>("Nested")({ a: Schema.String }) {}
    class Shapes extends Model.ToolModel<Shapes>("Shapes")({
      int: Schema.Int,
      nonNegative: Schema.NonNegativeInt,
      num: Schema.Number,
      intOrNum: Schema.Union(Schema.Int, Schema.Number),
      bool: Schema.Boolean,
      str: Schema.String,
      nullableStr: Schema.NullOr(Schema.String),
      literal: Schema.Literal("a", "b"),
      level: Schema.Enums(Level),
      arr: Schema.Array(Schema.Number),
      struct: Schema.Struct({ x: Schema.Number }),
      record: Schema.Record({ key: Schema.String, value: Schema.Number }),
      nested: Nested,
      date: Model.DateTime,
      bytes: Schema.Uint8ArrayFromSelf,
      big: Schema.BigIntFromSelf,
      mixed: Schema.Union(Schema.String, Schema.Number),
      forced: Schema.Unknown.pipe(Model.columnType("json"))
    }) {}
    const types = Object.fromEntries(Model.fieldsOf(Shapes).map((f) => [f.key, [f.type, f.jsonType]]))
    assert.deepStrictEqual(types["int"], ["integer", "integer"])
    assert.deepStrictEqual(types["nonNegative"], ["integer", "integer"])
    assert.deepStrictEqual(types["num"], ["number", "number"])
    assert.deepStrictEqual(types["intOrNum"], ["number", "number"])
    assert.deepStrictEqual(types["bool"], ["boolean", "boolean"])
    assert.deepStrictEqual(types["str"], ["string", "string"])
    assert.deepStrictEqual(types["nullableStr"], ["string", "string"])
    assert.deepStrictEqual(types["literal"], ["string", "string"])
    assert.deepStrictEqual(types["level"], ["string", "string"])
    assert.deepStrictEqual(types["arr"], ["json", "array"])
    assert.deepStrictEqual(types["struct"], ["json", "object"])
    assert.deepStrictEqual(types["record"], ["json", "object"])
    assert.deepStrictEqual(types["nested"], ["json", "object"])
    assert.deepStrictEqual(types["date"], ["datetime", "string"])
    assert.deepStrictEqual(types["bytes"], ["bytes", "string"])
    assert.deepStrictEqual(types["big"], ["integer", "integer"])
    assert.deepStrictEqual(types["mixed"], ["json", "object"])
    assert.deepStrictEqual(types["forced"], ["json", "object"])
    assert.deepStrictEqual(field(Shapes, "level").enum, ["low", "high"])
    assert.isTrue(field(Shapes, "nullableStr").nullable)
  })

  it("applies columnName, maxLength and required annotations", () => {
    class Annotated extends Model.ToolModel<Annotated>("Annotated")({
      renamed: Schema.String.pipe(Model.columnName("other_name")),
      short: Schema.String.pipe(Model.maxLength(10)),
      flagged: Schema.optional(Schema.String).pipe(Model.required)
    }) {}
    assert.strictEqual(field(Annotated, "renamed").column, "other_name")
    assert.strictEqual(field(Annotated, "short").maxLength, 10)
    assert.isTrue(field(Annotated, "flagged").required)
    assert.isTrue(field(Annotated, "flagged").optional)
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(Annotated)({ renamed: "r", short: "x".repeat(11) })))
  })

  it("a constructor default does not make the JSON key optional", () => {
    class WithDefault extends Model.ToolModel<WithDefault>("WithDefault")({
      kind: Schema.String.pipe(Schema.propertySignature, Schema.withConstructorDefault(() => "k")),
      size: Schema.optionalWith(Schema.Int, { default: () => 1 })
    }) {}
    assert.isTrue(field(WithDefault, "kind").required)
    assert.isFalse(field(WithDefault, "kind").optional)
    assert.isFalse(field(WithDefault, "size").required)
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(WithDefault)({})))
  })

  it("reports a field it cannot map, with model and field name", () => {
    class Unmappable extends Model.ToolModel<Unmappable>("Unmappable")({ sym: Schema.SymbolFromSelf }) {}
    assert.throws(() => Model.fieldsOf(Unmappable), /Model field Unmappable\.sym: cannot map schema/)
  })
})

describe("Secret", () => {
  const connection = Schema.decodeUnknownSync(FakeConnection)({ id: 1, name: "c", token: "s3cr3t-t0ken" })

  it("holds the token as Redacted, readable only on purpose", () => {
    assert.isTrue(Redacted.isRedacted(connection.token))
    assert.strictEqual(Redacted.value(connection.token), "s3cr3t-t0ken")
  })

  it("never prints the token", () => {
    const renderings = [
      String(connection),
      String(connection.token),
      `${connection.token}`,
      JSON.stringify(connection),
      JSON.stringify({ nested: connection }),
      Inspectable.format(connection),
      Inspectable.toStringUnknown(connection),
      util.inspect(connection, { depth: 10 }),
      util.format("%o %j", connection, connection)
    ]
    for (const text of renderings) {
      assert.notInclude(text, "s3cr3t-t0ken")
    }
    assert.include(String(connection.token), "<redacted>")
  })

  it("encodes to the plain token for the Go server, which stores it encrypted", () => {
    assert.strictEqual(Schema.encodeSync(FakeConnection)(connection).token, "s3cr3t-t0ken")
    assert.strictEqual(field(FakeConnection, "token").format, "password")
    assert.isTrue(field(FakeConnection, "token").secret)
  })

  it("defaults the name of a connection test body that only has proxy and token", () => {
    const tested = Schema.decodeUnknownSync(FakeConnection)({ proxy: "", token: "t" })
    assert.strictEqual(tested.name, "Test connection")
    assert.strictEqual(tested.id, 0)
  })
})

describe("DateTime", () => {
  const decode = Schema.decodeUnknownSync(Model.DateTime)

  it("decodes Go's zero time", () => {
    const zero = decode("0001-01-01T00:00:00Z")
    assert.strictEqual(zero.getUTCFullYear(), 1)
    assert.strictEqual(zero.toISOString(), "0001-01-01T00:00:00.000Z")
  })

  it("decodes RFC 3339 with offsets and fractions as Go writes them", () => {
    assert.strictEqual(decode("2023-05-30T12:34:56.789+02:00").toISOString(), "2023-05-30T10:34:56.789Z")
    assert.strictEqual(decode("2023-05-30T12:34:56.123456789Z").toISOString(), "2023-05-30T12:34:56.123Z")
  })

  it("rejects invalid dates", () => {
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(Model.DateTime)("not a date")))
  })

  it("decodes the timestamps of a scope sent by Go", () => {
    const scope = Schema.decodeUnknownSync(FakeProject)({
      id: "p1",
      connectionId: 1,
      name: "Project 1",
      url: "http://fake.org/api/project/p1",
      createdAt: "0001-01-01T00:00:00Z",
      updatedAt: "2024-01-02T03:04:05Z",
      scopeConfigId: 0,
      _raw_data_params: "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}",
      _raw_data_table: "_raw_fake_scopes",
      _raw_data_id: 0,
      _raw_data_remark: ""
    })
    assert.strictEqual(scope.createdAt?.getUTCFullYear(), 1)
    assert.strictEqual(scope.rawDataParams, "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}")
  })
})

describe("kinds and table names", () => {
  it("records each model's kind", () => {
    assert.strictEqual(Model.kindOf(FakeConnection), "connection")
    assert.strictEqual(Model.kindOf(FakeProject), "scope")
    assert.strictEqual(Model.kindOf(FakeScopeConfig), "scopeConfig")
    assert.strictEqual(Model.kindOf(FakePipeline), "tool")
    assert.strictEqual(Model.kindOf(CicdPipeline), "domain")
    assert.strictEqual(Model.kindOf(CicdScope), "domainScope")
    assert.strictEqual(Model.domainScopeType(CicdScope), "CicdScope")
    assert.isUndefined(Model.domainScopeType(CicdPipeline))
  })

  it("names tool tables as pydevlake does", () => {
    assert.strictEqual(Model.tableName(FakePipeline, "fakeplugin"), "_tool_fakeplugin_fakepipelines")
    assert.strictEqual(Model.tableName(FakeProject, "fakeplugin"), "_tool_fakeplugin_fakeprojects")
    assert.strictEqual(Model.tableName(FakeScopeConfig, "fakeplugin"), "_tool_fakeplugin_fakescopeconfigs")
    assert.strictEqual(Model.tableName(FakeConnection, "fakeplugin"), "_tool_fakeplugin_fakeconnections")
    assert.strictEqual(Model.tableName(GitRepository, "azuredevops"), "_tool_azuredevops_gitrepositories")
  })

  it("uses an explicit table name when given", () => {
    assert.strictEqual(Model.explicitTableName(CicdPipeline), "cicd_pipelines")
    assert.strictEqual(Model.tableName(CicdScope, "fakeplugin"), "cicd_scopes")
    assert.isUndefined(Model.explicitTableName(FakePipeline))
  })
})
