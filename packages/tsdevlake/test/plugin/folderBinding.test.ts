// Migration operations written without the plugin's folder (issue 11, "less ceremony": the folder was written
// in the plugin, in every createTable and in the SQL of a migration): Plugin.make binds them to its folder.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Migration from "../../src/Migration.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"

class Conn extends Model.Connection<Conn>("Conn")({}) {}
class Project extends Model.ToolScope<Project>("Project")({ url: Schema.String }) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}
class Build extends Model.ToolModel<Build>("Build")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  state: Schema.optional(Schema.String)
}) {}
class Named extends Model.ToolModel<Named>("Named", { table: "_tool_custom_named" })({
  id: Schema.Int.pipe(Model.primaryKey)
}) {}

const init = Migration.script({
  version: 20240101000001,
  name: "init",
  operations: [Conn, Project, Config].map((model) => Migration.createTable(model))
})
const builds = Migration.script({
  version: 20240101000002,
  name: "builds",
  operations: [
    Migration.createTable(Build),
    Migration.execute((t) => `UPDATE ${t(Project)} SET url = '' WHERE url IS NULL`, { dialect: "mysql" }),
    Migration.addColumn(Build, "note", "text"),
    Migration.renameColumn(Build, "note", "remark"),
    Migration.dropColumn(Build, "remark")
  ]
})
const migrations = [init, builds]

const stream = (toolModel: Model.Any) =>
  DataStream.make({
    name: "builds",
    toolModel,
    domainTypes: ["CICD"],
    collect: () => Stream.empty,
    convert: () => Effect.succeed([])
  })

const pluginIn = (folder: string, scripts: ReadonlyArray<Migration.Script> = migrations, model: Model.Any = Build) =>
  Plugin.make({
    name: "builder",
    folder,
    connection: Conn,
    scope: Project,
    scopeConfig: Config,
    streams: [stream(model)],
    migrations: scripts,
    testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
    remoteScopeGroups: () => Effect.succeed([]),
    remoteScopes: () => Effect.succeed([]),
    domainScopes: () => []
  })

const tables = (scripts: ReadonlyArray<Migration.Script>) =>
  Migration.encode(scripts).flatMap((script) =>
    script.operations.map((op) =>
      op.type === "create_table"
        ? op.model_info.table_name
        : op.type === "execute"
        ? op.sql
        : `${op.type} ${"table" in op ? op.table : op.old_name}`
    )
  )

describe("operations without a folder", () => {
  it("get the folder of the plugin they are given to", () => {
    const plugin = pluginIn("ci_folder")
    expect(tables(plugin.migrations)).toEqual([
      "_tool_ci_folder_conns",
      "_tool_ci_folder_projects",
      "_tool_ci_folder_configs",
      "_tool_ci_folder_builds",
      "UPDATE _tool_ci_folder_projects SET url = '' WHERE url IS NULL",
      "add_column _tool_ci_folder_builds",
      "rename_column _tool_ci_folder_builds",
      "drop_column _tool_ci_folder_builds"
    ])
    // The same scripts, given to another plugin, get that plugin's folder; the scripts given stay unbound.
    expect(tables(pluginIn("other").migrations)[0]).toBe("_tool_other_conns")
    expect(Model.tableName(Build, plugin)).toBe("_tool_ci_folder_builds")
    expect(Either.isLeft(Migration.check(migrations))).toBe(true)
  })

  it("are refused, in one line naming the operation, until a plugin binds them", () => {
    expect(() => Migration.encode([builds])).toThrow(Migration.MigrationError)
    expect(() => Migration.encode([builds])).toThrow(
      "Migration script \"builds:20240101000002\": create_table of Build names a table in no plugin folder " +
        "(<plugin folder>): give the script to Plugin.make or a Plugin.define's make, which bind it to the " +
        "plugin's folder (plugin.migrations), or name the folder (createTable's { pluginFolder })"
    )
    const sql = Migration.script({
      version: 20240101000003,
      name: "sql",
      operations: [Migration.execute((t) => `DELETE FROM ${t(Build)}`)]
    })
    expect(() => Migration.encode([sql])).toThrow(/: execute on Build names a table in no plugin folder/)
    // A copy of an unbound operation is refused by the placeholder it names.
    const copied = Migration.script({
      version: 20240101000004,
      name: "copy",
      operations: [{ ...builds.operations[0]! }]
    })
    expect(() => Migration.encode([copied])).toThrow(/: create_table names a table in no plugin folder/)
  })

  it("need no plugin when the model names its own table, and old forms are kept as they are", () => {
    const own = Migration.script({
      version: 20240101000001,
      name: "own",
      operations: [Migration.createTable(Named), Migration.execute((t) => `DELETE FROM ${t(Named)}`)]
    })
    expect(tables([own])).toEqual(["_tool_custom_named", "DELETE FROM _tool_custom_named"])
    const old = [
      Migration.script({
        version: 20240101000001,
        name: "old",
        operations: [Conn, Project, Config, Build].map((model) => Migration.createTable(model, { pluginFolder: "f" }))
      })
    ]
    expect(tables(old)).toEqual(["_tool_f_conns", "_tool_f_projects", "_tool_f_configs", "_tool_f_builds"])
    expect(pluginIn("f", old).migrations).toBe(old)
    expect(Model.tableName(Build, "f")).toBe("_tool_f_builds")
  })

  it("satisfy the definition checks once bound, which still name what is missing", () => {
    expect(pluginIn("ci").name).toBe("builder")
    const noBuilds = [init]
    expect(() => pluginIn("ci", noBuilds)).toThrow(
      "model Build: no migration script creates its table _tool_ci_builds: add Migration.createTable(Build) to a " +
        "migration script"
    )
    const stateless = Migration.script({
      version: 20240101000001,
      name: "init",
      operations: [
        ...init.operations,
        Migration.createTable(Build),
        Migration.dropColumn(Build, "state")
      ]
    })
    expect(() => pluginIn("ci", [stateless])).toThrow(
      /^field Build\.state: no migration script adds its column state to _tool_ci_builds: add Migration\.addColumn\(Build, "state", "text"\)/
    )
  })

  it.effect("are applied in the plugin's folder by the local migrate", () =>
    Effect.gen(function*() {
      const plugin = pluginIn("applied")
      yield* MigrationRunner.apply(plugin.migrations, { domainModels: [] })
      const db = yield* Db.Database
      const columns = yield* db.execute("SELECT name FROM pragma_table_info('_tool_applied_builds')")
      expect(columns.map((c) => c["name"])).toContain("state")
      expect(columns.map((c) => c["name"])).not.toContain("remark")
    }).pipe(Effect.provide(Db.layerMemory)))
})
