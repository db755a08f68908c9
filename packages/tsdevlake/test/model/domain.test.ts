import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Domain from "../../src/Domain/index.js"
import * as Model from "../../src/Model.js"
import { entityColumns, noPkColumns } from "../utils/columns.js"

const { Code, Codequality, Crossdomain, Devops, Ticket } = Domain

const columns = (model: Model.Any) => Model.fieldsOf(model).map((f) => f.column)
const field = (model: Model.Any, column: string) => {
  const found = Model.fieldsOf(model).find((f) => f.column === column)
  if (found === undefined) throw new Error(`${model.identifier} has no column ${column}`)
  return found
}

const entity = entityColumns
const noPk = noPkColumns
const rawOrigin = ["_raw_data_params", "_raw_data_table", "_raw_data_id", "_raw_data_remark"]

// Table → Go struct name, from the `TableName()` methods in backend/core/models/domainlayer/*.
const goTables: Record<string, string> = {
  repos: "Repo",
  commits: "Commit",
  commit_files: "CommitFile",
  commit_file_components: "CommitFileComponent",
  commit_line_change: "CommitLineChange",
  repo_snapshot: "RepoSnapshot",
  commit_parents: "CommitParent",
  commits_diffs: "CommitsDiff",
  ref_commits: "RefCommit",
  components: "Component",
  repo_languages: "RepoLanguage",
  pull_requests: "PullRequest",
  pull_request_assignees: "PullRequestAssignee",
  pull_request_comments: "PullRequestComment",
  pull_request_commits: "PullRequestCommit",
  pull_request_labels: "PullRequestLabel",
  pull_request_reviewers: "PullRequestReviewer",
  refs: "Ref",
  refs_pr_cherrypicks: "RefsPrCherrypick",
  repo_commits: "RepoCommit",
  accounts: "Account",
  board_repos: "BoardRepo",
  issue_commits: "IssueCommit",
  issue_repo_commits: "IssueRepoCommit",
  project_incident_deployment_relationships: "ProjectIncidentDeploymentRelationship",
  project_mapping: "ProjectMapping",
  project_pr_metrics: "ProjectPrMetric",
  pull_request_issues: "PullRequestIssue",
  refs_issues_diffs: "RefsIssuesDiffs",
  teams: "Team",
  team_users: "TeamUser",
  users: "User",
  user_accounts: "UserAccount",
  cicd_scopes: "CicdScope",
  cicd_pipelines: "CICDPipeline",
  cicd_pipeline_commits: "CiCDPipelineCommit",
  cicd_tasks: "CICDTask",
  cicd_deployments: "CICDDeployment",
  cicd_deployment_commits: "CicdDeploymentCommit",
  cicd_releases: "CicdRelease",
  boards: "Board",
  board_sprints: "BoardSprint",
  board_issues: "BoardIssue",
  issues: "Issue",
  issue_assignees: "IssueAssignee",
  issue_changelogs: "IssueChangelogs",
  issue_comments: "IssueComment",
  issue_custom_array_fields: "IssueCustomArrayField",
  issue_labels: "IssueLabel",
  issue_relationships: "IssueRelationship",
  issue_worklogs: "IssueWorklog",
  sprints: "Sprint",
  sprint_issues: "SprintIssue",
  incidents: "Incident",
  incident_assignees: "IncidentAssignee",
  cq_projects: "CqProject",
  cq_issues: "CqIssue",
  cq_issue_impacts: "CqIssueImpact",
  cq_issue_code_blocks: "CqIssueCodeBlock",
  cq_file_metrics: "CqFileMetrics"
}

