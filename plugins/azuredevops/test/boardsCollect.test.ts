// Collecting Azure Boards over the plugin's own client and canned answers (Testing.Api.routes): WIQL windows and
// batches, the keyset position a resumed or incremental run starts from, work items deleted meanwhile, the
// updates' paging and incremental skip, iterations shared by teams, and a run of the three streams.
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Chunk, Effect, Layer, Ref, Stream } from "effect"
import { type Api, DataStream } from "tsdevlake"
import { Db, Ipc, MigrationRunner, State } from "tsdevlake/runtime"
import * as AzureApi from "../src/api.js"
import {
  advance,
  clockSkewAllowanceMs,
  collectIterations,
  collectUpdates,
  collectWorkItems,
  type WorkItemsState
} from "../src/boards/collect.js"
import { WorkItem } from "../src/boards/models.js"
import { WorkItems, WorkItemUpdates } from "../src/boards/streams.js"
import { AzureDevOpsPlugin } from "../src/plugin.js"

const scope = {
  id: "repo1",
  name: "proj1/repo1",
  url: "https://dev.azure.com/org1/proj1/_git/repo1",
  projectId: "proj1",
  orgId: "org1"
}
const input = { connection: { token: "t" }, scope, scopeConfig: { entities: ["TICKET"] } }
const base = "/org1/proj1/_apis/wit"

const at = (second: number) => `2026-01-01T00:00:0${second}.000Z`
// Work items 1 and 2 changed at the same instant, and 4 and 5.
const changed: ReadonlyArray<readonly [number, number]> = [[1, 0], [2, 0], [3, 1], [4, 2], [5, 2], [6, 3], [7, 4]]

const workItem = (id: number, second: number) => ({
  id,
  rev: 1,
  url: `https://dev.azure.com/org1/p1id/_apis/wit/workItems/${id}`,
  fields: {
    "System.WorkItemType": "Task",
    "System.State": "New",
    "System.Title": `Task ${id}`,
    "System.TeamProject": "proj1",
    "System.CreatedDate": at(0),
    "System.ChangedDate": at(second)
  }
})

interface Log {
  wiql: Array<string>
  batches: Array<string>
}

// The categories of the states, which the service lists by work item type.
const typesRoute = (counter: { types: number } = { types: 0 }): Testing.Api.Routes => ({
  [`GET ${base}/workitemtypes`]: () => {
    counter.types++
    const states = [{ name: "New", category: "Proposed" }, { name: "Doing", category: "InProgress" }]
    return { body: { count: 2, value: [{ name: "Task", states }, { name: "Bug", states: null }] } }
  }
})

// WIQL as the service answers it, ties in an order of its own (newest id first), at most `$top` ids.
const boardsRoutes = (log: Log, deleted: ReadonlyArray<number> = []): Testing.Api.Routes => ({
  ...typesRoute(),
  [`POST ${base}/wiql`]: (request) => {
    const query = (request.body as { query: string }).query
    log.wiql.push(query)
    const since = /\[System\.ChangedDate\] >= '([^']+)'/.exec(query)?.[1]
    const ids = changed
      .filter(([, second]) => since === undefined || at(second) >= since)
      .sort((a, b) => a[1] - b[1] || b[0] - a[0])
      .map(([id]) => ({ id, url: `https://dev.azure.com/org1/p1id/_apis/wit/workItems/${id}` }))
    return { body: { workItems: ids.slice(0, Number(request.query["$top"])) } }
  },
  [`GET ${base}/workitems`]: (request) => {
    log.batches.push(request.query["ids"]!)
    expect(request.query["$expand"]).toBe("all")
    const ids = request.query["ids"]!.split(",").map(Number)
    const value = ids.map((id) => deleted.includes(id) ? null : workItem(id, changed.find(([i]) => i === id)![1]))
    return { body: { count: value.length, value } }
  }
})

const clients = (api: Layer.Layer<Api.Transport>) => {
  const ctx = Testing.context(AzureDevOpsPlugin, input)
  return AzureApi.layer(ctx.connection).pipe(Layer.provide(api))
}

const collect = <A, E>(stream: Stream.Stream<A, E, AzureApi.AzureDevOps>, routes: Testing.Api.Routes) =>
  Stream.runCollect(stream).pipe(Effect.map(Chunk.toReadonlyArray), Effect.provide(clients(Testing.Api.routes(routes))))

const idsOf = (records: ReadonlyArray<DataStream.RawRecord<unknown>>) =>
  records.map((record) => (record.data as { id: number }).id)

