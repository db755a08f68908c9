// Azure Boards: the scope config's rules, and raw work items, updates and iterations through extract and convert
// to the ticket domain (Testing.assertStreamConvert), with every mapping branch; the TICKET switch of the plan.
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect, Either, ParseResult, Schema } from "effect"
import { Domain } from "tsdevlake"
import { classifier } from "../src/boards/scopeConfig.js"
import { Iterations, WorkItems, WorkItemUpdates } from "../src/boards/streams.js"
import { GitRepositoryConfig } from "../src/models.js"
import { AzureDevOpsPlugin } from "../src/plugin.js"

const scope = {
  id: "repo1",
  name: "proj1/repo1",
  url: "https://dev.azure.com/org1/proj1/_git/repo1",
  projectId: "proj1",
  orgId: "org1"
}
const input = (scopeConfig: Record<string, unknown> = {}) => ({ connection: { token: "t" }, scope, scopeConfig })

const board = "azuredevops:GitRepository:1:repo1"
const issue = (id: number) => `azuredevops:WorkItem:1:org1:${id}`
const sprint = (path: string) => `azuredevops:Iteration:1:org1:${path}`

const workItem = (id: number, fields: Record<string, unknown>) => ({
  id,
  rev: 3,
  url: `https://dev.azure.com/org1/p1id/_apis/wit/workItems/${id}`,
  _links: { html: { href: `https://dev.azure.com/org1/p1id/_workitems/edit/${id}` } },
  fields: {
    "System.TeamProject": "proj1",
    "System.Title": `Item ${id}`,
    "System.CreatedDate": "2026-01-01T00:00:00Z",
    "System.ChangedDate": "2026-01-05T00:00:00Z",
    ...fields
  }
})

const ada = { id: "u1", displayName: "Ada", uniqueName: "ada@example.com" }
const bob = { id: "u2", displayName: "Bob", uniqueName: "bob@example.com" }

const decodeConfig = (json: unknown) =>
  Either.mapLeft(
    Schema.decodeUnknownEither(GitRepositoryConfig)(json),
    (error) => ParseResult.TreeFormatter.formatErrorSync(error)
  )

describe("the Boards scope config", () => {
  it("decodes from nothing and from null to the defaults", () => {
    for (const json of [{}, { issueTypeMapping: null, incidentTags: null }]) {
      const config = Either.getOrThrow(decodeConfig(json))
      expect(config.issueTypeMapping).toEqual({})
      expect(config.stateMapping).toEqual({})
      expect(config.incidentTypes).toEqual([])
      expect(config.incidentTags).toEqual([])
      expect(config.incidentPriorityPattern).toBe("")
      expect(config.incidentSeverityPattern).toBe("")
    }
  })

  it("refuses a type or state mapped to what DevLake does not know, naming it", () => {
    const types = decodeConfig({ issueTypeMapping: { Bug: "BUG", Outage: "OUTAGE" } })
    expect(Either.flip(types).pipe(Either.getOrThrow)).toContain(
      "issueTypeMapping: \"Outage\" maps to \"OUTAGE\", which is not one of BUG, REQUIREMENT, INCIDENT, TASK, SUBTASK"
    )
    const states = decodeConfig({ stateMapping: { Verified: "FINISHED" } })
    expect(Either.flip(states).pipe(Either.getOrThrow)).toContain(
      "stateMapping: \"Verified\" maps to \"FINISHED\", which is not one of TODO, DONE, IN_PROGRESS, OTHER"
    )
  })

  it("refuses an incident pattern that is not a regular expression, naming it", () => {
    const priority = decodeConfig({ incidentPriorityPattern: "^[12" })
    expect(Either.flip(priority).pipe(Either.getOrThrow)).toContain(
      "incidentPriorityPattern: \"^[12\" is not a regular expression"
    )
    const severity = decodeConfig({ incidentSeverityPattern: "(" })
    expect(Either.flip(severity).pipe(Either.getOrThrow)).toContain("incidentSeverityPattern: \"(\" is not a regular")
  })
})

