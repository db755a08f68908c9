/**
 * The scope config of Azure Boards: how work item types become DevLake's issue types, which work items are
 * incidents (for DORA), and how states become DevLake's statuses. Spread into the plugin's scope config
 * (`boardsScopeConfigFields`); every field has a default, so a scope config DevLake sends as `null` decodes.
 */
import { Schema } from "effect"
import { Domain, Model } from "tsdevlake"

const issueTypes = Object.values(Domain.Ticket.Type)
const statuses = Object.values(Domain.Ticket.Status)

/** DevLake's issue type of each work item type of Azure's four processes (Basic, Agile, Scrum, CMMI). */
export const defaultIssueTypeMapping: Readonly<Record<string, Domain.Ticket.IssueType>> = {
  "Bug": "BUG",
  "Epic": "REQUIREMENT",
  "Feature": "REQUIREMENT",
  "User Story": "REQUIREMENT",
  "Product Backlog Item": "REQUIREMENT",
  "Requirement": "REQUIREMENT",
  "Issue": "REQUIREMENT",
  "Task": "TASK"
}

/**
 * DevLake's status of each state category of a work item type (`wit/workitemtypes`): Proposed is TODO, In
 * Progress is IN_PROGRESS, Resolved, Completed and Removed are DONE (Go's Jira plugin likewise makes every status
 * of Jira's "done" category DONE).
 */
export const categoryStatus: Readonly<Record<string, Domain.Ticket.IssueStatus>> = {
  Proposed: "TODO",
  InProgress: "IN_PROGRESS",
  Resolved: "DONE",
  Completed: "DONE",
  Removed: "DONE"
}

/**
 * The status of each state of Azure's four processes by its category, for a state whose category is not known
 * (the service did not list it for the work item's type).
 */
export const defaultStateMapping: Readonly<Record<string, Domain.Ticket.IssueStatus>> = {
  "New": "TODO",
  "Proposed": "TODO",
  "Approved": "TODO",
  "To Do": "TODO",
  "Active": "IN_PROGRESS",
  "Committed": "IN_PROGRESS",
  "In Progress": "IN_PROGRESS",
  "Doing": "IN_PROGRESS",
  "Open": "IN_PROGRESS",
  "Resolved": "DONE",
  "Closed": "DONE",
  "Done": "DONE",
  "Removed": "DONE"
}

// A mapping whose values must be one of `allowed`: a wrong value fails the decode naming the key and the value.
const mappingTo = (field: string, allowed: ReadonlyArray<string>) =>
  Schema.Record({ key: Schema.String, value: Schema.String }).pipe(
    Schema.filter((mapping) => {
      for (const [key, value] of Object.entries(mapping)) {
        if (!allowed.includes(value)) {
          return `${field}: "${key}" maps to "${value}", which is not one of ${allowed.join(", ")}`
        }
      }
      return true
    })
  )

const pattern = (field: string) =>
  Schema.String.pipe(Schema.filter((source) => {
    try {
      new RegExp(source)
      return true
    } catch (error) {
      return `${field}: ${JSON.stringify(source)} is not a regular expression (${(error as Error).message})`
    }
  }))

const withDefault = <A, I>(schema: Schema.Schema<A, I>, value: () => A) =>
  Schema.optionalWith(schema, { default: value, nullable: true }).pipe(Model.required)

/**
 * The Boards fields of the plugin's scope config. `issueTypeMapping` adds to (and overrides)
 * {@link defaultIssueTypeMapping}; `stateMapping` overrides the status of a state's category. A work item is an incident when every
 * `incident*` field that is set matches: its type is one of `incidentTypes`, one of its tags is one of
 * `incidentTags` (ignoring case, as Azure does), its priority (`1`…`4`) matches `incidentPriorityPattern`, its
 * severity (`1 - Critical`…) matches `incidentSeverityPattern`. With none set, only `issueTypeMapping` makes
 * incidents.
 */
export const boardsScopeConfigFields = {
  issueTypeMapping: withDefault(mappingTo("issueTypeMapping", issueTypes), () => ({})),
  stateMapping: withDefault(mappingTo("stateMapping", statuses), () => ({})),
  incidentTypes: withDefault(Schema.Array(Schema.String), () => []),
  incidentTags: withDefault(Schema.Array(Schema.String), () => []),
  incidentPriorityPattern: withDefault(pattern("incidentPriorityPattern"), () => ""),
  incidentSeverityPattern: withDefault(pattern("incidentSeverityPattern"), () => "")
}

/** The decoded Boards fields of a scope config. */
export type BoardsScopeConfig = Schema.Struct.Type<typeof boardsScopeConfigFields>

/** What classifying a work item needs of it. */
export interface Classified {
  readonly workItemType: string
  readonly state: string
  readonly tags: ReadonlyArray<string>
  readonly priority?: number | null | undefined
  readonly severity?: string | null | undefined
}

/** The classification rules of a scope config, built once per subtask. */
export interface Classifier {
  readonly issueType: (item: Classified) => string
  /** A state's status: by the scope config, else by its category when known, else by its name. */
  readonly status: (state: string, category?: string | null | undefined) => Domain.Ticket.IssueStatus
}

const isIncident = (config: BoardsScopeConfig) => {
  const types = new Set(config.incidentTypes)
  const tags = new Set(config.incidentTags.map((tag) => tag.toLowerCase()))
  const priority = config.incidentPriorityPattern === "" ? undefined : new RegExp(config.incidentPriorityPattern)
  const severity = config.incidentSeverityPattern === "" ? undefined : new RegExp(config.incidentSeverityPattern)
  if (types.size === 0 && tags.size === 0 && priority === undefined && severity === undefined) return () => false
  return (item: Classified) =>
    (types.size === 0 || types.has(item.workItemType)) &&
    (tags.size === 0 || item.tags.some((tag) => tags.has(tag.toLowerCase()))) &&
    (priority === undefined || (item.priority != null && priority.test(String(item.priority)))) &&
    (severity === undefined || (item.severity != null && severity.test(item.severity)))
}

const lookup = (table: Readonly<Record<string, string>>, key: string | null | undefined) =>
  key != null && Object.hasOwn(table, key) ? table[key] as Domain.Ticket.IssueStatus : undefined

/**
 * The classifier of a scope config: an incident by the rule is `INCIDENT`; otherwise the mapped type, else the
 * work item type upper-cased (as Go's Jira plugin does for an unmapped type). A state the scope config does not
 * map has its category's status, else the status of a standard state of that name, else `OTHER`.
 */
export const classifier = (config: BoardsScopeConfig): Classifier => {
  const types: Record<string, string> = { ...defaultIssueTypeMapping, ...config.issueTypeMapping }
  const incident = isIncident(config)
  return {
    issueType: (item) =>
      incident(item) ? "INCIDENT" : Object.hasOwn(types, item.workItemType)
        ? types[item.workItemType]!
        : item.workItemType.toUpperCase(),
    status: (state, category) =>
      lookup(config.stateMapping, state) ?? lookup(categoryStatus, category) ?? lookup(defaultStateMapping, state) ??
        "OTHER"
  }
}