// Go structs that embed neither DomainEntity nor NoPKModel: Go computes these tables itself.
const withoutOrigin = ["CommitsDiff", "RefCommit", "Component", "RepoLanguage"]
// Go structs embedding `common.NoPKModel` but not `DomainEntity`, with their own primary keys.
const relations: Record<string, ReadonlyArray<string>> = {
  Commit: ["sha"],
  CommitFileComponent: ["commit_file_id"],
  RepoSnapshot: ["repo_id", "commit_sha", "file_path", "line_no"],
  CommitParent: ["commit_sha", "parent_commit_sha"],
  PullRequestAssignee: ["pull_request_id", "assignee_id"],
  PullRequestCommit: ["commit_sha", "pull_request_id"],
  PullRequestLabel: ["pull_request_id", "label_name"],
  PullRequestReviewer: ["pull_request_id", "reviewer_id"],
  RefsPrCherrypick: ["parent_pr_id"],
  RepoCommit: ["repo_id", "commit_sha"],
  BoardRepo: ["board_id", "repo_id"],
  IssueCommit: ["issue_id", "commit_sha"],
  IssueRepoCommit: ["issue_id", "repo_url", "commit_sha"],
  ProjectMapping: ["project_name", "table", "row_id"],
  PullRequestIssue: ["pull_request_id", "issue_id"],
  RefsIssuesDiffs: ["new_ref_id", "old_ref_id", "issue_id"],
  TeamUser: ["team_id", "user_id"],
  UserAccount: ["account_id"],
  CiCDPipelineCommit: ["pipeline_id", "commit_sha"],
  BoardSprint: ["board_id", "sprint_id"],
  BoardIssue: ["board_id", "issue_id"],
  IssueAssignee: ["issue_id", "assignee_id"],
  IssueCustomArrayField: ["issue_id", "field_id", "field_value"],
  IssueLabel: ["issue_id", "label_name"],
  IssueRelationship: ["source_issue_id", "target_issue_id", "original_type"],
  SprintIssue: ["sprint_id", "issue_id"],
  IncidentAssignee: ["incident_id", "assignee_id"],
  CqIssueImpact: ["cq_issue_id", "software_quality"]
}
// DomainEntity structs that add their own key column to `id`.
const compositeEntities: Record<string, ReadonlyArray<string>> = {
  ProjectIncidentDeploymentRelationship: ["id", "project_name"],
  ProjectPrMetric: ["id", "project_name"],
  CicdDeploymentCommit: ["id", "commit_sha"]
}

