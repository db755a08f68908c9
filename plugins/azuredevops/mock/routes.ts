/**
 * The endpoints of the mock: the REST paths of Azure DevOps (Services and Server) the plugin calls, answered from
 * the mock's data. Paths compare case-insensitively, as the service's do.
 */
import type { MockData, Organization, Project } from "./data.js"
import { all, type Answer, failure, json, page, type Paging } from "./paging.js"
import * as render from "./render.js"
import { runWiql } from "./wiql.js"
import { workItemTypes } from "./workItems.js"

export interface Request {
  readonly method: string
  /** Segments of the path after the collection, `_apis` included. */
  readonly segments: ReadonlyArray<string>
  readonly query: URLSearchParams
  readonly body: string
  readonly site: render.Site
  readonly pageSize: number | undefined
}

const PROJECTS: Paging = { mode: "token", defaultTop: 100, maxTop: 1000 }
const PULL_REQUESTS: Paging = { mode: "skip", defaultTop: 101, maxTop: 1000 }
const PR_COMMITS: Paging = { mode: "token", defaultTop: 100, maxTop: 1000 }
const BUILDS: Paging = { mode: "token", defaultTop: 1000, maxTop: 5000 }
const TEAMS: Paging = { mode: "skip", defaultTop: 100, maxTop: 1000 }
const UPDATES: Paging = { mode: "skip", defaultTop: 200, maxTop: 200 }
const MAX_WORK_ITEMS = 200

const notFound = (what: string) =>
  failure(404, "NotFoundException", `${what} does not exist or you do not have permissions.`)

export const findProject = (org: Organization, name: string): Project | undefined => {
  const lower = name.toLowerCase()
  return org.projects.find((p) => p.name.toLowerCase() === lower || p.id === lower)
}

const lower = (segments: ReadonlyArray<string>) => segments.map((s) => s.toLowerCase()).join("/")

/** Collection-level: projects and a project's teams. */
const collectionRoute = (request: Request, api: ReadonlyArray<string>): Answer => {
  const { site } = request
  const path = lower(api)
  if (path === "projects") {
    return page(site.org.projects.map((p) => render.projectRef(site, p)), request.query, PROJECTS, request.pageSize)
  }
  if (api.length === 3 && api[0]!.toLowerCase() === "projects" && api[2]!.toLowerCase() === "teams") {
    const project = findProject(site.org, api[1]!)
    if (project === undefined) return notFound(`Project ${api[1]}`)
    return page([render.team(site, project)], request.query, TEAMS, request.pageSize)
  }
  return notFound(`The resource ${path}`)
}

const pullRequestsRoute = (request: Request, project: Project, api: ReadonlyArray<string>): Answer | undefined => {
  const { site, query } = request
  const repo = project.repositories.find((r) => r.id === api[2]!.toLowerCase() || r.name === api[2])
  if (repo === undefined) return notFound(`Repository ${api[2]}`)
  if (api.length === 4) {
    // Without a status the service lists the active pull requests only.
    const status = (query.get("searchCriteria.status") ?? "active").toLowerCase()
    const selected = repo.pullRequests.filter((pr) => status === "all" || pr.status === status)
    const newestFirst = [...selected].sort((a, b) => b.pullRequestId - a.pullRequestId)
    return page(
      newestFirst.map((pr) => render.pullRequest(site, project, repo, pr)),
      query,
      PULL_REQUESTS,
      request.pageSize
    )
  }
  const pr = repo.pullRequests.find((p) => String(p.pullRequestId) === api[4])
  if (pr === undefined) return notFound(`Pull request ${api[4]}`)
  if (api.length === 6 && api[5]!.toLowerCase() === "commits") {
    const commits = pr.commits.map((c) => render.pullRequestCommit(site, project, repo, c)).reverse()
    return page(commits, query, PR_COMMITS, request.pageSize)
  }
  return undefined
}

