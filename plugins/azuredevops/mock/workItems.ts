/**
 * Work items (Agile process: Epic, Feature, User Story, Task, Bug, and one incident-like Bug with a tag and
 * priority 1) made as the sequence of their updates (creation, assignment, state and iteration changes); the
 * current fields are the fold of the updates, so the two always agree.
 */
import type { Generation, Identity, Iteration, WorkItem, WorkItemUpdate } from "./data.js"
import { at, HOUR } from "./time.js"

const TYPES = ["Epic", "Feature", "User Story", "User Story", "Task", "Task", "Bug", "Bug"] as const
type Type = typeof TYPES[number]

const STATES: Record<Type, ReadonlyArray<string>> = {
  Epic: ["New", "Active", "Resolved", "Closed"],
  Feature: ["New", "Active", "Resolved", "Closed"],
  "User Story": ["New", "Active", "Resolved", "Closed"],
  Task: ["New", "Active", "Closed"],
  Bug: ["New", "Active", "Resolved", "Closed"]
}

const CATEGORIES: Record<string, string> = {
  New: "Proposed",
  Active: "InProgress",
  Resolved: "Resolved",
  Closed: "Completed",
  Removed: "Removed"
}

/** The types with their states and the states' categories, as `wit/workitemtypes` lists them. */
export const workItemTypes = () =>
  Object.entries(STATES).map(([name, states]) => ({
    name,
    referenceName: `Microsoft.VSTS.WorkItemTypes.${name.replace(" ", "")}`,
    states: [...states, "Removed"].map((state) => ({ name: state, color: "b2b2b2", category: CATEGORIES[state] }))
  }))

const PARENT_TYPE: Partial<Record<Type, Type>> = { Feature: "Epic", "User Story": "Feature", Task: "User Story" }

const identityField = (person: Identity) => ({
  displayName: person.displayName,
  id: person.id,
  uniqueName: person.uniqueName
})

interface Draft {
  readonly type: Type
  readonly title: string
  readonly tags: string
  readonly priority: number
  readonly steps: number
  readonly removed: boolean
}

const draftOf = (index: number, count: number): Draft => {
  if (index === count - 1) {
    return {
      type: "Bug",
      title: "Checkout fails in production",
      tags: "incident; production",
      priority: 1,
      steps: 3,
      removed: false
    }
  }
  const type = TYPES[index % TYPES.length]!
  return {
    type,
    title: `${type} ${index + 1}`,
    tags: index % 5 === 0 ? "frontend" : "",
    priority: 2 + (index % 3),
    steps: index % STATES[type].length,
    removed: index === 5
  }
}

/** The fields of the first revision. */
const creation = (
  draft: Draft,
  context: { project: string; area: string; iteration: string; created: string; by: Identity; parentId?: number }
): Record<string, unknown> => {
  const fields: Record<string, unknown> = {
    "System.AreaPath": context.area,
    "System.TeamProject": context.project,
    "System.IterationPath": context.iteration,
    "System.WorkItemType": draft.type,
    "System.State": "New",
    "System.Reason": "New",
    "System.CreatedDate": context.created,
    "System.CreatedBy": identityField(context.by),
    "System.ChangedDate": context.created,
    "System.ChangedBy": identityField(context.by),
    "System.Title": draft.title,
    "System.Description": `<div>${draft.title}: details</div>`,
    "Microsoft.VSTS.Common.Priority": draft.priority,
    "Microsoft.VSTS.Common.StateChangeDate": context.created
  }
  if (draft.tags !== "") fields["System.Tags"] = draft.tags
  if (draft.type === "Bug") {
    fields["Microsoft.VSTS.Common.Severity"] = draft.priority === 1
      ? "1 - Critical"
      : "3 - Medium"
  }
  if (draft.type === "User Story") fields["Microsoft.VSTS.Scheduling.StoryPoints"] = 1 + (draft.priority % 5)
  if (draft.type === "Task") fields["Microsoft.VSTS.Scheduling.OriginalEstimate"] = draft.priority * 2
  if (context.parentId !== undefined) fields["System.Parent"] = context.parentId
  return fields
}

