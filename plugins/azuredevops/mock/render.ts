/**
 * The service's JSON shapes for the mock's data, with URLs under the base the request came through: the cloud's
 * `https://dev.azure.com/{org}` or an on-premises collection URL such as `http://127.0.0.1:P/tfs/DefaultCollection`.
 */
import type {
  Build,
  ExternalRepository,
  Identity,
  Iteration,
  Organization,
  Project,
  PullRequest,
  Repository,
  ServiceEndpoint,
  TimelineRecord,
  WorkItem,
  WorkItemUpdate
} from "./data.js"

/** Where a request came in: `base` is the collection URL without a trailing slash. */
export interface Site {
  readonly base: string
  readonly cloud: boolean
  readonly org: Organization
}

const e = encodeURIComponent

export const identity = (site: Site, person: Identity) => ({
  displayName: person.displayName,
  url: `${site.cloud ? "https://spsprodweu5.vssps.visualstudio.com" : site.base}/_apis/Identities/${person.id}`,
  _links: { avatar: { href: `${site.base}/_apis/GraphProfile/MemberAvatars/aad.${person.id}` } },
  id: person.id,
  uniqueName: person.uniqueName,
  imageUrl: `${site.base}/_api/_common/identityImage?id=${person.id}`,
  descriptor: `aad.${Buffer.from(person.id).toString("base64url")}`
})

export const projectRef = (site: Site, project: Project) => ({
  id: project.id,
  name: project.name,
  description: project.description,
  url: `${site.base}/_apis/projects/${project.id}`,
  state: "wellFormed",
  revision: 11,
  visibility: "private",
  lastUpdateTime: project.lastUpdateTime
})

const repositoryRef = (site: Site, project: Project, repo: Repository) => ({
  id: repo.id,
  name: repo.name,
  url: `${site.base}/${project.id}/_apis/git/repositories/${repo.id}`,
  project: projectRef(site, project)
})

export const repository = (site: Site, project: Project, repo: Repository) => {
  const web = `${site.base}/${e(project.name)}/_git/${e(repo.name)}`
  const parent = repo.parentId === undefined ? undefined : project.repositories.find((r) => r.id === repo.parentId)
  const host = new URL(site.base).host
  return {
    ...repositoryRef(site, project, repo),
    ...(repo.defaultBranch === undefined ? {} : { defaultBranch: repo.defaultBranch }),
    size: repo.size,
    // The cloud puts the organization as user name in clone URLs; the plugin strips it.
    remoteUrl: site.cloud ? web.replace("https://", `https://${site.org.name}@`) : web,
    sshUrl: `git@ssh.${host}:v3/${site.org.name}/${e(project.name)}/${e(repo.name)}`,
    webUrl: web,
    isDisabled: false,
    isInMaintenance: false,
    ...(parent === undefined ? {} : {
      isFork: true,
      parentRepository: { ...repositoryRef(site, project, parent), isFork: false }
    })
  }
}

export const pullRequest = (site: Site, project: Project, repo: Repository, pr: PullRequest) => {
  const repoUrl = `${site.base}/${project.id}/_apis/git/repositories/${repo.id}`
  const commitRef = (sha: string) => ({ commitId: sha, url: `${repoUrl}/commits/${sha}` })
  const fork = pr.forkSourceRepositoryId === undefined
    ? undefined
    : project.repositories.find((r) => r.id === pr.forkSourceRepositoryId)
  return {
    repository: repositoryRef(site, project, repo),
    pullRequestId: pr.pullRequestId,
    codeReviewId: pr.pullRequestId,
    status: pr.status,
    createdBy: identity(site, pr.createdBy),
    creationDate: pr.creationDate,
    ...(pr.closedDate === undefined ? {} : { closedDate: pr.closedDate }),
    title: pr.title,
    description: pr.description,
    sourceRefName: pr.sourceRefName,
    targetRefName: pr.targetRefName,
    mergeStatus: pr.status === "abandoned" ? "notSet" : "succeeded",
    isDraft: pr.isDraft,
    mergeId: `${pr.pullRequestId}`.padStart(8, "0") + "-0000-4000-8000-000000000000",
    lastMergeSourceCommit: commitRef(pr.commits.at(-1)!.commitId),
    lastMergeTargetCommit: commitRef(pr.targetCommitId),
    ...(pr.mergeCommitId === undefined ? {} : { lastMergeCommit: commitRef(pr.mergeCommitId) }),
    reviewers: [],
    ...(pr.labels.length === 0 ? {} : {
      labels: pr.labels.map((name, i) => ({ id: `${pr.pullRequestId}-${i}`, name, active: true }))
    }),
    ...(fork === undefined ? {} : {
      forkSource: { name: `refs/heads/${fork.name}`, repository: repositoryRef(site, project, fork) }
    }),
    url: `${repoUrl}/pullRequests/${pr.pullRequestId}`,
    supportsIterations: true
  }
}

