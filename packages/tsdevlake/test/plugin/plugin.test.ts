import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import * as Domain from "../../src/Domain/index.js"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"

class Conn extends Model.Connection<Conn>("Conn")({ token: Model.Secret }) {}
class Repo extends Model.ToolScope<Repo>("Repo")({ url: Schema.String }) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}
class Commit extends Model.ToolModel<Commit>("Commit")({
  sha: Schema.String.pipe(Model.maxLength(40), Model.primaryKey),
  repoId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey)
}) {}
class Issue extends Model.ToolModel<Issue>("Issue")({ id: Schema.Int.pipe(Model.primaryKey) }) {}

const stream = (
  name: string,
  toolModel: Model.Any,
  domainTypes: ReadonlyArray<Model.DomainType>,
  parent?: DataStream.DataStream
) =>
  DataStream.make({
    name,
    toolModel,
    domainTypes,
    ...(parent === undefined ? {} : { parent }),
    collect: () => Stream.empty,
    convert: () => Effect.succeed([])
  })

const Commits = stream("commits", Commit, ["CODE"])
const Issues = stream("issues", Issue, ["TICKET"])

const initSchemas = Migration.script({
  version: 20230101000001,
  name: "init schemas",
  operations: [Conn, Repo, Config, Commit, Issue].map((model) =>
    Migration.createTable(model, { pluginFolder: "demo_plugin" })
  )
})

const definition = (overrides: Partial<Plugin.Options<any, any, any, never, never>> = {}) =>
  Plugin.make({
    name: "demo",
    folder: "demo_plugin",
    connection: Conn,
    scope: Repo,
    scopeConfig: Config,
    streams: [Commits, Issues],
    migrations: [initSchemas],
    testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
    remoteScopeGroups: () => Effect.succeed([]),
    remoteScopes: () => Effect.succeed([]),
    domainScopes: (repo: any) => [new Domain.Code.Repo({ name: repo.name, url: repo.url })],
    extraTasks: (repo: any) => [
      Plugin.gitextractor({ url: repo.url, repoName: repo.name, scopeId: `demo_plugin:Repo:1:${repo.id}`, proxy: "" }),
      Plugin.refdiff(`demo_plugin:Repo:1:${repo.id}`)
    ],
    ...overrides
  })

