/**
 * DevLake's `ticket` domain: boards, issues, sprints, worklogs and incidents, as the Go models in
 * `backend/core/models/domainlayer/ticket` define them.
 *
 * A field's DB column is gorm's snake_case of its key. Non-key columns that Go fills with a zero value
 * default to it (`""`, `0`, `false`), so a convertor only sets what it knows; keys and the columns every
 * consumer relies on (`Issue.status`, the `issueId` of comments and changelogs) are required.
 *
 * @example
 * import { Domain } from "tsdevlake"
 *
 * const issue = new Domain.Ticket.Issue({
 *   issueKey: "PROJ-1",
 *   title: "Crash on start",
 *   type: Domain.Ticket.Type.BUG,
 *   status: Domain.Ticket.Status.IN_PROGRESS
 * })
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Model from "../Model.js"
import * as conversions from "../internal/domain/conversions.js"
import { bool, int, key, nullableDate, nullableInt, Relation, text, varchar } from "../internal/model/domainFields.js"

/**
 * Standard issue statuses (Go `ticket.TODO`, `DONE`, `IN_PROGRESS`, `OTHER`).
 *
 * @since 0.1.0
 * @category constants
 */
export const Status = { TODO: "TODO", DONE: "DONE", IN_PROGRESS: "IN_PROGRESS", OTHER: "OTHER" } as const

/**
 * Go's `ticket.StatusRule`: the source's names of each standard status, and the status of any other (`"OTHER"`
 * unless given).
 *
 * @since 0.1.0
 * @category conversions
 */
export type StatusRule<S extends IssueStatus = "OTHER"> = conversions.TicketStatusRule<S>

/**
 * Go's `ticket.GetStatus`, for a convertor: maps a source's status to {@link IssueStatus}, comparing names
 * exactly (case-sensitively, as Go does), in the order `inProgress`, `todo`, `done`, `other`.
 *
 * @example
 * const status = Domain.Ticket.status({ todo: ["Open", "Reopened"], inProgress: ["In Progress"], done: ["Closed"] })
 * status("Closed") // "DONE"
 * status("closed") // "OTHER"
 *
 * @since 0.1.0
 * @category conversions
 */
export const status: <S extends IssueStatus = "OTHER">(
  rule: StatusRule<S>
) => (input: conversions.Scalar) => IssueStatus | S = conversions.ticketStatus

/**
 * `issues.status` and `incidents.status`: one of {@link Status}. The source's own status goes into
 * `originalStatus`.
 *
 * @since 0.1.0
 * @category enums
 */
export const IssueStatus = Schema.Literal("TODO", "DONE", "IN_PROGRESS", "OTHER")

/** @since 0.1.0 @category enums */
export type IssueStatus = typeof IssueStatus.Type

/**
 * Standard issue types (Go `ticket.BUG`, `REQUIREMENT`, `INCIDENT`, `TASK`, `SUBTASK`). Go treats an
 * issue of type `INCIDENT` as an incident for DORA.
 *
 * @since 0.1.0
 * @category constants
 */
export const Type = {
  BUG: "BUG",
  REQUIREMENT: "REQUIREMENT",
  INCIDENT: "INCIDENT",
  TASK: "TASK",
  SUBTASK: "SUBTASK"
} as const

/**
 * The values of {@link Type}. `Issue.type` itself accepts any string: Go plugins write user-mapped types
 * too.
 *
 * @since 0.1.0
 * @category enums
 */
export const IssueType = Schema.Literal("BUG", "REQUIREMENT", "INCIDENT", "TASK", "SUBTASK")

/** @since 0.1.0 @category enums */
export type IssueType = typeof IssueType.Type

/**
 * When an issue joined a sprint, relative to the sprint (Go `ticket.BeforeSprint`, `DuringSprint`,
 * `AfterSprint`).
 *
 * @since 0.1.0
 * @category constants
 */
export const SprintPhase = {
  BEFORE_SPRINT: "BEFORE_SPRINT",
  DURING_SPRINT: "DURING_SPRINT",
  AFTER_SPRINT: "AFTER_SPRINT"
} as const

