/**
 * DevLake's `crossdomain` domain: accounts, users, teams and the tables that link entities of different
 * domains, as the Go models in `backend/core/models/domainlayer/crossdomain` define them.
 *
 * A field's DB column is gorm's snake_case of its key. Non-key columns that Go fills with a zero value
 * default to it (`""`, `0`), so a convertor only sets what it knows; key columns are required.
 *
 * @example
 * import { Domain } from "tsdevlake"
 *
 * const account = new Domain.Crossdomain.Account({ userName: "octocat", email: "octocat@example.com" })
 *
 * @since 0.1.0
 */
import * as Model from "../Model.js"
import { int, key, nullableDate, nullableInt, Relation, text, varchar } from "../internal/model/domainFields.js"

/**
 * An account in a source tool (`accounts`).
 *
 * @since 0.1.0
 * @category models
 */
export class Account extends Model.DomainModel<Account>("Account", { table: "accounts" })({
  email: varchar(255),
  fullName: varchar(255),
  userName: varchar(255),
  avatarUrl: varchar(255),
  organization: varchar(255),
  createdDate: nullableDate,
  status: int
}) {}

/**
 * Links a board to a repository (`board_repos`).
 *
 * @since 0.1.0
 * @category models
 */
export class BoardRepo extends Relation<BoardRepo>("BoardRepo", { table: "board_repos" })({
  boardId: key(255),
  repoId: key(255)
}) {}

/**
 * Links an issue to a commit (`issue_commits`).
 *
 * @since 0.1.0
 * @category models
 */
export class IssueCommit extends Relation<IssueCommit>("IssueCommit", { table: "issue_commits" })({
  issueId: key(255),
  commitSha: key(255)
}) {}

/**
 * Links an issue to a commit of a repository given by URL (`issue_repo_commits`).
 *
 * @since 0.1.0
 * @category models
 */
export class IssueRepoCommit extends Relation<IssueRepoCommit>("IssueRepoCommit", { table: "issue_repo_commits" })({
  issueId: key(255),
  repoUrl: key(255),
  commitSha: key(255),
  host: varchar(255),
  namespace: varchar(255),
  repoName: varchar(255)
}) {}

/**
 * The deployment an incident of a project is attributed to (`project_incident_deployment_relationships`),
 * keyed by `id` and `projectName`. Go's DORA plugin computes it.
 *
 * @since 0.1.0
 * @category models
 */
export class ProjectIncidentDeploymentRelationship
  extends Model.DomainModel<ProjectIncidentDeploymentRelationship>("ProjectIncidentDeploymentRelationship", {
    table: "project_incident_deployment_relationships"
  })({
    projectName: key(100),
    deploymentId: text
  })
{}

/**
 * Maps a row of a scope table (`table`, `rowId`) to a project (`project_mapping`). Go writes it when a
 * project's blueprint is saved.
 *
 * @since 0.1.0
 * @category models
 */
export class ProjectMapping extends Relation<ProjectMapping>("ProjectMapping", { table: "project_mapping" })({
  projectName: key(255),
  table: key(255),
  rowId: key(255)
}) {}

/**
 * Pull-request metrics of a project (`project_pr_metrics`), keyed by `id` and `projectName`. Go's DORA
 * plugin computes it. Durations are minutes.
 *
 * @since 0.1.0
 * @category models
 */
export class ProjectPrMetric extends Model.DomainModel<ProjectPrMetric>("ProjectPrMetric", {
  table: "project_pr_metrics"
})({
  projectName: key(100),
  firstCommitSha: text,
  prCodingTime: nullableInt,
  firstReviewId: text,
  prPickupTime: nullableInt,
  prReviewTime: nullableInt,
  deploymentCommitId: text,
  prDeployTime: nullableInt,
  prCycleTime: nullableInt,
  firstCommitAuthoredDate: nullableDate,
  firstCommentDate: nullableDate,
  prCreatedDate: nullableDate,
  prMergedDate: nullableDate,
  prDeployedDate: nullableDate
}) {}

/**
 * Links a pull request to an issue it mentions (`pull_request_issues`).
 *
 * @since 0.1.0
 * @category models
 */
export class PullRequestIssue extends Relation<PullRequestIssue>("PullRequestIssue", {
  table: "pull_request_issues"
})({
  pullRequestId: key(255),
  issueId: key(255),
  pullRequestKey: int,
  issueKey: varchar(255)
}) {}

/**
 * Issues fixed between two refs (`refs_issues_diffs`).
 *
 * @since 0.1.0
 * @category models
 */
export class RefsIssuesDiffs extends Relation<RefsIssuesDiffs>("RefsIssuesDiffs", { table: "refs_issues_diffs" })({
  newRefId: key(255),
  oldRefId: key(255),
  newRefCommitSha: varchar(40),
  oldRefCommitSha: varchar(40),
  issueNumber: varchar(255),
  issueId: key(255)
}) {}

/**
 * A team (`teams`).
 *
 * @since 0.1.0
 * @category models
 */
export class Team extends Model.DomainModel<Team>("Team", { table: "teams" })({
  name: varchar(255),
  alias: varchar(255),
  parentId: varchar(255),
  sortingIndex: int
}) {}

/**
 * A member of a team (`team_users`).
 *
 * @since 0.1.0
 * @category models
 */
export class TeamUser extends Relation<TeamUser>("TeamUser", { table: "team_users" })({
  teamId: key(255),
  userId: key(255)
}) {}

/**
 * A person (`users`), who may own accounts in several tools.
 *
 * @since 0.1.0
 * @category models
 */
export class User extends Model.DomainModel<User>("User", { table: "users" })({
  email: varchar(255),
  name: varchar(255)
}) {}

/**
 * The user an account belongs to (`user_accounts`), keyed by `accountId`.
 *
 * @since 0.1.0
 * @category models
 */
export class UserAccount extends Relation<UserAccount>("UserAccount", { table: "user_accounts" })({
  userId: varchar(255),
  accountId: key(255)
}) {}

/**
 * Every model of the crossdomain domain.
 *
 * @since 0.1.0
 * @category models
 */
export const models: ReadonlyArray<Model.Any> = [
  Account,
  BoardRepo,
  IssueCommit,
  IssueRepoCommit,
  ProjectIncidentDeploymentRelationship,
  ProjectMapping,
  ProjectPrMetric,
  PullRequestIssue,
  RefsIssuesDiffs,
  Team,
  TeamUser,
  User,
  UserAccount
]
