import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Stream } from "effect"
import { expectTypeOf } from "vitest"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import type * as Ipc from "../../src/Ipc.js"
import * as State from "../../src/State.js"
import * as Subtask from "../../src/Subtask.js"
import { ctxFor, inHarness, Item, TestPlugin, Thing } from "../fixtures/subtaskPlugin.js"

/** A plugin's own service, as its `layer` would provide it. */
class ItemApi extends Context.Tag("test/ItemApi")<ItemApi, { readonly items: ReadonlyArray<{ id: string }> }>() {}

const plain = DataStream.make({
  name: "items",
  toolModel: Item,
  domainTypes: ["CROSS"],
  domainModels: [Thing],
  collect: () => Stream.make(DataStream.raw({ id: "i1", name: "one" })),
  convert: (item) => Effect.succeed([new Thing({ name: item.name })])
})

const withApi = DataStream.make({
  name: "items",
  toolModel: Item,
  domainTypes: ["CROSS"],
  domainModels: [Thing],
  collect: () =>
    Stream.unwrap(Effect.map(ItemApi, (api) =>
      api.items.length === 0
        ? Stream.fail(new DataStream.CollectFailure({ stream: "items", detail: "no items" }))
        : Stream.fromIterable(api.items.map((item) => DataStream.raw({ ...item, name: item.id }))))),
  convert: (item) => Effect.succeed([new Thing({ name: item.name })])
})

describe("Subtask.run", () => {
  it("fails with RunError and needs RunRequirements (Database, State, Ipc)", () => {
    expectTypeOf(Subtask.run(TestPlugin, "collect", plain, ctxFor("p1"))).toEqualTypeOf<
      Effect.Effect<void, Subtask.RunError, Subtask.RunRequirements>
    >()
    expectTypeOf<Subtask.RunRequirements>().toEqualTypeOf<Db.Database | State.State | Ipc.Ipc>()
  })

  it("adds the stream's own errors and services", () => {
    expectTypeOf(Subtask.run(TestPlugin, "collect", withApi, ctxFor("p1"))).toEqualTypeOf<
      Effect.Effect<void, Subtask.RunError | DataStream.CollectFailure, Subtask.RunRequirements | ItemApi>
    >()
  })

  it("is a compile error to run it without a service it needs", () => {
    const noIpc = (effect: Effect.Effect<void, unknown, Subtask.RunRequirements>) =>
      effect.pipe(Effect.provide(State.layerSql.pipe(Layer.provideMerge(Db.layerMemory))))
    // @ts-expect-error Ipc is not provided
    const missingIpc: Effect.Effect<void, unknown, never> = noIpc(
      Subtask.run(TestPlugin, "collect", plain, ctxFor("p1"))
    )
    // @ts-expect-error the stream's ItemApi is not provided
    const missingApi: Effect.Effect<void, unknown, Subtask.RunRequirements> = Subtask.run(
      TestPlugin,
      "collect",
      withApi,
      ctxFor("p1")
    )
    expect([missingIpc, missingApi]).toHaveLength(2)
  })

  it.effect("runs once the stream's services are provided", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const api = Layer.succeed(ItemApi, { items: [{ id: "i1" }, { id: "i2" }] })
        for (const verb of DataStream.verbs) {
          yield* Subtask.run(TestPlugin, verb, withApi, ctxFor("p1")).pipe(Effect.provide(api))
        }
        const db = yield* Db.Database
        const rows = yield* db.execute("SELECT name FROM test_things ORDER BY name")
        expect(rows).toEqual([{ name: "i1" }, { name: "i2" }])
        const failure = yield* Subtask.run(TestPlugin, "collect", withApi, ctxFor("p2")).pipe(
          Effect.provide(Layer.succeed(ItemApi, { items: [] })),
          Effect.flip
        )
        expect(failure._tag).toBe("CollectFailure")
      })
    ))
})
