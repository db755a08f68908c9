// Plugin.make's `layer` option: required, and checked, exactly when the plugin's streams or callbacks need a
// service the runtime does not provide (issue 11, finding 4: a missing layer compiled and failed at run time
// with "Service not found"). The `@ts-expect-error` lines are the test: `npm run check` compiles this file.
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Stream } from "effect"
import { expectTypeOf } from "vitest"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Plugin from "../../src/Plugin.js"
import * as State from "../../src/State.js"
import { Item, migrations, TConnection, Thing, TProject, TScopeConfig } from "../fixtures/subtaskPlugin.js"

class ItemApi extends Context.Tag("test/ItemApi")<ItemApi, { readonly items: ReadonlyArray<{ id: string }> }>() {}
class Clock2 extends Context.Tag("test/Clock2")<Clock2, { readonly now: number }>() {}

const stream = <R>(collect: () => Stream.Stream<DataStream.RawRecord, never, R>) =>
  DataStream.make({
    name: "items",
    toolModel: Item,
    domainTypes: ["CROSS"],
    domainModels: [Thing],
    collect,
    convert: (item) => Effect.succeed([new Thing({ name: item.name })])
  })

/** Collects through the plugin's API client: needs `ItemApi`. */
const withApi = stream(() =>
  Stream.unwrap(
    Effect.map(ItemApi, (api) => Stream.fromIterable(api.items.map((i) => DataStream.raw({ ...i, name: i.id }))))
  )
)

/** Needs only what the runtime provides to a subtask: the database and the state store. */
const withRuntimeServices = stream(() =>
  Stream.fromEffect(
    Effect.zipWith(Db.Database, State.State, (db) => DataStream.raw({ id: db.dialect, name: db.dialect }))
  )
)

const plain = stream(() => Stream.empty)

const base = {
  name: "layered",
  folder: "testfolder",
  connection: TConnection,
  scope: TProject,
  scopeConfig: TScopeConfig,
  migrations,
  testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
  remoteScopeGroups: () => Effect.succeed([]),
  remoteScopes: () => Effect.succeed([]),
  domainScopes: () => []
} as const

const apiLayer = (connection: TConnection) => Layer.succeed(ItemApi, { items: [{ id: `c${connection.id}` }] })

describe("Plugin.make's layer", () => {
  it("is required when a stream needs a service of the plugin's own", () => {
    // @ts-expect-error Property 'layer' is missing ... but required in type 'MissingLayerFor<ItemApi, ...>'
    const missing = Plugin.make({ ...base, streams: [withApi] })
    const provided = Plugin.make({ ...base, streams: [withApi], layer: apiLayer })
    expectTypeOf(provided).toEqualTypeOf<
      Plugin.Plugin<typeof TConnection, typeof TProject, typeof TScopeConfig, never, ItemApi>
    >()
    expect([missing.name, provided.name]).toEqual(["layered", "layered"])
  })

  it("is required when a callback needs one", () => {
    const testConnection = () => Effect.as(ItemApi, { success: true, message: "ok", status: 200 })
    // @ts-expect-error Property 'layer' is missing ... but required in type 'MissingLayerFor<ItemApi, ...>'
    const missing = Plugin.make({ ...base, streams: [plain], testConnection })
    const provided = Plugin.make({ ...base, streams: [plain], testConnection, layer: apiLayer })
    expect([missing.name, provided.name]).toEqual(["layered", "layered"])
  })

  it("is required when a callback needs the database, which only subtasks get", () => {
    const testConnection = () => Effect.as(Db.Database, { success: true, message: "ok", status: 200 })
    // @ts-expect-error Property 'layer' is missing ... but required in type 'MissingLayerFor<Database, ...>'
    const missing = Plugin.make({ ...base, streams: [withRuntimeServices], testConnection })
    expect(missing.name).toBe("layered")
  })

  it("must provide every service needed", () => {
    const both = stream(() => Stream.unwrap(Effect.zipWith(ItemApi, Clock2, () => Stream.empty)))
    // @ts-expect-error Clock2 is not provided
    const short = Plugin.make({ ...base, streams: [both], layer: apiLayer })
    const full = Plugin.make({
      ...base,
      streams: [both],
      layer: (connection) => Layer.merge(apiLayer(connection), Layer.succeed(Clock2, { now: 0 }))
    })
    expect([short.name, full.name]).toEqual(["layered", "layered"])
  })

  it("is optional when the runtime provides all that is needed", () => {
    const none = Plugin.make({ ...base, streams: [plain] })
    const runtimeOnly = Plugin.make({ ...base, streams: [withRuntimeServices] })
    // A layer may still be given, and may provide more than is needed.
    const extra = Plugin.make({ ...base, streams: [plain], layer: apiLayer })
    expectTypeOf(runtimeOnly).toEqualTypeOf<
      Plugin.Plugin<typeof TConnection, typeof TProject, typeof TScopeConfig, never, Db.Database | State.State>
    >()
    expect([none.layer, runtimeOnly.layer, typeof extra.layer]).toEqual([undefined, undefined, "function"])
  })

  it("infers the services from the streams and callbacks, not from the layer", () => {
    // The layer provides more than needed: the plugin still needs ItemApi alone.
    const plugin = Plugin.make({
      ...base,
      streams: [withApi],
      layer: (connection) => Layer.merge(apiLayer(connection), Layer.succeed(Clock2, { now: 0 }))
    })
    expectTypeOf(plugin).toEqualTypeOf<
      Plugin.Plugin<typeof TConnection, typeof TProject, typeof TScopeConfig, never, ItemApi>
    >()
  })
})
