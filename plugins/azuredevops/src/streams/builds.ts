/** The builds of a repository, into `_tool_azuredevops_builds`, `cicd_pipelines` and `cicd_pipeline_commits`. */
import { Effect, Stream } from "effect"
import { Domain } from "tsdevlake"
import { AzureDevOps, continuation, inOrg } from "../api.js"
import { azuredevops, Build, type GitRepository, isExternal } from "../models.js"
import { durationOf, environmentOf, original, typeOf } from "./cicd.js"
import { CollectState, startOf, withState } from "./incremental.js"

// Python's mapping, as Go's GetResult/GetStatus rules.
const result = Domain.Devops.result({
  success: ["partiallySucceeded", "succeeded"],
  failure: ["canceled", "failed"]
})
const status = Domain.Devops.status({
  done: ["cancelling", "completed"],
  inProgress: ["inProgress", "notStarted", "postponed"]
})

/**
 * The id the builds API knows a repository by: an Azure Repos repository's own id; for an external one, its id
 * at the provider (the scope's id is `org/project/provider/<that id>`).
 */
export const buildRepositoryId = (repo: GitRepository): string =>
  isExternal(repo) ? repo.id.split("/").slice(3).join("/") : repo.id

const finishTimeOf = (data: unknown): string | undefined => {
  const time = (data as { readonly finishTime?: unknown } | null)?.finishTime
  return typeof time === "string" && time !== "" ? time : undefined
}

/**
 * The builds, latest finished first, as the Python plugin asks. An incremental run after a completed one asks
 * only for builds finished since the latest that run saw (`minTime`); an interrupted run resumes at its position.
 */
export const Builds = azuredevops.stream({
  name: "builds",
  toolModel: Build,
  domainTypes: ["CICD"],
  domainModels: [Domain.Devops.CiCDPipelineCommit, Domain.Devops.CICDPipeline],
  state: CollectState,
  collect: (ctx) => {
    const repo = ctx.scope
    const provider = isExternal(repo) ? repo.provider! : "tfsgit"
    const start = startOf(ctx.state)
    return Stream.unwrap(Effect.map(AzureDevOps, (client) =>
      client.api.paginate(continuation, {
        path: inOrg(client, repo.orgId, repo.projectId, "_apis", "build", "builds"),
        query: {
          repositoryId: buildRepositoryId(repo),
          repositoryType: provider,
          deletedFilter: "excludeDeleted",
          queryOrder: "finishTimeDescending",
          minTime: start.from
        },
        input: { OrgId: repo.orgId, ProjectId: repo.projectId, RepoId: repo.id, Provider: provider }
      }, { resume: start.resume }))).pipe((records) =>
        withState(records, start, finishTimeOf, (a, b) => Date.parse(a) > Date.parse(b))
      )
  },
  convert: (build, ctx) => {
    // A build that never started (queued, then cancelled) is no pipeline run.
    if (build.startTime === undefined || build.startTime === null) return Effect.succeed([])
    const type = typeOf(ctx.scopeConfig, build.name)
    const displayTitle = build.displayTitle ?? ""
    const url = build.url ?? ""
    const pipeline = new Domain.Devops.CICDPipeline({
      name: build.name,
      status: status(build.status),
      result: result(build.result),
      originalStatus: original(build.status),
      originalResult: original(build.result),
      createdDate: build.queueTime ?? build.startTime,
      queuedDate: build.queueTime ?? null,
      startedDate: build.startTime,
      finishedDate: build.finishTime ?? null,
      durationSec: durationOf(build.startTime, build.finishTime),
      environment: environmentOf(ctx.scopeConfig, type, build.name),
      type,
      cicdScopeId: ctx.domainScopeId,
      displayTitle,
      url
    })
    const commit = build.sourceVersion === undefined || build.sourceVersion === null || build.sourceVersion === ""
      ? []
      : [
        new Domain.Devops.CiCDPipelineCommit({
          pipelineId: ctx.domainId(Build, build),
          commitSha: build.sourceVersion,
          branch: build.sourceBranch ?? "",
          repoId: ctx.domainScopeId,
          repoUrl: ctx.scope.url,
          displayTitle,
          url
        })
      ]
    return Effect.succeed([pipeline, ...commit])
  }
})