const buildsRoute = (request: Request, project: Project, api: ReadonlyArray<string>): Answer | undefined => {
  const { site, query } = request
  if (api.length === 2) {
    const repositoryId = query.get("repositoryId")
    const repositoryType = query.get("repositoryType")
    if (repositoryId !== null && repositoryType === null) {
      return failure(400, "ArgumentException", "A repository type is required to filter by repository id.")
    }
    const minTime = query.get("minTime")
    const selected = project.builds.filter((b) =>
      (repositoryId === null ||
        (b.repository.id === repositoryId && b.repository.type.toLowerCase() === repositoryType!.toLowerCase())) &&
      (minTime === null || (b.finishTime !== undefined && b.finishTime >= new Date(minTime).toISOString()))
    )
    // finishTimeDescending: finished builds newest first, then the unfinished ones.
    const key = (b: (typeof selected)[0]) => b.finishTime ?? ""
    const sorted = [...selected].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : b.id - a.id))
    return page(sorted.map((b) => render.build(site, project, b)), query, BUILDS, request.pageSize)
  }
  const b = project.builds.find((x) => String(x.id) === api[2])
  if (b === undefined) return notFound(`Build ${api[2]}`)
  if (api.length === 4 && api[3]!.toLowerCase() === "timeline") {
    if (b.timeline === "none") return { status: 204 }
    if (b.timeline === "gone") return failure(404, "BuildNotFoundException", `Build ${b.id} was not found.`)
    return json(200, {
      records: b.records.map((r) => render.timelineRecord(site, project, b, r)),
      lastChangedBy: "00000002-0000-8888-8000-000000000000",
      lastChangedOn: b.finishTime ?? b.startTime ?? b.queueTime,
      id: `${b.id}`,
      changeId: b.records.length,
      url: `${site.base}/${project.id}/_apis/build/builds/${b.id}/Timeline`
    })
  }
  return undefined
}

const workItemsRoute = (request: Request, project: Project, api: ReadonlyArray<string>): Answer | undefined => {
  const { site, query } = request
  const path = lower(api)
  if (path === "wit/workitemtypes" && request.method === "GET") return all(workItemTypes())
  if (path === "wit/wiql" && request.method === "POST") {
    let text: unknown
    try {
      text = (JSON.parse(request.body) as { query?: unknown }).query
    } catch {
      text = undefined
    }
    if (typeof text !== "string") return failure(400, "InvalidArgumentValueException", "The body has no query.")
    const result = runWiql(text, project.workItems, project.name, query.get("timePrecision") === "true")
    if ("error" in result) return failure(400, "WiqlParserException", result.error)
    const top = Number(query.get("$top") ?? 20_000)
    if (result.ids.length > top && query.get("$top") === null) {
      return failure(400, "VS402337", `The number of work items returned exceeds the size limit of ${top}.`)
    }
    return json(200, {
      queryType: "flat",
      queryResultType: "workItem",
      asOf: new Date().toISOString(),
      columns: [{ referenceName: "System.Id", name: "ID", url: `${site.base}/_apis/wit/fields/System.Id` }],
      workItems: result.ids.slice(0, top).map((id) => ({
        id,
        url: `${site.base}/${project.id}/_apis/wit/workItems/${id}`
      }))
    })
  }
  if (path === "wit/workitems" && request.method === "GET") {
    const ids = (query.get("ids") ?? "").split(",").filter((s) => s !== "").map(Number)
    if (ids.length === 0 || ids.some((id) => !Number.isInteger(id))) {
      return failure(400, "InvalidArgumentValueException", "The ids parameter is missing or not a list of numbers.")
    }
    if (ids.length > MAX_WORK_ITEMS) {
      return failure(400, "VS402335", `The maximum number of work items to fetch is ${MAX_WORK_ITEMS}.`)
    }
    const found = ids.map((id) => project.workItems.find((w) => w.id === id))
    const missing = ids.filter((_, i) => found[i] === undefined)
    if (missing.length > 0 && query.get("errorPolicy")?.toLowerCase() !== "omit") {
      return failure(404, "WorkItemUnauthorizedAccessException", `TF401232: Work item ${missing[0]} does not exist.`)
    }
    return all(found.map((w) => (w === undefined ? null : render.workItem(site, project, w))))
  }
  if (api.length === 4 && api[1]!.toLowerCase() === "workitems" && api[3]!.toLowerCase() === "updates") {
    const item = project.workItems.find((w) => String(w.id) === api[2])
    if (item === undefined) {
      return failure(404, "WorkItemUnauthorizedAccessException", `TF401232: Work item ${api[2]} does not exist.`)
    }
    return page(
      item.updates.map((u) => render.workItemUpdate(site, project, item, u)),
      query,
      UPDATES,
      request.pageSize
    )
  }
  return undefined
}

