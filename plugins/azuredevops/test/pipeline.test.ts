/**
 * The plugin's whole pipeline through run.sh, as `tsdevlake run` (and `npm start`) runs it, against the mock:
 * on SQLite, MySQL and PostgreSQL, every stream writes raw, tool and domain rows, as many as the mock's data says,
 * with a few rows checked field by field; and the cloud hosts reached through the mock as proxy write the same
 * tool and domain rows as the same data read from an on-premises collection URL.
 */
import { isolatedDatabase, type TestDatabase, testDatabases } from "@tsdevlake/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Mock, startMock } from "../mock/index.js"
import {
  cloudConnection,
  type Connection,
  onPremConnection,
  pipeline,
  remoteScope,
  scopeRows
} from "./support/runSh.js"

type Mode = "cloud" | "onprem"

interface Run {
  readonly url: string
  readonly scope: Connection
  readonly params: string
  readonly rows: ReadonlyMap<string, number>
  readonly lines: ReadonlyArray<string>
}

const databases = await testDatabases()
const sqlite = databases.find((d) => d.name === "sqlite")!
const postgres = databases.find((d) => d.name === "postgres")!

let mock: Mock
const drops: Array<() => Promise<void>> = []
const runs = new Map<string, Promise<Run>>()

beforeAll(async () => {
  // A small project: the run's length is its 21 subtasks' processes, not the data.
  mock = await startMock({ seed: "pipeline", size: 6, pageSize: 4 })
  // Every run starts now, side by side: the suites below run one after the other and each awaits its own.
  for (const database of databases) if (database.skip === undefined) void runOn(database, modeOf(database))
  if (postgres.skip !== undefined) void runOn(sqlite, "cloud")
})

/**
 * PostgreSQL's `DROP DATABASE … WITH (FORCE)` fails while an autovacuum worker (another role) is in the database,
 * which the pipeline's writes can start: tried again until the worker is gone.
 */
