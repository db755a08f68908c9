import { assert, describe, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as Model from "../../src/Model.js"
import * as ModelInfo from "../../src/ModelInfo.js"

class FakeConnection extends Model.Connection<FakeConnection>("FakeConnection")({ token: Model.Secret }) {}

class FakeProject extends Model.ToolScope<FakeProject>("FakeProject")({ url: Schema.String }) {}

class FakeScopeConfig extends Model.ScopeConfig<FakeScopeConfig>("FakeScopeConfig")({
  env: Schema.String.annotations({ description: "Environment the pipelines deploy to" })
}) {}

class FakePipeline extends Model.ToolModel<FakePipeline>("FakePipeline")({
  id: Schema.Int.pipe(Model.primaryKey),
  state: Schema.Literal("success", "failure", "pending"),
  startedAt: Schema.optional(Schema.NullOr(Model.DateTime)),
  title: Schema.String.pipe(Model.maxLength(100), Model.source("/profile/title")),
  retries: Schema.optionalWith(Schema.Int, { default: () => 3 }),
  archived: Schema.Boolean,
  ratio: Schema.Number,
  tags: Schema.Array(Schema.String),
  meta: Schema.Struct({ a: Schema.String }),
  avatarURL: Schema.String
}) {}

const make = (model: Model.Any) => ModelInfo.make(model, { pluginFolder: "fakeplugin" })

const goStruct = (jsonSchema: unknown, base: ModelInfo.Base | undefined) => {
  const result = ModelInfo.validate(jsonSchema, base)
  if (Either.isLeft(result)) assert.fail(result.left.message)
  return result.right
}

const goField = (struct: ModelInfo.GoStruct, property: string) => {
  const field = struct.fields.find((f) => f.property === property)
  if (field === undefined) assert.fail(`no Go field for ${property}`)
  return field
}

const failure = (thunk: () => unknown): ModelInfo.ModelInfoError => {
  try {
    thunk()
  } catch (error) {
    assert.instanceOf(error, ModelInfo.ModelInfoError)
    return error as ModelInfo.ModelInfoError
  }
  return assert.fail("expected a ModelInfoError")
}

const validationFailure = (jsonSchema: unknown, base: ModelInfo.Base | undefined) => {
  const result = ModelInfo.validate(jsonSchema, base)
  if (Either.isRight(result)) assert.fail("expected Go to reject the schema")
  return result.left
}

describe("ModelInfo.make", () => {
  it("connection: base fields, secret as password, generated id left to gorm", () => {
    const info = make(FakeConnection)
    assert.strictEqual(info.table_name, "_tool_fakeplugin_fakeconnections")
    assert.deepStrictEqual(info.json_schema.properties, {
      id: { type: "integer", primaryKey: true, default: 0 },
      name: { type: "string", maxLength: 100, default: "Test connection" },
      proxy: { type: "string", format: "uri" },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
      token: { type: "string", format: "password" }
    })
    assert.deepStrictEqual(info.json_schema.required, ["name", "token"])
    assert.strictEqual(info.json_schema.type, "object")
    assert.strictEqual(info.json_schema.title, "FakeConnection")
  })

  it("scope: connectionId is a non-generated key part, id a bounded string key", () => {
    const { json_schema, table_name } = make(FakeProject)
    assert.strictEqual(table_name, "_tool_fakeplugin_fakeprojects")
    assert.deepStrictEqual(Object.keys(json_schema.properties), [
      "connectionId",
      "_raw_data_params",
      "_raw_data_table",
      "_raw_data_id",
      "_raw_data_remark",
      "createdAt",
      "updatedAt",
      "id",
      "name",
      "scopeConfigId",
      "url"
    ])
    assert.deepStrictEqual(json_schema.properties["connectionId"], {
      type: "integer",
      primaryKey: true,
      autoIncrement: false
    })
    assert.deepStrictEqual(json_schema.properties["id"], { type: "string", primaryKey: true, maxLength: 255 })
    assert.deepStrictEqual(json_schema.properties["_raw_data_params"], { type: "string", maxLength: 255 })
    // `name` is required as pydevlake's `name: str`, though decoding defaults it.
    assert.deepStrictEqual(json_schema.required, ["id", "name", "url"])
  })

  it("scope config: entities default to every domain type, author descriptions kept", () => {
    const { json_schema, table_name } = make(FakeScopeConfig)
    assert.strictEqual(table_name, "_tool_fakeplugin_fakescopeconfigs")
    assert.deepStrictEqual(json_schema.properties["entities"], {
      type: "array",
      default: ["CODE", "TICKET", "CODEREVIEW", "CROSS", "CICD", "CODEQUALITY"]
    })
    assert.deepStrictEqual(json_schema.properties["env"], {
      type: "string",
      description: "Environment the pipelines deploy to"
    })
    assert.deepStrictEqual(json_schema.properties["id"], { type: "integer", primaryKey: true, default: 0 })
    assert.deepStrictEqual(json_schema.required, ["env"])
  })

  it("tool model: every column type, integer ids not auto-incremented, booleans never required", () => {
    const { json_schema, table_name } = make(FakePipeline)
    assert.strictEqual(table_name, "_tool_fakeplugin_fakepipelines")
    const p = json_schema.properties
    assert.deepStrictEqual(p["id"], { type: "integer", primaryKey: true, autoIncrement: false })
    assert.deepStrictEqual(p["state"], { type: "string", enum: ["success", "failure", "pending"] })
    assert.deepStrictEqual(p["startedAt"], { type: "string", format: "date-time" })
    assert.deepStrictEqual(p["title"], { type: "string", maxLength: 100, source: "/profile/title" })
    assert.deepStrictEqual(p["retries"], { type: "integer", default: 3 })
    assert.deepStrictEqual(p["archived"], { type: "boolean" })
    assert.deepStrictEqual(p["ratio"], { type: "number" })
    assert.deepStrictEqual(p["tags"], { type: "array" })
    assert.deepStrictEqual(p["meta"], { type: "object" })
    assert.deepStrictEqual(json_schema.required, ["id", "state", "title", "ratio", "tags", "meta", "avatarURL"])
  })

  it("every property has a string type Go supports", () => {
    for (const model of [FakeConnection, FakeProject, FakeScopeConfig, FakePipeline]) {
      for (const [key, property] of Object.entries(make(model).json_schema.properties)) {
        assert.include(["integer", "number", "boolean", "string", "array", "object"], property.type, key)
      }
    }
  })

  it("honours explicit autoIncrement annotations", () => {
    class Counter extends Model.ToolModel<Counter>("Counter")({
      id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(true))
    }) {}
    class Numbered extends Model.Connection<Numbered>("Numbered")({}) {}
    assert.strictEqual(make(Counter).json_schema.properties["id"]?.autoIncrement, true)
    assert.isUndefined(make(Numbered).json_schema.properties["id"]?.autoIncrement)
  })

  it("takes the table name from options or the model's own table", () => {
    class Build extends Model.ToolModel<Build>("Build", { table: "_tool_custom_builds" })({
      id: Schema.String.pipe(Model.primaryKey)
    }) {}
    assert.strictEqual(ModelInfo.make(Build, { pluginFolder: "azuredevops" }).table_name, "_tool_custom_builds")
    assert.strictEqual(ModelInfo.make(Build, { tableName: "explicit" }).table_name, "explicit")
    assert.strictEqual(
      ModelInfo.make(FakePipeline, { pluginFolder: "azuredevops" }).table_name,
      "_tool_azuredevops_fakepipelines"
    )
  })

  it("decodes with the DynamicModelInfo schema and survives a JSON round trip", () => {
    for (const model of [FakeConnection, FakeProject, FakeScopeConfig, FakePipeline]) {
      const info = make(model)
      const decoded = Schema.decodeUnknownSync(ModelInfo.DynamicModelInfo)(JSON.parse(JSON.stringify(info)))
      assert.deepStrictEqual(decoded, info)
    }
  })
})

