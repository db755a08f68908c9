/**
 * The Azure DevOps plugin: a port of DevLake's Python plugin (`backend/python/plugins/azuredevops`), with the
 * same name, tables, subtasks and migration scripts, so that DevLake's server and an existing database work with
 * it as they did with the Python one.
 */
import { Effect, Schema, Stream } from "effect"
import { Domain, Plugin } from "tsdevlake"
import * as AzureApi from "./api.js"
import { blank } from "./api.js"
import { boardsStreams } from "./boards/streams.js"
import { migrations } from "./migrations.js"
import {
  azuredevops,
  type AzureDevOpsConnection,
  GitRepository,
  type GitRepositoryConfig,
  isExternal
} from "./models.js"
import { Builds } from "./streams/builds.js"
import { Jobs } from "./streams/jobs.js"
import { GitPullRequestCommits } from "./streams/pullRequestCommits.js"
import { GitPullRequests } from "./streams/pullRequests.js"

const { AzureDevOps, inOrg } = AzureApi

/** External repositories of these service connection types are offered as scopes. */
export const supportedExternalProviders = ["github", "githubenterprise", "bitbucket", "git"] as const

/** The hint after "Invalid token." for each kind of connection: the cloud's as the Python plugin words them. */
export const hints = {
  allOrganizations: "You may need to edit your token to set organization to 'All accessible organizations'",
  organization: "Organization name may be incorrect or your token may not have access to the organization.",
  collection: "The collection URL may be incorrect or your token may not have access to the collection."
} as const

// What the test asks for: the profile when no organization is set (the token must reach all of them), else the
// organization's projects; on premises, the collection's projects.
const testRequest = (client: AzureApi.AzureDevOpsClient, connection: AzureDevOpsConnection) => {
  if (client.vssps === undefined) {
    return { hint: hints.collection, request: client.api.execute({ path: ["_apis", "projects"] }) }
  }
  if (blank(connection.organization)) {
    return {
      hint: hints.allOrganizations,
      request: client.vssps.execute({ path: ["_apis", "profile", "profiles", "me"] })
    }
  }
  return {
    hint: hints.organization,
    request: client.api.execute({ path: [connection.organization, "_apis", "projects"] })
  }
}

/** pydevlake's `TestConnectionResult.from_api_response`, with the invalid-token hint on a 401. */
export const testConnection = (connection: AzureDevOpsConnection) =>
  Effect.gen(function*() {
    const client = yield* AzureDevOps
    const { hint, request } = testRequest(client, connection)
    return yield* request.pipe(
      Effect.map((response) => ({
        success: response.status === 200,
        message: response.status === 200 ? "Connection successful" : "Connection failed",
        status: response.status
      })),
      Effect.catchAll((error) => {
        const status = "status" in error && typeof error.status === "number" ? error.status : undefined
        if (status === 401) return Effect.succeed({ success: false, message: `Invalid token. ${hint}`, status })
        // No HTTP status (refused, reset, timeout): the error's own line says what happened.
        return Effect.succeed(
          status === undefined
            ? { success: false, message: `Connection failed: ${error.message}`, status: 500 }
            : { success: false, message: "Connection failed", status }
        )
      })
    )
  })

/** `org/project` of every project of every organization the connection reaches. */
const remoteScopeGroups = (connection: AzureDevOpsConnection) =>
  Effect.gen(function*() {
    const client = yield* AzureDevOps
    const orgs = client.collection !== undefined
      ? [client.collection]
      : blank(connection.organization)
      ? yield* AzureApi.organizations
      : [connection.organization]
    const groups: Array<Plugin.RemoteScopeGroup> = []
    for (const org of orgs) {
      const projects = yield* Stream.runCollect(AzureApi.projects(org))
      for (const project of projects) groups.push({ id: `${org}/${project.name}`, name: project.name })
    }
    return groups
  })

const RawRepository = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  remoteUrl: Schema.optional(Schema.NullOr(Schema.String)),
  defaultBranch: Schema.optional(Schema.NullOr(Schema.String)),
  parentRepository: Schema.optional(Schema.NullOr(Schema.Struct({ url: Schema.optional(Schema.String) }))),
  project: Schema.optional(Schema.Struct({ lastUpdateTime: Schema.optional(Schema.String) }))
})

/** A URL without its user name and password (the remote URL has the organization as user name). */
export const withoutUser = (url: string): string => {
  const parsed = new URL(url)
  parsed.username = ""
  parsed.password = ""
  return parsed.href
}

// The project's Git repositories that have a default branch (an empty repository has none).
const gitRepositories = (org: string, project: string) =>
  Effect.gen(function*() {
    const client = yield* AzureDevOps
    const path = inOrg(client, org, project, "_apis", "git", "repositories")
    const { value } = yield* client.api.get(path, { schema: Schema.Struct({ value: Schema.Array(RawRepository) }) })
    return value.flatMap((raw) => {
      if (blank(raw.defaultBranch) || blank(raw.remoteUrl)) return []
      const updated = raw.project?.lastUpdateTime
      return [
        new GitRepository({
          id: raw.id,
          name: `${project}/${raw.name}`,
          url: withoutUser(raw.remoteUrl),
          remoteUrl: raw.remoteUrl,
          defaultBranch: raw.defaultBranch,
          projectId: project,
          orgId: org,
          parentRepositoryUrl: raw.parentRepository?.url ?? null,
          updatedDate: updated === undefined ? null : new Date(updated)
        })
      ]
    })
  })