describe("classifying work items", () => {
  const config = (json: Record<string, unknown> = {}) => classifier(Either.getOrThrow(decodeConfig(json)))
  const item = (workItemType: string, more: { tags?: Array<string>; priority?: number; severity?: string } = {}) => ({
    workItemType,
    state: "New",
    tags: more.tags ?? [],
    priority: more.priority ?? null,
    severity: more.severity ?? null
  })

  it("maps the four processes' types, adds and overrides with the config, upper-cases the rest", () => {
    const standard = config()
    expect(
      ["Bug", "User Story", "Product Backlog Item", "Requirement", "Epic", "Feature", "Issue", "Task"].map((t) =>
        standard.issueType(item(t))
      )
    ).toEqual(["BUG", "REQUIREMENT", "REQUIREMENT", "REQUIREMENT", "REQUIREMENT", "REQUIREMENT", "REQUIREMENT", "TASK"])
    expect(standard.issueType(item("Test Case"))).toBe("TEST CASE")
    const custom = config({ issueTypeMapping: { Incident: "INCIDENT", Epic: "TASK" } })
    expect([custom.issueType(item("Incident")), custom.issueType(item("Epic")), custom.issueType(item("Bug"))])
      .toEqual(["INCIDENT", "TASK", "BUG"])
  })

  it("makes incidents of the work items every set part of the rule matches", () => {
    const byTag = config({ incidentTags: ["Incident"] })
    expect(byTag.issueType(item("Bug", { tags: ["production", "incident"] }))).toBe("INCIDENT")
    expect(byTag.issueType(item("Task", { tags: ["INCIDENT"] }))).toBe("INCIDENT")
    expect(byTag.issueType(item("Bug", { tags: ["production"] }))).toBe("BUG")
    const bugTag = config({ incidentTypes: ["Bug"], incidentTags: ["incident"] })
    expect(bugTag.issueType(item("Bug", { tags: ["incident"] }))).toBe("INCIDENT")
    expect(bugTag.issueType(item("Task", { tags: ["incident"] }))).toBe("TASK")
    const urgentBugs = config({ incidentTypes: ["Bug"], incidentPriorityPattern: "^[12]$" })
    expect(urgentBugs.issueType(item("Bug", { priority: 1 }))).toBe("INCIDENT")
    expect(urgentBugs.issueType(item("Bug", { priority: 3 }))).toBe("BUG")
    expect(urgentBugs.issueType(item("Bug"))).toBe("BUG")
    const critical = config({ incidentSeverityPattern: "^1 - " })
    expect(critical.issueType(item("Bug", { severity: "1 - Critical" }))).toBe("INCIDENT")
    expect(critical.issueType(item("Bug", { severity: "2 - High" }))).toBe("BUG")
    expect(critical.issueType(item("Bug"))).toBe("BUG")
    const allTypes = config({ incidentTypes: ["Bug", "Issue"] })
    expect(allTypes.issueType(item("Issue"))).toBe("INCIDENT")
    expect(allTypes.issueType(item("Feature"))).toBe("REQUIREMENT")
  })

  it("maps states by their category, the config overriding, the standard states' names when none is known", () => {
    const standard = config()
    const categories = ["Proposed", "InProgress", "Resolved", "Completed", "Removed", "Unheard of"]
    expect(categories.map((category) => standard.status("In Review", category)))
      .toEqual(["TODO", "IN_PROGRESS", "DONE", "DONE", "DONE", "OTHER"])
    expect(standard.status("Active", "Completed")).toBe("DONE")
    const names = ["New", "Proposed", "Approved", "To Do", "Active", "Committed", "In Progress", "Doing", "Open"]
    expect(names.map((state) => standard.status(state))).toEqual([
      ...Array(4).fill("TODO"),
      ...Array(5).fill("IN_PROGRESS")
    ])
    expect(["Resolved", "Closed", "Done", "Removed"].map((state) => standard.status(state, null)))
      .toEqual(Array(4).fill("DONE"))
    expect(standard.status("Investigating")).toBe("OTHER")
    const custom = config({ stateMapping: { Investigating: "IN_PROGRESS", Resolved: "IN_PROGRESS" } })
    expect([custom.status("Investigating"), custom.status("Resolved", "Resolved"), custom.status("Closed")])
      .toEqual(["IN_PROGRESS", "IN_PROGRESS", "DONE"])
  })
})

