/**
 * Collection in process, over canned responses: a whole run as DevLake drives it (a commit in two pull requests
 * kept for both; timelines answering 204 and 404), incremental builds and pull requests after a completed run,
 * and a failed full run resumed where it stopped.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Duration, Effect, Layer, Ref } from "effect"
import { type DataStream, Plugin } from "tsdevlake"
import { Db, Ipc, MigrationRunner, State } from "tsdevlake/runtime"
import * as AzureApi from "../src/api.js"
import { AzureDevOpsPlugin } from "../src/plugin.js"
import { Builds } from "../src/streams/builds.js"
import { Jobs } from "../src/streams/jobs.js"
import { GitPullRequestCommits } from "../src/streams/pullRequestCommits.js"
import { GitPullRequests } from "../src/streams/pullRequests.js"

const repo = {
  id: "app-id",
  name: "proj/app",
  url: "https://dev.azure.com/org/proj/_git/app",
  remoteUrl: "https://org@dev.azure.com/org/proj/_git/app",
  defaultBranch: "refs/heads/main",
  project: { id: "proj-id", name: "proj", lastUpdateTime: "2023-01-26T19:38:04.267Z" }
}

const pr = (id: number) => ({
  pullRequestId: id,
  status: id % 2 === 0 ? "active" : "completed",
  createdBy: { id: "u1", displayName: "Ada" },
  creationDate: `2023-02-0${id}T04:41:26Z`,
  closedDate: id % 2 === 0 ? null : `2023-02-0${id}T05:00:00Z`,
  title: `PR ${id}`,
  lastMergeSourceCommit: { commitId: `s${id}` },
  lastMergeTargetCommit: { commitId: `t${id}` },
  sourceRefName: "refs/heads/f",
  targetRefName: "refs/heads/main"
})

const commit = (sha: string) => ({
  commitId: sha,
  author: { name: "Ada", email: "ada@example.com", date: "2023-02-07T04:49:28Z" }
})

const build = (id: number) => ({
  id,
  status: "completed",
  result: "succeeded",
  queueTime: `2023-02-25T06:${id}:00Z`,
  startTime: `2023-02-25T06:${id}:10Z`,
  finishTime: `2023-02-25T06:${id}:40Z`,
  definition: { name: "ci" },
  sourceBranch: "refs/heads/main",
  sourceVersion: `v${id}`
})

const base = "/org/proj/_apis"
const routes: Testing.Api.Routes = {
  "GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me": { body: { id: "u1" } },
  "GET https://app.vssps.visualstudio.com/_apis/accounts": { body: { value: [{ accountName: "org" }] } },
  "GET /org/_apis/projects": { body: { value: [{ id: "proj-id", name: "proj" }] } },
  [`GET ${base}/git/repositories`]: { body: { value: [repo] } },
  [`GET ${base}/serviceendpoint/endpoints`]: { body: { value: [] } },
  [`GET ${base}/git/repositories/app-id/pullrequests`]: { body: { value: [pr(2), pr(1)] } },
  [`GET ${base}/git/repositories/app-id/pullRequests/2/commits`]: { body: { value: [commit("c1"), commit("c2")] } },
  [`GET ${base}/git/repositories/app-id/pullRequests/1/commits`]: { body: { value: [commit("c1")] } },
  [`GET ${base}/build/builds`]: (request) =>
    request.query["continuationToken"] === undefined
      ? { headers: { "x-ms-continuationtoken": "page-2" }, body: { value: [build(30), build(20)] } }
      : { body: { value: [build(10)] } },
  [`GET ${base}/build/builds/30/timeline`]: {
    body: {
      records: [
        {
          id: "job-1",
          type: "Job",
          name: "deploy prod",
          state: "completed",
          result: "succeeded",
          startTime: "2023-02-25T06:30:12Z"
        },
        {
          id: "stage-1",
          type: "Stage",
          name: "Deploy",
          state: "completed",
          result: "succeeded",
          startTime: "2023-02-25T06:30:11Z"
        },
        { id: "task-1", type: "Task", name: "checkout", state: "completed", result: "succeeded" }
      ]
    }
  },
  // Failed before any job (a bad YAML file), and cleaned up since.
  [`GET ${base}/build/builds/20/timeline`]: { status: 204 },
  [`GET ${base}/build/builds/10/timeline`]: { status: 404, body: { message: "not found" } }
}

const cicdAndCode = { entities: ["CODE", "CICD"] }
const scope = { id: "app-id", name: "proj/app", url: repo.url, projectId: "proj", orgId: "org" }

// Subtasks of one stream run one after the other on one in-memory database, as DevLake would run pipelines.
const runs = (
  api: Layer.Layer<never, never, never>,
  body: (
    collect: (options: Record<string, unknown>) => Effect.Effect<void, unknown, any>
  ) => Effect.Effect<void, unknown, any>,
  stream: DataStream.DataStream<any, any, any>
) => {
  const connection = { id: 1, name: "c", token: "s3cret-token" }
  const runtime = Layer.mergeAll(State.layerSql, Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([])))
    .pipe(Layer.provideMerge(Db.layerMemory))
  const collect = (options: Record<string, unknown>) =>
    Testing.runSubtask(
      AzureDevOpsPlugin,
      "collect",
      stream,
      Testing.context(AzureDevOpsPlugin, { connection, scope, options })
    )
  return Effect.gen(function*() {
    yield* MigrationRunner.apply(AzureDevOpsPlugin.migrations)
    yield* body(collect)
  }).pipe(Effect.provide(Layer.mergeAll(runtime, api)))
}

const withClient = <A, E>(effect: Effect.Effect<A, E, AzureApi.AzureDevOps>, table: Testing.Api.Routes) =>
  Effect.provide(effect, clientOver(table))

const clientOver = (table: Testing.Api.Routes) =>
  Layer.scoped(
    AzureApi.AzureDevOps,
    AzureApi.make(
      Testing.decodeModel(AzureDevOpsPlugin, AzureDevOpsPlugin.connection, { id: 1, token: "s3cret-token" })
    )
  ).pipe(Layer.provide(Testing.Api.routes(table)))

describe("a run as DevLake drives it", () => {
  it.effect("lists the scope, plans it, and collects, extracts and converts every stream", () =>
    Effect.gen(function*() {
      const connection = { token: "s3cret-token" }
      const api = Testing.Api.routes(routes)
      const remote = yield* withClient(
        AzureDevOpsPlugin.remoteScopes(
          Testing.decodeModel(AzureDevOpsPlugin, AzureDevOpsPlugin.connection, { id: 1, ...connection }),
          "org/proj"
        ) as Effect.Effect<ReadonlyArray<{ readonly id: string }>, unknown, AzureApi.AzureDevOps>,
        routes
      )
      const ctx = Testing.context(AzureDevOpsPlugin, {
        connection,
        scope: { ...scope, id: remote[0]!.id },
        scopeConfig: cicdAndCode
      })
      const plan = yield* Plugin.makePipeline(AzureDevOpsPlugin, [[ctx.scope, ctx.scopeConfig]], ctx.connection)
      const planned = plan.plan.flat().flatMap((task) => task.subtasks)
      expect(planned).toContain("Collect Gitpullrequests")
      expect(planned).toContain("Convert Jobs")
      const rows = yield* Testing.runStreams(
        AzureDevOpsPlugin,
        [GitPullRequests, GitPullRequestCommits, Builds, Jobs],
        ctx,
        AzureApi.layer(ctx.connection).pipe(Layer.provide(api))
      )
      expect(rows["pull_requests"]).toBe(2)
      // c1 belongs to both pull requests: a row for each.
      expect(rows["_tool_azuredevops_gitpullrequestcommits"]).toBe(3)
      expect(rows["pull_request_commits"]).toBe(3)
      expect(rows["cicd_pipelines"]).toBe(3)
      expect(rows["cicd_pipeline_commits"]).toBe(3)
      // The Job and the Stage of build 30, not its Task; none of build 20 (204) nor 10 (404).
      expect(rows["_tool_azuredevops_jobs"]).toBe(2)
      expect(rows["cicd_tasks"]).toBe(2)
    }))
})

describe("incremental and resumed collection", () => {
  it.effect("an incremental run after a completed one asks only for builds finished since", () =>
    Effect.gen(function*() {
      const minTimes: Array<string | undefined> = []
      const api = clientOver({
        [`GET ${base}/build/builds`]: (request) => {
          minTimes.push(request.query["minTime"])
          return { body: { value: request.query["minTime"] === undefined ? [build(30), build(20)] : [build(40)] } }
        }
      })
      yield* runs(api, (collect) => Effect.zipRight(collect({}), collect({ incremental: true })), Builds)
      expect(minTimes).toEqual([undefined, "2023-02-25T06:30:40Z"])
    }))

  it.effect("an incremental run reads pull requests down to the newest one the last run saw", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      let prs = [pr(2), pr(1)]
      const api = clientOver({
        [`GET ${base}/git/repositories/app-id/pullrequests`]: () => ({ body: { value: prs } })
      })
      yield* runs(api, (collect) =>
        Effect.gen(function*() {
          yield* collect({})
          prs = [pr(4), pr(3), pr(2), pr(1)]
          yield* collect({ incremental: true })
          const db = yield* Db.Database
          const raw = yield* db.execute("SELECT data FROM _raw_azuredevops_gitpullrequests ORDER BY id")
          for (const row of raw) seen.push(JSON.parse(Buffer.from(row["data"] as Uint8Array).toString()).pullRequestId)
        }), GitPullRequests)
      expect(seen).toEqual([2, 1, 4, 3])
    }))

  it.effect("a failed full run is resumed at the page it failed on", () =>
    Effect.gen(function*() {
      const tokens: Array<string | undefined> = []
      let fail = true
      const api = clientOver({
        [`GET ${base}/build/builds`]: (request) => {
          const token = request.query["continuationToken"]
          tokens.push(token)
          if (token === undefined) return { headers: { "x-ms-continuationtoken": "p2" }, body: { value: [build(40)] } }
          if (token === "p2") {
            return { headers: { "x-ms-continuationtoken": "p3" }, body: { value: [build(30), build(20)] } }
          }
          return fail ? { status: 400, body: { message: "bad" } } : { body: { value: [build(10)] } }
        }
      })
      yield* runs(api, (collect) =>
        Effect.gen(function*() {
          expect((yield* Effect.either(collect({})))._tag).toBe("Left")
          fail = false
          yield* collect({})
          const db = yield* Db.Database
          expect(yield* db.countWhere("_raw_azuredevops_builds", {})).toBe(4)
        }), Builds)
      // Build 30 was the last record committed (each record waits for the next): the run goes on after it.
      expect(tokens).toEqual([undefined, "p2", "p3", "p2", "p3"])
    }))
})

describe("the service's refusals", () => {
  const input = (answer: Testing.Api.Route | ReadonlyArray<Testing.Api.Route>) => ({
    connection: { token: "s3cret-token" },
    scope,
    api: Testing.Api.routes({ ...routes, [`GET ${base}/build/builds`]: answer })
  })

  it.effect("waits out a 429 for its Retry-After, in virtual time", () =>
    Effect.gen(function*() {
      const [elapsed, rows] = yield* Testing.advanceUntilDone(
        Testing.assertStreamRun(
          AzureDevOpsPlugin,
          Builds,
          input([
            { status: 429, headers: { "retry-after": "30" } },
            { body: { value: [build(30)] } }
          ])
        )
      )
      expect(Duration.toSeconds(elapsed)).toBe(30)
      expect(rows["cicd_pipelines"]).toBe(1)
    }))

  it.effect("fails a collect in one line on the sign-in page (203) and on an expired token (401)", () =>
    Effect.gen(function*() {
      for (
        const answer of [{ status: 203, body: "<html>Sign in</html>" }, { status: 401, body: { message: "expired" } }]
      ) {
        const failed = yield* Effect.flip(Testing.assertStreamRun(AzureDevOpsPlugin, Builds, input(answer)))
        const message = (failed as Error).message
        expect(message).toMatch(/Collect Builds.*Unauthorized.*401/)
        // The token travels base64-encoded in Basic authentication: neither form may show.
        expect(message).not.toContain("s3cret-token")
        expect(message).not.toContain(Buffer.from(":s3cret-token").toString("base64"))
        expect(message.split("\n")).toHaveLength(1)
      }
    }))
})
