/**
 * DevLake's `code` domain: repositories, commits, refs and pull requests, as the Go models in
 * `backend/core/models/domainlayer/code` define them.
 *
 * Column names and types follow the Go structs (and the framework migrations where those changed a
 * column): a field's DB column is gorm's snake_case of its key. Non-key columns that Go fills with a zero
 * value default to it (`""`, `0`, `false`), so a convertor only sets what it knows; key columns and the few
 * columns every consumer relies on are required.
 *
 * @example
 * import { Domain } from "tsdevlake"
 *
 * const pr = new Domain.Code.PullRequest({
 *   baseRepoId: "myplugin:MyRepo:1:42",
 *   status: Domain.Code.Status.MERGED,
 *   title: "Fix the build",
 *   createdDate: new Date("2024-01-02T03:04:05Z")
 * })
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Model from "../Model.js"
import { bool, int, key, nullableDate, Plain, Relation, text, varchar } from "../internal/model/domainFields.js"

/**
 * Pull-request states (Go `code.OPEN`, `code.CLOSED`, `code.MERGED`).
 *
 * @since 0.1.0
 * @category constants
 */
export const Status = { OPEN: "OPEN", CLOSED: "CLOSED", MERGED: "MERGED" } as const

/**
 * `pull_requests.status`: one of {@link Status}.
 *
 * @since 0.1.0
 * @category enums
 */
export const PullRequestStatus = Schema.Literal("OPEN", "CLOSED", "MERGED")

/** @since 0.1.0 @category enums */
export type PullRequestStatus = typeof PullRequestStatus.Type

/**
 * Pull-request comment types (Go `code.NORMAL_COMMENT`, `code.DIFF_COMMENT`, `code.REVIEW`).
 *
 * @since 0.1.0
 * @category constants
 */
export const CommentType = { NORMAL_COMMENT: "NORMAL", DIFF_COMMENT: "DIFF", REVIEW: "REVIEW" } as const

/**
 * The values of {@link CommentType}. `PullRequestComment.type` itself accepts any string, as Go's column
 * does.
 *
 * @since 0.1.0
 * @category enums
 */
export const PullRequestCommentType = Schema.Literal("NORMAL", "DIFF", "REVIEW")

/** @since 0.1.0 @category enums */
export type PullRequestCommentType = typeof PullRequestCommentType.Type

/**
 * Domain scope `Repo` (table `repos`), returned by `make-pipeline`. Go unmarshals it with its json tags,
 * so the encoded keys are snake_case: `owner_id`, `forked_from`, `created_date`, `updated_date`; in plugin
 * code they are `ownerId`, `forkedFrom`, `createdDate`, `updatedDate`. `name` is required.
 *
 * @example
 * new Domain.Code.Repo({ id: "myplugin:MyRepo:1:42", name: "org/repo", url: "https://example.com/org/repo" })
 *
 * @since 0.1.0
 * @category scopes
 */
export class Repo extends Model.DomainScope<Repo>("Repo", { table: "repos" })({
  name: Schema.String,
  url: text,
  description: text,
  ownerId: varchar(255).pipe(Schema.fromKey("owner_id")),
  language: varchar(255),
  forkedFrom: text.pipe(Schema.fromKey("forked_from")),
  createdDate: Schema.optional(Schema.NullOr(Model.DateTime)).pipe(Schema.fromKey("created_date")),
  updatedDate: Schema.optional(Schema.NullOr(Model.DateTime)).pipe(Schema.fromKey("updated_date")),
  deleted: bool
}) {}

/**
 * A commit (`commits`), keyed by `sha`; `authoredDate` and `committedDate` are required.
 *
 * @since 0.1.0
 * @category models
 */
export class Commit extends Relation<Commit>("Commit", { table: "commits" })({
  sha: key(40),
  additions: int,
  deletions: int,
  devEq: int,
  message: text,
  authorName: varchar(255),
  authorEmail: varchar(255),
  authoredDate: Model.DateTime,
  authorId: varchar(255),
  committerName: varchar(255),
  committerEmail: varchar(255),
  committedDate: Model.DateTime,
  committerId: varchar(255)
}) {}

/**
 * A file changed by a commit (`commit_files`); `commitSha` is required.
 *
 * @since 0.1.0
 * @category models
 */
