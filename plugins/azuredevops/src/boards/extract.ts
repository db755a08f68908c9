/**
 * Raw Azure Boards JSON to the tool models. A work item's fields are keyed by reference name
 * (`System.State`, `Microsoft.VSTS.Common.Priority`), so the schemas below name them; identities are
 * `IdentityRef` objects since api-version 5.0, and plain `Name <email>` text before. The collector adds the
 * categories of the states (`x_state_category`, `x_old_state_category`, `x_new_state_category`), which the
 * service lists by work item type only, as the Python plugin adds `x_request_url` to its records.
 */
import { Effect, Schema } from "effect"
import { Iteration, WorkItem, WorkItemUpdate } from "./models.js"

const Identity = Schema.Union(
  Schema.String,
  Schema.Struct({ id: Schema.optional(Schema.String), displayName: Schema.optional(Schema.String) })
)
type Identity = typeof Identity.Type

const identityId = (identity: Identity | null | undefined) =>
  identity == null ? null : typeof identity === "string" ? identity : identity.id ?? null
const identityName = (identity: Identity | null | undefined) =>
  identity == null ? null : typeof identity === "string" ? identity : identity.displayName ?? null

const opt = <A, I>(schema: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(schema))
const date = opt(Schema.Date)

/** A work item as `workitems?ids=…&$expand=all` returns it (the fields the tool model keeps). */
const RawWorkItem = Schema.Struct({
  id: Schema.Int,
  rev: Schema.Int,
  url: Schema.String,
  x_state_category: opt(Schema.String),
  _links: Schema.optional(Schema.Struct({ html: Schema.optional(Schema.Struct({ href: Schema.String })) })),
  fields: Schema.Struct({
    "System.WorkItemType": Schema.String,
    "System.State": Schema.String,
    "System.Title": Schema.String,
    "System.TeamProject": Schema.String,
    "System.CreatedDate": Schema.Date,
    "System.ChangedDate": Schema.Date,
    "System.Description": opt(Schema.String),
    "System.Reason": opt(Schema.String),
    "System.AreaPath": opt(Schema.String),
    "System.IterationPath": opt(Schema.String),
    "System.Tags": opt(Schema.String),
    "System.CreatedBy": opt(Identity),
    "System.AssignedTo": opt(Identity),
    "System.Parent": opt(Schema.Int),
    "Microsoft.VSTS.Common.ResolvedDate": date,
    "Microsoft.VSTS.Common.ClosedDate": date,
    "Microsoft.VSTS.Common.StateChangeDate": date,
    "Microsoft.VSTS.Scheduling.DueDate": date,
    "Microsoft.VSTS.Scheduling.TargetDate": date,
    "Microsoft.VSTS.Common.Priority": opt(Schema.Int),
    "Microsoft.VSTS.Common.Severity": opt(Schema.String),
    "Microsoft.VSTS.Scheduling.StoryPoints": opt(Schema.Number),
    "Microsoft.VSTS.Scheduling.Effort": opt(Schema.Number),
    "Microsoft.VSTS.Scheduling.Size": opt(Schema.Number),
    "Microsoft.VSTS.Scheduling.OriginalEstimate": opt(Schema.Number),
    "Microsoft.VSTS.Scheduling.RemainingWork": opt(Schema.Number),
    "Microsoft.VSTS.Scheduling.CompletedWork": opt(Schema.Number)
  })
})

/** The raw work item's id and `System.ChangedDate`, which incremental collection orders by, type and state. */
export const RawWorkItemKey = Schema.Struct({
  id: Schema.Int,
  fields: Schema.Struct({
    "System.ChangedDate": Schema.Date,
    "System.WorkItemType": Schema.optional(Schema.String),
    "System.State": Schema.optional(Schema.String)
  })
})

