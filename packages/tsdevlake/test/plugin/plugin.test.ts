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

const definition = (overrides: Partial<Plugin.Options<any, any, any, never, never>> = {}) =>
  Plugin.make({
    name: "demo",
    folder: "demo_plugin",
    connection: Conn,
    scope: Repo,
    scopeConfig: Config,
    streams: [Commits, Issues],
    migrations: [],
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
