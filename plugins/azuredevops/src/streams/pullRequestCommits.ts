/** The commits of each pull request, into `_tool_azuredevops_gitpullrequestcommits` and `pull_request_commits`. */
import { Effect, Stream } from "effect"
import { DataStream, Domain } from "tsdevlake"
import { AzureDevOps, continuation, inOrg } from "../api.js"
import { azuredevops, GitPullRequest, GitPullRequestCommit, isExternal } from "../models.js"
import { GitPullRequests } from "./pullRequests.js"

export const GitPullRequestCommits = azuredevops.stream({
  name: "gitpullrequestcommits",
  toolModel: GitPullRequestCommit,
  domainTypes: ["CODE"],
  domainModels: [Domain.Code.PullRequestCommit],
  parent: GitPullRequests,
  shouldRunOn: (repo) => !isExternal(repo),
  collect: (ctx, pr) => {
    const repo = ctx.scope
    // Each commit is stored with the pull request's domain id, as the Python plugin does.
    const pullRequestId = ctx.domainId(GitPullRequest, pr)
    const segments = ["_apis", "git", "repositories", repo.id, "pullRequests", pr.pullRequestId, "commits"]
    return Stream.unwrap(Effect.map(AzureDevOps, (client) =>
      client.api.paginate(continuation, {
        path: inOrg(client, repo.orgId, repo.projectId, ...segments),
        input: { OrgId: repo.orgId, ProjectId: repo.projectId, RepoId: repo.id, PullRequestId: pr.pullRequestId }
      }))).pipe(
        Stream.map((record) =>
          DataStream.raw({ ...(record.data as object), pull_request_id: pullRequestId }, {
            url: record.url,
            input: record.input
          })
        )
      )
  },
  convert: (commit) =>
    Effect.succeed([
      new Domain.Code.PullRequestCommit({
        commitSha: commit.commitId,
        pullRequestId: commit.pullRequestId,
        commitAuthorName: commit.authorName,
        commitAuthorEmail: commit.authorEmail ?? "",
        commitAuthoredDate: commit.authorDate
      })
    ])
})