// A Bug, resolved then closed, in a sprint, with a parent, tags, estimates, priority and severity.
const closedBug = workItem(7, {
  "System.WorkItemType": "Bug",
  "System.State": "Closed",
  "System.Title": "Checkout fails",
  "System.Description": "<div>boom</div>",
  "System.AreaPath": "proj1\\Web",
  "System.IterationPath": "proj1\\Sprint 1",
  "System.Tags": "Incident; production",
  "System.CreatedBy": bob,
  "System.AssignedTo": ada,
  "System.Parent": 3,
  "Microsoft.VSTS.Common.Priority": 1,
  "Microsoft.VSTS.Common.Severity": "1 - Critical",
  "Microsoft.VSTS.Common.ResolvedDate": "2026-01-03T00:00:00Z",
  "Microsoft.VSTS.Common.ClosedDate": "2026-01-04T00:00:00Z",
  "Microsoft.VSTS.Common.StateChangeDate": "2026-01-04T00:00:00Z",
  "Microsoft.VSTS.Scheduling.OriginalEstimate": 2,
  "Microsoft.VSTS.Scheduling.CompletedWork": 1.5,
  "Microsoft.VSTS.Scheduling.RemainingWork": 0
})

const closedBugIssue = (type: string) =>
  new Domain.Ticket.Issue({
    id: issue(7),
    url: "https://dev.azure.com/org1/p1id/_workitems/edit/7",
    issueKey: "7",
    title: "Checkout fails",
    description: "<div>boom</div>",
    type,
    originalType: "Bug",
    status: "DONE",
    originalStatus: "Closed",
    storyPoint: null,
    resolutionDate: new Date("2026-01-03T00:00:00Z"),
    createdDate: new Date("2026-01-01T00:00:00Z"),
    updatedDate: new Date("2026-01-05T00:00:00Z"),
    leadTimeMinutes: 2 * 24 * 60,
    originalEstimateMinutes: 120,
    timeSpentMinutes: 90,
    timeRemainingMinutes: 0,
    creatorId: "u2",
    creatorName: "Bob",
    assigneeId: "u1",
    assigneeName: "Ada",
    parentIssueId: issue(3),
    priority: "1",
    severity: "1 - Critical",
    component: "proj1\\Web",
    originalProject: "proj1",
    dueDate: null
  })

const closedBugRelations = [
  new Domain.Ticket.BoardIssue({ boardId: board, issueId: issue(7) }),
  new Domain.Ticket.IssueAssignee({ issueId: issue(7), assigneeId: "u1", assigneeName: "Ada" }),
  new Domain.Ticket.SprintIssue({ sprintId: sprint("proj1\\Sprint 1"), issueId: issue(7) }),
  new Domain.Ticket.IssueLabel({ issueId: issue(7), labelName: "Incident" }),
  new Domain.Ticket.IssueLabel({ issueId: issue(7), labelName: "production" })
]

// The issue of a work item of `workItem` without the fields the bug above has, `fields` aside.
const openIssue = (id: number, fields: Partial<ConstructorParameters<typeof Domain.Ticket.Issue>[0]>) =>
  new Domain.Ticket.Issue({
    id: issue(id),
    url: `https://dev.azure.com/org1/p1id/_workitems/edit/${id}`,
    issueKey: String(id),
    title: `Item ${id}`,
    status: "TODO",
    storyPoint: null,
    resolutionDate: null,
    createdDate: new Date("2026-01-01T00:00:00Z"),
    updatedDate: new Date("2026-01-05T00:00:00Z"),
    leadTimeMinutes: null,
    originalEstimateMinutes: null,
    timeSpentMinutes: null,
    timeRemainingMinutes: null,
    originalProject: "proj1",
    dueDate: null,
    ...fields
  })

