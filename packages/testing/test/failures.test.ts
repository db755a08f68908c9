/**
 * The kit fails when a plugin breaks, and says where: the plugin, the stream and the field (or the request).
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Data, Effect, Layer, Schema, Stream } from "effect"
import { DataStream, Domain, Model, type Plugin } from "tsdevlake"
import { fakePipelines, FakePipelineStream, FakePlugin } from "../../../plugins/fakeplugin/src/plugin.js"
import * as Testing from "../src/index.js"
import { type Item, ItemsApi, ItemsPlugin, ItemsStream, TOKEN } from "./fixtures/itemsPlugin.js"

const connection = { url: "https://items.test/api/", token: TOKEN }
// A layer that provides nothing: the plugin's own layer forgotten.
const noServices = Layer.empty as unknown as Layer.Layer<any, any>

const withStream = (plugin: Plugin.Plugin, stream: DataStream.DataStream<any, any, any>): Plugin.Plugin =>
  ({ ...plugin, streams: [stream] }) as Plugin.Plugin

describe("a kit test fails, naming the plugin, the stream and the field, on", () => {
  it("a tool model's schema Go rejects", () => {
    class BadItem extends Model.ToolModel<BadItem>("BadItem")({
      id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
      "item-name": Schema.String
    }) {}
    const broken = withStream(
      ItemsPlugin,
      { ...ItemsStream, toolModel: BadItem } as DataStream.DataStream<any, any, any>
    )
    assert.throws(
      () => Testing.assertValidPlugin(broken),
      /^plugin items is not valid:\n- stream "items" \(tool model BadItem\): .*Model BadItem, field "item-name": "item-name" is not a Go identifier/
    )
  })

  it.effect("a convert whose output changed", () =>
    Effect.gen(function*() {
      const changed = {
        ...FakePipelineStream,
        convert: (pipeline, ctx) =>
          Effect.map(
            FakePipelineStream.convert(pipeline, ctx),
            (rows) => rows.map((row) => new Domain.Devops.CICDPipeline({ ...row, durationSec: 0 }))
          )
      } as typeof FakePipelineStream
      const expected = yield* Testing.streamConvert(FakePlugin, FakePipelineStream, fakePipelines().slice(0, 1), {
        connection: { token: "t" },
        scope: { url: "http://fake.org" }
      })
      const error = yield* Effect.flip(
        Testing.assertStreamConvert(withStream(FakePlugin, changed), changed, fakePipelines().slice(0, 1), expected, {
          connection: { token: "t" },
          scope: { url: "http://fake.org" }
        })
      )
      assert.instanceOf(error, Testing.AssertionError)
      assert.strictEqual(
        (error as Error).message.split("\n")[0],
        "plugin fake, stream \"fakepipelinestream\": convert gave other domain rows than expected: row 0 (CICDPipeline), field \"durationSec\": 0, expected 180"
      )
    }))

  it.effect("a convert that gives a row too few", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Testing.assertStreamConvert(FakePlugin, FakePipelineStream, [], [{ name: "1" }], {
          connection: { token: "t" },
          scope: { url: "http://fake.org" }
        })
      )
      assert.include((error as Error).message, "convert gave other domain rows than expected: row 0 (row) is missing")
    }))

  it.effect("a collect whose request fails: the request, its status and the body", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({
        "GET /api/items?page=2": { status: 400, body: { error: "bad page" } },
        "GET /api/items": { body: { results: [{ id: "1", name: "one" }], nextPage: "2" } }
      })
      const error = yield* Effect.flip(Testing.assertStreamRun(ItemsPlugin, ItemsStream, { connection, api }))
      assert.strictEqual(
        (error as Error).message,
        "plugin items, stream \"items\", subtask collect (Collect Items) failed: HttpStatusError: GET https://items.test/api/items?page=2 failed (HTTP 400); after 1 attempt; body: {\"error\":\"bad page\"}"
      )
    }))

  it.effect("a collect whose response lacks a field", () =>
    Effect.gen(function*() {
      const Page = Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String }))
      const typed: DataStream.DataStream<typeof Item, any, any> = {
        ...ItemsStream,
        collect: () =>
          Stream.unwrap(Effect.map(
            ItemsApi,
            (api) =>
              Stream.flatMap(
                api.get("items", { schema: Page }),
                (page) => Stream.fromIterable(page.map((item) => DataStream.raw(item)))
              )
          ))
      }
      const api = Testing.Api.routes({ "GET /api/items": { body: [{ id: "1" }] } })
      const error = yield* Effect.flip(
        Testing.assertStreamRun(withStream(ItemsPlugin, typed), typed, { connection, api })
      )
      const message = (error as Error).message
      assert.match(
        message,
        /^plugin items, stream "items", subtask collect \(Collect Items\) failed: DecodeError: GET https:\/\/items.test\/api\/items/
      )
      assert.include(message, "[\"name\"]")
    }))

  it.effect("a collect failing with the author's own tagged error, its fields shown", () =>
    Effect.gen(function*() {
      class ItemGone extends Schema.TaggedError<ItemGone>()("ItemGone", { itemId: Schema.String }) {}
      class ItemLocked extends Data.TaggedError("ItemLocked")<{ readonly itemId: string }> {}
      const messages: Array<string> = []
      for (const failure of [new ItemGone({ itemId: "42" }), new ItemLocked({ itemId: "43" })]) {
        const failing = { ...ItemsStream, collect: () => Stream.fail(failure) } as unknown as typeof ItemsStream
        const error = yield* Effect.flip(
          Testing.assertStreamRun(withStream(ItemsPlugin, failing), failing, {
            connection,
            api: Testing.Api.routes({})
          })
        )
        messages.push((error as Error).message)
      }
      assert.deepStrictEqual(messages, [
        "plugin items, stream \"items\", subtask collect (Collect Items) failed: ItemGone: { \"itemId\": \"42\" }",
        "plugin items, stream \"items\", subtask collect (Collect Items) failed: ItemLocked: {\"itemId\":\"43\"}"
      ])
    }))

  it.effect("a service the plugin's layer does not provide: what to add, as run.sh says it", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Testing.assertStreamRun(ItemsPlugin, ItemsStream, { connection, layer: noServices })
      )
      assert.strictEqual(
        (error as Error).message,
        "plugin items, stream \"items\", subtask collect (Collect Items) failed: the plugin's layer does not provide test/ItemsApi: add it to the layer of Plugin.make (npm run check shows it at compile time)"
      )
    }))

  it.effect("a service missing in a command before the streams (test-connection), named as an AssertionError", () =>
    Effect.gen(function*() {
      const plugin = {
        ...ItemsPlugin,
        testConnection: () => Effect.map(ItemsApi, () => ({ success: true, message: "ok", status: 200 }))
      } as unknown as Plugin.Plugin
      const error = yield* Effect.flip(Testing.assertPluginRun(plugin, { connection, layer: noServices }))
      assert.instanceOf(error, Testing.AssertionError)
      assert.strictEqual(
        (error as Error).message,
        "plugin items: test-connection failed: the plugin's layer does not provide test/ItemsApi: add it to the layer of Plugin.make (npm run check shows it at compile time)"
      )
    }))

  it.effect("a request no Testing.Api route matches: the kit's message, not marked as a RuntimeException defect", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({ "GET /api/users": { body: [] } })
      const error = yield* Effect.flip(Testing.assertStreamRun(ItemsPlugin, ItemsStream, { connection, api }))
      assert.strictEqual(
        (error as Error).message,
        "plugin items, stream \"items\", subtask collect (Collect Items) failed: Testing.Api.routes: no route for GET https://items.test/api/items (routes: GET /api/users)"
      )
    }))

  it("another defect stays marked as a defect", () => {
    assert.strictEqual(Testing.describeDefect(new TypeError("boom")), "defect: boom")
    assert.strictEqual(Testing.describeDefect(new Cause.RuntimeException("boom")), "defect: RuntimeException: boom")
  })
})