describe("collecting work items", () => {
  it.effect("pages WIQL in windows from the last position, fetching each work item once, in batches", () =>
    Effect.gen(function*() {
      const log: Log = { wiql: [], batches: [] }
      const records = yield* collect(collectWorkItems(scope, undefined, { wiqlTop: 3, batch: 2 }), boardsRoutes(log))
      expect(idsOf(records)).toEqual([2, 1, 3, 5, 4, 6, 7])
      expect(records.at(-1)!.state).toEqual({ since: new Date(at(4)), ids: [7] })
      expect(records[1]!.state).toEqual({ since: new Date(at(0)), ids: [2, 1] })
      expect(log.wiql).toHaveLength(4)
      expect(log.wiql[0]).toBe(
        "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project ORDER BY [System.ChangedDate] ASC"
      )
      expect(log.wiql[1]).toContain(`AND [System.ChangedDate] >= '${at(1)}'`)
      expect(log.batches).toEqual(["2,1", "3", "3,5", "4", "5,4", "6", "6,7"])
      // Each with its state's category, which the service lists by type only.
      expect(records.map((record) => (record.data as { x_state_category: unknown }).x_state_category))
        .toEqual(Array(7).fill("Proposed"))
    }))

  it.effect("resumes after the position: later changes, and those at its instant not stored yet", () =>
    Effect.gen(function*() {
      const log: Log = { wiql: [], batches: [] }
      const state: WorkItemsState = { since: new Date(at(2)), ids: [5] }
      const records = yield* collect(collectWorkItems(scope, state), boardsRoutes(log))
      expect(idsOf(records)).toEqual([4, 6, 7])
      expect(log.wiql).toEqual([
        `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.ChangedDate] >= '${
          at(2)
        }' ORDER BY [System.ChangedDate] ASC`
      ])
    }))

  it.effect("skips a work item deleted between the query and its batch", () =>
    Effect.gen(function*() {
      const records = yield* collect(collectWorkItems(scope, undefined), boardsRoutes({ wiql: [], batches: [] }, [3]))
      expect(idsOf(records)).toEqual([2, 1, 5, 4, 6, 7])
    }))

  it.effect("fails in one line when a whole window changed at one instant, rather than looping", () =>
    Effect.gen(function*() {
      const error = yield* collect(collectWorkItems(scope, undefined, { wiqlTop: 1, batch: 1 }), {
        ...boardsRoutes({ wiql: [], batches: [] }),
        [`POST ${base}/wiql`]: { body: { workItems: [{ id: 1 }] } }
      }).pipe(Effect.flip)
      expect(error.message).toBe(
        `collecting workitems: 1 work items in a row changed at ${at(0)}; WIQL cannot page past them`
      )
    }))

  it("keeps the position behind a work item changed after the run started", () => {
    const started = Date.parse(at(3))
    const before = advance(undefined, new Date(at(2)), 4, started)
    expect(before).toEqual({ since: new Date(at(2)), ids: [4] })
    expect(advance(before, new Date(at(4)), 9, started)).toBe(before)
    expect(advance(before, new Date(at(2)), 5, started)).toEqual({ since: new Date(at(2)), ids: [4, 5] })
    expect(advance(before, new Date(at(1)), 3, started)).toBe(before)
  })

  // A host clock ahead of the service's: a work item changed during the run carries a service time before the
  // local start. The allowance keeps the position behind it.
  it("keeps the position behind a work item changed up to the clock skew allowance before the local start", () => {
    const localStart = Date.parse("2026-01-01T12:00:00.000Z")
    const changedDuringRun = new Date(localStart - clockSkewAllowanceMs / 2)
    expect(advance(undefined, changedDuringRun, 7, localStart - clockSkewAllowanceMs)).toBeUndefined()
    expect(advance(undefined, changedDuringRun, 7, localStart)).toEqual({ since: changedDuringRun, ids: [7] })
  })
})

