/**
 * Boards tool rows to DevLake's ticket domain, with the semantics of Go's Jira and TAPD convertors: standard
 * and original type and status, story points, resolution date and lead time; changelogs named `status`,
 * `assignee` and `Sprint` as DevLake's `issue_trace` plugin reads them.
 */
import { Domain } from "tsdevlake"
import { changelogId, type IdContext, issueId, sprintId } from "./ids.js"
import type { Iteration, WorkItem, WorkItemUpdate } from "./models.js"
import type { Classifier } from "./scopeConfig.js"

const minutes = (hours: number | null | undefined) => hours == null ? null : Math.round(hours * 60)

/** A work item's tags, from Azure's `; `-separated text. */
export const tagsOf = (tags: string | null | undefined): ReadonlyArray<string> =>
  (tags ?? "").split(";").map((tag) => tag.trim()).filter((tag) => tag !== "")

/**
 * Whether an iteration path names a sprint: the project's root iteration (`Project`, no `\`) is where work
 * items not planned in any sprint sit.
 */
export const isSprintPath = (path: string | null | undefined): path is string => path != null && path.includes("\\")

// When a DONE work item was resolved: Azure sets ResolvedDate (Agile and CMMI bugs), ClosedDate on the
// completed states; StateChangeDate is the only date a custom process's done state is sure to set.
const resolutionOf = (item: WorkItem, status: Domain.Ticket.IssueStatus) =>
  status === "DONE" ? item.resolvedDate ?? item.closedDate ?? item.stateChangeDate ?? null : null

/** The issue of a work item, its board, assignee, sprint and labels. */
export const convertWorkItem = (item: WorkItem, ctx: IdContext, classify: Classifier): ReadonlyArray<object> => {
  const id = issueId(ctx, item.id)
  const tags = tagsOf(item.tags)
  const status = classify.status(item.state, item.stateCategory)
  const resolutionDate = resolutionOf(item, status)
  const issue = new Domain.Ticket.Issue({
    id,
    url: item.url,
    issueKey: String(item.id),
    title: item.title,
    description: item.description ?? "",
    type: classify.issueType({ ...item, tags }),
    originalType: item.workItemType,
    status,
    originalStatus: item.state,
    storyPoint: item.storyPoints ?? null,
    resolutionDate,
    createdDate: item.createdDate,
    updatedDate: item.changedDate,
    leadTimeMinutes: resolutionDate === null
      ? null
      : Math.max(0, Math.floor((resolutionDate.getTime() - item.createdDate.getTime()) / 60_000)),
    originalEstimateMinutes: minutes(item.originalEstimate),
    timeSpentMinutes: minutes(item.completedWork),
    timeRemainingMinutes: minutes(item.remainingWork),
    creatorId: item.createdById ?? "",
    creatorName: item.createdByName ?? "",
    assigneeId: item.assignedToId ?? "",
    assigneeName: item.assignedToName ?? "",
    parentIssueId: item.parentId == null ? "" : issueId(ctx, item.parentId),
    priority: item.priority == null ? "" : String(item.priority),
    severity: item.severity ?? "",
    component: item.areaPath ?? "",
    originalProject: item.teamProject,
    dueDate: item.dueDate ?? null
  })
  return [
    issue,
    new Domain.Ticket.BoardIssue({ boardId: ctx.domainScopeId, issueId: id }),
    ...(item.assignedToId == null || item.assignedToId === ""
      ? []
      : [
        new Domain.Ticket.IssueAssignee({
          issueId: id,
          assigneeId: item.assignedToId,
          assigneeName: issue.assigneeName
        })
      ]),
    ...(isSprintPath(item.iterationPath)
      ? [new Domain.Ticket.SprintIssue({ sprintId: sprintId(ctx, item.iterationPath), issueId: id })]
      : []),
    // `issue_labels.label_name` is a varchar(255) key; Azure allows longer tags.
    ...tags.map((tag) => new Domain.Ticket.IssueLabel({ issueId: id, labelName: tag.slice(0, 255) }))
  ]
}

const sprintOf = (ctx: IdContext, path: string | null | undefined) => isSprintPath(path) ? sprintId(ctx, path) : ""

/** The changelogs of a work item update: one per field it changed of state, assignee and iteration. */
export const convertUpdate = (
  update: WorkItemUpdate,
  ctx: IdContext,
  classify: Classifier
): ReadonlyArray<Domain.Ticket.IssueChangelogs> => {
  const changelog = (fieldId: string, fieldName: string, values: {
    readonly originalFromValue: string
    readonly originalToValue: string
    readonly fromValue: string
    readonly toValue: string
  }) =>
    new Domain.Ticket.IssueChangelogs({
      id: changelogId(ctx, update.workItemId, update.id, fieldName),
      issueId: issueId(ctx, update.workItemId),
      authorId: update.authorId ?? "",
      authorName: update.authorName ?? "",
      fieldId,
      fieldName,
      ...values,
      createdDate: update.changedDate
    })
  const status = (state: string | null | undefined, category: string | null | undefined) =>
    state == null || state === "" ? "" : classify.status(state, category)
  return [
    ...(update.stateChanged
      ? [changelog("System.State", "status", {
        originalFromValue: update.oldState ?? "",
        originalToValue: update.newState ?? "",
        fromValue: status(update.oldState, update.oldStateCategory),
        toValue: status(update.newState, update.newStateCategory)
      })]
      : []),
    // As Go's convertors: the original values are the assignees' ids (those of `issues.assignee_id`), which
    // issue_trace's assignee history reads.
    ...(update.assigneeChanged
      ? [changelog("System.AssignedTo", "assignee", {
        originalFromValue: update.oldAssigneeId ?? "",
        originalToValue: update.newAssigneeId ?? "",
        fromValue: update.oldAssigneeName ?? "",
        toValue: update.newAssigneeName ?? ""
      })]
      : []),
    // As Go's TAPD convertor: the original values are the sprints' ids, the values their paths.
    ...(update.iterationChanged
      ? [changelog("System.IterationPath", "Sprint", {
        originalFromValue: sprintOf(ctx, update.oldIterationPath),
        originalToValue: sprintOf(ctx, update.newIterationPath),
        fromValue: update.oldIterationPath ?? "",
        toValue: update.newIterationPath ?? ""
      })]
      : [])
  ]
}

const sprintStatus = (timeFrame: string | null | undefined) =>
  timeFrame === "past" ? "CLOSED" : timeFrame === "current" ? "ACTIVE" : timeFrame === "future" ? "FUTURE" : ""

/** The sprint of an iteration, and its place on the scope's board. */
export const convertIteration = (iteration: Iteration, ctx: IdContext): ReadonlyArray<object> => {
  const id = sprintId(ctx, iteration.path)
  const status = sprintStatus(iteration.timeFrame)
  return [
    new Domain.Ticket.Sprint({
      id,
      name: iteration.name,
      url: iteration.url ?? "",
      status,
      startedDate: iteration.startDate ?? null,
      endedDate: iteration.finishDate ?? null,
      completedDate: status === "CLOSED" ? iteration.finishDate ?? null : null,
      originalBoardId: ctx.domainScopeId
    }),
    new Domain.Ticket.BoardSprint({ boardId: ctx.domainScopeId, sprintId: id })
  ]
}
