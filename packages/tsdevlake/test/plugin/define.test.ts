// Plugin.define (issue 11, "less ceremony"): the plugin's models given once type every callback's context, with
// no annotation. The `@ts-expect-error` and `expectTypeOf` lines are tests too: `npm run check` compiles this file.
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Ref, Schema, Stream } from "effect"
import { expectTypeOf } from "vitest"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Ipc from "../../src/Ipc.js"
import * as Migration from "../../src/Migration.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import * as State from "../../src/State.js"
import * as Subtask from "../../src/Subtask.js"
import { pluginSchemas } from "../../src/internal/runtime/commandArgs.js"

class Conn extends Model.Connection<Conn>("Conn")({ endpoint: Schema.String }) {}
class Board extends Model.ToolScope<Board>("Board")({ key: Schema.String }) {}
// Deleted in DevLake, a scope config arrives as `null`: it decodes to these defaults.
class Config extends Model.ScopeConfig<Config>("Config")({
  prefix: Schema.optionalWith(Schema.String, { default: () => "none" }).pipe(Model.required)
}) {}
class Epic extends Model.ToolModel<Epic>("Epic")({
  key: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
  title: Schema.String
}) {}
class Story extends Model.ToolModel<Story>("Story")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  epicKey: Schema.String
}) {}
class Link extends Model.DomainRelation<Link>("Link", { table: "define_links" })({
  storyId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  epicId: Schema.String.pipe(Model.maxLength(255)),
  label: Schema.String
}) {}

class BoardApi extends Context.Tag("test/BoardApi")<BoardApi, { readonly epics: ReadonlyArray<string> }>() {}

const jira = Plugin.define({
  name: "jiralite",
  folder: "jira_lite",
  connection: Conn,
  scope: Board,
  scopeConfig: Config
})

const EpicState = Schema.Struct({ since: Schema.DateFromString })

const Epics = jira.stream({
  name: "epics",
  toolModel: Epic,
  domainTypes: ["TICKET"],
  state: EpicState,
  collect: (ctx) => {
    expectTypeOf(ctx.connection).toEqualTypeOf<Conn>()
    expectTypeOf(ctx.scope).toEqualTypeOf<Board>()
    expectTypeOf(ctx.scopeConfig).toEqualTypeOf<Config>()
    expectTypeOf(ctx.state).toEqualTypeOf<{ readonly since: Date } | undefined>()
    // @ts-expect-error a Board has no `url`
    void ctx.scope.url
    return Stream.fromIterable([
      DataStream.raw({ key: "E-1", title: ctx.scope.key }, { state: { since: new Date(0) } })
    ])
  },
  convert: () => Effect.succeed([])
})

const Stories = jira.stream({
  name: "stories",
  toolModel: Story,
  domainTypes: ["TICKET"],
  domainModels: [Link],
  parent: Epics,
  collect: (_ctx, epic) => {
    expectTypeOf(epic).toEqualTypeOf<Epic>()
    return Stream.fromIterable([DataStream.raw({ id: epic.key === "E-1" ? 1 : 2, epicKey: epic.key })])
  },
  convert: (story, ctx) => {
    expectTypeOf(story).toEqualTypeOf<Story>()
    expectTypeOf(ctx.scopeConfig.prefix).toEqualTypeOf<string>()
    return Effect.succeed([
      new Link({
        storyId: ctx.domainId(Story, story),
        epicId: ctx.domainId(Epic, { key: story.epicKey }),
        label: ctx.scopeConfig.prefix
      })
    ])
  }
})

const migrations = [
  Migration.script({
    version: 20261201000001,
    name: "init",
    operations: [Conn, Board, Config, Epic, Story].map((model) => Migration.createTable(model))
  })
]

const callbacks = {
  migrations,
  testConnection: (connection: Conn) => Effect.succeed({ success: true, message: connection.endpoint, status: 200 }),
  remoteScopeGroups: () => Effect.succeed([]),
  remoteScopes: () => Effect.succeed([]),
  domainScopes: () => []
}

const JiraPlugin = jira.make({ ...callbacks, streams: [Epics, Stories] })