/**
 * Domain scope `Board` (table `boards`), returned by `make-pipeline`. Its Go struct has no json tags, so
 * Go matches the keys to its field names: the encoded keys are `name`, `description`, `url`,
 * `createdDate`, `type`. `name` is required.
 *
 * @example
 * new Domain.Ticket.Board({ id: "myplugin:MyBoard:1:b1", name: "my board", type: "scrum" })
 *
 * @since 0.1.0
 * @category scopes
 */
export class Board extends Model.DomainScope<Board>("Board", { table: "boards" })({
  name: Schema.String.pipe(Model.maxLength(255)),
  description: text,
  url: varchar(255),
  createdDate: nullableDate,
  type: varchar(255)
}) {}

/**
 * A sprint of a board (`board_sprints`).
 *
 * @since 0.1.0
 * @category models
 */
export class BoardSprint extends Relation<BoardSprint>("BoardSprint", { table: "board_sprints" })({
  boardId: key(255),
  sprintId: key(255)
}) {}

/**
 * An issue of a board (`board_issues`).
 *
 * @since 0.1.0
 * @category models
 */
export class BoardIssue extends Relation<BoardIssue>("BoardIssue", { table: "board_issues" })({
  boardId: key(255),
  issueId: key(255)
}) {}

/**
 * An issue (`issues`). Required: `status` (one of {@link Status}); `type` is usually one of {@link Type}.
 * Durations are minutes.
 *
 * @since 0.1.0
 * @category models
 */
export class Issue extends Model.DomainModel<Issue>("Issue", { table: "issues" })({
  url: varchar(255),
  iconUrl: varchar(255),
  issueKey: varchar(255),
  title: text,
  description: text,
  epicKey: varchar(255),
  type: varchar(100),
  originalType: varchar(500),
  status: IssueStatus.pipe(Model.maxLength(100)),
  originalStatus: varchar(100),
  storyPoint: Schema.optional(Schema.NullOr(Schema.Number)),
  resolutionDate: nullableDate,
  createdDate: nullableDate,
  updatedDate: nullableDate,
  leadTimeMinutes: nullableInt,
  originalEstimateMinutes: nullableInt,
  timeSpentMinutes: nullableInt,
  timeRemainingMinutes: nullableInt,
  creatorId: varchar(255),
  creatorName: varchar(255),
  assigneeId: varchar(255),
  assigneeName: varchar(255),
  parentIssueId: varchar(255),
  priority: varchar(255),
  severity: varchar(255),
  urgency: varchar(255),
  component: text,
  originalProject: varchar(255),
  isSubtask: bool,
  dueDate: nullableDate,
  fixVersions: text
}) {}

/**
 * An assignee of an issue (`issue_assignees`).
 *
 * @since 0.1.0
 * @category models
 */
export class IssueAssignee extends Relation<IssueAssignee>("IssueAssignee", { table: "issue_assignees" })({
  issueId: key(255),
  assigneeId: key(255),
  assigneeName: varchar(255)
}) {}

/**
 * A change of an issue field (`issue_changelogs`). Required: `issueId`, `createdDate`.
 *
 * @since 0.1.0
 * @category models
 */
export class IssueChangelogs extends Model.DomainModel<IssueChangelogs>("IssueChangelogs", {
  table: "issue_changelogs"
})({
  issueId: Schema.String.pipe(Model.maxLength(255)),
  authorId: varchar(255),
  authorName: varchar(255),
  fieldId: varchar(255),
  fieldName: varchar(255),
  originalFromValue: text,
  originalToValue: text,
  fromValue: text,
  toValue: text,
  createdDate: Model.DateTime
}) {}

/**
 * A comment on an issue (`issue_comments`). Required: `issueId`, `createdDate`.
 *
 * @since 0.1.0
 * @category models
 */
export class IssueComment extends Model.DomainModel<IssueComment>("IssueComment", { table: "issue_comments" })({
  // gorm sizes an indexed string without a type as varchar(191) on MySQL.
  issueId: Schema.String.pipe(Model.maxLength(191)),
  body: text,
  accountId: varchar(255),
  createdDate: Model.DateTime,
  updatedDate: nullableDate
}) {}

/**
 * One value of a multi-valued custom field of an issue (`issue_custom_array_fields`).
 *
 * @since 0.1.0
 * @category models
 */