export class CommitFile extends Model.DomainModel<CommitFile>("CommitFile", { table: "commit_files" })({
  commitSha: Schema.String.pipe(Model.maxLength(40)),
  filePath: text,
  additions: int,
  deletions: int
}) {}

/**
 * The component a commit file belongs to (`commit_file_components`), keyed by `commitFileId`.
 *
 * @since 0.1.0
 * @category models
 */
export class CommitFileComponent extends Relation<CommitFileComponent>("CommitFileComponent", {
  table: "commit_file_components"
})({
  commitFileId: key(255),
  componentName: varchar(255)
}) {}

/**
 * One changed line of a commit (`commit_line_change`).
 *
 * @since 0.1.0
 * @category models
 */
export class CommitLineChange extends Model.DomainModel<CommitLineChange>("CommitLineChange", {
  table: "commit_line_change"
})({
  commitSha: varchar(40),
  newFilePath: varchar(255),
  lineNoNew: int,
  lineNoOld: int,
  oldFilePath: varchar(255),
  hunkNum: int,
  changedType: varchar(255),
  prevCommit: varchar(255)
}) {}

/**
 * A line of a file at a commit (`repo_snapshot`), keyed by repo, commit, path and line.
 *
 * @since 0.1.0
 * @category models
 */
export class RepoSnapshot extends Relation<RepoSnapshot>("RepoSnapshot", { table: "repo_snapshot" })({
  repoId: key(255),
  commitSha: key(40),
  filePath: key(255),
  lineNo: Schema.Int.pipe(Model.primaryKey)
}) {}

/**
 * A commit's parent (`commit_parents`).
 *
 * @since 0.1.0
 * @category models
 */
export class CommitParent extends Relation<CommitParent>("CommitParent", { table: "commit_parents" })({
  commitSha: key(40),
  parentCommitSha: key(40)
}) {}

/**
 * Commits between two commits (`commits_diffs`). Go's refdiff computes this table: it has no raw-data
 * origin or timestamp columns.
 *
 * @since 0.1.0
 * @category models
 */
export class CommitsDiff extends Plain<CommitsDiff>("CommitsDiff", { table: "commits_diffs" })({
  newCommitSha: key(40),
  oldCommitSha: key(40),
  commitSha: key(40),
  sortingIndex: int
}) {}

/**
 * A pair of refs compared by refdiff (`ref_commits`); no raw-data origin or timestamp columns.
 *
 * @since 0.1.0
 * @category models
 */
export class RefCommit extends Plain<RefCommit>("RefCommit", { table: "ref_commits" })({
  newRefId: key(255),
  oldRefId: key(255),
  newCommitSha: varchar(40),
  oldCommitSha: varchar(40)
}) {}

/**
 * A named component of a repository (`components`); no raw-data origin or timestamp columns.
 *
 * @since 0.1.0
 * @category models
 */
export class Component extends Plain<Component>("Component", { table: "components" })({
  repoId: varchar(255),
  name: key(255),
  pathRegex: varchar(255)
}) {}

/**
 * Bytes of a language in a repository (`repo_languages`). Go declares neither a primary key nor raw-data
 * origin columns for it, so rows can only be inserted, not upserted.
 *
 * @since 0.1.0
 * @category models
 */
export class RepoLanguage extends Plain<RepoLanguage>("RepoLanguage", { table: "repo_languages" })({
  repoId: varchar(255),
  language: varchar(255),
  bytes: int
}) {}

