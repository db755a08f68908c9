/**
 * The fake plugin: a faithful TypeScript port of DevLake's `backend/python/test/fakeplugin`, which the Go
 * server's end-to-end tests (`backend/test/e2e/remote`) drive.
 */
import { Effect, Redacted, Stream } from "effect"
import { DataStream, Domain, Plugin } from "tsdevlake"
import { migrations } from "./migrations.js"
import { FakeConnection, FakePipeline, FakeProject, FakeScopeConfig, type PipelineState } from "./models.js"

export const VALID_TOKEN = "this_is_a_valid_token"

const states: ReadonlyArray<PipelineState> = ["success", "failure", "pending"]

/** The 250 fake pipelines pydevlake's fake plugin generates, as raw JSON. */
export const fakePipelines = (): ReadonlyArray<Record<string, unknown>> =>
  Array.from({ length: 250 }, (_, i) => ({
    id: String(i),
    started_at: new Date(Date.UTC(2023, 0, 10, 11, 0, 0, 0)).toISOString(),
    finished_at: new Date(Date.UTC(2023, 0, 10, 11, 3, 0, 0)).toISOString(),
    state: states[i % states.length]
  }))

const { Result, Status, Type } = Domain.Devops

const status = (state: PipelineState) => state === "success" || state === "failure" ? Status.DONE : Status.IN_PROGRESS

// pydevlake leaves the result of an unfinished pipeline empty; Go's zero value is "".
const result = (state: PipelineState) =>
  state === "success" ? Result.SUCCESS : state === "failure" ? Result.FAILURE : Result.DEFAULT

const environment = (env: string): Domain.Devops.CICDEnvironment =>
  Domain.Devops.CICDEnvironment.literals.find((e) => e === env.toUpperCase()) ?? ""

export const FakePipelineStream = DataStream.make({
  name: "fakepipelinestream",
  toolModel: FakePipeline,
  domainTypes: ["CICD"],
  domainModels: [Domain.Devops.CICDPipeline],
  // Resumable: the state after each record is the index of the next one.
  collect: (ctx: DataStream.CollectContext<FakeConnection, FakeProject, FakeScopeConfig>) => {
    const start = typeof (ctx.state as { next?: unknown } | undefined)?.next === "number"
      ? (ctx.state as { next: number }).next
      : 0
    return Stream.fromIterable(fakePipelines().slice(start)).pipe(
      Stream.zipWithIndex,
      Stream.map(([data, i]) => DataStream.raw(data, { state: { next: start + i + 1 } }))
    )
  },
  convert: (pipeline, ctx: DataStream.TaskContext<FakeConnection, FakeProject, FakeScopeConfig>) =>
    Effect.succeed([
      new Domain.Devops.CICDPipeline({
        name: pipeline.id,
        status: status(pipeline.state),
        result: result(pipeline.state),
        createdDate: pipeline.startedAt ?? new Date(0),
        startedDate: pipeline.startedAt ?? null,
        finishedDate: pipeline.finishedAt ?? null,
        durationSec: pipeline.finishedAt && pipeline.startedAt
          ? Math.floor((pipeline.finishedAt.getTime() - pipeline.startedAt.getTime()) / 1000)
          : 0,
        environment: environment(ctx.scopeConfig.env),
        type: Type.BUILD,
        cicdScopeId: ctx.domainScopeId
      })
    ])
})

export const FakePlugin = Plugin.make({
  name: "fake",
  folder: "fakeplugin",
  description: "fake plugin",
  connection: FakeConnection,
  scope: FakeProject,
  scopeConfig: FakeScopeConfig,
  streams: [FakePipelineStream],
  migrations,
  testConnection: (connection) =>
    Effect.succeed(
      Redacted.value(connection.token) === VALID_TOKEN
        ? { success: true, message: "Connection successful", status: 200 }
        : { success: false, message: "Invalid token", status: 401 }
    ),
  remoteScopeGroups: () => Effect.succeed([{ id: "group1", name: "Group 1" }]),
  remoteScopes: (_connection, groupId) =>
    Effect.succeed(
      groupId === "group1"
        ? [new FakeProject({ id: "p1", name: "Project 1", url: "http://fake.org/api/project/p1" })]
        : []
    ),
  domainScopes: (project) => [
    new Domain.Devops.CicdScope({
      name: project.name,
      url: `http://fake.org/api/project/${project.name.toLowerCase().split(" ").join("_")}`
    })
  ]
})
