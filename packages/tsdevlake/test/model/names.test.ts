import { assert, describe, it } from "@effect/vitest"
import * as naming from "../../src/internal/model/names.js"

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

describe("isGoIdentifier", () => {
  const table: ReadonlyArray<readonly [string, boolean]> = [
    ["id", true],
    ["scopeConfigId", true],
    ["some_field", true],
    ["field2", true],
    ["X", true],
    ["_raw_data_params", false],
    ["2fa", false],
    ["with-dash", false],
    ["with space", false],
    ["dotted.name", false],
    ["ümlaut", false],
    ["", false]
  ]
  for (const [key, expected] of table) {
    it(`${JSON.stringify(key)} → ${expected}`, () => {
      assert.strictEqual(naming.isGoIdentifier(key), expected)
    })
  }
})

// plural_noun of inflect 6.0.4 (the version in pydevlake's poetry.lock), run on each word; quirks included
// ("waltzzes", "fakechilds": inflect's irregular forms apply to whole words only).
const inflectCases: ReadonlyArray<readonly [string, string]> = [
  ["fakepipeline", "fakepipelines"],
  ["gitrepository", "gitrepositories"],
  ["fakeproject", "fakeprojects"],
  ["fakescopeconfig", "fakescopeconfigs"],
  ["fakeconnection", "fakeconnections"],
  ["build", "builds"],
  ["job", "jobs"],
  ["timelinerecord", "timelinerecords"],
  ["pullrequest", "pullrequests"],
  ["commit", "commits"],
  ["issue", "issues"],
  ["user", "users"],
  ["account", "accounts"],
  ["sprint", "sprints"],
  ["workitem", "workitems"],
  ["deployment", "deployments"],
  ["branch", "branches"],
  ["repository", "repositories"],
  ["repo", "repos"],
  ["status", "statuses"],
  ["index", "indexes"],
  ["analysis", "analyses"],
  ["data", "datas"],
  ["metadata", "metadatas"],
  ["info", "infos"],
  ["todo", "todoes"],
  ["hello", "helloes"],
  ["video", "videos"],
  ["policy", "policies"],
  ["key", "keys"],
  ["day", "days"],
  ["query", "queries"],
  ["box", "boxes"],
  ["quiz", "quizzes"],
  ["buzz", "buzzes"],
  ["waltz", "waltzzes"],
  ["process", "processes"],
  ["address", "addresses"],
  ["bus", "buses"],
  ["bonus", "bonuses"],
  ["virus", "viruses"],
  ["canvas", "canvases"],
  ["alias", "aliases"],
  ["gas", "gases"],
  ["axis", "axes"],
  ["matrix", "matrixes"],
  ["vertex", "vertexes"],
  ["leaf", "leaves"],
  ["knife", "knives"],
  ["life", "lives"],
  ["wolf", "wolves"],
  ["shelf", "shelves"],
  ["scarf", "scarves"],
  ["roof", "roofs"],
  ["chief", "chiefs"],
  ["proof", "proofs"],
  ["staff", "staffs"],
  ["thief", "thiefs"],
  ["person", "people"],
  ["child", "children"],
  ["man", "men"],
  ["woman", "women"],
  ["human", "humans"],
  ["german", "germen"],
  ["foot", "feet"],
  ["tooth", "teeth"],
  ["mouse", "mice"],
  ["goose", "geese"],
  ["die", "dice"],
  ["ox", "oxen"],
  ["fish", "fish"],
  ["sheep", "sheep"],
  ["aircraft", "aircraft"],
  ["series", "series"],
  ["news", "news"],
  ["datum", "data"],
  ["medium", "mediums"],
  ["criterion", "criteria"],
  ["cactus", "cactuses"],
  ["radius", "radiuses"],
  ["stimulus", "stimuli"],
  ["formula", "formulas"],
  ["vertebra", "vertebrae"],
  ["photo", "photos"],
  ["logo", "logos"],
  ["memo", "memos"],
  ["zero", "zeros"],
  ["hero", "heroes"],
  ["echo", "echoes"],
  ["tomato", "tomatoes"],
  ["taco", "tacos"],
  ["piano", "pianos"],
  ["stomach", "stomachs"],
  ["epoch", "epoches"],
  ["match", "matches"],
  ["it", "they"],
  ["me", "us"],
  ["fakechild", "fakechilds"],
  ["fakeperson", "fakepeople"],
  ["fakeman", "fakemen"],
  ["fakehuman", "fakehumans"],
  ["fakedatum", "fakedata"],
  ["fakestatus", "fakestatuses"],
  ["fakeseries", "fakeseriess"],
  ["fakefish", "fakefish"],
  ["fakeinformation", "fakeinformation"],
  ["fakequiz", "fakequizzes"],
  ["fakeleaf", "fakeleaves"],
  ["fakerepo", "fakerepos"],
  ["fakehero", "fakeheroes"],
  ["fakeaircraft", "fakeaircraft"],
  ["fakeindex", "fakeindexes"],
  ["fakepolicy", "fakepolicies"],
  ["fakekey", "fakekeys"],
  ["fakeday", "fakedays"],
  ["cicdpipeline", "cicdpipelines"],
  ["cqissue", "cqissues"],
  ["issuecomment", "issuecomments"],
  ["sha", "shas"]
]

describe("plural (pydevlake's inflect)", () => {
  for (const [word, expected] of inflectCases) {
    it(`${word} → ${expected}`, () => {
      assert.strictEqual(naming.plural(word), expected)
    })
  }
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
})
