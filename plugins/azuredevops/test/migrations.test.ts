/**
 * The migration scripts on each database: the tables and columns pydevlake's models would have (snake_case, its
 * `ToolModel`/`ToolScope`/`Connection` base columns) and the framework's models read; the keys of pull request
 * commits and jobs; and a database the Python plugin migrated, upgraded with its rows kept.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect } from "effect"
import { Model } from "tsdevlake"
import { Db, MigrationRunner } from "tsdevlake/runtime"
import {
  azuredevops,
  AzureDevOpsConnection,
  Build,
  GitPullRequest,
  GitPullRequestCommit,
  GitRepository,
  GitRepositoryConfig,
  Job
} from "../src/models.js"
import { AzureDevOpsPlugin } from "../src/plugin.js"

// Every create_table gets Go's `common.NoPKModel` columns; tool models and scopes add `connection_id`.
const noPK = ["created_at", "updated_at", "_raw_data_params", "_raw_data_table", "_raw_data_id", "_raw_data_remark"]
const tool = [...noPK, "connection_id"]

// The columns pydevlake's models have (backend/python/plugins/azuredevops/azuredevops/models.py), by table.
const pydevlake: ReadonlyArray<readonly [Model.Any, string, ReadonlyArray<string>]> = [
  [AzureDevOpsConnection, "_tool_azuredevops_azuredevopsconnections", [
    ...noPK,
    "id",
    "name",
    "proxy",
    "token",
    "organization"
  ]],
  [GitRepository, "_tool_azuredevops_gitrepositories", [
    ...tool,
    "id",
    "name",
    "scope_config_id",
    "url",
    "remote_url",
    "default_branch",
    "project_id",
    "org_id",
    "parent_repository_url",
    "provider",
    "updated_date"
  ]],
  [GitRepositoryConfig, "_tool_azuredevops_gitrepositoryconfigs", [
    ...noPK,
    "id",
    "name",
    "entities",
    "connection_id",
    "refdiff",
    "deployment_pattern",
    "production_pattern",
    "environment_pattern"
  ]],
  [GitPullRequest, "_tool_azuredevops_gitpullrequests", [
    ...tool,
    "pull_request_id",
    "description",
    "status",
    "created_by_id",
    "created_by_name",
    "creation_date",
    "closed_date",
    "source_commit_sha",
    "target_commit_sha",
    "merge_commit_sha",
    "url",
    "type",
    "title",
    "target_ref_name",
    "source_ref_name",
    "fork_repo_id"
  ]],
  [GitPullRequestCommit, "_tool_azuredevops_gitpullrequestcommits", [
    ...tool,
    "commit_id",
    "pull_request_id",
    "author_name",
    "author_email",
    "author_date"
  ]],
  [Build, "_tool_azuredevops_builds", [
    ...tool,
    "id",
    "name",
    "queue_time",
    "start_time",
    "finish_time",
    "status",
    "result",
    "source_branch",
    "source_version",
    "display_title",
    "url"
  ]],
  [Job, "_tool_azuredevops_jobs", [
    ...tool,
    "id",
    "build_id",
    "name",
    "start_time",
    "finish_time",
    "state",
    "result",
    "identifier",
    "type",
    "parent_id"
  ]]
]

// The columns the framework reads and writes for a model: its fields' and Go's base ones.
const frameworkColumns = (model: Model.Any) => new Set([...noPK, ...Model.fieldsOf(model).map((f) => f.column)])

const columnsOf = (table: string) =>
  Effect.map(Effect.flatMap(Db.Database, (db) => db.columnsOf(table)), (cs) => cs.map((c) => c.name.toLowerCase()))

const count = (table: string) => Effect.flatMap(Db.Database, (db) => db.countWhere(table, {}))

const insert = (table: string, row: Record<string, string | number>) =>
  Effect.flatMap(Db.Database, (db) =>
    db.execute(
      `INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${
        Object.values(row).map((v) => typeof v === "number" ? String(v) : `'${v}'`).join(", ")
      })`
    ))

const commit = (connection: number, commitId: string, pr: string) =>
  insert("_tool_azuredevops_gitpullrequestcommits", {
    connection_id: connection,
    commit_id: commitId,
    pull_request_id: pr,
    author_name: "Ada",
    author_email: "ada@example.com",
    author_date: "2023-02-07 04:49:28"
  })

const job = (connection: number, id: string, build: string) =>
  insert("_tool_azuredevops_jobs", { connection_id: connection, id, build_id: build, name: "job", state: "completed" })

const databases = await Testing.testDatabases()

for (const database of databases) {
  describe.skipIf(database.skip !== undefined)(`migrations on ${database.name}`, () => {
    const fresh = database.skip === undefined ? Testing.isolatedDatabase(database, "azfresh") : undefined
    const upgraded = database.skip === undefined ? Testing.isolatedDatabase(database, "azupgrade") : undefined
    afterAll(async () => {
      await (await fresh)?.drop()
      await (await upgraded)?.drop()
    })
    const on = <A, E>(
      isolated: Promise<Testing.IsolatedDatabase> | undefined,
      effect: Effect.Effect<A, E, Db.Database>
    ) => Effect.flatMap(Effect.promise(() => isolated!), ({ url }) => Effect.provide(effect, Db.layer(url)))

    it.effect("creates pydevlake's tables and columns, and every column the models use", () =>
      on(
        fresh,
        Effect.gen(function*() {
          yield* MigrationRunner.apply(AzureDevOpsPlugin.migrations)
          for (const [model, table, expected] of pydevlake) {
            const actual = new Set(yield* columnsOf(table))
            expect(azuredevops.tableName(model), table).toBe(table)
            for (const column of expected) expect(actual.has(column), `${table}.${column}`).toBe(true)
            expect([...actual].sort(), table).toEqual([...frameworkColumns(model)].sort())
          }
        })
      ))

    it.effect("keys a pull request's commits by pull request, and jobs by connection and build", () =>
      on(
        fresh,
        Effect.gen(function*() {
          yield* MigrationRunner.apply(AzureDevOpsPlugin.migrations)
          yield* commit(1, "c1", "azuredevops:GitPullRequest:1:1")
          yield* commit(1, "c1", "azuredevops:GitPullRequest:1:2")
          yield* job(1, "j1", "azuredevops:Build:1:1")
          yield* job(1, "j1", "azuredevops:Build:1:2")
          yield* job(2, "j1", "azuredevops:Build:1:1")
          expect(yield* count("_tool_azuredevops_gitpullrequestcommits")).toBe(2)
          expect(yield* count("_tool_azuredevops_jobs")).toBe(3)
          // The same key again is refused: it is the primary key.
          const again = yield* Effect.either(commit(1, "c1", "azuredevops:GitPullRequest:1:2"))
          expect(again._tag).toBe("Left")
        })
      ))

    it.effect("upgrades a database the Python plugin's scripts migrated, keeping its rows", () =>
      on(
        upgraded,
        Effect.gen(function*() {
          const python = AzureDevOpsPlugin.migrations.filter((script) => script.version < 20261207000000)
          expect(python.map((script) => script.version).at(-1)).toBe(20240527113400)
          yield* MigrationRunner.apply(python)
          yield* commit(1, "c1", "azuredevops:GitPullRequest:1:1")
          yield* job(1, "j1", "azuredevops:Build:1:1")
          const report = yield* MigrationRunner.apply(AzureDevOpsPlugin.migrations)
          expect(report.skipped.length).toBe(python.length)
          expect(yield* count("_tool_azuredevops_gitpullrequestcommits")).toBe(1)
          expect(yield* count("_tool_azuredevops_jobs")).toBe(1)
          yield* commit(1, "c1", "azuredevops:GitPullRequest:1:2")
          expect(yield* count("_tool_azuredevops_gitpullrequestcommits")).toBe(2)
          const jobColumns = yield* columnsOf("_tool_azuredevops_jobs")
          for (const column of ["identifier", "type", "parent_id"]) expect(jobColumns).toContain(column)
        })
      ))
  })
}