describe("work items to issues", () => {
  it.effect("a closed bug: resolution and lead time, estimates, parent, board, assignee, sprint, labels", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, WorkItems, [closedBug], [
      closedBugIssue("BUG"),
      ...closedBugRelations
    ], input()))

  it.effect("the same bug is an INCIDENT under an incident rule", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, WorkItems, [closedBug], [
      closedBugIssue("INCIDENT"),
      ...closedBugRelations
    ], input({ incidentTypes: ["Bug"], incidentTags: ["incident"], incidentPriorityPattern: "^1$" })))

  it.effect("an active story, unassigned, outside any sprint; a custom type and state; a task done", () =>
    Testing.assertStreamConvert(
      AzureDevOpsPlugin,
      WorkItems,
      [
        workItem(8, {
          "System.WorkItemType": "User Story",
          "System.State": "Active",
          "System.IterationPath": "proj1",
          "Microsoft.VSTS.Scheduling.StoryPoints": 5,
          "Microsoft.VSTS.Scheduling.TargetDate": "2026-02-01T00:00:00Z"
        }),
        workItem(9, { "System.WorkItemType": "Spike", "System.State": "Investigating", "System.AssignedTo": "Carl" }),
        workItem(10, {
          "System.WorkItemType": "Product Backlog Item",
          "System.State": "Done",
          "Microsoft.VSTS.Scheduling.Effort": 3,
          "Microsoft.VSTS.Common.StateChangeDate": "2026-01-01T12:30:00Z"
        })
      ],
      [
        openIssue(8, {
          type: "REQUIREMENT",
          originalType: "User Story",
          status: "IN_PROGRESS",
          originalStatus: "Active",
          storyPoint: 5,
          dueDate: new Date("2026-02-01T00:00:00Z")
        }),
        new Domain.Ticket.BoardIssue({ boardId: board, issueId: issue(8) }),
        // An identity as text (before api-version 5.0) is its name and id both.
        openIssue(9, {
          type: "SPIKE",
          originalType: "Spike",
          status: "IN_PROGRESS",
          originalStatus: "Investigating",
          assigneeId: "Carl",
          assigneeName: "Carl"
        }),
        new Domain.Ticket.BoardIssue({ boardId: board, issueId: issue(9) }),
        new Domain.Ticket.IssueAssignee({ issueId: issue(9), assigneeId: "Carl", assigneeName: "Carl" }),
        // No resolved or closed date: the state's change is the resolution.
        openIssue(10, {
          type: "REQUIREMENT",
          originalType: "Product Backlog Item",
          status: "DONE",
          originalStatus: "Done",
          storyPoint: 3,
          resolutionDate: new Date("2026-01-01T12:30:00Z"),
          leadTimeMinutes: 750
        }),
        new Domain.Ticket.BoardIssue({ boardId: board, issueId: issue(10) })
      ],
      input({ stateMapping: { Investigating: "IN_PROGRESS" } })
    ))
})

const update = (rev: number, fields: Record<string, unknown>, by: object = ada) => ({
  id: rev,
  workItemId: 7,
  rev,
  revisedBy: by,
  revisedDate: "9999-01-01T00:00:00Z",
  fields: { "System.ChangedDate": { newValue: `2026-01-0${rev}T00:00:00Z` }, ...fields },
  url: `https://dev.azure.com/org1/p1id/_apis/wit/workItems/7/updates/${rev}`
})

