/**
 * The models of the Azure DevOps plugin: its connection, scope (a Git repository), scope config and the tool
 * models of its code and CI/CD streams. Class names, and so table names (`_tool_azuredevops_<plural>`) and domain
 * ids (`azuredevops:<Class>:<connection>:<key>`), are those of DevLake's Python plugin, so a database it wrote
 * keeps working.
 */
import { Schema } from "effect"
import { Model, Plugin } from "tsdevlake"
import { boardsScopeConfigFields } from "./boards/scopeConfig.js"

const optionalString = Schema.optional(Schema.NullOr(Schema.String))
const optionalDate = Schema.optional(Schema.NullOr(Model.DateTime))

/**
 * The connection. `endpoint` is the collection URL of an Azure DevOps Server (on-premises), e.g.
 * `https://host/tfs/DefaultCollection/`; empty or absent means the cloud (`https://dev.azure.com/`).
 */
export class AzureDevOpsConnection extends Model.Connection<AzureDevOpsConnection>("AzureDevOpsConnection")({
  token: Model.Secret,
  organization: optionalString,
  endpoint: optionalString,
  rateLimitPerHour: Schema.optional(Schema.NullOr(Schema.Int))
}) {}

/**
 * Python's `re` anchors JavaScript lacks: `\A` (start of the text) and `\Z` (its end), whatever the flags; an escaped
 * backslash (`\\A`) is left alone. JavaScript would read `\A` as the letter A.
 */
const translateAnchors = (body: string): string =>
  body.replace(
    /\\(.)/g,
    (escape: string, char: string) => char === "A" ? "(?<![\\s\\S])" : char === "Z" ? "(?![\\s\\S])" : escape
  )

/**
 * Python's `re` syntax that JavaScript spells otherwise: named groups, `\A` and `\Z`, and leading inline flags.
 * Verbose patterns (`(?x)`) are refused rather than read with their spaces as literals; a scoped flag (`(?i:…)`)
 * does not compile in JavaScript, and so is refused too.
 */