describe("Domain", () => {
  describe("tables", () => {
    it("covers every table of Go's code, crossdomain, devops, ticket and codequality packages", () => {
      assert.deepStrictEqual([...Domain.byTable.keys()].sort(), Object.keys(goTables).sort())
      assert.strictEqual(Domain.all.length, Object.keys(goTables).length)
      for (const [table, struct] of Object.entries(goTables)) {
        const model = Domain.byTable.get(table)!
        assert.strictEqual(model.identifier, struct, table)
        assert.strictEqual(Model.explicitTableName(model), table)
        assert.include(["domain", "domainScope"], Model.kindOf(model), table)
      }
    })

    it("byTable (built on first use) answers as a Map of every model by its table", () => {
      const eager = new Map(Domain.all.map((model) => [Model.explicitTableName(model)!, model]))
      assert.strictEqual(Domain.byTable.size, eager.size)
      assert.deepStrictEqual([...Domain.byTable], [...eager])
      assert.deepStrictEqual([...Domain.byTable.entries()], [...eager.entries()])
      assert.deepStrictEqual([...Domain.byTable.values()], [...eager.values()])
      assert.isTrue(Domain.byTable.has("commits"))
      assert.isFalse(Domain.byTable.has("no_such_table"))
      const seen: Array<string> = []
      Domain.byTable.forEach((_, table) => seen.push(table))
      assert.deepStrictEqual(seen, [...eager.keys()])
    })

    it("maps names to the Go tables", () => {
      assert.strictEqual(Domain.byTable.get("cicd_pipelines"), Devops.CICDPipeline)
      assert.strictEqual(Domain.byTable.get("cicd_pipeline_commits"), Devops.CiCDPipelineCommit)
      assert.strictEqual(Domain.byTable.get("issue_changelogs"), Ticket.IssueChangelogs)
      assert.strictEqual(Domain.byTable.get("project_mapping"), Crossdomain.ProjectMapping)
      assert.strictEqual(Domain.byTable.get("commit_line_change"), Code.CommitLineChange)
      assert.strictEqual(Domain.byTable.get("cq_file_metrics"), Codequality.CqFileMetrics)
    })
  })

  describe("keys and raw-data origin", () => {
    it("gives every DomainEntity model an `id` primary key and the base columns", () => {
      for (const model of Domain.all) {
        if (model.identifier in relations || withoutOrigin.includes(model.identifier)) continue
        const expected = compositeEntities[model.identifier] ?? ["id"]
        assert.deepStrictEqual(Model.primaryKeyOf(model).map((f) => f.column), expected, model.identifier)
        assert.deepStrictEqual(columns(model).slice(0, entity.length), entity, model.identifier)
        const id = field(model, "id")
        assert.strictEqual(id.type, "string")
        assert.strictEqual(id.key, "id")
      }
    })

    it("keys relation tables by their Go primary keys, without an `id` column", () => {
      for (const [identifier, keys] of Object.entries(relations)) {
        const model = Domain.all.find((m) => m.identifier === identifier)!
        assert.deepStrictEqual(Model.primaryKeyOf(model).map((f) => f.column), keys, identifier)
        assert.deepStrictEqual(columns(model).slice(0, noPk.length), noPk, identifier)
        assert.notInclude(columns(model), "id", identifier)
        for (const key of Model.primaryKeyOf(model)) assert.isFalse(key.optional, `${identifier}.${key.name}`)
      }
    })

    it("gives every model but the four Go computes itself the raw-data origin columns", () => {
      for (const model of Domain.all) {
        const cols = columns(model)
        if (withoutOrigin.includes(model.identifier)) {
          for (const c of [...rawOrigin, "created_at", "updated_at"]) assert.notInclude(cols, c, model.identifier)
        } else {
          for (const c of rawOrigin) assert.include(cols, c, model.identifier)
        }
      }
    })

    it("widens the id of Go's DomainEntityExtended models to 500 characters", () => {
      assert.strictEqual(field(Code.Ref, "id").maxLength, 500)
      assert.strictEqual(field(Codequality.CqProject, "id").maxLength, 500)
      assert.strictEqual(field(Devops.CICDPipeline, "id").maxLength, 255)
      assert.strictEqual(columns(Code.Ref)[0], "id")
    })
  })

  describe("columns", () => {
    it("matches cicd_pipelines (devops/cicd_pipeline.go)", () => {
      assert.deepStrictEqual(columns(Devops.CICDPipeline), [
        ...entity,
        "name",
        "display_title",
        "url",
        "result",
        "status",
        "original_status",
        "original_result",
        "type",
        "duration_sec",
        "queued_duration_sec",
        "environment",
        "created_date",
        "queued_date",
        "started_date",
        "finished_date",
        "cicd_scope_id",
        "is_child"
      ])
    })

    it("matches cicd_tasks (devops/cicd_task.go)", () => {
      assert.deepStrictEqual(columns(Devops.CICDTask), [
        ...entity,
        "name",
        "pipeline_id",
        "result",
        "status",
        "original_status",
        "original_result",
        "type",
        "environment",
        "duration_sec",
        "queued_duration_sec",
        "created_date",
        "queued_date",
        "started_date",
        "finished_date",
        "cicd_scope_id"
      ])
    })

    it("matches cicd_pipeline_commits and cicd_deployment_commits", () => {
      assert.deepStrictEqual(columns(Devops.CiCDPipelineCommit), [
        ...noPk,
        "pipeline_id",
        "commit_sha",
        "commit_msg",
        "display_title",
        "url",
        "branch",
        "repo_id",
        "repo_url"
      ])
      assert.deepStrictEqual(columns(Devops.CicdDeploymentCommit), [
        ...entity,
        "cicd_scope_id",
        "cicd_deployment_id",
        "name",
        "display_title",
        "url",
        "result",
        "status",
        "original_status",
        "original_result",
        "environment",
        "original_environment",
        "created_date",
        "queued_date",
        "started_date",
        "finished_date",
        "duration_sec",
        "queued_duration_sec",
        "commit_sha",
        "commit_msg",
        "ref_name",
        "repo_id",
        "repo_url",
        "prev_success_deployment_commit_id",
        "subtask_name"
      ])
    })

    it("matches commits, pull_requests and pull_request_commits (code/*.go)", () => {
      assert.deepStrictEqual(columns(Code.Commit), [
        ...noPk,
        "sha",
        "additions",
        "deletions",
        "dev_eq",
        "message",
        "author_name",
        "author_email",
        "authored_date",
        "author_id",
        "committer_name",
        "committer_email",
        "committed_date",
        "committer_id"
      ])
      assert.deepStrictEqual(columns(Code.PullRequest), [
        ...entity,
        "base_repo_id",
        "head_repo_id",
        "status",
        "original_status",
        "title",
        "description",
        "url",
        "author_name",
        "author_id",
        "merged_by_name",
        "merged_by_id",
        "parent_pr_id",
        "pull_request_key",
        "created_date",
        "merged_date",
        "closed_date",
        "type",
        "component",
        "merge_commit_sha",
        "head_ref",
        "base_ref",
        "base_commit_sha",
        "head_commit_sha",
        "additions",
        "deletions",
        "is_draft"
      ])
      assert.deepStrictEqual(columns(Code.PullRequestCommit), [
        ...noPk,
        "commit_sha",
        "pull_request_id",
        "commit_author_name",
        "commit_author_email",
        "commit_authored_date"
      ])
    })

    it("matches issues (ticket/issue.go), including Go's explicit column icon_url", () => {
      assert.deepStrictEqual(columns(Ticket.Issue), [
        ...entity,
        "url",
        "icon_url",
        "issue_key",
        "title",
        "description",
        "epic_key",
        "type",
        "original_type",
        "status",
        "original_status",
        "story_point",
        "resolution_date",
        "created_date",
        "updated_date",
        "lead_time_minutes",
        "original_estimate_minutes",
        "time_spent_minutes",
        "time_remaining_minutes",
        "creator_id",
        "creator_name",
        "assignee_id",
        "assignee_name",
        "parent_issue_id",
        "priority",
        "severity",
        "urgency",
        "component",
        "original_project",
        "is_subtask",
        "due_date",
        "fix_versions"
      ])
      assert.strictEqual(field(Ticket.Issue, "original_type").maxLength, 500)
    })

    it("matches sprints, issue_worklogs and user_accounts", () => {
      assert.deepStrictEqual(columns(Ticket.Sprint), [
        ...entity,
        "name",
        "url",
        "status",
        "started_date",
        "ended_date",
        "completed_date",
        "original_board_id"
      ])
      assert.deepStrictEqual(columns(Ticket.IssueWorklog), [
        ...entity,
        "author_id",
        "comment",
        "time_spent_minutes",
        "logged_date",
        "started_date",
        "issue_id"
      ])
      assert.deepStrictEqual(columns(Crossdomain.UserAccount), [...noPk, "user_id", "account_id"])
      assert.deepStrictEqual(columns(Crossdomain.Account), [
        ...entity,
        "email",
        "full_name",
        "user_name",
        "avatar_url",
        "organization",
        "created_date",
        "status"
      ])
    })

    it("matches cq_file_metrics and cq_issues (codequality/*.go)", () => {
      assert.deepStrictEqual(columns(Codequality.CqFileMetrics), [
        ...entity,
        "project_key",
        "file_name",
        "file_path",
        "file_language",
        "code_smells",
        "sqale_index",
        "sqale_rating",
        "bugs",
        "reliability_rating",
        "vulnerabilities",
        "security_rating",
        "security_hotspots",
        "security_hotspots_reviewed",
        "security_review_rating",
        "ncloc",
        "uncovered_lines",
        "coverage",
        "lines_to_cover",
        "duplicated_lines_density",
        "duplicated_blocks",
        "duplicated_files",
        "duplicated_lines",
        "effort_to_reach_maintainability_rating_a",
        "complexity",
        "cognitive_complexity",
        "num_of_lines"
      ])
      assert.deepStrictEqual(columns(Codequality.CqIssue).slice(entity.length), [
        "rule",
        "severity",
        "component",
        "project_key",
        "line",
        "status",
        "message",
        "debt",
        "effort",
        "commit_author_email",
        "assignee",
        "hash",
        "tags",
        "type",
        "scope",
        "start_line",
        "end_line",
        "start_offset",
        "end_offset",
        "vulnerability_probability",
        "security_category",
        "created_date",
        "updated_date"
      ])
    })

    it("maps Go types to column types, nullability and lengths", () => {
      const pipeline = (c: string) => field(Devops.CICDPipeline, c)
      assert.strictEqual(pipeline("duration_sec").type, "number") // float64
      assert.isFalse(pipeline("duration_sec").required) // defaults to Go's zero value
      assert.strictEqual(pipeline("queued_duration_sec").type, "number") // *float64
      assert.isTrue(pipeline("queued_duration_sec").optional)
      assert.strictEqual(pipeline("created_date").type, "datetime") // time.Time
      assert.isTrue(pipeline("created_date").required)
      assert.strictEqual(pipeline("finished_date").type, "datetime") // *time.Time
      assert.isTrue(pipeline("finished_date").optional)
      assert.strictEqual(pipeline("is_child").type, "boolean")
      assert.strictEqual(pipeline("cicd_scope_id").maxLength, 255)
      assert.strictEqual(pipeline("original_status").maxLength, 100)
      assert.strictEqual(pipeline("display_title").maxLength, undefined) // text
      assert.strictEqual(field(Code.Commit, "sha").maxLength, 40)
      assert.strictEqual(field(Code.Commit, "additions").type, "integer")
      assert.strictEqual(field(Ticket.Issue, "story_point").type, "number")
      assert.strictEqual(field(Ticket.Issue, "lead_time_minutes").type, "integer")
      assert.strictEqual(field(Codequality.CqFileMetrics, "file_name").maxLength, 2000)
      assert.strictEqual(field(Codequality.CqProject, "last_analysis_date").type, "datetime")
    })
  })

  describe("enumerations", () => {
    it("uses Go's devops constants", () => {
      assert.deepStrictEqual(Devops.CICDResult.literals, ["SUCCESS", "FAILURE", ""])
      assert.deepStrictEqual(Devops.CICDStatus.literals, ["IN_PROGRESS", "DONE", "OTHER"])
      assert.deepStrictEqual(Devops.CICDType.literals, ["TEST", "LINT", "BUILD", "DEPLOYMENT", ""])
      assert.deepStrictEqual(Devops.CICDEnvironment.literals, ["PRODUCTION", "STAGING", "TESTING", ""])
      assert.deepStrictEqual(Devops.Result, { SUCCESS: "SUCCESS", FAILURE: "FAILURE", DEFAULT: "" })
      assert.deepStrictEqual(Devops.Status, { IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", OTHER: "OTHER" })
      assert.deepStrictEqual(Devops.Type, { TEST: "TEST", LINT: "LINT", BUILD: "BUILD", DEPLOYMENT: "DEPLOYMENT" })
      assert.deepStrictEqual(Devops.Environment, { PRODUCTION: "PRODUCTION", STAGING: "STAGING", TESTING: "TESTING" })
    })

    it("uses Go's code and ticket constants", () => {
      assert.deepStrictEqual(Code.Status, { OPEN: "OPEN", CLOSED: "CLOSED", MERGED: "MERGED" })
      assert.deepStrictEqual(Code.PullRequestStatus.literals, ["OPEN", "CLOSED", "MERGED"])
      assert.deepStrictEqual(Code.CommentType, { NORMAL_COMMENT: "NORMAL", DIFF_COMMENT: "DIFF", REVIEW: "REVIEW" })
      assert.deepStrictEqual(Ticket.Status, { TODO: "TODO", DONE: "DONE", IN_PROGRESS: "IN_PROGRESS", OTHER: "OTHER" })
      assert.deepStrictEqual(Ticket.IssueStatus.literals, ["TODO", "DONE", "IN_PROGRESS", "OTHER"])
      assert.deepStrictEqual(Ticket.IssueType.literals, ["BUG", "REQUIREMENT", "INCIDENT", "TASK", "SUBTASK"])
      assert.deepStrictEqual(Object.values(Ticket.Type), [...Ticket.IssueType.literals])
      assert.deepStrictEqual(Object.values(Ticket.SprintPhase), ["BEFORE_SPRINT", "DURING_SPRINT", "AFTER_SPRINT"])
    })

    it("exposes the enumerations on the fields, with Go's column sizes", () => {
      assert.deepStrictEqual(field(Devops.CICDPipeline, "result").enum, ["SUCCESS", "FAILURE", ""])
      assert.deepStrictEqual(field(Devops.CICDPipeline, "status").enum, ["IN_PROGRESS", "DONE", "OTHER"])
      assert.strictEqual(field(Devops.CICDPipeline, "status").maxLength, 100)
      assert.strictEqual(field(Devops.CICDTask, "environment").maxLength, 255)
      assert.deepStrictEqual(field(Code.PullRequest, "status").enum, ["OPEN", "CLOSED", "MERGED"])
      assert.deepStrictEqual(field(Ticket.Issue, "status").enum, ["TODO", "DONE", "IN_PROGRESS", "OTHER"])
      assert.strictEqual(field(Ticket.Issue, "type").enum, undefined)
    })

    it("rejects a status Go does not know", () => {
      const decode = Schema.decodeUnknownEither(Devops.CICDPipeline)
      const input = {
        id: "p:1",
        name: "build",
        status: "DONE",
        createdDate: "2024-01-02T03:04:05Z",
        cicdScopeId: "s:1"
      }
      assert.isTrue(decode(input)._tag === "Right")
      assert.isTrue(decode({ ...input, status: "SUCCESS" })._tag === "Left")
      assert.isTrue(decode({ ...input, result: "ABORT" })._tag === "Left")
    })
  })

  describe("defaults", () => {
    it("fills Go's zero values for omitted non-key columns", () => {
      const pipeline = new Devops.CICDPipeline({
        name: "build #1",
        status: Devops.Status.DONE,
        createdDate: new Date("2024-01-02T03:04:05Z"),
        cicdScopeId: "fake:FakeProject:1:p1"
      })
      assert.strictEqual(pipeline.id, "")
      assert.strictEqual(pipeline.result, "")
      assert.strictEqual(pipeline.type, "")
      assert.strictEqual(pipeline.environment, "")
      assert.strictEqual(pipeline.displayTitle, "")
      assert.strictEqual(pipeline.durationSec, 0)
      assert.isFalse(pipeline.isChild)
      assert.strictEqual(pipeline.queuedDurationSec, undefined)
      const commit = new Devops.CiCDPipelineCommit({ pipelineId: "p", commitSha: "abc" })
      assert.strictEqual(commit.branch, "")
      assert.isFalse("id" in commit)
    })

    it("requires the columns authors must set", () => {
      const decode = Schema.decodeUnknownEither(Code.PullRequest)
      assert.isTrue(decode({ title: "t", createdDate: "2024-01-02T03:04:05Z", status: "OPEN" })._tag === "Left")
      assert.isTrue(
        decode({ baseRepoId: "r", title: "t", createdDate: "2024-01-02T03:04:05Z", status: "OPEN" })._tag === "Right"
      )
      assert.isTrue(field(Code.Commit, "authored_date").required)
      assert.isTrue(field(Ticket.IssueComment, "issue_id").required)
      assert.isFalse(field(Ticket.IssueComment, "body").required)
    })
  })

  describe("domain scopes", () => {
    it("lists the four scope types make-pipeline may return", () => {
      for (const [typeName, model] of Object.entries(Domain.scopes)) {
        assert.strictEqual(Model.domainScopeType(model), typeName)
        assert.strictEqual(Model.kindOf(model), "domainScope")
        assert.include(Domain.all, model)
      }
      assert.deepStrictEqual(Object.keys(Domain.scopes), ["Repo", "CicdScope", "Board", "CqProject"])
    })

    it("encodes CicdScope with Go's field-name keys", () => {
      const scope = new Devops.CicdScope({
        id: "fake:FakeProject:1:p1",
        name: "Project 1",
        url: "https://example.com/p1",
        createdDate: new Date("2024-01-02T03:04:05Z"),
        updatedDate: new Date("2024-02-03T04:05:06Z"),
        rawDataTable: "_raw_fake_scopes",
        rawDataParams: "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"
      })
      const encoded = Schema.encodeSync(Devops.CicdScope)(scope)
      assert.deepStrictEqual(encoded, {
        id: "fake:FakeProject:1:p1",
        _raw_data_params: "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}",
        _raw_data_table: "_raw_fake_scopes",
        name: "Project 1",
        description: "",
        url: "https://example.com/p1",
        createdDate: "2024-01-02T03:04:05.000Z",
        updatedDate: "2024-02-03T04:05:06.000Z"
      })
      assert.notProperty(encoded, "created_date")
      assert.deepStrictEqual(columns(Devops.CicdScope), [
        ...entity,
        "name",
        "description",
        "url",
        "created_date",
        "updated_date"
      ])
    })

    it("encodes Repo with its snake_case json tags and Go's columns", () => {
      const repo = new Code.Repo({
        id: "fake:FakeRepo:1:r1",
        name: "org/r1",
        ownerId: "org",
        forkedFrom: "up/r1",
        createdDate: new Date("2024-01-02T03:04:05Z")
      })
      assert.strictEqual(repo.ownerId, "org")
      const encoded = Schema.encodeSync(Code.Repo)(repo)
      assert.deepStrictEqual(Object.keys(encoded).sort(), [
        "created_date",
        "deleted",
        "description",
        "forked_from",
        "id",
        "language",
        "name",
        "owner_id",
        "url"
      ])
      assert.strictEqual(encoded.created_date, "2024-01-02T03:04:05.000Z")
      assert.deepStrictEqual(Model.fieldsOf(Code.Repo).slice(entity.length).map((f) => [f.key, f.column]), [
        ["name", "name"],
        ["url", "url"],
        ["description", "description"],
        ["owner_id", "owner_id"],
        ["language", "language"],
        ["forked_from", "forked_from"],
        ["created_date", "created_date"],
        ["updated_date", "updated_date"],
        ["deleted", "deleted"]
      ])
      const decoded = Schema.decodeUnknownSync(Code.Repo)({ id: "x", name: "n", updated_date: "2024-01-01T00:00:00Z" })
      assert.strictEqual(decoded.updatedDate?.toISOString(), "2024-01-01T00:00:00.000Z")
    })

    it("encodes Board and CqProject with Go's field-name keys", () => {
      const board = Schema.encodeSync(Ticket.Board)(
        new Ticket.Board({ id: "b", name: "Board", type: "scrum", createdDate: new Date(0) })
      )
      assert.deepStrictEqual(Object.keys(board).sort(), ["createdDate", "description", "id", "name", "type", "url"])
      const project = Schema.encodeSync(Codequality.CqProject)(
        new Codequality.CqProject({ id: "c", name: "P", lastAnalysisDate: new Date(0), commitSha: "abc" })
      )
      assert.deepStrictEqual(Object.keys(project).sort(), [
        "commitSha",
        "id",
        "lastAnalysisDate",
        "name",
        "qualifier",
        "visibility"
      ])
      assert.deepStrictEqual(columns(Codequality.CqProject).slice(entity.length), [
        "name",
        "qualifier",
        "visibility",
        "last_analysis_date",
        "commit_sha"
      ])
    })
  })
})