const dropped = async (drop: () => Promise<void>) => {
  for (let attempt = 1;; attempt++) {
    try {
      return await drop()
    } catch (error) {
      if (attempt >= 20 || !/pg_signal_backend/.test(String(error))) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

afterAll(async () => {
  await Promise.all(drops.map(dropped))
  await mock?.close()
})

/** PostgreSQL's run goes to the cloud hosts through the proxy, the others' to the on-premises collection URL. */
const modeOf = (database: TestDatabase): Mode => (database.name === "postgres" ? "cloud" : "onprem")

/** One pipeline run per database and mode, shared by the tests that read it. */
const runOn = (database: TestDatabase, mode: Mode): Promise<Run> => {
  const key = `${database.name}/${mode}`
  const existing = runs.get(key)
  if (existing !== undefined) return existing
  const started = (async () => {
    const isolated = await isolatedDatabase(database, `azdo${mode}`)
    drops.push(isolated.drop)
    const connection = mode === "cloud" ? cloudConnection(mock) : onPremConnection(mock)
    const scope = await remoteScope(mock, connection, "fabrikam/web", "web/web-app")
    const result = await pipeline(mock, { connection, scope, dbUrl: isolated.url })
    const params = JSON.stringify({ ConnectionId: 1, ScopeId: scope["id"] })
    return { url: isolated.url, scope, params, rows: new Map(result.rows), lines: result.lines }
  })()
  runs.set(key, started)
  // Started ahead of the test that awaits it: its failure is that test's, not an unhandled rejection.
  started.catch(() => undefined)
  return started
}

/** The rows the mock's data says each table gets from the scope `web/web-app`. */
const expectedCounts = () => {
  const web = mock.data.organizations[0]!.projects[0]!
  const repo = web.repositories[0]!
  const prs = repo.pullRequests.length
  const commits = repo.pullRequests.reduce((n, pr) => n + pr.commits.length, 0)
  const builds = web.builds.filter((b) => b.repository.id === repo.id)
  const started = builds.filter((b) => b.startTime !== undefined).length
  const records = builds.flatMap((b) => b.records).filter((r) => r.type === "Job" || r.type === "Stage")
  const items = web.workItems.length
  const updates = web.workItems.reduce((n, w) => n + w.updates.length, 0)
  return {
    _raw_azuredevops_gitpullrequests: prs,
    _tool_azuredevops_gitpullrequests: prs,
    pull_requests: prs,
    // A commit in two pull requests is stored for each.
    _raw_azuredevops_gitpullrequestcommits: commits,
    _tool_azuredevops_gitpullrequestcommits: commits,
    pull_request_commits: commits,
    _raw_azuredevops_builds: builds.length,
    _tool_azuredevops_builds: builds.length,
    // A build that never started is no pipeline run.
    cicd_pipelines: started,
    cicd_pipeline_commits: started,
    _raw_azuredevops_jobs: records.length,
    _tool_azuredevops_jobs: records.length,
    cicd_tasks: records.filter((r) => r.startTime !== null).length,
    _raw_azuredevops_workitems: items,
    _tool_azuredevops_workitems: items,
    issues: items,
    board_issues: items,
    _raw_azuredevops_workitemupdates: updates,
    _raw_azuredevops_iterations: web.iterations.length,
    _tool_azuredevops_iterations: web.iterations.length,
    sprints: web.iterations.length
  }
}

const checkRows = async (run: Run) => {
  const web = mock.data.organizations[0]!.projects[0]!
  const [repo, fork] = web.repositories
  const repoId = `azuredevops:GitRepository:1:${repo!.id}`
  const forked = repo!.pullRequests.find((pr) => pr.forkSourceRepositoryId !== undefined)!
  const prs = await scopeRows(run.url, "pull_requests", run.params)
  const row = prs.find((r) => r["id"] === `azuredevops:GitPullRequest:1:${forked.pullRequestId}`)
  expect(row).toMatchObject({
    base_repo_id: `azuredevops:GitRepository:1:${fork!.id}`,
    head_repo_id: repoId,
    status: "MERGED",
    original_status: "completed",
    title: forked.title,
    url: `${String(run.scope["url"])}/pullrequest/${forked.pullRequestId}`,
    author_id: forked.createdBy.id,
    type: forked.labels[0],
    merge_commit_sha: forked.mergeCommitId,
    head_ref: forked.sourceRefName,
    base_ref: "refs/heads/main",
    head_commit_sha: forked.commits.at(-1)!.commitId,
    base_commit_sha: forked.targetCommitId
  })
  // The commit two pull requests share is in both.
  const shared = repo!.pullRequests.find((pr, i) =>
    i > 0 && pr.commits[0] === repo!.pullRequests[i - 1]!.commits.at(-1)
  )!
  const commits = await scopeRows(run.url, "pull_request_commits", run.params)
  expect(commits.filter((c) => c["commit_sha"] === shared.commits[0]!.commitId).map((c) => c["pull_request_id"]).sort())
    .toEqual([shared.pullRequestId - 1, shared.pullRequestId].map((id) => `azuredevops:GitPullRequest:1:${id}`).sort())
  const failed = web.builds.find((b) => b.result === "failed" && b.repository.id === repo!.id)!
  const pipelines = await scopeRows(run.url, "cicd_pipelines", run.params)
  expect(pipelines.find((p) => p["id"] === `azuredevops:Build:1:${failed.id}`)).toMatchObject({
    name: failed.definition.name,
    status: "DONE",
    result: "FAILURE",
    original_status: "Completed",
    original_result: "Failed",
    cicd_scope_id: repoId
  })
  const never = web.builds.find((b) => b.startTime === undefined && b.repository.id === repo!.id)!
  expect(pipelines.some((p) => p["id"] === `azuredevops:Build:1:${never.id}`)).toBe(false)
  // A production deployment job: its environment extracted by the pattern and matched as production.
  const deploy = web.builds.flatMap((b) => b.records.map((r) => ({ b, r }))).find(({ r }) =>
    r.type === "Job" && r.name === "deploy_prod_helm" && r.state === "completed"
  )!
  const tasks = await scopeRows(run.url, "cicd_tasks", run.params)
  expect(tasks.find((t) => t["name"] === deploy.r.name && t["pipeline_id"] === `azuredevops:Build:1:${deploy.b.id}`))
    .toMatchObject({ type: "DEPLOYMENT", environment: "PRODUCTION", status: "DONE", cicd_scope_id: repoId })
}

for (const database of databases) {
  describe.skipIf(database.skip !== undefined)(`the pipeline on ${database.name}`, () => {
    const mode = modeOf(database)
    it.concurrent(`writes raw, tool and domain rows of every stream as the mock's data says (${mode})`, async () => {
      const run = await runOn(database, mode)
      expect(run.lines).toContain("not run: the tasks of gitextractor, refdiff (DevLake's own plugins run them)")
      const expected = expectedCounts()
      const actual = Object.fromEntries(Object.keys(expected).map((table) => [table, run.rows.get(table) ?? 0]))
      expect(actual).toEqual(expected)
      for (const table of ["_tool_azuredevops_workitemupdates", "issue_changelogs", "board_sprints", "sprint_issues"]) {
        expect(run.rows.get(table) ?? 0, table).toBeGreaterThan(0)
      }
      await checkRows(run)
    }, 180_000)
  })
}

/**
 * A value as the same in every database: a date as ISO text, a boolean as 0/1, a number whatever its column
 * type (PostgreSQL's bigint and MySQL's decimal arrive as text).
 */
const plain = (value: unknown): unknown => {
  if (typeof value === "boolean") return value ? 1 : 0
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) {
    return new Date(value).toISOString()
  }
  return value
}

const comparable = (rows: ReadonlyArray<Record<string, unknown>>, from: string, to: string) =>
  rows
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, plain(typeof v === "string" ? v.replaceAll(from, to) : v)])
      )
    )
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))