/** A work item of the scope. */
export const extractWorkItem = (raw: unknown, scopeId: string) =>
  Effect.map(
    Schema.decodeUnknown(RawWorkItem)(raw),
    ({ _links, fields: f, id, rev, url, x_state_category }) =>
      new WorkItem({
        scopeId,
        id,
        rev,
        url: _links?.html?.href ?? url,
        title: f["System.Title"],
        description: f["System.Description"] ?? null,
        workItemType: f["System.WorkItemType"],
        state: f["System.State"],
        stateCategory: x_state_category ?? null,
        reason: f["System.Reason"] ?? null,
        teamProject: f["System.TeamProject"],
        areaPath: f["System.AreaPath"] ?? null,
        iterationPath: f["System.IterationPath"] ?? null,
        tags: f["System.Tags"] ?? null,
        createdDate: f["System.CreatedDate"],
        changedDate: f["System.ChangedDate"],
        resolvedDate: f["Microsoft.VSTS.Common.ResolvedDate"] ?? null,
        closedDate: f["Microsoft.VSTS.Common.ClosedDate"] ?? null,
        stateChangeDate: f["Microsoft.VSTS.Common.StateChangeDate"] ?? null,
        dueDate: f["Microsoft.VSTS.Scheduling.DueDate"] ?? f["Microsoft.VSTS.Scheduling.TargetDate"] ?? null,
        createdById: identityId(f["System.CreatedBy"]),
        createdByName: identityName(f["System.CreatedBy"]),
        assignedToId: identityId(f["System.AssignedTo"]),
        assignedToName: identityName(f["System.AssignedTo"]),
        priority: f["Microsoft.VSTS.Common.Priority"] ?? null,
        severity: f["Microsoft.VSTS.Common.Severity"] ?? null,
        storyPoints: f["Microsoft.VSTS.Scheduling.StoryPoints"] ?? f["Microsoft.VSTS.Scheduling.Effort"] ??
          f["Microsoft.VSTS.Scheduling.Size"] ?? null,
        originalEstimate: f["Microsoft.VSTS.Scheduling.OriginalEstimate"] ?? null,
        remainingWork: f["Microsoft.VSTS.Scheduling.RemainingWork"] ?? null,
        completedWork: f["Microsoft.VSTS.Scheduling.CompletedWork"] ?? null,
        parentId: f["System.Parent"] ?? null
      })
  )

const change = <A, I>(value: Schema.Schema<A, I>) =>
  Schema.optional(Schema.Struct({ oldValue: opt(value), newValue: opt(value) }))

/** An update as `workItems/{id}/updates` returns it. */
const RawUpdate = Schema.Struct({
  id: Schema.Int,
  workItemId: Schema.Int,
  rev: Schema.Int,
  revisedDate: Schema.Date,
  revisedBy: opt(Identity),
  x_old_state_category: opt(Schema.String),
  x_new_state_category: opt(Schema.String),
  fields: Schema.optional(Schema.Struct({
    "System.ChangedDate": change(Schema.Date),
    "System.State": change(Schema.String),
    "System.AssignedTo": change(Identity),
    "System.IterationPath": change(Schema.String)
  }))
})

/**
 * The update as a tool row, or none when it changed neither state, assignee nor iteration, or created the
 * work item (revision 1: the creation is the issue's `createdDate`, not a change).
 */
export const extractUpdate = (raw: unknown, scopeId: string) =>
  Effect.map(Schema.decodeUnknown(RawUpdate)(raw), (update): ReadonlyArray<WorkItemUpdate> => {
    const fields = update.fields ?? {}
    const state = fields["System.State"]
    const assignee = fields["System.AssignedTo"]
    const iteration = fields["System.IterationPath"]
    if (update.rev <= 1 || (state === undefined && assignee === undefined && iteration === undefined)) return []
    return [
      new WorkItemUpdate({
        scopeId,
        workItemId: update.workItemId,
        id: update.id,
        rev: update.rev,
        // `revisedDate` is when the next revision replaced this one (9999-01-01 for the latest).
        changedDate: fields["System.ChangedDate"]?.newValue ?? update.revisedDate,
        authorId: identityId(update.revisedBy),
        authorName: identityName(update.revisedBy),
        stateChanged: state !== undefined,
        oldState: state?.oldValue ?? null,
        newState: state?.newValue ?? null,
        oldStateCategory: update.x_old_state_category ?? null,
        newStateCategory: update.x_new_state_category ?? null,
        assigneeChanged: assignee !== undefined,
        oldAssigneeId: identityId(assignee?.oldValue),
        oldAssigneeName: identityName(assignee?.oldValue),
        newAssigneeId: identityId(assignee?.newValue),
        newAssigneeName: identityName(assignee?.newValue),
        iterationChanged: iteration !== undefined,
        oldIterationPath: iteration?.oldValue ?? null,
        newIterationPath: iteration?.newValue ?? null
      })
    ]
  })

/** An iteration as `work/teamsettings/iterations` returns it. */
const RawIteration = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  path: Schema.String,
  url: opt(Schema.String),
  attributes: opt(Schema.Struct({ startDate: date, finishDate: date, timeFrame: opt(Schema.String) }))
})

/** An iteration of the scope's project. */
export const extractIteration = (raw: unknown, scopeId: string) =>
  Effect.map(Schema.decodeUnknown(RawIteration)(raw), (iteration) =>
    new Iteration({
      scopeId,
      path: iteration.path,
      id: iteration.id,
      name: iteration.name,
      url: iteration.url ?? null,
      startDate: iteration.attributes?.startDate ?? null,
      finishDate: iteration.attributes?.finishDate ?? null,
      timeFrame: iteration.attributes?.timeFrame ?? null
    }))
