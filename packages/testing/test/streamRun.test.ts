import { Effect, Stream } from "effect"
import type { DataStream, Plugin } from "tsdevlake"
import { describe, expect, it } from "vitest"
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
  it("runs collect, extract and convert and returns the rows per table", async () => {
    const counts = await Effect.runPromise(Testing.assertStreamRun(FakePlugin, FakePipelineStream, input))
    expect(counts).toMatchObject({
      _raw_fake_fakepipelinestream: 250,
      _tool_fakeplugin_fakepipelines: 250,
      cicd_pipelines: 250
    })
  })

  it("fails naming the plugin, the stream and the subtask when collect fails", async () => {
    const error = await Effect.runPromise(Effect.flip(Testing.assertStreamRun(BrokenPlugin, BrokenStream, input)))
    expect(error).toBeInstanceOf(Testing.AssertionError)
    expect((error as Error).message).toMatch(
      /^plugin fake, stream "fakepipelinestream", subtask collect \(Collect Fakepipelinestream\) failed: .*503/
    )
  })
})

describe("assertPluginRun", () => {
  it("tests the connection, lists remote scopes, plans and runs every stream", async () => {
    const counts = await Effect.runPromise(Testing.assertPluginRun(FakePlugin, { connection: { token: VALID_TOKEN } }))
    expect(counts["cicd_pipelines"]).toBe(250)
  })

  it("fails naming the plugin when test-connection does not succeed", async () => {
    const error = await Effect.runPromise(
      Effect.flip(Testing.assertPluginRun(FakePlugin, { connection: { token: "x" } }))
    )
    expect((error as Error).message).toBe("plugin fake: test-connection did not succeed: Invalid token")
  })

  it("fails naming the plugin, the stream and the subtask when a subtask fails", async () => {
    const error = await Effect.runPromise(
      Effect.flip(Testing.assertPluginRun(BrokenPlugin, { connection: { token: VALID_TOKEN } }))
    )
    expect((error as Error).message).toMatch(/^plugin fake, stream "fakepipelinestream", subtask collect/)
  })
})
