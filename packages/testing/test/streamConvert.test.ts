import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Domain } from "tsdevlake"
import { fakePipelines, FakePipelineStream, FakePlugin } from "../../../plugins/fakeplugin/src/plugin.js"
import * as Testing from "../src/index.js"

const input = {
  connection: { token: "t" },
  scope: { id: "p1", url: "http://fake.org" },
  scopeConfig: { env: "production" }
}
const started = new Date("2023-01-10T11:00:00.000Z")
const finished = new Date("2023-01-10T11:03:00.000Z")

const pipeline = (
  name: string,
  status: Domain.Devops.CICDPipeline["status"],
  result: Domain.Devops.CICDPipeline["result"]
) =>
  new Domain.Devops.CICDPipeline({
    name,
    status,
    result,
    createdDate: started,
    startedDate: started,
    finishedDate: finished,
    durationSec: 180,
    environment: "PRODUCTION",
    type: "BUILD",
    cicdScopeId: "fakeplugin:FakeProject:1:p1"
  })

describe("assertStreamConvert", () => {
  const raw = fakePipelines().slice(0, 2)

  it.effect("passes when extract and convert give the expected domain rows", () =>
    Effect.gen(function*() {
      yield* Testing.assertStreamConvert(FakePlugin, FakePipelineStream, raw, [
        pipeline("0", "DONE", "SUCCESS"),
        pipeline("1", "DONE", "FAILURE")
      ], input)
    }))

  it.effect("fails naming the plugin and the stream, with a diff naming the field", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Testing.assertStreamConvert(FakePlugin, FakePipelineStream, raw, [
          pipeline("0", "DONE", "SUCCESS"),
          pipeline("1", "DONE", "SUCCESS")
        ], input)
      )
      expect(error).toBeInstanceOf(Testing.AssertionError)
      const message = (error as Error).message
      expect(message.split("\n")[0]).toBe(
        "plugin fake, stream \"fakepipelinestream\": convert gave other domain rows than expected: "
          + "row 1 (CICDPipeline), field \"result\": \"FAILURE\", expected \"SUCCESS\""
      )
      expect(message).toMatch(/\+\s+result: 'FAILURE',\n-\s+result: 'SUCCESS'/)
    }))
})
