import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Model from "../../src/Model.js"
import * as naming from "../../src/internal/model/names.js"

class FakePipeline extends Model.ToolModel<FakePipeline>("FakePipeline")({ id: Schema.Int.pipe(Model.primaryKey) }) {}
class Named extends Model.ToolModel<Named>("Named", { table: "named_things" })({
  id: Schema.Int.pipe(Model.primaryKey)
}) {}
class Widget extends Model.DomainModel<Widget>("Widget")({ n: Schema.Int }) {}

// gorm's own expectations for NamingStrategy.toDBName (schema/naming_test.go, TestToDBName).
const gormCases: ReadonlyArray<readonly [string, string]> = [
  ["", ""],
  ["x", "x"],
  ["X", "x"],
  ["userRestrictions", "user_restrictions"],
  ["ThisIsATest", "this_is_a_test"],
  ["PFAndESI", "pf_and_esi"],
  ["AbcAndJkl", "abc_and_jkl"],
  ["EmployeeID", "employee_id"],
  ["SKU_ID", "sku_id"],
  ["FieldX", "field_x"],
  ["HTTPAndSMTP", "http_and_smtp"],
  ["HTTPServerHandlerForURLID", "http_server_handler_for_url_id"],
  ["UUID", "uuid"],
  ["HTTPURL", "http_url"],
  ["HTTP_URL", "http_url"],
  ["SHA256Hash", "sha256_hash"],
  ["SHA256HASH", "sha256_hash"],
  [
    "ThisIsActuallyATestSoWeMayBeAbleToUseThisCodeInGormPackageAlsoIdCanBeUsedAtTheEndAsID",
    "this_is_actually_a_test_so_we_may_be_able_to_use_this_code_in_gorm_package_also_id_can_be_used_at_the_end_as_id"
  ]
]

// JSON keys as plugins write them; the Go field is strings.Title(key) and its column gorm's toDBName of that.
// Each expectation was traced by hand through toDBName and the commonInitialisms replacer, then checked
// with Go (strings.Title + strings.NewReplacer + gorm's toDBName loop).
const devlakeCases: ReadonlyArray<readonly [string, string]> = [
  ["id", "id"],
  ["ID", "id"],
  ["url", "url"],
  ["name", "name"],
  ["connectionId", "connection_id"],
  ["scopeConfigId", "scope_config_id"],
  ["cicdScopeId", "cicd_scope_id"],
  ["createdAt", "created_at"],
  ["createdDate", "created_date"],
  ["startTime", "start_time"],
  ["durationSec", "duration_sec"],
  ["some_field", "some_field"],
  ["avatarURL", "avatar_url"],
  ["apiURL", "api_url"],
  ["isAPI", "is_api"],
  ["userIDs", "user_ids"],
  ["fooID", "foo_id"],
  // strings.NewReplacer prefers the earlier pattern "HTTP" over the longer "HTTPS": HttpSProxy.
  ["HTTPSProxy", "http_s_proxy"],
  ["HTTP2Server", "http2_server"],
  ["sha256Hash", "sha256_hash"],
  ["issue2Url", "issue2_url"],
  ["v2", "v2"],
  ["ABC", "abc"],
  ["a_b", "a_b"],
  // An upper-case letter after "_" at the very end still gets an underscore (gorm quirk).
  ["A_B", "a__b"],
  ["_raw_data_params", "_raw_data_params"],
  ["_raw_data_table", "_raw_data_table"],
  ["_raw_data_id", "_raw_data_id"],
  ["_raw_data_remark", "_raw_data_remark"]
]

describe("columnName (gorm NamingStrategy.ColumnName of the generated Go field)", () => {
  for (const [key, column] of gormCases) {
    it(`gorm: ${JSON.stringify(key)} → ${JSON.stringify(column)}`, () => {
      assert.strictEqual(naming.columnName(key), column)
    })
  }
  for (const [key, column] of devlakeCases) {
    it(`${key} → ${column}`, () => {
      assert.strictEqual(naming.columnName(key), column)
    })
  }
})

describe("goFieldName", () => {
  it("upper-cases only the first letter, like strings.Title on an identifier", () => {
    assert.strictEqual(naming.goFieldName("scopeConfigId"), "ScopeConfigId")
    assert.strictEqual(naming.goFieldName("i"), "I")
    assert.strictEqual(naming.goFieldName("URL"), "URL")
    assert.strictEqual(naming.goFieldName("_raw"), "_raw")
    assert.strictEqual(naming.goFieldName(""), "")
  })
})

describe("table names", () => {
  it("toolTableName: _tool_<plugin folder>_<plural of the lower-cased class name>", () => {
    assert.strictEqual(naming.toolTableName("fakeplugin", "FakePipeline"), "_tool_fakeplugin_fakepipelines")
    assert.strictEqual(naming.toolTableName("fakeplugin", "FakeProject"), "_tool_fakeplugin_fakeprojects")
    assert.strictEqual(naming.toolTableName("fakeplugin", "FakeScopeConfig"), "_tool_fakeplugin_fakescopeconfigs")
    assert.strictEqual(naming.toolTableName("fakeplugin", "FakeConnection"), "_tool_fakeplugin_fakeconnections")
    assert.strictEqual(naming.toolTableName("azuredevops", "GitRepository"), "_tool_azuredevops_gitrepositories")
  })

  it("rawTableName: _raw_<plugin name>_<lower-cased stream name>", () => {
    assert.strictEqual(naming.rawTableName("fake", "FakePipelineStream"), "_raw_fake_fakepipelinestream")
    assert.strictEqual(naming.rawTableName("azuredevops", "gitrepositories"), "_raw_azuredevops_gitrepositories")
  })

  it("tableOf: the model's explicit table, else the tool table of the plugin's folder", () => {
    assert.strictEqual(naming.tableOf({ folder: "fakeplugin" }, FakePipeline), "_tool_fakeplugin_fakepipelines")
    assert.strictEqual(naming.tableOf({ folder: "fakeplugin" }, Named), "named_things")
    assert.strictEqual(naming.tableName(FakePipeline, "x"), "_tool_x_fakepipelines")
  })

  it("rawTableOf and rawScopeTable: raw tables start with _raw_<plugin name>", () => {
    assert.strictEqual(naming.rawTableOf({ name: "fake" }, { name: "pipelines" }), "_raw_fake_pipelines")
    assert.strictEqual(naming.rawScopeTable({ name: "fake" }), "_raw_fake_scopes")
  })

  it("domainTableName: a domain model must name its table", () => {
    assert.strictEqual(naming.domainTableName(Named), "named_things")
    assert.throws(() => naming.domainTableName(Widget), /Widget has no table name/)
  })
})

describe("framework tables", () => {
  it("raw tables have pydevlake's RawModel columns, params indexed", () => {
    const spec = naming.rawTableSpec("_raw_fake_pipelines")
    assert.strictEqual(spec.name, "_raw_fake_pipelines")
    assert.deepStrictEqual(spec.columns.map((c) => c.name), ["id", "params", "data", "url", "input", "created_at"])
    assert.isTrue(spec.columns.find((c) => c.name === "params")?.index)
  })

  it("state, migration history and common.NoPKModel use DevLake's names", () => {
    assert.strictEqual(naming.stateTable.name, "_pydevlake_subtask_runs")
    assert.strictEqual(naming.historyTable.name, "_devlake_migration_history")
    assert.deepStrictEqual(
      naming.noPKColumns.map((c) => c.name),
      ["created_at", "updated_at", "_raw_data_params", "_raw_data_table", "_raw_data_id", "_raw_data_remark"]
    )
  })
})
