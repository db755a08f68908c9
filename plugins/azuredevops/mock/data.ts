/**
 * The mock's data: organizations, projects, repositories, pull requests with commits, builds with timelines and
 * work items with their updates, generated from a seed and a size. Host-free: the URLs inside the responses are
 * made per request (render.ts), so the same data serves the cloud hosts and an on-premises collection URL.
 */
import { generateBuilds } from "./builds.js"
import { makeRandom, type Random } from "./random.js"
import { at, HOUR } from "./time.js"
import { generateWorkItems } from "./workItems.js"

export interface Identity {
  readonly id: string
  readonly displayName: string
  readonly uniqueName: string
}

export interface Commit {
  readonly commitId: string
  readonly author: { readonly name: string; readonly email: string; readonly date: string }
  readonly comment: string
}

export type PullRequestStatus = "active" | "completed" | "abandoned"

export interface PullRequest {
  readonly pullRequestId: number
  readonly status: PullRequestStatus
  readonly isDraft: boolean
  readonly createdBy: Identity
  readonly creationDate: string
  readonly closedDate: string | undefined
  readonly title: string
  readonly description: string
  readonly sourceRefName: string
  readonly targetRefName: string
  readonly targetCommitId: string
  readonly mergeCommitId: string | undefined
  readonly labels: ReadonlyArray<string>
  /** The repository of a pull request opened from a fork (`forkSource`). */
  readonly forkSourceRepositoryId: string | undefined
  readonly commits: ReadonlyArray<Commit>
}

export interface Repository {
  readonly id: string
  readonly name: string
  /** `undefined` for a repository without any branch (the plugin skips it). */
  readonly defaultBranch: string | undefined
  readonly size: number
  /** The repository this one is a fork of. */
  readonly parentId: string | undefined
  readonly pullRequests: ReadonlyArray<PullRequest>
}

export interface ExternalRepository {
  /** `owner/name`, as the source provider knows it. */
  readonly id: string
  readonly cloneUrl: string
  readonly defaultBranch: string | undefined
}

export interface ServiceEndpoint {
  readonly id: string
  readonly name: string
  /** `GitHub`, `Bitbucket`, `azurerm`…: the plugin reads repositories of the git providers only. */
  readonly type: string
  readonly url: string
  readonly repositories: ReadonlyArray<ExternalRepository>
}

export type BuildStatus = "completed" | "inProgress" | "notStarted" | "cancelling" | "postponed"
export type BuildResult = "succeeded" | "failed" | "partiallySucceeded" | "canceled"

export interface TimelineRecord {
  readonly id: string
  readonly parentId: string | null
  readonly type: "Stage" | "Phase" | "Job" | "Task"
  readonly name: string
  readonly identifier: string | null
  readonly startTime: string | null
  readonly finishTime: string | null
  readonly state: "pending" | "inProgress" | "completed"
  readonly result: string | null
  readonly order: number
}

export interface Build {
  readonly id: number
  readonly buildNumber: string
  readonly definition: { readonly id: number; readonly name: string }
  readonly status: BuildStatus
  readonly result: BuildResult | undefined
  readonly queueTime: string
  readonly startTime: string | undefined
  readonly finishTime: string | undefined
  readonly sourceBranch: string
  readonly sourceVersion: string
  readonly message: string
  /** The repository id and type as the builds list filters them (`TfsGit`, `GitHub`…). */
  readonly repository: { readonly id: string; readonly type: string }
  readonly requestedFor: Identity
  /**
   * What the timeline endpoint answers: the records; 204 for a build that failed before any job ("none"); 404
   * for a build cleaned since ("gone").
   */
  readonly timeline: "records" | "none" | "gone"
  readonly records: ReadonlyArray<TimelineRecord>
}

/** One revision of a work item: the fields it changed (`oldValue` absent on the first one). */
export interface WorkItemUpdate {
  readonly rev: number
  readonly revisedBy: Identity
  readonly date: string
  readonly fields: Readonly<Record<string, { readonly oldValue?: unknown; readonly newValue?: unknown }>>
}

export interface WorkItem {
  readonly id: number
  readonly projectName: string
  /** The work item's current fields: the fold of its updates. */
  readonly fields: Readonly<Record<string, unknown>>
  readonly parentId: number | undefined
  readonly updates: ReadonlyArray<WorkItemUpdate>
}

export interface Iteration {
  readonly id: string
  readonly name: string
  readonly path: string
  readonly startDate: string
  readonly finishDate: string
  readonly timeFrame: "past" | "current" | "future"
}