describe("Plugin.make", () => {
  it("rejects definitions DevLake could not load", () => {
    expect(() => definition({ name: "Demo-Plugin" })).toThrow(/plugin name "Demo-Plugin"/)
    expect(() => definition({ name: "Demo-Plugin" })).toThrow(Plugin.PluginDefinitionError)
    expect(() => definition({ streams: [Commits, Commits] })).toThrow(/two streams are named "commits"/)
    expect(() => definition({ connection: Repo })).toThrow(/Repo must be declared with Model.Connection/)
    const Child = stream("children", Issue, ["TICKET"], Commits)
    expect(() => definition({ streams: [Child, Commits] })).toThrow(/substream "children" must come after its parent/)
    expect(() =>
      definition({
        migrations: [
          Migration.script({ version: 20230101000002, name: "b", operations: [] }),
          Migration.script({ version: 20230101000001, name: "a", operations: [] })
        ]
      })
    ).toThrow()
    expect(() =>
      DataStream.make({
        name: "Bad Name",
        toolModel: Issue,
        domainTypes: [],
        collect: () => Stream.empty,
        convert: () => Effect.succeed([])
      })
    )
      .toThrow(/lower-case/)
    expect(() => stream("Issues", Issue, ["TICKET"])).toThrow(Plugin.PluginDefinitionError)
  })

  it("rejects a stream whose tool model has no primary key but connection_id", () => {
    class Event extends Model.ToolModel<Event>("Event")({ title: Schema.String }) {}
    const Events = stream("events", Event, ["TICKET"])
    const migrations = [
      initSchemas,
      Migration.script({
        version: 20230101000002,
        name: "events",
        operations: [Migration.createTable(Event, { pluginFolder: "demo_plugin" })]
      })
    ]
    expect(() => definition({ streams: [Commits, Events], migrations })).toThrow(Plugin.PluginDefinitionError)
    expect(() => definition({ streams: [Commits, Events], migrations })).toThrow(
      /^tool model Event has no primary key of its own \(only connection_id.*Model\.primaryKey$/
    )
  })

  it("rejects a model whose table no migration creates, naming the createTable to add", () => {
    const withoutIssues = Migration.script({
      version: 20230101000001,
      name: "init schemas",
      operations: [Conn, Repo, Config, Commit].map((model) =>
        Migration.createTable(model, { pluginFolder: "demo_plugin" })
      )
    })
    expect(() => definition({ migrations: [withoutIssues] })).toThrow(
      "model Issue: no migration script creates its table _tool_demo_plugin_issues: " +
        "add Migration.createTable(Issue) to a migration script"
    )
    // The connection, scope and scope config are checked too, and a dropped or renamed table no longer counts.
    const dropConfig = Migration.script({
      version: 20230101000002,
      name: "drop",
      operations: [Migration.renameTable("_tool_demo_plugin_configs", "_tool_demo_plugin_old_configs")]
    })
    expect(() => definition({ migrations: [initSchemas, dropConfig] })).toThrow(
      /^model Config: no migration script creates its table _tool_demo_plugin_configs/
    )
  })

  it("rejects a field whose column no migration adds, naming the addColumn to add", () => {
    class Issue2 extends Model.ToolModel<Issue2>("Issue", { table: "_tool_demo_plugin_issues" })({
      id: Schema.Int.pipe(Model.primaryKey),
      priority: Schema.String,
      points: Schema.optional(Schema.Int)
    }) {}
    const Issues2 = stream("issues", Issue2, ["TICKET"])
    const addPriority = Migration.addColumn("_tool_demo_plugin_issues", "priority", "text")
    const later = (...operations: ReadonlyArray<Migration.Operation>) =>
      Migration.script({ version: 20230101000002, name: "issue fields", operations })
    expect(() => definition({ streams: [Commits, Issues2] })).toThrow(
      "field Issue.priority: no migration script adds its column priority to _tool_demo_plugin_issues: " +
        "add Migration.addColumn(Issue, \"priority\", \"text\") to a migration script"
    )
    expect(() => definition({ streams: [Commits, Issues2], migrations: [initSchemas, later(addPriority)] })).toThrow(
      /field Issue\.points: .* Migration\.addColumn\(Issue, "points", "bigint"\)/
    )
    const points = Migration.addColumn("_tool_demo_plugin_issues", "pts", "bigint")
    const renamed = Migration.renameColumn("_tool_demo_plugin_issues", "pts", "points")
    expect(definition({ streams: [Commits, Issues2], migrations: [initSchemas, later(addPriority, points, renamed)] }))
      .toBeDefined()
    const dropped = Migration.dropColumn("_tool_demo_plugin_issues", "priority")
    expect(() =>
      definition({
        streams: [Commits, Issues2],
        migrations: [initSchemas, later(addPriority, points, renamed, dropped)]
      })
    ).toThrow(/field Issue\.priority/)
    // Raw SQL cannot be followed: a table an execute statement names is left to it.
    const raw = Migration.execute("ALTER TABLE _tool_demo_plugin_issues ADD priority text, ADD points bigint")
    expect(definition({ streams: [Commits, Issues2], migrations: [initSchemas, later(raw)] })).toBeDefined()
  })

  it("rejects a model field named like a column the framework fills in, before its migrations are judged", () => {
    // The trial's Task: the default extractor skips the framework's fields, so the API's createdAt was lost.
    class Task extends Model.ToolModel<Task>("Task")({
      id: Schema.Int.pipe(Model.primaryKey),
      createdAt: Model.DateTime
    }) {}
    const migrations = [initSchemas, Migration.script({ version: 20230101000002, name: "tasks", operations: [] })]
    expect(() => definition({ streams: [Commits, stream("tasks", Task, ["TICKET"])], migrations })).toThrow(
      "tool model Task: field createdAt is the framework's own column (the row's creation time), which extraction " +
        "sets; name yours otherwise, e.g. created: Model.DateTime.pipe(Model.source(\"/createdAt\"))"
    )
    class Dated extends Model.ToolScope<Dated>("Dated")({ createdAt: Model.DateTime }) {}
    expect(() => definition({ scope: Dated })).toThrow(/^scope model Dated: field createdAt .* DevLake sets;/)
    // A scope narrowing its own id and name, as the fake plugin's does, is the author's to declare.
    class Project extends Model.ToolScope<Project>("Project")({
      id: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
      name: Schema.String.pipe(Model.maxLength(100))
    }) {}
    const projects = Migration.script({
      version: 20230101000001,
      name: "init schemas",
      operations: [Conn, Project, Config, Commit, Issue].map((model) =>
        Migration.createTable(model, { pluginFolder: "demo_plugin" })
      )
    })
    expect(definition({ scope: Project, migrations: [projects] })).toBeDefined()
  })

  it("names tables and subtasks as pydevlake does", () => {
    const plugin = definition()
    const info = Plugin.info(plugin, "/p/run.sh")
    expect(info.tool_model_infos.map((m) => m.table_name)).toEqual([
      "_tool_demo_plugin_commits",
      "_tool_demo_plugin_issues"
    ])
    expect(info.subtask_metas.map((m) => m.name)).toEqual([
      "Collect Commits",
      "Extract Commits",
      "Convert Commits",
      "Collect Issues",
      "Extract Issues",
      "Convert Issues"
    ])
    expect(Plugin.domainId(plugin, Commit, 3, { sha: "abc", repoId: "r1", connectionId: 3 })).toBe(
      "demo_plugin:Commit:3:abc:r1"
    )
  })
})

describe("pipeline plans", () => {
  const repo = new Repo({ id: "r1", name: "api", url: "https://git.example.com/api.git", connectionId: 1 })
  const conn = new Conn({ id: 1, name: "c", token: Redacted.make("x") })

  it.effect("select subtasks by the scope config's entities and add the extra tasks", () =>
    Effect.gen(function*() {
      const plugin = definition()
      const codeOnly = new Config({ entities: ["CODE"] })
      const data = yield* Plugin.makePipeline(plugin, [[repo, codeOnly]], conn)
      expect(data.plan).toHaveLength(1)
      const [task, gitextractor, refdiff] = data.plan[0]!
      expect(task!.subtasks).toEqual(["Collect Commits", "Extract Commits", "Convert Commits"])
      expect(task!.options).toEqual({ scopeId: "r1", scopeName: "api", connectionId: 1, fullName: "api" })
      expect(gitextractor).toEqual({
        plugin: "gitextractor",
        skipOnFail: false,
        subtasks: [],
        options: {
          url: "https://git.example.com/api.git",
          name: "api",
          fullName: "api",
          repoId: "demo_plugin:Repo:1:r1",
          proxy: "",
          noShallowClone: false
        }
      })
      expect(refdiff).toMatchObject({
        plugin: "refdiff",
        options: { repoId: "demo_plugin:Repo:1:r1", tagsLimit: 10, tagsOrder: "reverse semver" }
      })
      expect(refdiff!.options["tagsPattern"]).toBe("/v\\d+\\.\\d+(\\.\\d+(-rc)*\\d*)*$/")
    }))

  it.effect("encodes a Repo domain scope with Go's JSON keys, its domain id and raw origin", () =>
    Effect.gen(function*() {
      const data = yield* Plugin.makePipeline(definition(), [[repo, new Config({})]], conn)
      expect(data.scopes).toHaveLength(1)
      expect(data.scopes[0]!.type_name).toBe("Repo")
      const scope = JSON.parse(data.scopes[0]!.data)
      expect(scope).toMatchObject({
        id: "demo_plugin:Repo:1:r1",
        name: "api",
        url: "https://git.example.com/api.git",
        _raw_data_params: "{\"ConnectionId\":1,\"ScopeId\":\"r1\"}",
        _raw_data_table: "_raw_demo_scopes"
      })
    }))

  it.effect("gives domainScopes the scope's config, so a Board is a scope only when TICKET is on", () =>
    Effect.gen(function*() {
      const plugin = definition({
        domainScopes: (scope: any, _connection: any, config: any) => [
          new Domain.Code.Repo({ name: scope.name, url: scope.url }),
          ...(config.entities.includes("TICKET") ? [new Domain.Ticket.Board({ name: scope.name })] : [])
        ]
      })
      const typesWith = (entities: ReadonlyArray<Model.DomainType>) =>
        Effect.map(
          Plugin.makePipeline(plugin, [[repo, new Config({ entities: [...entities] })]], conn),
          (data) => data.scopes.map((scope) => scope.type_name)
        )
      expect(yield* typesWith(["CODE"])).toEqual(["Repo"])
      expect(yield* typesWith(["CODE", "TICKET"])).toEqual(["Repo", "Board"])
    }))

  it.effect("adds extra stages after the scopes' stages", () =>
    Effect.gen(function*() {
      const plugin = definition({
        extraStages: () => [[{ plugin: "dora", subtasks: [], options: { projectName: "p" } }]]
      })
      const data = yield* Plugin.makePipeline(plugin, [[repo, new Config({})]], conn)
      expect(data.plan.map((stage) => stage.map((t) => t.plugin))).toEqual([
        ["demo", "gitextractor", "refdiff"],
        ["dora"]
      ])
    }))
})

describe("the author's entry", () => {
  it("names what an author's code writes, with nothing of tsdevlake/runtime", () => {
    const result: Plugin.TestConnectionResult = { success: true, message: "ok", status: 200 }
    const tasks: ReadonlyArray<Plugin.PipelineTask> = [
      Plugin.gitextractor({ url: "https://git.example.com/r.git", repoName: "r", scopeId: "demo:Repo:1:r" }),
      Plugin.refdiff("demo:Repo:1:r")
    ]
    expect(result.success).toBe(true)
    expect(tasks.map((task) => task.plugin)).toEqual(["gitextractor", "refdiff"])
    class Bad extends Model.ToolModel<Bad>("Bad")({ "2fa": Schema.String.pipe(Model.primaryKey) }) {}
    expect(() => Migration.createTable(Bad, { pluginFolder: "demo" })).toThrow(Migration.ModelInfoError)
  })
})