describe("the cloud through the proxy and an on-premises collection URL", () => {
  // The runs of the tests above (PostgreSQL's through the cloud, SQLite's on-premises): no extra pipeline, unless
  // PostgreSQL is absent (outside CI).
  const cloudDatabase = postgres.skip === undefined ? postgres : sqlite
  it.concurrent("write the same tool and domain rows, URLs aside", async () => {
    const [cloud, onPrem] = await Promise.all([runOn(cloudDatabase, "cloud"), runOn(sqlite, "onprem")])
    expect(onPrem.params).toBe(cloud.params)
    const tables = [...cloud.rows.keys()].filter((t) => !t.startsWith("_raw_") && t !== "_pydevlake_subtask_runs")
    expect([...onPrem.rows.keys()].filter((t) => tables.includes(t))).toEqual(tables)
    expect(tables.length).toBeGreaterThan(15)
    const onPremBase = mock.collectionUrl().slice(0, -1)
    const cloudBase = "https://dev.azure.com/fabrikam"
    for (const table of tables) {
      const [a, b] = await Promise.all([
        scopeRows(cloud.url, table, cloud.params),
        scopeRows(onPrem.url, table, onPrem.params)
      ])
      expect(comparable(b, onPremBase, cloudBase), table).toEqual(comparable(a, onPremBase, cloudBase))
    }
    // The rows do carry the hosts they came from: the comparison above is not between URL-free rows.
    const pipelines = await scopeRows(cloud.url, "cicd_pipelines", cloud.params)
    expect(String(pipelines[0]!["url"])).toMatch(/^https:\/\/dev\.azure\.com\/fabrikam\//)
    const onPremPipelines = await scopeRows(onPrem.url, "cicd_pipelines", onPrem.params)
    expect(String(onPremPipelines[0]!["url"]).startsWith(onPremBase)).toBe(true)
  }, 180_000)
})
