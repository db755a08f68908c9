import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Ipc from "../../src/Ipc.js"
import * as Migration from "../../src/Migration.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import * as State from "../../src/State.js"
import * as Subtask from "../../src/Subtask.js"

class Conn extends Model.Connection<Conn>("Conn")({}) {}
class Board extends Model.ToolScope<Board>("Board")({}) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}
class Epic extends Model.ToolModel<Epic>("Epic")({
  key: Schema.String.pipe(Model.maxLength(64), Model.primaryKey)
}) {}
class Story extends Model.ToolModel<Story>("Story")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  epicKey: Schema.String
}) {}

class StoryEpic extends Model.DomainRelation<StoryEpic>("StoryEpic", { table: "ctx_story_epics" })({
  storyId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  epicId: Schema.String.pipe(Model.maxLength(255))
}) {}

// The convert links each story to another model's row by that row's domain id, with no import of the plugin:
// in a plugin, this stream lives in streams.ts, which plugin.ts imports.
const Stories = DataStream.make({
  name: "stories",
  toolModel: Story,
  domainTypes: ["TICKET"],
  domainModels: [StoryEpic],
  collect: () =>
    Stream.fromIterable([DataStream.raw({ id: 1, epicKey: "E-1" }), DataStream.raw({ id: 2, epicKey: "E-2" })]),
  convert: (story, ctx) =>
    Effect.succeed([
      new StoryEpic({ storyId: ctx.domainId(Story, story), epicId: ctx.domainId(Epic, { key: story.epicKey }) })
    ])
})

const CtxPlugin = Plugin.make({
  name: "ctxplugin",
  folder: "ctxfolder",
  connection: Conn,
  scope: Board,
  scopeConfig: Config,
  streams: [Stories],
  migrations: [
    Migration.script({
      version: 20261201000001,
      name: "init",
      operations: [Conn, Board, Config, Epic, Story].map((m) => Migration.createTable(m, { pluginFolder: "ctxfolder" }))
    })
  ],
  testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
  remoteScopeGroups: () => Effect.succeed([]),
  remoteScopes: () => Effect.succeed([]),
  domainScopes: () => []
})

const ctx = Subtask.taskContext(CtxPlugin, {
  connection: new Conn({ id: 7, name: "c" }),
  scope: new Board({ id: "b1", connectionId: 7 }),
  scopeConfig: new Config({}),
  options: {}
})

describe("TaskContext.domainId", () => {
  it("is Plugin.domainId for this plugin and connection, for any model", () => {
    expect(ctx.domainId(Epic, { key: "E-1" })).toBe("ctxfolder:Epic:7:E-1")
    expect(ctx.domainId(Epic, { key: "E-1" })).toBe(Plugin.domainId(CtxPlugin, Epic, 7, { key: "E-1" }))
    expect(ctx.domainId(Board, { id: "b1" })).toBe(ctx.domainScopeId)
    // The row's connection id is not part of the key: the context's connection is.
    expect(ctx.domainId(Story, { id: 3, epicKey: "E-1", connectionId: 9 })).toBe(
      Plugin.domainId(CtxPlugin, Story, 7, { id: 3 })
    )
  })

  it("accepts only the model's fields", () => {
    // @ts-expect-error `title` is not a field of Epic
    ctx.domainId(Epic, { title: "E-1" })
    // @ts-expect-error Epic's key is a string
    ctx.domainId(Epic, { key: 1 })
  })

  it.effect("gives a convert the domain id of another model's row", () =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const layer = Layer.mergeAll(State.layerSql, Ipc.layerMemory(lines)).pipe(Layer.provideMerge(Db.layerMemory))
      const rows = yield* Effect.gen(function*() {
        yield* MigrationRunner.apply(CtxPlugin.migrations, { domainModels: [StoryEpic] })
        for (const verb of DataStream.verbs) yield* Subtask.run(CtxPlugin, verb, Stories, ctx)
        const db = yield* Db.Database
        return yield* db.execute("SELECT story_id, epic_id FROM ctx_story_epics ORDER BY story_id")
      }).pipe(Effect.provide(layer))
      expect(rows).toEqual([
        { story_id: "ctxfolder:Story:7:1", epic_id: Plugin.domainId(CtxPlugin, Epic, 7, { key: "E-1" }) },
        { story_id: "ctxfolder:Story:7:2", epic_id: Plugin.domainId(CtxPlugin, Epic, 7, { key: "E-2" }) }
      ])
    }))
})