const translatePattern = (pattern: string): { readonly source: string; readonly flags: string } => {
  const inline = /^\(\?([aiLmsux]+)\)/.exec(pattern)
  if (inline !== null && inline[1]!.includes("x")) {
    throw new Error("verbose patterns ((?x)) are not supported: write it without spaces and comments")
  }
  const flags = inline === null ? "" : [...new Set(inline[1]!.replace(/[aLu]/g, ""))].join("")
  const body = inline === null ? pattern : pattern.slice(inline[0].length)
  return {
    source: translateAnchors(body.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>")),
    flags
  }
}

/**
 * A regular expression as Python's `re` takes it (the scope config's patterns were written for pydevlake),
 * compiled for JavaScript; `undefined` for an empty or absent pattern.
 */
export const compilePattern = (pattern: string | null | undefined): RegExp | undefined => {
  if (pattern === undefined || pattern === null || pattern === "") return undefined
  const { flags, source } = translatePattern(pattern)
  return new RegExp(source, flags)
}

/** A regular expression string, refused at decode time (one line naming it) when it does not compile. */
export const Pattern = Schema.String.pipe(
  Schema.filter((pattern) => {
    try {
      compilePattern(pattern)
      return true
    } catch (error) {
      return `not a valid regular expression: ${JSON.stringify(pattern)} (${(error as Error).message})`
    }
  })
)

/** refdiff's options, as DevLake's UI sends them (camelCase; pydevlake's snake_case is read too). */
export const RefDiffOptions = Schema.Struct({
  tagsLimit: Schema.optional(Schema.NullOr(Schema.Int)),
  tagsOrder: optionalString,
  tagsPattern: optionalString,
  tags_limit: Schema.optional(Schema.NullOr(Schema.Int)),
  tags_order: optionalString,
  tags_pattern: optionalString
})

/** The scope config: which builds and jobs are deployments, which run in production, and refdiff's options. */
export class GitRepositoryConfig extends Model.ScopeConfig<GitRepositoryConfig>("GitRepositoryConfig")({
  refdiff: Schema.optional(Schema.NullOr(RefDiffOptions)),
  deploymentPattern: Schema.optional(Schema.NullOr(Pattern)),
  productionPattern: Schema.optional(Schema.NullOr(Pattern)),
  /** A pattern with a capture group extracting the environment's name from a job or stage name. */
  environmentPattern: Schema.optional(Schema.NullOr(Pattern)),
  /** Azure Boards: work item types to issue types, incidents, states to statuses (`boards/scopeConfig.ts`). */
  ...boardsScopeConfigFields,
  /**
   * Without `entities` (a scope config from before they existed, or none: DevLake then sends `null`), the Python
   * plugin's domains, not Azure Boards: a token made for it may lack "Work Items (Read)", and an upgrade must not
   * fail the pipelines that ran. TICKET is turned on by listing it.
   */
  entities: Schema.optionalWith(Schema.Array(Schema.String), {
    default: () => ["CODE", "CODEREVIEW", "CROSS", "CICD", "CODEQUALITY"],
    nullable: true
  })
}) {}

/**
 * The scope: a Git repository of an Azure DevOps project, or an external repository (GitHub, Bitbucket, Git)
 * a service connection of the project reaches, whose `provider` is then set.
 */
export class GitRepository extends Model.ToolScope<GitRepository>("GitRepository")({
  url: Schema.String,
  remoteUrl: optionalString,
  defaultBranch: optionalString,
  projectId: Schema.String,
  orgId: Schema.String,
  parentRepositoryUrl: optionalString.pipe(Model.source("/parentRepository/url")),
  provider: optionalString,
  updatedDate: optionalDate.pipe(Model.source("/project/lastUpdateTime"))
}) {}

/** Whether a repository is an external one (reached through a service connection). */
export const isExternal = (repo: GitRepository): boolean =>
  repo.provider !== undefined && repo.provider !== null && repo.provider !== ""

export class GitPullRequest extends Model.ToolModel<GitPullRequest>("GitPullRequest")({
  pullRequestId: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  description: optionalString,
  status: Schema.Literal("abandoned", "active", "completed"),
  createdById: Schema.String.pipe(Model.source("/createdBy/id")),
  createdByName: Schema.String.pipe(Model.source("/createdBy/displayName")),
  creationDate: Model.DateTime,
  closedDate: optionalDate,
  sourceCommitSha: Schema.String.pipe(Model.source("/lastMergeSourceCommit/commitId")),
  targetCommitSha: Schema.String.pipe(Model.source("/lastMergeTargetCommit/commitId")),
  mergeCommitSha: optionalString.pipe(Model.source("/lastMergeCommit/commitId")),
  url: optionalString,
  type: optionalString.pipe(Model.source("/labels/0/name")),
  title: optionalString,
  targetRefName: optionalString,
  sourceRefName: optionalString,
  forkRepoId: optionalString.pipe(Model.source("/forkSource/repository/id"))
}) {}

/** A commit of a pull request; keyed by both, so a commit in two pull requests is stored for each. */
export class GitPullRequestCommit extends Model.ToolModel<GitPullRequestCommit>("GitPullRequestCommit")({
  commitId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  /** The pull request's domain id (`azuredevops:GitPullRequest:<connection>:<id>`), as the Python plugin stores. */
  pullRequestId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  authorName: Schema.String.pipe(Model.source("/author/name")),
  authorEmail: optionalString.pipe(Model.source("/author/email")),
  authorDate: Model.DateTime.pipe(Model.source("/author/date"))
}) {}

export class Build extends Model.ToolModel<Build>("Build")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  name: Schema.String.pipe(Model.source("/definition/name")),
  queueTime: optionalDate,
  startTime: optionalDate,
  finishTime: optionalDate,
  /** cancelling, completed, inProgress, notStarted, postponed */
  status: Schema.String,
  /** canceled, failed, none, partiallySucceeded, succeeded */
  result: optionalString,
  // Required in the Python model, which tested for a missing one nonetheless: some builds have no sources.
  sourceBranch: optionalString,
  sourceVersion: optionalString,
  displayTitle: optionalString.pipe(Model.source("/triggerInfo/ci.message")),
  url: optionalString.pipe(Model.source("/_links/web/href"))
}) {}

/** A record of a build's timeline: a Job or a Stage. */
export class Job extends Model.ToolModel<Job>("Job")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  /** The build's domain id (`azuredevops:Build:<connection>:<id>`), as the Python plugin stores. */
  buildId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  name: Schema.String,
  startTime: optionalDate,
  finishTime: optionalDate,
  /** completed, inProgress, pending */
  state: Schema.String,
  /** abandoned, canceled, failed, skipped, succeeded, succeededWithIssues */
  result: optionalString,
  identifier: optionalString,
  type: optionalString,
  parentId: optionalString
}) {}

/**
 * The plugin's identity and models: the same name and folder as the Python plugin (`azuredevops`), so its raw
 * tables, tool tables and domain ids are the same. Streams are written with `azuredevops.stream`.
 */
export const azuredevops = Plugin.define({
  name: "azuredevops",
  folder: "azuredevops",
  connection: AzureDevOpsConnection,
  scope: GitRepository,
  scopeConfig: GitRepositoryConfig
})
