/**
 * Azure Boards through run.sh, as DevLake runs it, against the mock's on-premises collection
 * (`/DefaultCollection/`), on SQLite, MySQL and PostgreSQL: the mock's work items land in `issues` and
 * `board_issues` with their types and statuses mapped by the scope config, their updates in
 * `issue_changelogs`, the iterations in `sprints`; then an incremental collect asks only for what changed.
 */
import { isolatedDatabase, testDatabases } from "@tsdevlake/testing"
import { Effect } from "effect"
import * as path from "node:path"
import { Db, Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Mock, startMock } from "../mock/index.js"

const runSh = path.resolve(import.meta.dirname, "../run.sh")
const STREAMS = ["iterations", "workitems", "workitemupdates"]

const query = (url: string, statement: string) =>
  Effect.runPromise(
    Effect.flatMap(Db.Database, (db) => db.execute(statement)).pipe(Effect.provide(Db.layer(url)))
  )

const databases = await testDatabases()

for (const database of databases) {
  describe.skipIf(database.skip !== undefined)(`Azure Boards through run.sh on ${database.name}`, () => {
    let mock: Mock
    let url = ""
    let drop = async () => {}
    const project = () => mock.data.organizations[0]!.projects[0]!
    const context = (options: Record<string, unknown> = {}) => {
      const repo = project().repositories[0]!
      return {
        db_url: url,
        connection: {
          id: 1,
          name: "server",
          token: mock.data.token,
          endpoint: mock.collectionUrl("", "DefaultCollection")
        },
        scope: {
          id: repo.id,
          connectionId: 1,
          name: `${project().name}/${repo.name}`,
          url: `${mock.url}DefaultCollection/${project().name}/_git/${repo.name}`,
          projectId: project().name,
          orgId: "DefaultCollection",
          scopeConfigId: 1
        },
        scope_config: {
          id: 1,
          connectionId: 1,
          name: "boards",
          entities: ["TICKET"],
          issueTypeMapping: { Task: "SUBTASK" },
          incidentTypes: ["Bug"],
          incidentTags: ["incident"],
          incidentPriorityPattern: "^1$"
        },
        options
      }
    }
    const subtask = async (verb: string, stream: string, options: Record<string, unknown> = {}) => {
      const result = await Effect.runPromise(Invoker.run({ runSh, method: verb, args: [context(options), stream] }))
      expect(result.stderr, result.stderr.join("\n")).toEqual([])
      expect(result.exitCode).toBe(0)
    }
    const count = async (table: string) => Number((await query(url, `SELECT COUNT(*) AS n FROM ${table}`))[0]!["n"])

    beforeAll(async () => {
      // Pages of 2: a work item's updates span several.
      mock = await startMock({ seed: "boards", size: 20, pageSize: 2 })
      const isolated = await isolatedDatabase(database, "azboards")
      url = isolated.url
      drop = isolated.drop
      const migrate = await Effect.runPromise(Invoker.run({ runSh, method: "migrate", args: [{ db_url: url }] }))
      expect(migrate.stderr, migrate.stderr.join("\n")).toEqual([])
      for (const stream of STREAMS) {
        for (const verb of ["collect", "extract", "convert"]) await subtask(verb, stream)
      }
    }, 120_000)
    afterAll(async () => {
      await mock?.close()
      await drop()
    })

    it("writes every work item to issues and the board, typed and statused by the scope config", async () => {
      const items = project().workItems
      const board = `azuredevops:GitRepository:1:${project().repositories[0]!.id}`
      expect(await count("issues")).toBe(items.length)
      const onBoard = await query(url, `SELECT COUNT(*) AS n FROM board_issues WHERE board_id = '${board}'`)
      expect(Number(onBoard[0]!["n"])).toBe(items.length)
      const rows = await query(url, "SELECT id, type, original_type, status, original_status FROM issues")
      const byId = new Map(rows.map((row) => [String(row["id"]), row]))
      const expectedType = (fields: Record<string, unknown>) => {
        const type = String(fields["System.WorkItemType"])
        const tags = String(fields["System.Tags"] ?? "").split(";").map((tag) => tag.trim().toLowerCase())
        if (type === "Bug" && tags.includes("incident") && fields["Microsoft.VSTS.Common.Priority"] === 1) {
          return "INCIDENT"
        }
        return ({ Bug: "BUG", Task: "SUBTASK", Epic: "REQUIREMENT", Feature: "REQUIREMENT" } as Record<string, string>)[
          type
        ] ?? "REQUIREMENT"
      }
      const statuses: Record<string, string> = {
        New: "TODO",
        Active: "IN_PROGRESS",
        Resolved: "DONE",
        Closed: "DONE",
        Removed: "DONE"
      }
      for (const item of items) {
        const row = byId.get(`azuredevops:WorkItem:1:DefaultCollection:${item.id}`)
        expect(row, `work item ${item.id}`).toBeDefined()
        expect(row).toEqual({
          id: `azuredevops:WorkItem:1:DefaultCollection:${item.id}`,
          type: expectedType(item.fields),
          original_type: item.fields["System.WorkItemType"],
          status: statuses[String(item.fields["System.State"])],
          original_status: item.fields["System.State"]
        })
      }
      // Every state's category came from the service's work item types.
      const uncategorized = await query(
        url,
        "SELECT COUNT(*) AS n FROM _tool_azuredevops_workitems WHERE state_category IS NULL"
      )
      expect(Number(uncategorized[0]!["n"])).toBe(0)
      const types = new Set(rows.map((row) => row["type"]))
      expect([...types].sort()).toEqual(["BUG", "INCIDENT", "REQUIREMENT", "SUBTASK"])
    })

    it("writes the updates' state, assignee and sprint changes, and the sprints", async () => {
      const items = project().workItems
      const tracked = ["System.State", "System.AssignedTo", "System.IterationPath"]
      const changes = items.flatMap((item) =>
        item.updates.filter((u) => u.rev > 1).flatMap((u) => tracked.filter((f) => f in u.fields))
      )
      expect(changes.length).toBeGreaterThan(items.length)
      expect(await count("issue_changelogs")).toBe(changes.length)
      const names = await query(url, "SELECT DISTINCT field_name FROM issue_changelogs")
      expect(names.map((row) => String(row["field_name"])).sort()).toEqual(["Sprint", "assignee", "status"])
      expect(await count("sprints")).toBe(project().iterations.length)
      expect(await count("board_sprints")).toBe(project().iterations.length)
      const inSprints = items.filter((item) => String(item.fields["System.IterationPath"]).includes("\\"))
      expect(await count("sprint_issues")).toBe(inSprints.length)
    })

    it("an incremental collect asks WIQL only for the changes since, and stores none of the work items again", async () => {
      const raw = await count("_raw_azuredevops_workitems")
      mock.clearLog()
      await subtask("collect", "workitems", { incremental: true })
      const paths = mock.requests.map((r) => new URL(r.url).pathname.toLowerCase())
      expect(paths.filter((p) => p.endsWith("/_apis/wit/wiql"))).toHaveLength(1)
      // The work items changed at the last one's instant, which WIQL lists again, fetched in one batch.
      expect(paths.filter((p) => p.endsWith("/_apis/wit/workitems"))).toHaveLength(1)
      expect(await count("_raw_azuredevops_workitems")).toBe(raw)
    })

    it("an incremental collect of updates asks only for the work items changed at or after the last run's", async () => {
      const changedAt = (fields: Record<string, unknown>) => Date.parse(String(fields["System.ChangedDate"]))
      const newest = Math.max(...project().workItems.map((item) => changedAt(item.fields)))
      const latest = project().workItems.filter((item) => changedAt(item.fields) === newest).map((item) => item.id)
      mock.clearLog()
      await subtask("collect", "workitemupdates", { incremental: true })
      const asked = new Set(
        mock.requests.map((r) => /\/workItems\/(\d+)\/updates$/i.exec(new URL(r.url).pathname)?.[1]).filter((id) =>
          id !== undefined
        ).map(Number)
      )
      expect([...asked].sort()).toEqual(latest.sort())
    })
  })
}
