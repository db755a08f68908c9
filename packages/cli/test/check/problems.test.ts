/**
 * pluginInfoProblems on the built fixture's plugin-info reply, as DevLake reads it, and on copies broken in one
 * way each.
 */
import { describe, expect, it } from "@effect/vitest"
import { pluginInfoProblems } from "../../src/check/problems.js"
import { fixtureReply } from "../bin.js"

describe("pluginInfoProblems", () => {
  it("finds nothing wrong in a plugin DevLake accepts", () => {
    expect(pluginInfoProblems(fixtureReply())).toEqual([])
  })

  it("names a tool model Go cannot turn into a table", () => {
    const reply = fixtureReply()
    reply.tool_model_infos[0].json_schema.properties["pipeline-name"] = { type: "string" }
    const problems = pluginInfoProblems(reply)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^a tool model \(table _tool_fakeplugin_fakepipelines\): .*pipeline-name/)
  })

  it("names a model's table that no migration script creates", () => {
    const reply = fixtureReply()
    const init = reply.migration_scripts[0]
    init.operations = init.operations.filter((op: any) =>
      op.model_info?.table_name !== "_tool_fakeplugin_fakepipelines"
    )
    expect(pluginInfoProblems(reply)).toEqual([
      "the tool model FakePipeline uses table _tool_fakeplugin_fakepipelines, which no migration script creates " +
      "(add a script with Migration.createTable for it)"
    ])
  })

  it("names a subtask name given twice", () => {
    const reply = fixtureReply()
    reply.subtask_metas.push({ ...reply.subtask_metas[0], entry_point_name: "other" })
    expect(pluginInfoProblems(reply)).toEqual([`two subtasks are named "Collect Fakepipelinestream"`])
  })

  it("names a domain type DevLake does not know", () => {
    const reply = fixtureReply()
    reply.subtask_metas[1].domain_types = ["CICD", "SCM"]
    expect(pluginInfoProblems(reply)).toEqual([
      `subtask "Extract Fakepipelinestream" has the unknown domain type "SCM" (DevLake knows ` +
      `CODE, TICKET, CODEREVIEW, CROSS, CICD, CODEQUALITY)`
    ])
  })

  it("says why a reply does not decode", () => {
    const reply = fixtureReply()
    delete reply.subtask_metas
    const problems = pluginInfoProblems(reply)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^the reply does not decode: [^\n]*\["subtask_metas"\][^\n]*is missing$/)
  })
})