const Endpoint = Schema.Struct({ id: Schema.String, type: Schema.String })
const ExternalRepository = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  properties: Schema.Struct({ cloneUrl: Schema.String, defaultBranch: Schema.optional(Schema.String) })
})

// The repositories of the project's service connections to GitHub, Bitbucket or Git, every page of them.
const externalRepositories = (org: string, project: string) =>
  Effect.gen(function*() {
    const client = yield* AzureDevOps
    const endpoints = yield* client.api.paginate(AzureApi.continuation, {
      path: inOrg(client, org, project, "_apis", "serviceendpoint", "endpoints")
    }).pipe(Stream.mapEffect((record) => Schema.decodeUnknown(Endpoint)(record.data)), Stream.runCollect)
    const repos: Array<GitRepository> = []
    for (const endpoint of endpoints) {
      const provider = endpoint.type.toLowerCase()
      if (!(supportedExternalProviders as ReadonlyArray<string>).includes(provider)) continue
      const found = yield* client.api.paginate(AzureApi.sourceRepositories, {
        path: inOrg(client, org, project, "_apis", "sourceProviders", provider, "repositories"),
        query: { serviceEndpointId: endpoint.id }
      }).pipe(Stream.mapEffect((record) => Schema.decodeUnknown(ExternalRepository)(record.data)), Stream.runCollect)
      for (const repo of found) {
        repos.push(
          new GitRepository({
            id: `${org}/${project}/${provider}/${repo.id}`,
            name: `${provider}/${project}/${repo.name}`,
            projectId: project,
            orgId: org,
            provider,
            url: repo.properties.cloneUrl,
            defaultBranch: repo.properties.defaultBranch ?? "main"
          })
        )
      }
    }
    return repos
  })

/** The repositories of group `org/project`: its Git repositories, then its external ones. */
const remoteScopes = (groupId: string) =>
  Effect.gen(function*() {
    const slash = groupId.indexOf("/")
    if (slash < 0) return []
    const org = groupId.slice(0, slash)
    const project = groupId.slice(slash + 1)
    return [...yield* gitRepositories(org, project), ...yield* externalRepositories(org, project)]
  })

const domainIdOf = (repo: GitRepository, connection: AzureDevOpsConnection) =>
  Plugin.domainId({ folder: "azuredevops" }, GitRepository, repo.connectionId ?? connection.id, repo)

/** The remote URL with the token as password, for gitextractor's clone. */
export const cloneUrl = (remoteUrl: string, connection: AzureDevOpsConnection): string => {
  const url = new URL(remoteUrl)
  if (url.username === "") url.username = "git"
  url.password = AzureApi.tokenOf(connection)
  return url.href
}

const collectsCode = (repo: GitRepository, config: GitRepositoryConfig) =>
  config.entities.includes("CODE") && !isExternal(repo)

const refdiffOptions = (config: GitRepositoryConfig) => {
  const given = config.refdiff
  const tagsLimit = given?.tagsLimit ?? given?.tags_limit
  const tagsOrder = given?.tagsOrder ?? given?.tags_order
  const tagsPattern = given?.tagsPattern ?? given?.tags_pattern
  return {
    ...(tagsLimit === undefined || tagsLimit === null ? {} : { tagsLimit }),
    ...(blank(tagsOrder) ? {} : { tagsOrder }),
    ...(blank(tagsPattern) ? {} : { tagsPattern })
  }
}

export const AzureDevOpsPlugin = azuredevops.make({
  description: "Collect data from Azure DevOps",
  streams: [GitPullRequests, GitPullRequestCommits, Builds, Jobs, ...boardsStreams],
  migrations,
  layer: AzureApi.layer,
  testConnection,
  remoteScopeGroups,
  remoteScopes: (_connection, groupId) => remoteScopes(groupId),
  domainScopes: (repo, _connection, config) => [
    new Domain.Code.Repo({ name: repo.name, url: repo.url, forkedFrom: repo.parentRepositoryUrl ?? "" }),
    new Domain.Devops.CicdScope({ name: repo.name, description: repo.name, url: repo.url }),
    // The board of the repository's project's work items (Azure Boards), as Go plugins add one for TICKET.
    ...(config.entities.includes("TICKET") ? [new Domain.Ticket.Board({ name: repo.name, url: repo.url })] : [])
  ],
  extraTasks: (repo, config, connection) =>
    collectsCode(repo, config) && !blank(repo.remoteUrl)
      ? [
        Plugin.gitextractor({
          url: cloneUrl(repo.remoteUrl, connection),
          repoName: repo.name,
          scopeId: domainIdOf(repo, connection),
          proxy: connection.proxy,
          noShallowClone: true
        })
      ]
      : [],
  extraStages: (pairs, connection) =>
    pairs
      .filter(([repo, config]) => collectsCode(repo, config) && repo.scopeConfigId !== 0)
      .map(([repo, config]) => [Plugin.refdiff(domainIdOf(repo, connection), refdiffOptions(config))])
})