describe("ModelInfo.make refuses what Go would reject or map elsewhere", () => {
  it("a property that is not a Go identifier", () => {
    class Dashed extends Model.ToolModel<Dashed>("Dashed")({
      build: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("build-id"))
    }) {}
    const error = failure(() => make(Dashed))
    assert.strictEqual(error.model, "Dashed")
    assert.strictEqual(error.field, "build-id")
    assert.match(error.message, /^Model Dashed, field "build-id": "build-id" is not a Go identifier/)
  })

  it("a leading underscore that Go does not skip", () => {
    class Underscored extends Model.ToolModel<Underscored>("Underscored")({
      secretSauce: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("_secret_sauce"))
    }) {}
    assert.match(failure(() => make(Underscored)).message, /"_secret_sauce" is not a Go identifier.*panic/)
  })

  it("_raw_data_* keys on a model whose Go base lacks them", () => {
    class RawConnection extends Model.Connection<RawConnection>("RawConnection")({
      raw: Schema.optional(Schema.String).pipe(Schema.fromKey("_raw_data_params"))
    }) {}
    const error = failure(() => make(RawConnection))
    assert.strictEqual(error.field, "_raw_data_params")
    assert.match(error.message, /Go skips it only with base common\.NoPKModel, not with common\.Model/)
  })

  it("a key that Go hands to a base field with another column", () => {
    class Camel extends Model.ToolModel<Camel>("Camel")({ rawDataParams: Schema.optional(Schema.String) }) {}
    assert.match(
      failure(() => make(Camel)).message,
      /field "rawDataParams": its column is "raw_data_params" but the Go server's column for it is "_raw_data_params"/
    )
  })

  it("a key hidden by an embedded Go struct", () => {
    class WithModel extends Model.ScopeConfig<WithModel>("WithModel")({ model: Schema.String }) {}
    assert.match(
      failure(() => make(WithModel)).message,
      /field "model": Go drops it: its name matches the embedded struct Model of base ScopeConfigModel/
    )
  })

  it("a column override that differs from gorm's naming", () => {
    class Renamed extends Model.ToolModel<Renamed>("Renamed")({
      startTime: Schema.String.pipe(Model.columnName("started"))
    }) {}
    assert.match(
      failure(() => make(Renamed)).message,
      /its column is "started" but the Go server's column for it is "start_time"/
    )
  })

  it("two keys with one column", () => {
    class Twice extends Model.ToolModel<Twice>("Twice")({
      fooBar: Schema.String,
      foo_bar: Schema.String
    }) {}
    assert.match(failure(() => make(Twice)).message, /field "foo_bar": column "foo_bar" is also the column of "fooBar"/)
  })

  it("autoIncrement on something that is not an integer key", () => {
    class Wrong extends Model.ToolModel<Wrong>("Wrong")({
      id: Schema.String.pipe(Model.primaryKey, Model.autoIncrement(false))
    }) {}
    assert.match(failure(() => make(Wrong)).message, /field "id": autoIncrement applies to integer primary keys only/)
  })

  it("a Go-facing field whose JSON value is not of its json_schema type", () => {
    class Counted extends Model.ToolScope<Counted>("Counted")({ stars: Schema.NumberFromString }) {}
    class Big extends Model.Connection<Big>("Big")({ quota: Schema.BigInt }) {}
    assert.match(
      failure(() => make(Counted)).message,
      /field "stars": its JSON value is a string but its json_schema type is "number"/
    )
    assert.match(
      failure(() => make(Big)).message,
      /field "quota": its JSON value is a string but its json_schema type is "integer"/
    )
    // Tool rows never travel as JSON to Go: only the column type matters there.
    class CountedRow extends Model.ToolModel<CountedRow>("CountedRow")({ stars: Schema.NumberFromString }) {}
    assert.deepStrictEqual(make(CountedRow).json_schema.properties["stars"], { type: "number" })
    class Rich extends Model.ToolScope<Rich>("Rich")({
      at: Model.DateTime,
      kind: Schema.optional(Schema.NullOr(Schema.Literal("a", "b"))),
      meta: Schema.Struct({ a: Schema.Number }),
      list: Schema.Array(Schema.String)
    }) {}
    assert.deepStrictEqual(Object.keys(make(Rich).json_schema.properties).slice(-4), ["at", "kind", "meta", "list"])
  })

  it("a string primary key Go would make TEXT", () => {
    class LongKey extends Model.ToolModel<LongKey>("LongKey")({
      url: Schema.String.pipe(Model.maxLength(1024), Model.primaryKey)
    }) {}
    assert.match(failure(() => make(LongKey)).message, /field "url": a string primary key needs maxLength ≤ 255/)
  })

  it("a missing table name", () => {
    assert.match(failure(() => ModelInfo.make(FakePipeline, { tableName: "" })).message, /no table name/)
  })
})