export const pullRequestCommit = (
  site: Site,
  project: Project,
  repo: Repository,
  commit: PullRequest["commits"][0]
) => ({
  commitId: commit.commitId,
  author: commit.author,
  committer: commit.author,
  comment: commit.comment,
  url: `${site.base}/${project.id}/_apis/git/repositories/${repo.id}/commits/${commit.commitId}`
})

export const build = (site: Site, project: Project, b: Build) => {
  const apiUrl = `${site.base}/${project.id}/_apis/build/Builds/${b.id}`
  return {
    _links: {
      self: { href: apiUrl },
      web: { href: `${site.base}/${project.id}/_build/results?buildId=${b.id}` },
      timeline: { href: `${site.base}/${project.id}/_apis/build/builds/${b.id}/Timeline` }
    },
    properties: {},
    tags: [],
    validationResults: [],
    triggerInfo: { "ci.sourceBranch": b.sourceBranch, "ci.sourceSha": b.sourceVersion, "ci.message": b.message },
    id: b.id,
    buildNumber: b.buildNumber,
    status: b.status,
    ...(b.result === undefined ? {} : { result: b.result }),
    queueTime: b.queueTime,
    ...(b.startTime === undefined ? {} : { startTime: b.startTime }),
    ...(b.finishTime === undefined ? {} : { finishTime: b.finishTime }),
    url: apiUrl,
    definition: {
      id: b.definition.id,
      name: b.definition.name,
      url: `${site.base}/${project.id}/_apis/build/Definitions/${b.definition.id}?revision=1`,
      path: "\\",
      type: "build",
      queueStatus: "enabled",
      revision: 1,
      project: projectRef(site, project)
    },
    project: projectRef(site, project),
    uri: `vstfs:///Build/Build/${b.id}`,
    sourceBranch: b.sourceBranch,
    sourceVersion: b.sourceVersion,
    priority: "normal",
    reason: "individualCI",
    requestedFor: identity(site, b.requestedFor),
    requestedBy: identity(site, b.requestedFor),
    lastChangedDate: b.finishTime ?? b.startTime ?? b.queueTime,
    repository: { id: b.repository.id, type: b.repository.type },
    retainedByRelease: false,
    triggeredByBuild: null
  }
}

export const timelineRecord = (site: Site, project: Project, b: Build, record: TimelineRecord) => ({
  previousAttempts: [],
  id: record.id,
  parentId: record.parentId,
  type: record.type,
  name: record.name,
  startTime: record.startTime,
  finishTime: record.finishTime,
  currentOperation: null,
  percentComplete: record.state === "completed" ? 100 : 0,
  state: record.state,
  result: record.result,
  resultCode: null,
  changeId: record.order,
  lastModified: "0001-01-01T00:00:00",
  workerName: record.type === "Job" && record.startTime !== null ? "Hosted Agent" : null,
  order: record.order,
  details: null,
  errorCount: record.result === "failed" ? 1 : 0,
  warningCount: record.result === "succeededWithIssues" ? 1 : 0,
  url: null,
  log: record.startTime === null ? null : {
    id: record.order,
    type: "Container",
    url: `${site.base}/${project.id}/_apis/build/builds/${b.id}/logs/${record.order}`
  },
  task: null,
  attempt: 1,
  identifier: record.identifier
})

