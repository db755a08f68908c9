/**
 * `npm start` (scripts/start.ts, after the build `npm start` runs first): the plugin against its mock through
 * run.sh, and a summary with rows in the raw, tool and domain tables of every stream. Issue 14's acceptance.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { describe, expect, it } from "vitest"

const root = path.resolve(import.meta.dirname, "../../..")

/** The rows per table of the summary's last table (`table  rows`). */
const summaryRows = (stdout: string): ReadonlyMap<string, number> => {
  const lines = stdout.split("\n")
  const start = lines.findIndex((line) => line.startsWith("rows of the scope in "))
  expect(start, stdout).toBeGreaterThan(-1)
  const rows = new Map<string, number>()
  for (const line of lines.slice(start + 3)) {
    const match = /^(\w+)\s+(\d+)$/.exec(line.trim())
    if (match !== null) rows.set(match[1]!, Number(match[2]))
  }
  return rows
}

// Every stream's raw, tool and domain tables.
const tables = [
  ["_raw_azuredevops_gitpullrequests", "_tool_azuredevops_gitpullrequests", "pull_requests"],
  ["_raw_azuredevops_gitpullrequestcommits", "_tool_azuredevops_gitpullrequestcommits", "pull_request_commits"],
  ["_raw_azuredevops_builds", "_tool_azuredevops_builds", "cicd_pipelines", "cicd_pipeline_commits"],
  ["_raw_azuredevops_jobs", "_tool_azuredevops_jobs", "cicd_tasks"],
  ["_raw_azuredevops_iterations", "_tool_azuredevops_iterations", "sprints", "board_sprints"],
  ["_raw_azuredevops_workitems", "_tool_azuredevops_workitems", "issues", "board_issues", "sprint_issues"],
  ["_raw_azuredevops_workitemupdates", "_tool_azuredevops_workitemupdates", "issue_changelogs"]
].flat()

describe("npm start", () => {
  it("runs the Azure DevOps plugin against its mock: rows in every stream's raw, tool and domain tables", () => {
    const result = spawnSync("npx", ["tsx", "--conditions=@tsdevlake/source", "scripts/start.ts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" }
    })
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toContain(`"success":true`)
    const rows = summaryRows(result.stdout)
    for (const table of tables) expect(rows.get(table), `${table} in\n${result.stdout}`).toBeGreaterThan(0)
  }, 180_000)
})
