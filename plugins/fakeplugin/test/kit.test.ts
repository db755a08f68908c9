/**
 * The fake plugin through the test kit (`@tsdevlake/testing`), as a plugin author's tests would use it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect } from "effect"
import { Domain } from "tsdevlake"
import { fakePipelines, FakePipelineStream, FakePlugin, VALID_TOKEN } from "../src/plugin.js"

const input = {
  connection: { token: VALID_TOKEN },
  scope: { id: "p1", url: "http://fake.org" },
  scopeConfig: { env: "production" }
}

const pipeline = (name: string, result: Domain.Devops.CICDPipeline["result"]) =>
  new Domain.Devops.CICDPipeline({
    name,
    status: "DONE",
    result,
    createdDate: new Date("2023-01-10T11:00:00.000Z"),
    startedDate: new Date("2023-01-10T11:00:00.000Z"),
    finishedDate: new Date("2023-01-10T11:03:00.000Z"),
    durationSec: 180,
    environment: "PRODUCTION",
    type: "BUILD",
    cicdScopeId: "fakeplugin:FakeProject:1:p1"
  })

describe("the fake plugin on the test kit", () => {
  it("is a valid plugin", () => {
    Testing.assertValidPlugin(FakePlugin)
  })

  it.effect("converts pipelines", () =>
    Testing.assertStreamConvert(FakePlugin, FakePipelineStream, fakePipelines().slice(0, 2), [
      pipeline("0", "SUCCESS"),
      pipeline("1", "FAILURE")
    ], input))

  it.effect("runs the pipelines stream", () =>
    Effect.gen(function*() {
      const counts = yield* Testing.assertStreamRun(FakePlugin, FakePipelineStream, input)
      expect(counts).toMatchObject({
        _raw_fake_fakepipelinestream: 250,
        _tool_fakeplugin_fakepipelines: 250,
        cicd_pipelines: 250
      })
    }))

  it.effect("runs as DevLake drives it", () =>
    Effect.gen(function*() {
      const counts = yield* Testing.assertPluginRun(FakePlugin, { connection: { token: VALID_TOKEN } })
      expect(counts["cicd_pipelines"]).toBe(250)
    }))
})
