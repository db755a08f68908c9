/**
 * `tsdevlake check plugins/azuredevops`: the checks DevLake would otherwise fail on at start-up (plugin-info
 * against Go's rules, migrations creating every table, unique subtask names, known domain types) pass on the
 * built plugin. Issue 14's acceptance.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { describe, expect, it } from "vitest"

const root = path.resolve(import.meta.dirname, "../../..")

describe("tsdevlake check", () => {
  it("passes on the Azure DevOps plugin, with its 21 subtasks", () => {
    const result = spawnSync("npx", ["tsdevlake", "check", "plugins/azuredevops"], { cwd: root, encoding: "utf8" })
    expect(result.stderr).toBe("")
    expect(result.stdout).toBe("plugins/azuredevops: OK (plugin azuredevops, 21 subtasks, as DevLake reads it)\n")
    expect(result.status).toBe(0)
  }, 120_000)
})
