/**
 * Every case of the Python plugin's `tests/streams_test.py`: the same raw records, converted to the same domain
 * rows, but for what the README's "Differences from the Python plugin" lists: durations to the millisecond, as
 * dates are. (Domain ids are set after convert, from the tool row, as pydevlake's `Convertor._save` sets them, and
 * are not in these rows.)
 */
import { describe, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Domain } from "tsdevlake"
import { AzureDevOpsPlugin } from "../src/plugin.js"
import { Builds } from "../src/streams/builds.js"
import { Jobs } from "../src/streams/jobs.js"
import { GitPullRequestCommits } from "../src/streams/pullRequestCommits.js"
import { GitPullRequests } from "../src/streams/pullRequests.js"
import * as raw from "./pythonFixtures.js"

// Python's `ContextBuilder`: connection 1 with a token, scope config 1 with the patterns, the scope below.
const scope = {
  id: "johndoe/test-repo",
  name: "johndoe/test-repo",
  url: "https://github.com/johndoe/test-repo",
  projectId: "test-project",
  orgId: "johndoe"
}
const context = {
  connection: { token: "token" },
  scopeConfig: { deploymentPattern: "deploy", productionPattern: "prod" },
  scope
}
const withEnvironmentPattern = {
  ...context,
  scopeConfig: {
    ...context.scopeConfig,
    // Extracts "xxxx-prod" from "deploy_xxxx-prod_helm".
    environmentPattern: "(?:deploy|predeploy)[_-](.+?)(?:[_-](?:helm|terraform))?$"
  }
}
const scopeId = "azuredevops:GitRepository:1:johndoe/test-repo"
const date = (text: string) => new Date(text)

// Python's expected durations come from microsecond timestamps; dates here (and in the database) have
// milliseconds, so 31.196409940719604 is 31.197 (04.006 - 32.809) and 6.426667213439941 is 6.427 (43.233 - 36.806).
const task = (name: string, environment: Domain.Devops.CICDEnvironment) =>
  new Domain.Devops.CICDTask({
    name,
    pipelineId: "azuredevops:Build:1:12",
    status: "DONE",
    originalStatus: "Completed",
    originalResult: "Succeeded",
    createdDate: date("2023-02-25T06:22:36.8066667Z"),
    startedDate: date("2023-02-25T06:22:36.8066667Z"),
    finishedDate: date("2023-02-25T06:22:43.2333333Z"),
    result: "SUCCESS",
    type: "DEPLOYMENT",
    durationSec: 6.427,
    environment,
    cicdScopeId: scopeId
  })

describe("streams_test.py", () => {
  it.effect("test_builds_stream", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, Builds, [raw.build], [
      new Domain.Devops.CICDPipeline({
        name: "deploy_to_prod",
        status: "DONE",
        createdDate: date("2023-02-25T06:22:21.2237625Z"),
        queuedDate: date("2023-02-25T06:22:21.2237625Z"),
        startedDate: date("2023-02-25T06:22:32.8097789Z"),
        finishedDate: date("2023-02-25T06:23:04.0061884Z"),
        result: "SUCCESS",
        originalStatus: "Completed",
        originalResult: "Succeeded",
        durationSec: 31.197,
        environment: "PRODUCTION",
        type: "DEPLOYMENT",
        cicdScopeId: scopeId,
        displayTitle: "Add azure-pipelines.yml jobs to Azure Pipelines",
        url: "https://dev.azure.com/linweihoumerico-lake/e8af9e7b-d4bf-4afd-9d0a-c9f8dfac1d59/_build/results?buildId=15"
      }),
      new Domain.Devops.CiCDPipelineCommit({
        pipelineId: "azuredevops:Build:1:12",
        commitSha: "40c59264e73fc5e1a6cab192f1622d26b7bd5c2a",
        branch: "refs/heads/main",
        repoId: scopeId,
        repoUrl: "https://github.com/johndoe/test-repo",
        displayTitle: "Add azure-pipelines.yml jobs to Azure Pipelines",
        url: "https://dev.azure.com/linweihoumerico-lake/e8af9e7b-d4bf-4afd-9d0a-c9f8dfac1d59/_build/results?buildId=15"
      })
    ], context))

  it.effect("test_jobs_stream", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, Jobs, [raw.job], [
      task("deploy production", "PRODUCTION")
    ], context))

  it.effect("test_pull_requests_stream", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, GitPullRequests, [raw.pullRequest], [
      new Domain.Code.PullRequest({
        baseRepoId: scopeId,
        headRepoId: scopeId,
        status: "OPEN",
        originalStatus: "active",
        title: "ticket-2 PR",
        description: "Updated main.java by ticket-2",
        url: "https://github.com/johndoe/test-repo/pullrequest/1",
        authorName: "John Doe",
        authorId: "bc538feb-9fdd-6cf8-80e1-7c56950d0289",
        pullRequestKey: 1,
        createdDate: date("2023-02-07T04:41:26.6424314Z"),
        mergedDate: null,
        closedDate: null,
        type: "feature",
        component: "",
        mergeCommitSha: "ebc6c7a2a5e3c155510d0ba44fd4385bf7ae6e22",
        headRef: "refs/heads/ticket-2",
        baseRef: "refs/heads/main",
        headCommitSha: "85ede91717145a1e6e2bdab4cab689ac8f2fa3a2",
        baseCommitSha: "4bc26d92b5dbee7837a4d221035a4e2f8df120b2"
      })
    ], context))

  // Python runs this one without a context of its own: the defaults (scope "1", no scope config).
  it.effect("test_pull_request_commits_stream", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, GitPullRequestCommits, [raw.pullRequestCommit], [
      new Domain.Code.PullRequestCommit({
        commitSha: "85ede91717145a1e6e2bdab4cab689ac8f2fa3a2",
        pullRequestId: "azuredevops:gitpullrequest:1:12345",
        commitAuthorName: "John Doe",
        commitAuthoredDate: date("2023-02-07T04:49:28Z"),
        commitAuthorEmail: "john.doe@merico.dev"
      })
    ], { connection: { token: "token" }, scope: { url: "https://dev.azure.com/x", projectId: "p", orgId: "o" } }))

  it.effect("test_jobs_stream_with_environment_pattern", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, Jobs, [raw.jobProd], [
      task("deploy_xxxx-prod_helm", "PRODUCTION")
    ], withEnvironmentPattern))

  // 'xxxx-dev' is extracted, which the production pattern does not match.
  it.effect("test_jobs_stream_with_environment_pattern_non_prod", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, Jobs, [raw.jobDev], [
      task("deploy_xxxx-dev_helm", "")
    ], withEnvironmentPattern))

  it.effect("test_stage_record_collected", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, Jobs, [raw.stage], [
      task("deploy_prod_stage", "PRODUCTION")
    ], context))
})
