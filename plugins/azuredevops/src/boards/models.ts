/**
 * The tool models of Azure Boards. Work items belong to an Azure project, while the plugin's scope is a
 * repository: each row carries the `scopeId` of the repository whose scope collected it, so that two
 * repositories of one project each keep their own rows (the framework finds a scope's rows by its raw-data
 * params, which one shared row could only hold for one scope). The domain ids leave the scope out (`ids.ts`):
 * a work item is one DevLake issue, on the board of every scope of its project.
 */
import { Schema } from "effect"
import { Model } from "tsdevlake"

const scopeId = Schema.String.pipe(Model.maxLength(255), Model.primaryKey)
const optionalText = Schema.optional(Schema.NullOr(Schema.String))
const optionalDate = Schema.optional(Schema.NullOr(Model.DateTime))
const optionalNumber = Schema.optional(Schema.NullOr(Schema.Number))

/** A work item (`_tool_azuredevops_workitems`): the fields DevLake's `issues` need, from `workitems?$expand=all`. */
export class WorkItem extends Model.ToolModel<WorkItem>("WorkItem")({
  scopeId,
  id: Schema.Int.pipe(Model.primaryKey),
  rev: Schema.Int,
  url: Schema.String,
  title: Schema.String,
  description: optionalText,
  workItemType: Schema.String,
  state: Schema.String,
  /** The state's category for the work item's type (Proposed, InProgress, Resolved, Completed, Removed). */
  stateCategory: optionalText,
  reason: optionalText,
  teamProject: Schema.String,
  areaPath: optionalText,
  iterationPath: optionalText,
  /** `; `-separated, as Azure stores them. */
  tags: optionalText,
  createdDate: Model.DateTime,
  changedDate: Model.DateTime,
  resolvedDate: optionalDate,
  closedDate: optionalDate,
  stateChangeDate: optionalDate,
  dueDate: optionalDate,
  createdById: optionalText,
  createdByName: optionalText,
  assignedToId: optionalText,
  assignedToName: optionalText,
  priority: Schema.optional(Schema.NullOr(Schema.Int)),
  severity: optionalText,
  /** Story points (Agile), effort (Scrum) or size (CMMI), whichever the process has. */
  storyPoints: optionalNumber,
  /** Hours, as Azure's scheduling fields are. */
  originalEstimate: optionalNumber,
  remainingWork: optionalNumber,
  completedWork: optionalNumber,
  parentId: Schema.optional(Schema.NullOr(Schema.Int))
}) {}

/**
 * A revision of a work item that changed its state, assignee or iteration (`_tool_azuredevops_workitemupdates`),
 * from `workItems/{id}/updates`; the revision that created the work item is not a change.
 */
export class WorkItemUpdate extends Model.ToolModel<WorkItemUpdate>("WorkItemUpdate")({
  scopeId,
  workItemId: Schema.Int.pipe(Model.primaryKey),
  id: Schema.Int.pipe(Model.primaryKey),
  rev: Schema.Int,
  changedDate: Model.DateTime,
  authorId: optionalText,
  authorName: optionalText,
  stateChanged: Schema.Boolean,
  oldState: optionalText,
  newState: optionalText,
  oldStateCategory: optionalText,
  newStateCategory: optionalText,
  assigneeChanged: Schema.Boolean,
  oldAssigneeId: optionalText,
  oldAssigneeName: optionalText,
  newAssigneeId: optionalText,
  newAssigneeName: optionalText,
  iterationChanged: Schema.Boolean,
  oldIterationPath: optionalText,
  newIterationPath: optionalText
}) {}

/**
 * An iteration (sprint) of a team of the project (`_tool_azuredevops_iterations`). Its sprint's domain id is made
 * from its path, which is what a work item names (`System.IterationPath`).
 */
export class Iteration extends Model.ToolModel<Iteration>("Iteration")({
  scopeId,
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  path: Schema.String,
  name: Schema.String,
  url: optionalText,
  startDate: optionalDate,
  finishDate: optionalDate,
  /** `past`, `current` or `future`. */
  timeFrame: optionalText
}) {}