const changelog = (rev: number, fieldId: string, fieldName: string, values: Record<string, string>, by = ada) =>
  new Domain.Ticket.IssueChangelogs({
    id: `azuredevops:WorkItemUpdate:1:org1:7:${rev}:${fieldName}`,
    issueId: issue(7),
    authorId: by.id,
    authorName: by.displayName,
    fieldId,
    fieldName,
    originalFromValue: values["originalFromValue"] ?? "",
    originalToValue: values["originalToValue"] ?? "",
    fromValue: values["fromValue"] ?? "",
    toValue: values["toValue"] ?? "",
    createdDate: new Date(`2026-01-0${rev}T00:00:00Z`)
  })

describe("state categories", () => {
  it.effect("the collector's categories of a custom process's states give the statuses of issues and changes", () =>
    Effect.gen(function*() {
      const issues = yield* Testing.streamConvert(AzureDevOpsPlugin, WorkItems, [
        { ...workItem(12, { "System.WorkItemType": "Bug", "System.State": "Triage" }), x_state_category: "Proposed" },
        {
          ...workItem(13, { "System.WorkItemType": "Bug", "System.State": "In Review" }),
          x_state_category: "InProgress"
        },
        { ...workItem(14, { "System.WorkItemType": "Bug", "System.State": "Verified" }), x_state_category: "Completed" }
      ], input())
      expect(issues.filter((row) => row instanceof Domain.Ticket.Issue).map((row) => row.status))
        .toEqual(["TODO", "IN_PROGRESS", "DONE"])
      const changes = yield* Testing.streamConvert(AzureDevOpsPlugin, WorkItemUpdates, [{
        ...update(2, { "System.State": { oldValue: "In Review", newValue: "Verified" } }),
        x_old_state_category: "InProgress",
        x_new_state_category: "Completed"
      }], input())
      expect(
        changes.map((
          row
        ) => [(row as Domain.Ticket.IssueChangelogs).fromValue, (row as Domain.Ticket.IssueChangelogs).toValue])
      )
        .toEqual([["IN_PROGRESS", "DONE"]])
    }))
})

describe("work item updates to changelogs", () => {
  it.effect("state, assignee and sprint changes; the creation and other fields' changes are none", () =>
    Testing.assertStreamConvert(AzureDevOpsPlugin, WorkItemUpdates, [
      update(1, { "System.State": { newValue: "New" }, "System.AssignedTo": { newValue: bob } }, bob),
      update(2, { "System.State": { oldValue: "New", newValue: "Active" }, "System.AssignedTo": { newValue: ada } }),
      update(3, {
        "System.State": { oldValue: "Active", newValue: "Resolved" },
        "System.IterationPath": { oldValue: "proj1", newValue: "proj1\\Sprint 1" }
      }),
      update(4, { "System.Description": { oldValue: "a", newValue: "b" } }),
      update(5, {
        "System.AssignedTo": { oldValue: ada },
        "System.IterationPath": { oldValue: "proj1\\Sprint 1", newValue: "proj1\\Sprint 2" }
      }, bob)
    ], [
      changelog(2, "System.State", "status", {
        originalFromValue: "New",
        originalToValue: "Active",
        fromValue: "TODO",
        toValue: "IN_PROGRESS"
      }),
      changelog(2, "System.AssignedTo", "assignee", { originalToValue: "u1", toValue: "Ada" }),
      changelog(3, "System.State", "status", {
        originalFromValue: "Active",
        originalToValue: "Resolved",
        fromValue: "IN_PROGRESS",
        toValue: "DONE"
      }),
      changelog(3, "System.IterationPath", "Sprint", {
        originalToValue: sprint("proj1\\Sprint 1"),
        fromValue: "proj1",
        toValue: "proj1\\Sprint 1"
      }),
      changelog(5, "System.AssignedTo", "assignee", { originalFromValue: "u1", fromValue: "Ada" }, bob),
      changelog(5, "System.IterationPath", "Sprint", {
        originalFromValue: sprint("proj1\\Sprint 1"),
        originalToValue: sprint("proj1\\Sprint 2"),
        fromValue: "proj1\\Sprint 1",
        toValue: "proj1\\Sprint 2"
      }, bob)
    ], input()))
})

