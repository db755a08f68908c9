/**
 * The guide's plugin on the test kit: the "Test the plugin with the kit" section is cut from this file.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Duration, Effect } from "effect"
import { Domain } from "tsdevlake"
import { MyPlugin } from "../src/plugin.js"
import { Comments, Issues } from "../src/streams.js"
import { answer, TOKEN } from "./fakeApi.js"

// --- kit ---
// The API in memory: the plugin's own client (hooks, pagination, retries) runs over canned responses.
const fake = (request: Testing.Api.Request) => answer(request.url, request.headers["authorization"])
const api = Testing.Api.routes({
  "GET /me": fake,
  "GET /projects": fake,
  "GET /projects/:project/issues": fake,
  "GET /issues/:key/comments": fake
})
const input = {
  connection: { url: "https://issues.test", token: TOKEN },
  scope: { id: "p1", url: "https://issues.test/projects/p1" },
  api
}

describe("myplugin", () => {
  it("is a valid plugin", () => Testing.assertValidPlugin(MyPlugin))

  it.effect("converts an issue", () =>
    Testing.assertStreamConvert(MyPlugin, Issues, [{
      key: "P1-3",
      fields: { summary: "Crash", status: { name: "Done" }, assignee: null, created: "2026-01-01T00:00:00Z" }
    }], [
      new Domain.Ticket.Issue({
        issueKey: "P1-3",
        title: "Crash",
        status: "DONE",
        originalStatus: "Done",
        assigneeName: "",
        createdDate: new Date("2026-01-01T00:00:00Z"),
        resolutionDate: null
      })
    ], input))

  it.effect("collects, extracts and converts the comments of every issue", () =>
    Effect.gen(function*() {
      const rows = yield* Testing.assertStreamRun(MyPlugin, Comments, input)
      expect(rows["_tool_myplugin_issues"]).toBe(120)
      expect(rows["issue_comments"]).toBe(240)
    }))

  it.effect("waits out a rate limit in virtual time", () =>
    Effect.gen(function*() {
      const busy = Testing.Api.routes({
        "GET /projects/:project/issues": [{ status: 429, headers: { "retry-after": "30" } }, fake]
      })
      const [elapsed, rows] = yield* Testing.advanceUntilDone(
        Testing.assertStreamRun(MyPlugin, Issues, { ...input, api: busy })
      )
      expect(Duration.toSeconds(elapsed)).toBe(30)
      expect(rows["issues"]).toBe(120)
    }))

  it.effect("runs as DevLake drives it", () =>
    Effect.gen(function*() {
      const rows = yield* Testing.assertPluginRun(MyPlugin, input)
      expect(rows["issues"]).toBe(120)
      expect(rows["issue_comments"]).toBe(240)
    }))
})
// --- end ---
