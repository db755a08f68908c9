/** Pull requests of a repository, into `_tool_azuredevops_gitpullrequests` and `pull_requests`. */
import { Effect, Stream } from "effect"
import { Domain } from "tsdevlake"
import { AzureDevOps, inOrg, topSkip } from "../api.js"
import { azuredevops, GitPullRequest, GitRepository, isExternal } from "../models.js"
import { CollectState, startOf, withState } from "./incremental.js"

const statuses = { abandoned: "CLOSED", active: "OPEN", completed: "MERGED" } as const

const idOf = (data: unknown): number | undefined => {
  const id = (data as { readonly pullRequestId?: unknown } | null)?.pullRequestId
  return typeof id === "number" ? id : undefined
}

/**
 * The service lists pull requests newest first. An incremental run after a completed one reads down to the
 * newest pull request that run saw (its `mark`); an interrupted run resumes at its position.
 */
export const GitPullRequests = azuredevops.stream({
  name: "gitpullrequests",
  toolModel: GitPullRequest,
  domainTypes: ["CODE"],
  domainModels: [Domain.Code.PullRequest],
  shouldRunOn: (repo) => !isExternal(repo),
  state: CollectState,
  collect: (ctx) => {
    const repo = ctx.scope
    const start = startOf(ctx.state)
    const stopAt = start.from === undefined ? undefined : Number(start.from)
    return Stream.unwrap(Effect.map(AzureDevOps, (client) =>
      client.api.paginate(topSkip, {
        path: inOrg(client, repo.orgId, repo.projectId, "_apis", "git", "repositories", repo.id, "pullrequests"),
        query: { "searchCriteria.status": "all" },
        input: { OrgId: repo.orgId, ProjectId: repo.projectId, RepoId: repo.id }
      }, { resume: start.resume }))).pipe(
        Stream.takeWhile((record) => stopAt === undefined || (idOf(record.data) ?? Infinity) > stopAt),
        (records) =>
          withState(records, start, (data) => {
            const id = idOf(data)
            return id === undefined ? undefined : String(id)
          }, (a, b) => Number(a) > Number(b))
      )
  },
  convert: (pr, ctx) => {
    const repoId = ctx.domainScopeId
    // A pull request from a fork gets an id for the fork, which is no scope of DevLake's (as in the Python plugin).
    const baseRepoId = pr.forkRepoId === undefined || pr.forkRepoId === null
      ? repoId
      : ctx.domainId(GitRepository, { id: pr.forkRepoId })
    return Effect.succeed([
      new Domain.Code.PullRequest({
        baseRepoId,
        headRepoId: repoId,
        status: statuses[pr.status],
        originalStatus: pr.status,
        title: pr.title ?? "",
        description: pr.description ?? "",
        url: `${ctx.scope.url}/pullrequest/${pr.pullRequestId}`,
        authorName: pr.createdByName,
        authorId: pr.createdById,
        pullRequestKey: pr.pullRequestId,
        createdDate: pr.creationDate,
        mergedDate: pr.status === "completed" ? pr.closedDate ?? null : null,
        closedDate: pr.closedDate ?? null,
        type: pr.type ?? "",
        component: "",
        mergeCommitSha: pr.mergeCommitSha ?? "",
        headRef: pr.sourceRefName ?? "",
        baseRef: pr.targetRefName ?? "",
        headCommitSha: pr.sourceCommitSha,
        baseCommitSha: pr.targetCommitSha
      })
    ])
  }
})