export class IssueCustomArrayField extends Relation<IssueCustomArrayField>("IssueCustomArrayField", {
  table: "issue_custom_array_fields"
})({
  issueId: key(255),
  fieldId: key(255),
  fieldValue: key(255)
}) {}

/**
 * A label of an issue (`issue_labels`).
 *
 * @since 0.1.0
 * @category models
 */
export class IssueLabel extends Relation<IssueLabel>("IssueLabel", { table: "issue_labels" })({
  issueId: key(255),
  labelName: key(255)
}) {}

/**
 * A link between two issues (`issue_relationships`), such as "blocks" or "duplicates".
 *
 * @since 0.1.0
 * @category models
 */
export class IssueRelationship extends Relation<IssueRelationship>("IssueRelationship", {
  table: "issue_relationships"
})({
  sourceIssueId: key(255),
  targetIssueId: key(255),
  originalType: key(255)
}) {}

/**
 * Time logged on an issue (`issue_worklogs`). Required: `issueId`.
 *
 * @since 0.1.0
 * @category models
 */
export class IssueWorklog extends Model.DomainModel<IssueWorklog>("IssueWorklog", { table: "issue_worklogs" })({
  authorId: varchar(255),
  comment: text,
  timeSpentMinutes: int,
  loggedDate: nullableDate,
  startedDate: nullableDate,
  issueId: Schema.String.pipe(Model.maxLength(255))
}) {}

/**
 * A sprint (`sprints`). `status` is the source's state, upper-cased by Go plugins (`ACTIVE`, `CLOSED`,
 * `FUTURE`).
 *
 * @since 0.1.0
 * @category models
 */
export class Sprint extends Model.DomainModel<Sprint>("Sprint", { table: "sprints" })({
  name: varchar(255),
  url: varchar(255),
  status: varchar(100),
  startedDate: nullableDate,
  endedDate: nullableDate,
  completedDate: nullableDate,
  originalBoardId: varchar(255)
}) {}

/**
 * An issue of a sprint (`sprint_issues`).
 *
 * @since 0.1.0
 * @category models
 */
export class SprintIssue extends Relation<SprintIssue>("SprintIssue", { table: "sprint_issues" })({
  sprintId: key(255),
  issueId: key(255)
}) {}

/**
 * An incident (`incidents`), which Go derives from issues of type `INCIDENT` and from pull requests.
 * Required: `status` (one of {@link Status}). `table` and `scopeId` name the scope it came from (`boards` or
 * `repos`).
 *
 * @since 0.1.0
 * @category models
 */
export class Incident extends Model.DomainModel<Incident>("Incident", { table: "incidents" })({
  url: varchar(255),
  incidentKey: varchar(255),
  title: text,
  description: text,
  status: IssueStatus.pipe(Model.maxLength(100)),
  originalStatus: varchar(100),
  resolutionDate: nullableDate,
  createdDate: nullableDate,
  updatedDate: nullableDate,
  leadTimeMinutes: nullableInt,
  originalEstimateMinutes: nullableInt,
  timeSpentMinutes: nullableInt,
  timeRemainingMinutes: nullableInt,
  creatorId: varchar(255),
  creatorName: varchar(255),
  parentIncidentId: varchar(255),
  priority: varchar(255),
  severity: varchar(255),
  urgency: varchar(255),
  component: varchar(255),
  originalProject: varchar(255),
  table: varchar(255),
  scopeId: varchar(255),
  assigneeId: varchar(255),
  assigneeName: varchar(255)
}) {}

/**
 * An assignee of an incident (`incident_assignees`).
 *
 * @since 0.1.0
 * @category models
 */
export class IncidentAssignee extends Relation<IncidentAssignee>("IncidentAssignee", {
  table: "incident_assignees"
})({
  incidentId: key(255),
  assigneeId: key(255),
  assigneeName: varchar(255)
}) {}

/**
 * Every model of the ticket domain, the `Board` scope first.
 *
 * @since 0.1.0
 * @category models
 */
export const models: ReadonlyArray<Model.Any> = [
  Board,
  BoardSprint,
  BoardIssue,
  Issue,
  IssueAssignee,
  IssueChangelogs,
  IssueComment,
  IssueCustomArrayField,
  IssueLabel,
  IssueRelationship,
  IssueWorklog,
  Sprint,
  SprintIssue,
  Incident,
  IncidentAssignee
]
