/** The jobs and stages of each build's timeline, into `_tool_azuredevops_jobs` and `cicd_tasks`. */
import { Effect, Stream } from "effect"
import { DataStream, Domain } from "tsdevlake"
import { AzureDevOps, inOrg } from "../api.js"
import { azuredevops, Build, Job } from "../models.js"
import { Builds } from "./builds.js"
import { durationOf, environmentName, environmentOf, original, typeOf } from "./cicd.js"

// Python's mapping, as Go's GetResult/GetStatus rules (abandoned and skipped are neither).
const result = Domain.Devops.result({ success: ["succeeded"], failure: ["canceled", "failed", "succeededWithIssues"] })
const status = Domain.Devops.status({ done: ["completed"], inProgress: ["inProgress", "pending"] })

interface Timeline {
  readonly records?: ReadonlyArray<{ readonly type?: unknown }> | null
}

export const Jobs = azuredevops.stream({
  name: "jobs",
  toolModel: Job,
  domainTypes: ["CICD"],
  domainModels: [Domain.Devops.CICDTask],
  parent: Builds,
  collect: (ctx, build) => {
    const repo = ctx.scope
    const buildId = ctx.domainId(Build, build)
    return Stream.unwrap(Effect.gen(function*() {
      const client = yield* AzureDevOps
      const response = yield* client.api.execute({
        path: inOrg(client, repo.orgId, repo.projectId, "_apis", "build", "builds", build.id, "timeline"),
        input: { OrgId: repo.orgId, ProjectId: repo.projectId, BuildId: build.id }
      }).pipe(
        // A build cleaned up since (deleted for good) has no timeline any more: 404.
        Effect.catchTag("NotFound", () => Effect.succeed(undefined))
      )
      // A build that failed before any job started (a bad YAML file) answers 204 with no body.
      if (response === undefined || response.status === 204) return Stream.empty
      const records = (response.body as Timeline | null)?.records ?? []
      // Stages too, for the environment their names give.
      return Stream.fromIterable(
        records
          .filter((record) => record.type === "Job" || record.type === "Stage")
          .map((record) =>
            DataStream.raw({ ...record, build_id: buildId }, { url: response.url, input: response.request.input })
          )
      )
    }))
  },
  convert: (job, ctx) => {
    if (job.startTime === undefined || job.startTime === null) return Effect.succeed([])
    const type = typeOf(ctx.scopeConfig, job.name)
    const extracted = environmentName(ctx.scopeConfig, job.name, job.identifier)
    return Effect.succeed([
      new Domain.Devops.CICDTask({
        name: job.name,
        pipelineId: job.buildId,
        status: status(job.state),
        result: result(job.result),
        originalStatus: original(job.state),
        originalResult: original(job.result),
        createdDate: job.startTime,
        startedDate: job.startTime,
        finishedDate: job.finishTime ?? null,
        type,
        durationSec: durationOf(job.startTime, job.finishTime),
        environment: environmentOf(ctx.scopeConfig, type, job.name, extracted),
        cicdScopeId: ctx.domainScopeId
      })
    ])
  }
})
