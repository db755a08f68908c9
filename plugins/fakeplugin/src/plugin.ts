/**
 * The fake plugin: a faithful TypeScript port of DevLake's `backend/python/test/fakeplugin`, which the Go
 * server's end-to-end tests (`backend/test/e2e/remote`) drive.
 */
import { Effect, Redacted, Schema, Stream } from "effect"
import { DataStream, Domain, Plugin } from "tsdevlake"
import { migrations } from "./migrations.js"
import { FakeConnection, FakePipeline, FakeProject, FakeScopeConfig } from "./models.js"

export const VALID_TOKEN = "this_is_a_valid_token"

/** The 250 fake pipelines pydevlake's fake plugin generates, as raw JSON. */
export const fakePipelines = (): ReadonlyArray<Record<string, unknown>> =>
  Array.from({ length: 250 }, (_, i) => ({
    id: String(i),
    started_at: new Date(Date.UTC(2023, 0, 10, 11, 0, 0, 0)).toISOString(),
    finished_at: new Date(Date.UTC(2023, 0, 10, 11, 3, 0, 0)).toISOString(),
    state: (["success", "failure", "pending"] as const)[i % 3]
  }))

const fake = Plugin.define({
  name: "fake",
  folder: "fakeplugin",
  connection: FakeConnection,
  scope: FakeProject,
  scopeConfig: FakeScopeConfig
})

const { CICDEnvironment, CICDPipeline } = Domain.Devops
const status = Domain.Devops.status({ done: ["success", "failure"], default: "IN_PROGRESS" })
// pydevlake leaves the result of an unfinished pipeline empty; Go's zero value is "".
const result = Domain.Devops.result({ success: ["success"], failure: ["failure"] })
const environment = (env: string) => CICDEnvironment.literals.find((e) => e === env.toUpperCase()) ?? ""

export const FakePipelineStream = fake.stream({
  name: "fakepipelinestream",
  toolModel: FakePipeline,
  domainTypes: ["CICD"],
  domainModels: [CICDPipeline],
  // Resumable: the state after each record is the index (the id) of the next one.
  state: Schema.Struct({ next: Schema.Int }),
  collect: (ctx) =>
    Stream.fromIterable(fakePipelines().slice(ctx.state?.next ?? 0)).pipe(
      Stream.map((data) => DataStream.raw(data, { state: { next: Number(data.id) + 1 } }))
    ),
  convert: (pipeline, ctx) =>
    Effect.succeed([
      new CICDPipeline({
        name: pipeline.id,
        status: status(pipeline.state),
        result: result(pipeline.state),
        createdDate: pipeline.startedAt ?? new Date(0),
        startedDate: pipeline.startedAt ?? null,
        finishedDate: pipeline.finishedAt ?? null,
        durationSec: Domain.durationSec(pipeline.startedAt, pipeline.finishedAt),
        environment: environment(ctx.scopeConfig.env),
        type: "BUILD",
        cicdScopeId: ctx.domainScopeId
      })
    ])
})

export const FakePlugin = fake.make({
  description: "fake plugin",
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