export interface Project {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly lastUpdateTime: string
  readonly repositories: ReadonlyArray<Repository>
  readonly endpoints: ReadonlyArray<ServiceEndpoint>
  readonly builds: ReadonlyArray<Build>
  readonly workItems: ReadonlyArray<WorkItem>
  readonly team: { readonly id: string; readonly name: string }
  /** Empty for a process without sprints. */
  readonly iterations: ReadonlyArray<Iteration>
  readonly areaPaths: ReadonlyArray<string>
}

export interface Organization {
  readonly accountId: string
  readonly name: string
  readonly projects: ReadonlyArray<Project>
}

export interface MockData {
  readonly seed: string | number
  readonly size: number
  /** The token the mock accepts; `expiredToken` gets a 401, any other a redirect to the sign-in page. */
  readonly token: string
  readonly expiredToken: string
  readonly profile: { readonly id: string; readonly displayName: string; readonly emailAddress: string }
  readonly organizations: ReadonlyArray<Organization>
}

const PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Ken Thompson"]

const identities = (random: Random): ReadonlyArray<Identity> =>
  PEOPLE.map((name) => ({
    id: random.uuid(),
    displayName: name,
    uniqueName: `${name.toLowerCase().replace(/ /g, ".")}@example.com`
  }))

/** Ids that Azure DevOps numbers per collection (organization): pull requests, builds, work items. */
export interface Counters {
  pullRequest: number
  build: number
  workItem: number
  definition: number
}

export interface Generation {
  readonly random: Random
  readonly people: ReadonlyArray<Identity>
  readonly counters: Counters
}

const commit = (g: Generation, at_: string, index: number): Commit => {
  const person = g.random.pick(g.people)
  return {
    commitId: g.random.sha(),
    author: { name: person.displayName, email: person.uniqueName, date: at_ },
    comment: `Change ${index}: ${g.random.pick(["fix", "refactor", "feature", "docs", "test"])} work`
  }
}

const STATUSES: ReadonlyArray<PullRequestStatus> = ["active", "completed", "abandoned"]
const LABELS: ReadonlyArray<ReadonlyArray<string>> = [["feature"], ["bug", "urgent"], [], []]

/**
 * `count` pull requests of all statuses; the `i % 4 === 3`-th one starts with the previous one's last commit, so
 * some commits belong to two pull requests; the second one comes from `forkId` when given.
 */
const pullRequests = (g: Generation, count: number, start: number, forkId?: string): ReadonlyArray<PullRequest> => {
  const out: Array<PullRequest> = []
  for (let i = 0; i < count; i++) {
    const created = start + i * 5 * HOUR
    const status = STATUSES[i % 3]!
    const commits: Array<Commit> = []
    const previous = out[i - 1]
    if (i % 4 === 3 && previous !== undefined) commits.push(previous.commits.at(-1)!)
    for (let c = commits.length; c < 1 + (i % 3); c++) commits.push(commit(g, at(created + c * HOUR), i))
    const branch = `feature/change-${i + 1}`
    out.push({
      pullRequestId: ++g.counters.pullRequest,
      status,
      isDraft: status === "active" && i % 6 === 0,
      createdBy: g.random.pick(g.people),
      creationDate: at(created + 2 * HOUR),
      closedDate: status === "active" ? undefined : at(created + 4 * HOUR),
      title: `Change ${i + 1}: ${commits[0]!.comment}`,
      description: `Pull request ${i + 1} of ${count}`,
      sourceRefName: `refs/heads/${branch}`,
      targetRefName: "refs/heads/main",
      targetCommitId: g.random.sha(),
      mergeCommitId: status === "completed" ? g.random.sha() : undefined,
      labels: LABELS[i % 4]!,
      forkSourceRepositoryId: i === 1 ? forkId : undefined,
      commits
    })
  }
  return out
}

interface ProjectShape {
  readonly name: string
  readonly pullRequests: number
  readonly builds: number
  readonly workItems: number
  readonly sprints: boolean
  /** The full project: a fork, a repository without branches and service endpoints with external repositories. */
  readonly full: boolean
}

const repository = (g: Generation, name: string, fields: Partial<Repository> = {}): Repository => ({
  id: g.random.uuid(),
  name,
  defaultBranch: "refs/heads/main",
  size: g.random.int(1000, 900_000),
  parentId: undefined,
  pullRequests: [],
  ...fields
})