/** Project-level: git, builds, service endpoints, source providers, work items. */
const projectRoute = (request: Request, project: Project, api: ReadonlyArray<string>): Answer => {
  const { site, query } = request
  const path = lower(api)
  if (path === "git/repositories") return all(project.repositories.map((r) => render.repository(site, project, r)))
  if (path.startsWith("git/repositories/") && api.length >= 4 && api[3]!.toLowerCase() === "pullrequests") {
    const answer = pullRequestsRoute(request, project, api)
    if (answer !== undefined) return answer
  }
  if (path.startsWith("build/builds")) {
    const answer = buildsRoute(request, project, api)
    if (answer !== undefined) return answer
  }
  if (path === "serviceendpoint/endpoints") return all(project.endpoints.map(render.serviceEndpoint))
  if (api.length === 3 && api[0]!.toLowerCase() === "sourceproviders" && api[2]!.toLowerCase() === "repositories") {
    const endpoint = project.endpoints.find((x) => x.id === query.get("serviceEndpointId"))
    if (endpoint === undefined || endpoint.type.toLowerCase() !== api[1]!.toLowerCase()) {
      return notFound(`Service endpoint ${query.get("serviceEndpointId")}`)
    }
    const repositories = endpoint.repositories.map((r) => render.externalRepository(endpoint, r))
    return json(200, { repositories, continuationToken: null, pageLength: repositories.length, totalPageCount: 1 })
  }
  if (path.startsWith("wit/")) {
    const answer = workItemsRoute(request, project, api)
    if (answer !== undefined) return answer
  }
  return notFound(`The resource ${path}`)
}

/** Routes a request below a collection: `[project[/team]]/_apis/...`. */
export const route = (request: Request): Answer => {
  const index = request.segments.findIndex((s) => s.toLowerCase() === "_apis")
  if (index < 0) return notFound(`The resource /${request.segments.join("/")}`)
  const before = request.segments.slice(0, index)
  const api = request.segments.slice(index + 1)
  if (before.length === 0) return collectionRoute(request, api)
  const project = findProject(request.site.org, before[0]!)
  if (project === undefined) {
    return failure(
      404,
      "ProjectDoesNotExistWithNameException",
      `TF200016: The following project does not exist: ${before[0]}.`
    )
  }
  if (before.length === 1) return projectRoute(request, project, api)
  const team = before[1]!.toLowerCase()
  if (before.length > 2 || (team !== project.team.name.toLowerCase() && team !== project.team.id)) {
    return notFound(`Team ${before.slice(1).join("/")}`)
  }
  if (lower(api) === "work/teamsettings/iterations") {
    return all(project.iterations.map((it) => render.iteration(request.site, project, it)))
  }
  return notFound(`The resource ${lower(api)}`)
}

/** `app.vssps.visualstudio.com`: the token's profile and the organizations it can see. */
export const vsspsRoute = (data: MockData, path: string, query: URLSearchParams): Answer => {
  const lowerPath = path.toLowerCase().replace(/\/+$/, "")
  if (lowerPath === "/_apis/profile/profiles/me") {
    return json(200, {
      ...data.profile,
      publicAlias: data.profile.id,
      coreRevision: 1,
      timeStamp: "2026-01-05T00:00:00+00:00",
      revision: 1
    })
  }
  if (lowerPath === "/_apis/accounts") {
    if (query.get("memberId") !== data.profile.id) return json(200, { count: 0, value: [] })
    const value = data.organizations.map((org) => ({
      accountId: org.accountId,
      accountUri: `https://vssps.dev.azure.com/${org.name}/`,
      accountName: org.name,
      properties: {}
    }))
    return json(200, { count: value.length, value })
  }
  return notFound(`The resource ${path}`)
}
