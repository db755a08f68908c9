/**
 * The Azure Boards streams, on when the scope config's domain types include TICKET: iterations to `sprints`,
 * work items to `issues` (with `board_issues`, `issue_assignees`, `sprint_issues`, `issue_labels`), and their
 * updates to `issue_changelogs`.
 */
import { Effect } from "effect"
import { Domain } from "tsdevlake"
import { azuredevops } from "../models.js"
import { collectIterations, collectUpdates, collectWorkItems, UpdatesState, WorkItemsState } from "./collect.js"
import { convertIteration, convertUpdate, convertWorkItem } from "./convert.js"
import { extractIteration, extractUpdate, extractWorkItem } from "./extract.js"
import { Iteration, WorkItem, WorkItemUpdate } from "./models.js"
import { type BoardsScopeConfig, type Classifier, classifier } from "./scopeConfig.js"

// One classifier per scope config, i.e. per subtask: its patterns compile once, not once per work item.
const classifiers = new WeakMap<BoardsScopeConfig, Classifier>()
const classifierOf = (config: BoardsScopeConfig): Classifier => {
  let made = classifiers.get(config)
  if (made === undefined) {
    made = classifier(config)
    classifiers.set(config, made)
  }
  return made
}

/** The iterations (sprints) of the project's teams. */
export const Iterations = azuredevops.stream({
  name: "iterations",
  toolModel: Iteration,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.Sprint, Domain.Ticket.BoardSprint],
  collect: (ctx) => collectIterations(ctx.scope),
  extract: (raw, ctx) => extractIteration(raw, ctx.scope.id),
  convert: (iteration, ctx) => Effect.succeed(convertIteration(iteration, ctx))
})

/** The project's work items, incremental by `System.ChangedDate`. */
export const WorkItems = azuredevops.stream({
  name: "workitems",
  toolModel: WorkItem,
  domainTypes: ["TICKET"],
  domainModels: [
    Domain.Ticket.Issue,
    Domain.Ticket.BoardIssue,
    Domain.Ticket.IssueAssignee,
    Domain.Ticket.SprintIssue,
    Domain.Ticket.IssueLabel
  ],
  state: WorkItemsState,
  collect: (ctx) => collectWorkItems(ctx.scope, ctx.state),
  extract: (raw, ctx) => extractWorkItem(raw, ctx.scope.id),
  convert: (item, ctx) => Effect.succeed(convertWorkItem(item, ctx, classifierOf(ctx.scopeConfig)))
})

/** The updates of each work item changed since the last run. */
export const WorkItemUpdates = azuredevops.stream({
  name: "workitemupdates",
  toolModel: WorkItemUpdate,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.IssueChangelogs],
  parent: WorkItems,
  state: UpdatesState,
  // The newest work item of any parent: the next run skips the work items changed before it.
  combineState: (a, b) => a.since >= b.since ? a : b,
  collect: (ctx, item) => collectUpdates(ctx.scope, item, ctx.state),
  extract: (raw, ctx) => extractUpdate(raw, ctx.scope.id),
  convert: (update, ctx) => Effect.succeed(convertUpdate(update, ctx, classifierOf(ctx.scopeConfig)))
})

/** The Boards streams, in the order they run. */
export const boardsStreams = [Iterations, WorkItems, WorkItemUpdates] as const