/** The full project's extras: a fork of `main`, a repository without branches, a GitHub and an Azure endpoint. */
const extras = (g: Generation, main: Repository, start: number) => {
  const fork = repository(g, `${main.name}-fork`, {
    parentId: main.id,
    pullRequests: pullRequests(g, 2, start + 200 * HOUR)
  })
  const empty = repository(g, "empty", { defaultBranch: undefined, size: 0 })
  const endpoints: ReadonlyArray<ServiceEndpoint> = [
    {
      id: g.random.uuid(),
      name: "octo-org on GitHub",
      type: "GitHub",
      url: "https://github.com",
      repositories: [
        { id: "octo-org/api", cloneUrl: "https://github.com/octo-org/api.git", defaultBranch: "develop" },
        { id: "octo-org/docs", cloneUrl: "https://github.com/octo-org/docs.git", defaultBranch: undefined }
      ]
    },
    {
      id: g.random.uuid(),
      name: "Azure subscription",
      type: "azurerm",
      url: "https://management.azure.com/",
      repositories: []
    }
  ]
  return { fork, empty, endpoints }
}

/** Three two-week sprints from the epoch, the last one current; none for a process without sprints. */
const sprints = (g: Generation, shape: ProjectShape): ReadonlyArray<Iteration> =>
  shape.sprints
    ? [0, 1, 2].map((s) => ({
      id: g.random.uuid(),
      name: `Sprint ${s + 1}`,
      path: `${shape.name}\\Sprint ${s + 1}`,
      startDate: at(s * 14 * 24 * HOUR),
      finishDate: at(((s + 1) * 14 - 3) * 24 * HOUR),
      timeFrame: s < 2 ? "past" : "current"
    }))
    : []

const project = (g: Generation, shape: ProjectShape, start: number): Project => {
  const id = g.random.uuid()
  const main = repository(g, `${shape.name.toLowerCase().replace(/ /g, "-")}-app`)
  const extra = shape.full ? extras(g, main, start) : undefined
  const withPullRequests = { ...main, pullRequests: pullRequests(g, shape.pullRequests, start, extra?.fork.id) }
  const repositories = extra === undefined ? [withPullRequests] : [withPullRequests, extra.fork, extra.empty]
  const endpoints = extra?.endpoints ?? []
  const builds = generateBuilds(g, {
    repositories: [
      { id: main.id, type: "TfsGit", count: shape.builds, commits: withPullRequests.pullRequests },
      ...endpoints.flatMap((e) => e.repositories.map((r) => ({ id: r.id, type: e.type, count: 2, commits: [] })))
    ],
    name: shape.name,
    start
  })
  const iterations = sprints(g, shape)
  const areaPaths = [shape.name, `${shape.name}\\Frontend`, `${shape.name}\\Backend`]
  return {
    id,
    name: shape.name,
    description: `The ${shape.name} project`,
    lastUpdateTime: at(start),
    repositories,
    endpoints,
    builds,
    workItems: generateWorkItems(g, { project: shape.name, count: shape.workItems, iterations, areaPaths, start }),
    team: { id: g.random.uuid(), name: `${shape.name} Team` },
    iterations,
    areaPaths
  }
}

/**
 * The data of a seed and a size: `size` scales the first project's pull requests, builds and work items (at least
 * enough for every status, result and type); the other projects stay small.
 */
export const generate = (seed: string | number, size: number): MockData => {
  const random = makeRandom(seed)
  const people = identities(random)
  const n = Math.max(1, Math.floor(size))
  const org = (name: string, shapes: ReadonlyArray<ProjectShape>): Organization => {
    const g: Generation = { random, people, counters: { pullRequest: 0, build: 0, workItem: 0, definition: 0 } }
    return { accountId: random.uuid(), name, projects: shapes.map((shape, i) => project(g, shape, i * 24 * HOUR)) }
  }
  const small = { pullRequests: 2, builds: 2, workItems: 3, full: false }
  return {
    seed,
    size: n,
    token: `mockpat${random.hex(44)}`,
    expiredToken: `expiredpat${random.hex(42)}`,
    profile: { id: people[0]!.id, displayName: people[0]!.displayName, emailAddress: people[0]!.uniqueName },
    organizations: [
      org("fabrikam", [
        {
          name: "web",
          pullRequests: Math.max(6, n),
          builds: Math.max(9, n),
          workItems: Math.max(9, n),
          sprints: true,
          full: true
        },
        { name: "Fabrikam Fiber", ...small, sprints: false }
      ]),
      org("contoso", [{ name: "mobile", ...small, sprints: true }])
    ]
  }
}