/**
 * A pull (merge) request (`pull_requests`). Required: `baseRepoId` (the repo's domain id), `status` (one of
 * {@link Status}), `title`, `createdDate`.
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequest extends Model.DomainModel<PullRequest>("PullRequest", { table: "pull_requests" })({
  // gorm sizes an indexed string without a type as varchar(191) on MySQL.
  baseRepoId: Schema.String.pipe(Model.maxLength(191)),
  headRepoId: varchar(191),
  status: PullRequestStatus.pipe(Model.maxLength(100)),
  originalStatus: varchar(100),
  title: Schema.String,
  description: text,
  url: varchar(255),
  authorName: varchar(100),
  authorId: varchar(100),
  mergedByName: varchar(100),
  mergedById: varchar(100),
  parentPrId: varchar(100),
  pullRequestKey: int,
  createdDate: Model.DateTime,
  mergedDate: nullableDate,
  closedDate: nullableDate,
  type: varchar(100),
  component: varchar(100),
  mergeCommitSha: varchar(40),
  headRef: varchar(255),
  baseRef: varchar(255),
  baseCommitSha: varchar(40),
  headCommitSha: varchar(40),
  additions: int,
  deletions: int,
  isDraft: bool
}) {}

/**
 * An assignee of a pull request (`pull_request_assignees`).
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequestAssignee extends Relation<PullRequestAssignee>("PullRequestAssignee", {
  table: "pull_request_assignees"
})({
  pullRequestId: key(255),
  assigneeId: key(255),
  name: varchar(255),
  userName: varchar(255)
}) {}

/**
 * A comment on a pull request (`pull_request_comments`); `pullRequestId` and `createdDate` are required.
 * `type` is usually one of {@link CommentType}.
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequestComment extends Model.DomainModel<PullRequestComment>("PullRequestComment", {
  table: "pull_request_comments"
})({
  pullRequestId: Schema.String.pipe(Model.maxLength(191)),
  body: text,
  accountId: varchar(255),
  createdDate: Model.DateTime,
  commitSha: varchar(255),
  type: varchar(255),
  reviewId: varchar(255),
  status: varchar(255)
}) {}

/**
 * A commit of a pull request (`pull_request_commits`); `commitAuthoredDate` is required.
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequestCommit extends Relation<PullRequestCommit>("PullRequestCommit", {
  table: "pull_request_commits"
})({
  commitSha: key(40),
  pullRequestId: key(255),
  commitAuthorName: varchar(255),
  commitAuthorEmail: varchar(255),
  commitAuthoredDate: Model.DateTime
}) {}

/**
 * A label of a pull request (`pull_request_labels`).
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequestLabel extends Relation<PullRequestLabel>("PullRequestLabel", {
  table: "pull_request_labels"
})({
  pullRequestId: key(255),
  labelName: key(255)
}) {}

/**
 * A reviewer of a pull request (`pull_request_reviewers`).
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequestReviewer extends Relation<PullRequestReviewer>("PullRequestReviewer", {
  table: "pull_request_reviewers"
})({
  pullRequestId: key(255),
  reviewerId: key(255),
  name: varchar(255),
  userName: varchar(255)
}) {}

/**
 * A branch or tag (`refs`); its `id` may be up to 500 characters (Go's `DomainEntityExtended`).
 * `repoId` is required.
 *
 * @since 0.1.0
 * @category models
 */
export class Ref extends Model.DomainModel<Ref>("Ref", { table: "refs" })({
  id: Schema.optionalWith(Schema.String.pipe(Model.maxLength(500)), { default: () => "" }).pipe(Model.primaryKey),
  repoId: Schema.String.pipe(Model.maxLength(255)),
  name: varchar(255),
  commitSha: varchar(40),
  isDefault: bool,
  refType: varchar(255),
  createdDate: nullableDate
}) {}

/**
 * Cherry-picks of a pull request onto other branches (`refs_pr_cherrypicks`), keyed by `parentPrId`.
 *
 * @since 0.1.0
 * @category models
 */
export class RefsPrCherrypick extends Relation<RefsPrCherrypick>("RefsPrCherrypick", {
  table: "refs_pr_cherrypicks"
})({
  repoName: varchar(255),
  parentPrKey: int,
  cherrypickBaseBranches: varchar(255),
  cherrypickPrKeys: varchar(255),
  parentPrUrl: varchar(255),
  parentPrId: key(255)
}) {}

/**
 * A commit of a repository (`repo_commits`).
 *
 * @since 0.1.0
 * @category models
 */
export class RepoCommit extends Relation<RepoCommit>("RepoCommit", { table: "repo_commits" })({
  repoId: key(255),
  commitSha: key(40)
}) {}

/**
 * Every model of the code domain, the `Repo` scope first.
 *
 * @since 0.1.0
 * @category models
 */
export const models: ReadonlyArray<Model.Any> = [
  Repo,
  Commit,
  CommitFile,
  CommitFileComponent,
  CommitLineChange,
  RepoSnapshot,
  CommitParent,
  CommitsDiff,
  RefCommit,
  Component,
  RepoLanguage,
  PullRequest,
  PullRequestAssignee,
  PullRequestComment,
  PullRequestCommit,
  PullRequestLabel,
  PullRequestReviewer,
  Ref,
  RefsPrCherrypick,
  RepoCommit
]