describe("Plugin.define", () => {
  it("makes the plugin Plugin.make makes, with the definition's name, folder and models", () => {
    expectTypeOf(JiraPlugin).toEqualTypeOf<Plugin.Plugin<typeof Conn, typeof Board, typeof Config, never, never>>()
    expect([JiraPlugin.name, JiraPlugin.folder, JiraPlugin.description]).toEqual([
      "jiralite",
      "jira_lite",
      "jiralite plugin"
    ])
    expect([JiraPlugin.connection, JiraPlugin.scope, JiraPlugin.scopeConfig]).toEqual([Conn, Board, Config])
    expect(JiraPlugin.streams).toEqual([Epics, Stories])
    expect(jira.make({ ...callbacks, streams: [Epics], description: "Jira" }).description).toBe("Jira")
  })

  it("types the callbacks of make from the definition", () => {
    const plugin = jira.make({
      ...callbacks,
      streams: [Epics],
      remoteScopes: (connection, groupId) => {
        expectTypeOf(connection).toEqualTypeOf<Conn>()
        return Effect.succeed([new Board({ id: groupId, name: connection.endpoint, key: "K" })])
      },
      domainScopes: (board) => {
        expectTypeOf(board).toEqualTypeOf<Board>()
        return []
      }
    })
    expect(plugin.name).toBe("jiralite")
  })

  it("gives a model's table in the plugin's folder, as Model.tableName does given the plugin", () => {
    expect(jira.tableName(Epic)).toBe("_tool_jira_lite_epics")
    expect(Model.tableName(Epic, JiraPlugin)).toBe("_tool_jira_lite_epics")
    expect(jira.tableName(Link)).toBe("define_links")
  })

  it("rejects a bad name or folder at once, and runs Plugin.make's checks in make", () => {
    expect(() => Plugin.define({ name: "Jira", connection: Conn, scope: Board, scopeConfig: Config })).toThrow(
      Plugin.PluginDefinitionError
    )
    expect(() => Plugin.define({ name: "jira", folder: "a-b", connection: Conn, scope: Board, scopeConfig: Config }))
      .toThrow(/plugin folder "a-b"/)
    expect(() => jira.make({ ...callbacks, streams: [Stories, Epics] })).toThrow(
      /substream "stories" must come after its parent/
    )
    expect(() => jira.make({ ...callbacks, migrations: [], streams: [Epics] })).toThrow(
      "model Conn: no migration script creates its table _tool_jira_lite_conns: add Migration.createTable(Conn) " +
        "to a migration script"
    )
    class Dated extends Model.ToolModel<Dated>("Dated")({ key: Schema.String.pipe(Model.primaryKey) }) {}
    class Stamped extends Model.ToolModel<Stamped>("Stamped")({
      key: Schema.String.pipe(Model.primaryKey),
      updatedAt: Model.DateTime
    }) {}
    const streamOf = (name: string, toolModel: typeof Dated | typeof Stamped) =>
      jira.stream({
        name,
        toolModel,
        domainTypes: ["TICKET"],
        collect: () => Stream.empty,
        convert: () => Effect.succeed([])
      })
    expect(() => jira.make({ ...callbacks, migrations: [], streams: [streamOf("dated", Dated)] })).toThrow(
      /^model Conn: no migration script/
    )
    expect(() => jira.make({ ...callbacks, migrations: [], streams: [streamOf("stamped", Stamped)] })).toThrow(
      /^tool model Stamped: field updatedAt is the framework's own column \(the row's last update time\)/
    )
  })

  it("keeps the compile-time check that layer provides what the streams and callbacks need", () => {
    const withApi = jira.stream({
      name: "boards",
      toolModel: Epic,
      domainTypes: ["TICKET"],
      collect: () =>
        Stream.unwrap(
          Effect.map(
            BoardApi,
            (api) => Stream.fromIterable(api.epics.map((key) => DataStream.raw({ key, title: key })))
          )
        ),
      convert: () => Effect.succeed([])
    })
    expectTypeOf(withApi).toEqualTypeOf<DataStream.DataStream<typeof Epic, never, BoardApi>>()
    // @ts-expect-error Property 'layer' is missing ... but required in type 'MissingLayerFor<BoardApi, ...>'
    const missing = jira.make({ ...callbacks, streams: [withApi] })
    const layer = (connection: Conn) => Layer.succeed(BoardApi, { epics: [connection.endpoint] })
    const provided = jira.make({ ...callbacks, streams: [withApi], layer })
    expectTypeOf(provided).toEqualTypeOf<Plugin.Plugin<typeof Conn, typeof Board, typeof Config, never, BoardApi>>()
    const testConnection = () => Effect.as(BoardApi, { success: true, message: "ok", status: 200 })
    // @ts-expect-error a callback's need is checked too
    const callbackMissing = jira.make({ ...callbacks, streams: [Epics], testConnection })
    expect([missing.name, provided.name, callbackMissing.name, typeof provided.layer]).toEqual([
      "jiralite",
      "jiralite",
      "jiralite",
      "function"
    ])
  })

  it.effect("decodes a deleted (null) scope config to its defaults, which a convert of a defined plugin gets", () =>
    Effect.gen(function*() {
      const { scopeConfig } = pluginSchemas(JiraPlugin)
      const decoded = (yield* Schema.decodeUnknown(scopeConfig)(null)) as Config
      expect(decoded).toBeInstanceOf(Config)
      expect(decoded.prefix).toBe("none")
      const ctx = Subtask.taskContext(JiraPlugin, {
        connection: new Conn({ id: 7, name: "c", endpoint: "https://jira" }),
        scope: new Board({ id: "b1", connectionId: 7, key: "B" }),
        scopeConfig: decoded,
        options: {}
      })
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const layer = Layer.mergeAll(State.layerSql, Ipc.layerMemory(lines)).pipe(Layer.provideMerge(Db.layerMemory))
      const rows = yield* Effect.gen(function*() {
        yield* MigrationRunner.apply(JiraPlugin.migrations, { domainModels: [Link] })
        for (const stream of [Epics, Stories]) {
          for (const verb of DataStream.verbs) yield* Subtask.run(JiraPlugin, verb, stream, ctx)
        }
        const db = yield* Db.Database
        return yield* db.execute("SELECT story_id, epic_id, label FROM define_links")
      }).pipe(Effect.provide(layer))
      // Domain ids of another model's row, in the plugin's folder, with no import of the plugin.
      expect(rows).toEqual([{ story_id: "jira_lite:Story:7:1", epic_id: "jira_lite:Epic:7:E-1", label: "none" }])
    }))
})