export const serviceEndpoint = (endpoint: ServiceEndpoint) => ({
  data: {},
  id: endpoint.id,
  name: endpoint.name,
  type: endpoint.type,
  url: endpoint.url,
  authorization: { scheme: "PersonalAccessToken" },
  isShared: false,
  isReady: true,
  owner: "Library"
})

export const externalRepository = (endpoint: ServiceEndpoint, repo: ExternalRepository) => ({
  properties: {
    apiUrl: `https://api.github.com/repos/${repo.id}`,
    cloneUrl: repo.cloneUrl,
    ...(repo.defaultBranch === undefined ? {} : { defaultBranch: repo.defaultBranch }),
    fullName: repo.id,
    connectedServiceId: endpoint.id,
    isPrivate: "False"
  },
  id: repo.id,
  sourceProviderName: endpoint.type,
  name: repo.id,
  fullName: repo.id,
  url: repo.cloneUrl.replace(/\.git$/, ""),
  ...(repo.defaultBranch === undefined ? {} : { defaultBranch: repo.defaultBranch })
})

const workItemUrl = (site: Site, project: Project, id: number) => `${site.base}/${project.id}/_apis/wit/workItems/${id}`

/** Identity fields carry the full identity reference, as `$expand=all` returns them. */
const expandIdentities = (site: Site, fields: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(fields)) {
    out[name] = typeof value === "object" && value !== null && "uniqueName" in value
      ? identity(site, value as Identity)
      : value
  }
  return out
}

export const workItem = (site: Site, project: Project, item: WorkItem) => ({
  id: item.id,
  rev: item.updates.length,
  fields: expandIdentities(site, item.fields),
  relations: item.parentId === undefined ? [] : [{
    rel: "System.LinkTypes.Hierarchy-Reverse",
    url: workItemUrl(site, project, item.parentId),
    attributes: { isLocked: false, name: "Parent" }
  }],
  _links: {
    self: { href: workItemUrl(site, project, item.id) },
    html: { href: `${site.base}/${project.id}/_workitems/edit/${item.id}` }
  },
  url: workItemUrl(site, project, item.id)
})

/** An update's `revisedDate` is when the revision was replaced (9999-01-01 for the current one), as the service says. */
export const workItemUpdate = (site: Site, project: Project, item: WorkItem, update: WorkItemUpdate) => {
  const next = item.updates[update.rev]
  const fields: Record<string, unknown> = {}
  for (const [name, change] of Object.entries(update.fields)) {
    fields[name] = Object.fromEntries(
      Object.entries(change).map((
        [k, v]
      ) => [k, typeof v === "object" && v !== null ? identity(site, v as Identity) : v])
    )
  }
  return {
    id: update.rev,
    workItemId: item.id,
    rev: update.rev,
    revisedBy: identity(site, update.revisedBy),
    revisedDate: next === undefined ? "9999-01-01T00:00:00Z" : next.date,
    fields,
    url: `${workItemUrl(site, project, item.id)}/updates/${update.rev}`
  }
}

export const iteration = (site: Site, project: Project, it: Iteration) => ({
  id: it.id,
  name: it.name,
  path: it.path,
  attributes: { startDate: it.startDate, finishDate: it.finishDate, timeFrame: it.timeFrame },
  url: `${site.base}/${project.id}/${project.team.id}/_apis/work/teamsettings/iterations/${it.id}`
})

export const team = (site: Site, project: Project) => ({
  id: project.team.id,
  name: project.team.name,
  url: `${site.base}/_apis/projects/${project.id}/teams/${project.team.id}`,
  description: `The default project team.`,
  identityUrl: `${site.base}/_apis/Identities/${project.team.id}`,
  projectName: project.name,
  projectId: project.id
})