/** The changes of the updates after creation: assignment with the first move, state moves, a sprint change. */
const laterChanges = (
  g: Generation,
  draft: Draft,
  iterations: ReadonlyArray<Iteration>
): Array<Record<string, unknown>> => {
  const changes: Array<Record<string, unknown>> = []
  const states = STATES[draft.type]
  for (let step = 1; step <= draft.steps; step++) {
    const state = states[step]!
    const change: Record<string, unknown> = { "System.State": state, "System.Reason": `Moved to ${state}` }
    if (step === 1) change["System.AssignedTo"] = identityField(g.random.pick(g.people))
    if (step === 2 && iterations.length > 1) change["System.IterationPath"] = iterations[1]!.path
    if (step === 2) change["System.AssignedTo"] = identityField(g.random.pick(g.people))
    if (state === "Resolved") change["Microsoft.VSTS.Common.ResolvedDate"] = "@now"
    if (state === "Closed") change["Microsoft.VSTS.Common.ClosedDate"] = "@now"
    changes.push(change)
  }
  if (draft.removed) changes.push({ "System.State": "Removed", "System.Reason": "Removed from the backlog" })
  return changes
}

/** Folds changes into updates with `oldValue`/`newValue`, stamping `@now` and the changed date/by fields. */
const fold = (
  g: Generation,
  first: Record<string, unknown>,
  changes: ReadonlyArray<Record<string, unknown>>,
  created: number
): { fields: Record<string, unknown>; updates: Array<WorkItemUpdate> } => {
  const fields: Record<string, unknown> = {}
  const updates: Array<WorkItemUpdate> = []
  const by = first["System.CreatedBy"] as Identity
  const revisions = [first, ...changes]
  revisions.forEach((change, i) => {
    const date = at(created + i * 26 * HOUR)
    const person = i === 0 ? by : g.random.pick(g.people)
    const stamped: Record<string, unknown> = { ...change }
    if (i > 0) {
      stamped["System.ChangedDate"] = date
      stamped["System.ChangedBy"] = identityField(person)
      if ("System.State" in change) stamped["Microsoft.VSTS.Common.StateChangeDate"] = date
    }
    const diff: Record<string, { oldValue?: unknown; newValue?: unknown }> = {}
    for (const [name, raw] of Object.entries(stamped)) {
      const value = raw === "@now" ? date : raw
      diff[name] = name in fields ? { oldValue: fields[name], newValue: value } : { newValue: value }
      fields[name] = value
    }
    diff["System.Rev"] = i === 0 ? { newValue: 1 } : { oldValue: i, newValue: i + 1 }
    fields["System.Rev"] = i + 1
    updates.push({ rev: i + 1, revisedBy: { ...person }, date, fields: diff })
  })
  return { fields, updates }
}

export const generateWorkItems = (
  g: Generation,
  options: {
    readonly project: string
    readonly count: number
    readonly iterations: ReadonlyArray<Iteration>
    readonly areaPaths: ReadonlyArray<string>
    readonly start: number
  }
): ReadonlyArray<WorkItem> => {
  const items: Array<WorkItem> = []
  for (let i = 0; i < options.count; i++) {
    const draft = draftOf(i, options.count)
    const parentType = PARENT_TYPE[draft.type]
    const parent = parentType === undefined
      ? undefined
      : [...items].reverse().find((w) => w.fields["System.WorkItemType"] === parentType)
    const created = options.start + i * 7 * HOUR
    const first = creation(draft, {
      project: options.project,
      area: options.areaPaths[i % options.areaPaths.length]!,
      iteration: options.iterations[0]?.path ?? options.project,
      created: at(created),
      by: g.random.pick(g.people),
      ...(parent === undefined ? {} : { parentId: parent.id })
    })
    const { fields, updates } = fold(g, first, laterChanges(g, draft, options.iterations), created)
    items.push({ id: ++g.counters.workItem, projectName: options.project, fields, parentId: parent?.id, updates })
  }
  return items
}