describe("collecting updates and iterations", () => {
  const item = (id: number, second: number) =>
    new WorkItem({
      scopeId: "repo1",
      id,
      rev: 1,
      url: "",
      title: "",
      workItemType: "Task",
      state: "New",
      teamProject: "proj1",
      createdDate: new Date(at(0)),
      changedDate: new Date(at(second))
    })

  it.effect("reads every page of a work item's updates, and none of one unchanged since the last run", () =>
    Effect.gen(function*() {
      const updates = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, workItemId: 7, rev: i + 1 }))
      const counter = { types: 0 }
      const routes: Testing.Api.Routes = {
        ...typesRoute(counter),
        [`GET ${base}/workItems/:id/updates`]: (request) => {
          const skip = Number(request.query["$skip"])
          const value = request.params["id"] === "7"
            ? updates.slice(skip, skip + Number(request.query["$top"]))
            : skip > 0
            ? []
            : [{ id: 1, workItemId: 8, rev: 2, fields: { "System.State": { oldValue: "New", newValue: "Doing" } } }]
          return { body: { count: value.length, value } }
        }
      }
      const all = yield* collect(
        Stream.concat(collectUpdates(scope, item(7, 4), undefined), collectUpdates(scope, item(8, 4), undefined)),
        routes
      )
      expect(idsOf(all)).toEqual([...updates.map((u) => u.id), 1])
      expect(all[0]!.state).toEqual({ since: new Date(at(4)) })
      // A state change carries both states' categories; the types were asked for once.
      expect(all[0]!.data).toEqual(updates[0])
      expect(all.at(-1)!.data).toMatchObject({ x_old_state_category: "Proposed", x_new_state_category: "InProgress" })
      expect(counter.types).toBe(1)
      // No route answers work item 6: a request for its updates would fail the test.
      const none = yield* collect(collectUpdates(scope, item(6, 3), { since: new Date(at(4)) }), routes)
      expect(none).toEqual([])
    }))

  it.effect("reads the iterations of every team, each path once", () =>
    Effect.gen(function*() {
      const iteration = (team: string, name: string) => ({ id: `${team}-${name}`, name, path: `proj1\\${name}` })
      const records = yield* collect(collectIterations(scope), {
        "GET /org1/_apis/projects/proj1/teams": { body: { count: 2, value: [{ id: "t1" }, { id: "t2" }] } },
        "GET /org1/proj1/t1/_apis/work/teamsettings/iterations": {
          body: { count: 2, value: [iteration("t1", "Sprint 1"), iteration("t1", "Sprint 2")] }
        },
        "GET /org1/proj1/t2/_apis/work/teamsettings/iterations": {
          body: { count: 2, value: [iteration("t2", "Sprint 2"), iteration("t2", "Sprint 3")] }
        }
      })
      expect(records.map((r) => (r.data as { id: string }).id)).toEqual(["t1-Sprint 1", "t1-Sprint 2", "t2-Sprint 3"])
    }))
})

describe("a run of the Boards streams", () => {
  it.effect("work items and their updates land in issues, board_issues and issue_changelogs", () =>
    Effect.gen(function*() {
      const update = (workItemId: number, rev: number, fields: object) => ({
        id: rev,
        workItemId,
        rev,
        revisedDate: "9999-01-01T00:00:00Z",
        fields: { "System.ChangedDate": { newValue: at(5) }, ...fields }
      })
      const counts = yield* Testing.assertStreamRun(AzureDevOpsPlugin, WorkItemUpdates, {
        ...input,
        api: Testing.Api.routes({
          ...boardsRoutes({ wiql: [], batches: [] }),
          [`GET ${base}/workItems/:id/updates`]: (request) => {
            const id = Number(request.params["id"])
            const value = Number(request.query["$skip"]) > 0 ? [] : [
              update(id, 1, { "System.State": { newValue: "New" } }),
              update(id, 2, { "System.State": { oldValue: "New", newValue: "Active" } })
            ]
            return { body: { count: value.length, value } }
          }
        })
      })
      expect(counts["_raw_azuredevops_workitems"]).toBe(7)
      expect(counts["_tool_azuredevops_workitems"]).toBe(7)
      expect(counts["issues"]).toBe(7)
      expect(counts["board_issues"]).toBe(7)
      expect(counts["_raw_azuredevops_workitemupdates"]).toBe(14)
      expect(counts["_tool_azuredevops_workitemupdates"]).toBe(7)
      expect(counts["issue_changelogs"]).toBe(7)
    }))
})

describe("two repositories of one project", () => {
  it.effect("each work item is one issue, on both boards, and a scope's full rerun keeps the other's rows", () => {
    const one = Testing.context(AzureDevOpsPlugin, input)
    const two = Testing.context(AzureDevOpsPlugin, { ...input, scope: { ...scope, id: "repo2", name: "proj1/repo2" } })
    const api = Testing.Api.routes(boardsRoutes({ wiql: [], batches: [] }))
    const services = Layer.mergeAll(
      State.layerSql,
      Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([])),
      Testing.Api.withApi(Testing.layer(AzureDevOpsPlugin, one), api, one.connection)
    ).pipe(Layer.provideMerge(Db.layerMemory))
    return Effect.gen(function*() {
      const db = yield* Db.Database
      yield* MigrationRunner.apply(AzureDevOpsPlugin.migrations, { domainModels: WorkItems.domainModels })
      for (const ctx of [one, two, one]) {
        for (const verb of DataStream.verbs) yield* Testing.runSubtask(AzureDevOpsPlugin, verb, WorkItems, ctx)
      }
      const counts = yield* Testing.rowCounts
      expect(counts["_tool_azuredevops_workitems"]).toBe(14)
      expect(counts["issues"]).toBe(7)
      const boards = yield* db.execute(
        "SELECT board_id, COUNT(*) AS n FROM board_issues GROUP BY board_id ORDER BY board_id"
      )
      expect(boards.map((row) => [row["board_id"], Number(row["n"])])).toEqual([
        ["azuredevops:GitRepository:1:repo1", 7],
        ["azuredevops:GitRepository:1:repo2", 7]
      ])
    }).pipe(Effect.provide(services))
  })
})
