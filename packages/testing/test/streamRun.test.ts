import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Stream } from "effect"
import { DataStream, type Plugin } from "tsdevlake"
import type { FakePipeline } from "../../../plugins/fakeplugin/src/models.js"
import { FakePipelineStream, FakePlugin, VALID_TOKEN } from "../../../plugins/fakeplugin/src/plugin.js"
import * as Testing from "../src/index.js"

const input = { connection: { token: VALID_TOKEN }, scope: { id: "p1", url: "http://fake.org" } }

// The fake plugin with its stream's collect failing on the API.
class FakeApiDown extends Error {
  readonly _tag = "FakeApiDown"
}
const BrokenStream: DataStream.DataStream<typeof FakePipeline, FakeApiDown> = {
  ...FakePipelineStream,
  collect: () => Stream.fail(new FakeApiDown("GET /pipelines answered 503"))
}
const BrokenPlugin = { ...FakePlugin, streams: [BrokenStream] } as Plugin.Plugin

describe("assertStreamRun", () => {
  // The rows per table of a successful run: plugins/fakeplugin/test/kit.test.ts ("runs the pipelines stream").
  it.effect("fails naming the plugin, the stream and the subtask when collect fails", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Testing.assertStreamRun(BrokenPlugin, BrokenStream, input))
      expect(error).toBeInstanceOf(Testing.AssertionError)
      expect((error as Error).message).toMatch(
        /^plugin fake, stream "fakepipelinestream", subtask collect \(Collect Fakepipelinestream\) failed: .*503/
      )
    }))
})

// The fake plugin's stream reading its pipelines from an API service, which a test layer mocks.
class FakeApi extends Context.Tag("test/FakeApi")<FakeApi, { readonly pipelines: ReadonlyArray<unknown> }>() {}
const ApiStream: DataStream.DataStream<typeof FakePipeline, never, FakeApi> = {
  ...FakePipelineStream,
  collect: () =>
    Stream.flatMap(FakeApi, (api) => Stream.fromIterable(api.pipelines.map((data) => DataStream.raw(data))))
}
const ApiPlugin = { ...FakePlugin, streams: [ApiStream] } as Plugin.Plugin

describe("assertStreamRun with a test layer", () => {
  it.effect("provides the layer given in place of the plugin's", () =>
    Effect.gen(function*() {
      const pipelines = [{ id: "a", state: "success" }, { id: "b", state: "pending" }]
      const counts = yield* Testing.assertStreamRun(ApiPlugin, ApiStream, {
        ...input,
        layer: Layer.succeed(FakeApi, { pipelines })
      })
      expect(counts).toMatchObject({ _tool_fakeplugin_fakepipelines: 2, cicd_pipelines: 2 })
    }))
})

describe("assertPluginRun", () => {
  it.effect("tests the connection, lists remote scopes, plans and runs every stream", () =>
    Effect.gen(function*() {
      const counts = yield* Testing.assertPluginRun(FakePlugin, { connection: { token: VALID_TOKEN } })
      expect(counts["cicd_pipelines"]).toBe(250)
    }))

  // DevLake's plan runs only the streams the scope config's entities enable; so does the kit.
  it.effect("runs only the streams the plan names", () =>
    Effect.gen(function*() {
      const TicketCopy = { ...FakePipelineStream, name: "ticketcopy", domainTypes: ["TICKET"] as const }
      const TwoDomains = { ...FakePlugin, streams: [FakePipelineStream, TicketCopy] } as Plugin.Plugin
      const cicdOnly = yield* Testing.assertPluginRun(TwoDomains, {
        connection: { token: VALID_TOKEN },
        scopeConfig: { env: "", entities: ["CICD"] }
      })
      expect(cicdOnly["_raw_fake_fakepipelinestream"]).toBe(250)
      expect(cicdOnly["_raw_fake_ticketcopy"] ?? 0).toBe(0)
      const both = yield* Testing.assertPluginRun(TwoDomains, { connection: { token: VALID_TOKEN } })
      expect(both["_raw_fake_ticketcopy"]).toBe(250)
      const error = yield* Effect.flip(Testing.assertPluginRun(TwoDomains, {
        connection: { token: VALID_TOKEN },
        scopeConfig: { env: "", entities: ["CODE"] }
      }))
      expect((error as Error).message).toBe("plugin fake: make-pipeline planned none of the plugin's streams")
    }))

  it.effect("fails naming the plugin when test-connection does not succeed", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Testing.assertPluginRun(FakePlugin, { connection: { token: "x" } }))
      expect((error as Error).message).toBe("plugin fake: test-connection did not succeed: Invalid token")
    }))

  it.effect("fails naming the plugin, the stream and the subtask when a subtask fails", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Testing.assertPluginRun(BrokenPlugin, { connection: { token: VALID_TOKEN } }))
      expect((error as Error).message).toMatch(/^plugin fake, stream "fakepipelinestream", subtask collect/)
    }))
})