describe("ModelInfo.validate replays Go's conversion", () => {
  // backend/server/services/remote/models/conversion_test.go, case by case.
  it("TestGenerateSimpleField: required integer i → I int64, json + validate tags, no gorm tag", () => {
    const field = goField(goStruct({ properties: { i: { type: "integer" } }, required: ["i"] }, undefined), "i")
    assert.deepStrictEqual(field, {
      property: "i",
      name: "I",
      type: "int64",
      tag: "json:\"i\" validate:\"required\"",
      column: "i",
      required: true
    })
  })

  it("getGoType", () => {
    const table: ReadonlyArray<readonly [Record<string, unknown>, boolean, ModelInfo.GoField["type"]]> = [
      [{ type: "integer" }, false, "int64"],
      [{ type: "number" }, false, "float64"],
      [{ type: "boolean" }, false, "bool"],
      [{ type: "string" }, false, "string"],
      [{ type: "string", format: "date-time" }, true, "time.Time"],
      [{ type: "string", format: "date-time" }, false, "*time.Time"],
      [{ type: "object" }, false, "datatypes.JSONMap"],
      [{ type: "array" }, false, "datatypes.JSON"],
      [{ type: "string", format: "password" }, false, "string"]
    ]
    for (const [spec, required, expected] of table) {
      const struct = goStruct({ properties: { f: spec }, required: required ? ["f"] : [] }, undefined)
      assert.strictEqual(goField(struct, "f").type, expected, JSON.stringify(spec))
    }
  })

  it("getGormTag", () => {
    const table: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
      [{ type: "integer", primaryKey: true }, "json:\"f\" gorm:\"primaryKey\""],
      [{ type: "string", maxLength: 100 }, "json:\"f\" gorm:\"type:varchar(100)\""],
      [{ type: "string", maxLength: 300 }, "json:\"f\" gorm:\"type:text\""],
      [{ type: "string", primaryKey: true }, "json:\"f\" gorm:\"primaryKey;type:varchar(255)\""],
      [{ type: "string", format: "password" }, "json:\"f\" gorm:\"type:text;serializer:encdec\""],
      [
        { type: "integer", primaryKey: true, autoIncrement: false },
        "json:\"f\" gorm:\"primaryKey;autoIncrement:false\""
      ],
      [{ type: "string", maxLength: 99.9 }, "json:\"f\" gorm:\"type:varchar(99)\""],
      [{ type: "string", primaryKey: "true", maxLength: "12" }, "json:\"f\" gorm:\"type:text\""],
      [{ type: "boolean" }, "json:\"f\""]
    ]
    for (const [spec, expected] of table) {
      assert.strictEqual(
        goField(goStruct({ properties: { f: spec } }, undefined), "f").tag,
        expected,
        JSON.stringify(spec)
      )
    }
  })

  it("a required list with a non-string drops the whole list, as utils.Convert does", () => {
    const struct = goStruct({ properties: { a: { type: "string" } }, required: ["a", 1] }, undefined)
    assert.isFalse(goField(struct, "a").required)
  })

  it("skips base fields case- and underscore-insensitively, per base", () => {
    const common = {
      id: { type: "integer" },
      connection_id: { type: "integer" },
      createdAt: { type: "string", format: "date-time" },
      url: { type: "string" }
    }
    const raw = { _raw_data_params: { type: "string" }, RawDataTable: { type: "string" } }
    const skippedIn = (base: ModelInfo.Base, properties: object) =>
      goStruct({ properties }, base).skipped.map((s) => s.property)
    assert.deepStrictEqual(skippedIn("common.Model", common), ["id", "createdAt"])
    assert.deepStrictEqual(skippedIn("ScopeConfigModel", common), ["id", "connection_id", "createdAt"])
    assert.deepStrictEqual(skippedIn("common.NoPKModel", { ...common, ...raw }), [
      "createdAt",
      "_raw_data_params",
      "RawDataTable"
    ])
    assert.deepStrictEqual(skippedIn("ToolModel", { ...common, ...raw }), [
      "connection_id",
      "createdAt",
      "_raw_data_params",
      "RawDataTable"
    ])
    assert.deepStrictEqual(skippedIn("ScopeModel", { ...common, ...raw }), [
      "id",
      "connection_id",
      "createdAt",
      "_raw_data_params",
      "RawDataTable"
    ])
    assert.deepStrictEqual(goStruct({ properties: common }, undefined).skipped, [])
    // Without a base that has them, "_raw_data_params" is a Go field name reflect.StructOf refuses.
    assert.match(
      validationFailure({ properties: raw }, "common.Model").message,
      /"_raw_data_params" would be unexported/
    )
    const rawDataTable = goField(
      goStruct({ properties: { RawDataTable: raw.RawDataTable } }, "common.Model"),
      "RawDataTable"
    )
    assert.strictEqual(rawDataTable.column, "raw_data_table")
  })

  it("lists the fields of each base", () => {
    const names = (base: ModelInfo.Base) => ModelInfo.baseFields[base].map((f) => f.name)
    assert.deepStrictEqual(names("common.Model"), ["ID", "CreatedAt", "UpdatedAt"])
    assert.deepStrictEqual(names("ToolModel"), [
      "NoPKModel",
      "CreatedAt",
      "UpdatedAt",
      "RawDataOrigin",
      "RawDataParams",
      "RawDataTable",
      "RawDataId",
      "RawDataRemark",
      "ConnectionId"
    ])
    assert.includeMembers(names("ScopeModel"), ["Id", "ConnectionId", "Name", "ScopeConfigId", "RawDataParams"])
    assert.includeMembers(names("ScopeConfigModel"), ["ScopeConfig", "Model", "ID", "Entities", "ConnectionId", "Name"])
  })

  it("rejects what Go errors or panics on", () => {
    const table: ReadonlyArray<readonly [unknown, ModelInfo.Base | undefined, RegExp]> = [
      [{}, undefined, /"properties" is missing/],
      [{ properties: [] }, undefined, /"properties" is missing or not a JSON object/],
      [{ properties: { a: "string" } }, undefined, /not a JSON object \(Go panics\)/],
      [{ properties: { a: {} } }, undefined, /"type" property must be a string/],
      [{ properties: { a: { type: ["string", "null"] } } }, undefined, /"type" property must be a string/],
      [{ properties: { a: { type: "null" } } }, undefined, /Unsupported type null/],
      [{ properties: { "_a": { type: "string" } } }, undefined, /would be unexported/],
      [{ properties: { "foo-bar": { type: "string" } } }, undefined, /contains "-"/],
      [{ properties: { "1abc": { type: "string" } } }, undefined, /does not start with a letter/],
      [{ properties: { "": { type: "string" } } }, undefined, /empty name/],
      [{ properties: { foo: { type: "string" }, Foo: { type: "string" } } }, undefined, /duplicate field/],
      [{ properties: { toolModel: { type: "string" } } }, "ToolModel", /embedded base struct ToolModel/]
    ]
    for (const [schema, base, reason] of table) {
      assert.match(validationFailure(schema, base).message, reason, JSON.stringify(schema))
    }
  })

  it("names the model and field in its error", () => {
    const error = validationFailure({ title: "Broken", properties: { a: { type: 1 } } }, "common.NoPKModel")
    assert.strictEqual(error.model, "Broken")
    assert.strictEqual(error.field, "a")
    assert.strictEqual(
      error.message,
      "Model Broken, field \"a\": couldn't resolve type for field: \"a\": \"type\" property must be a string" +
        " (base common.NoPKModel)"
    )
  })

  it("accepts Unicode letters as Go does (strings.Title makes them exported)", () => {
    assert.strictEqual(goField(goStruct({ properties: { über: { type: "string" } } }, undefined), "über").name, "Über")
  })

  it("builds the struct Go builds for the fake plugin's models", () => {
    const connection = goStruct(make(FakeConnection).json_schema, "common.Model")
    assert.deepStrictEqual(connection.skipped.map((s) => s.property), ["id", "createdAt", "updatedAt"])
    assert.deepStrictEqual(connection.fields.map((f) => [f.name, f.tag]), [
      ["Name", "json:\"name\" gorm:\"type:varchar(100)\" validate:\"required\""],
      ["Proxy", "json:\"proxy\" gorm:\"type:text\""],
      ["Token", "json:\"token\" gorm:\"type:text;serializer:encdec\" validate:\"required\""]
    ])

    const pipeline = goStruct(make(FakePipeline).json_schema, "common.NoPKModel")
    assert.deepStrictEqual(goField(pipeline, "connectionId"), {
      property: "connectionId",
      name: "ConnectionId",
      type: "int64",
      tag: "json:\"connectionId\" gorm:\"primaryKey;autoIncrement:false\"",
      column: "connection_id",
      required: false
    })
    assert.strictEqual(goField(pipeline, "avatarURL").column, "avatar_url")
    assert.strictEqual(goField(pipeline, "startedAt").type, "*time.Time")
    assert.strictEqual(
      goField(pipeline, "title").tag,
      "json:\"title\" gorm:\"type:varchar(100)\" validate:\"required\""
    )

    const scope = goStruct(make(FakeProject).json_schema, "common.NoPKModel")
    assert.strictEqual(
      goField(scope, "id").tag,
      "json:\"id\" gorm:\"primaryKey;type:varchar(255)\" validate:\"required\""
    )
    assert.strictEqual(goField(scope, "scopeConfigId").column, "scope_config_id")
  })

  it("agrees with Model's column names for every generated field", () => {
    for (const model of [FakeConnection, FakeProject, FakeScopeConfig, FakePipeline]) {
      const columns = new Map(Model.fieldsOf(model).map((f) => [f.key, f.column]))
      for (const field of goStruct(make(model).json_schema, "common.NoPKModel").fields) {
        assert.strictEqual(field.column, columns.get(field.property), `${model.identifier}.${field.property}`)
      }
    }
  })
})