const iteration = (name: string, timeFrame: string | undefined, dates: [string, string] | undefined) => ({
  id: `guid-${name}`,
  name,
  path: `proj1\\${name}`,
  attributes: {
    ...(dates === undefined ? {} : { startDate: dates[0], finishDate: dates[1] }),
    ...(timeFrame === undefined ? {} : { timeFrame })
  },
  url: `https://dev.azure.com/org1/p1id/t1/_apis/work/teamsettings/iterations/guid-${name}`
})

describe("iterations to sprints", () => {
  it.effect("past, current and future iterations, and one without dates", () => {
    const sprintRow = (name: string, status: string, dates: [string, string] | undefined, completed: boolean) => [
      new Domain.Ticket.Sprint({
        id: sprint(`proj1\\${name}`),
        name,
        url: `https://dev.azure.com/org1/p1id/t1/_apis/work/teamsettings/iterations/guid-${name}`,
        status,
        startedDate: dates === undefined ? null : new Date(dates[0]),
        endedDate: dates === undefined ? null : new Date(dates[1]),
        completedDate: completed && dates !== undefined ? new Date(dates[1]) : null,
        originalBoardId: board
      }),
      new Domain.Ticket.BoardSprint({ boardId: board, sprintId: sprint(`proj1\\${name}`) })
    ]
    const one: [string, string] = ["2026-01-01T00:00:00Z", "2026-01-14T00:00:00Z"]
    const two: [string, string] = ["2026-01-15T00:00:00Z", "2026-01-28T00:00:00Z"]
    const three: [string, string] = ["2026-01-29T00:00:00Z", "2026-02-11T00:00:00Z"]
    return Testing.assertStreamConvert(AzureDevOpsPlugin, Iterations, [
      iteration("Sprint 1", "past", one),
      iteration("Sprint 2", "current", two),
      iteration("Sprint 3", "future", three),
      iteration("Backlog", undefined, undefined)
    ], [
      ...sprintRow("Sprint 1", "CLOSED", one, true),
      ...sprintRow("Sprint 2", "ACTIVE", two, false),
      ...sprintRow("Sprint 3", "FUTURE", three, false),
      ...sprintRow("Backlog", "", undefined, false)
    ], input())
  })
})

describe("long paths and tags", () => {
  it.effect("an iteration path too long for an id gives the same bounded sprint id to the sprint and its issues", () =>
    Effect.gen(function*() {
      const path = `proj1\\${"Release 2026 ".repeat(30)}\\Sprint 1`
      const sprints = yield* Testing.streamConvert(AzureDevOpsPlugin, Iterations, [
        { ...iteration("Sprint 1", "current", undefined), path },
        { ...iteration("Sprint 2", "current", undefined), path: `${path}0` }
      ], input())
      const tag = "t".repeat(300)
      const rows = yield* Testing.streamConvert(AzureDevOpsPlugin, WorkItems, [
        workItem(11, {
          "System.WorkItemType": "Task",
          "System.State": "New",
          "System.IterationPath": path,
          "System.Tags": tag
        })
      ], input())
      const sprintIds = sprints.filter((row) => row instanceof Domain.Ticket.Sprint).map((row) => row.id)
      expect(sprintIds[0]!.length).toBe(255)
      expect(sprintIds[1]!.length).toBe(255)
      expect(sprintIds[0]).not.toBe(sprintIds[1])
      expect(rows.filter((row) => row instanceof Domain.Ticket.SprintIssue).map((row) => row.sprintId))
        .toEqual([sprintIds[0]])
      expect(rows.filter((row) => row instanceof Domain.Ticket.IssueLabel).map((row) => row.labelName))
        .toEqual(["t".repeat(255)])
    }))
})
