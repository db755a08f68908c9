/**
 * The `plugin-info` reply checked as the Go server checks it at load, with the framework's rules.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { checkPluginInfo } from "../../src/run/pluginInfo.js"

const model = (table: string, properties: Record<string, unknown> = { name: { type: "string" } }) => ({
  table_name: table,
  json_schema: { title: table, type: "object", properties, required: [] }
})

const meta = (name: string, entry: string) => ({
  name,
  entry_point_name: entry,
  arguments: ["users"],
  required: false,
  enabled_by_default: false,
  description: name,
  domain_types: ["CROSS"]
})

const reply = (overrides: Record<string, unknown> = {}) => ({
  name: "demo",
  description: "demo",
  plugin_path: "/plugins/demo/run.sh",
  extension: "datasource",
  connection_model_info: model("_tool_demo_connections"),
  scope_model_info: model("_tool_demo_scopes"),
  scope_config_model_info: model("_tool_demo_scope_configs"),
  tool_model_infos: [model("_tool_demo_users")],
  subtask_metas: [meta("Collect Users", "collect"), meta("Extract Users", "extract")],
  migration_scripts: [{
    version: 20260101000000,
    name: "init",
    operations: [{ type: "create_table", model_info: model("_tool_demo_users") }]
  }],
  ...overrides
})

const problems = (json: unknown) => Either.match(checkPluginInfo(json), { onLeft: (p) => p, onRight: () => [] })

describe("checkPluginInfo", () => {
  it("accepts a reply Go loads", () => {
    expect(problems(reply())).toEqual([])
    expect(Either.isRight(checkPluginInfo(reply()))).toBe(true)
  })

  it("refuses a reply that does not decode", () => {
    expect(problems({ name: "demo" })).toEqual([expect.stringMatching(/^the reply does not decode: /)])
  })

  it("finds a json_schema Go cannot convert, in a model and in a create_table", () => {
    const bad = model("_tool_demo_users", { "not-a-go-name": { type: "string" } })
    const found = problems(reply({
      tool_model_infos: [bad],
      migration_scripts: [{
        version: 20260101000000,
        name: "init",
        operations: [{ type: "create_table", model_info: bad }]
      }]
    }))
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/^a tool model \(table _tool_demo_users\): .*not-a-go-name/)
    expect(found[1]).toMatch(/^create_table of migration "init" \(table _tool_demo_users\): .*not-a-go-name/)
  })

  it("finds a migration operation Go does not know; scripts out of order are fine (Go sorts them)", () => {
    expect(
      problems(reply({ migration_scripts: [{ version: 20260101000000, name: "x", operations: [{ type: "nope" }] }] }))
    )
      .toEqual([expect.stringMatching(/^migration_scripts do not decode: /)])
    const script = (version: number, name: string) => ({ version, name, operations: [] })
    expect(problems(reply({ migration_scripts: [script(20260102000000, "b"), script(20260101000000, "a")] })))
      .toEqual([])
  })

  it("finds two subtasks with the same name", () => {
    expect(problems(reply({ subtask_metas: [meta("Collect Users", "collect"), meta("Collect Users", "extract")] })))
      .toEqual(["two subtasks are named \"Collect Users\""])
  })
})
