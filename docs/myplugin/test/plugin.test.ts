// --- kit ---
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Duration, Effect } from "effect"
import { Domain } from "tsdevlake"
import { MyPlugin } from "../src/plugin.js"
import { Comments, Issues } from "../src/streams.js"

const issue = (key: string, status: string) => ({
  key,
  fields: { summary: `Issue ${key}`, status: { name: status }, assignee: null, created: "2026-01-01T00:00:00Z" }
})

// The API in memory: the plugin's own client (hooks, pagination, retries) runs over these responses.
const routes = {
  "GET /me": { body: { name: "test" } },
  "GET /projects": { body: [{ id: "p1", name: "Project 1", url: "https://issues.test/projects/p1" }] },
  "GET /projects/p1/issues": (request: Testing.Api.Request) =>
    request.query["pageToken"] === undefined
      ? { body: { issues: [issue("P1-1", "Done")], nextPageToken: "2" } }
      : { body: { issues: [issue("P1-2", "In Progress")], nextPageToken: null } },
  "GET /issues/:key/comments": (request: Testing.Api.Request) => ({
    body: {
      startAt: 0,
      total: 1,
      comments: [{
        id: `${request.params["key"]}-c1`,
        issueKey: request.params["key"],
        author: { displayName: "Ada" },
        body: "Looks good",
        updated: "2026-01-02T00:00:00Z"
      }]
    }
  })
}

const input = {
  connection: { url: "https://issues.test", token: "test-token" },
  scope: { id: "p1", url: "https://issues.test/projects/p1" },
  api: Testing.Api.routes(routes)
}

describe("myplugin", () => {
  it("is a valid plugin", () => Testing.assertValidPlugin(MyPlugin))

  it.effect("converts an issue", () =>
    Testing.assertStreamConvert(MyPlugin, Issues, [issue("P1-3", "Done")], [
      new Domain.Ticket.Issue({
        issueKey: "P1-3",
        title: "Issue P1-3",
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
      expect(rows["_tool_myplugin_issues"]).toBe(2)
      expect(rows["issue_comments"]).toBe(2)
    }))

  it.effect("waits out a rate limit in virtual time", () =>
    Effect.gen(function*() {
      const busy = Testing.Api.routes({
        ...routes,
        "GET /projects/p1/issues": [
          { status: 429, headers: { "retry-after": "30" } },
          routes["GET /projects/p1/issues"]
        ]
      })
      const [elapsed, rows] = yield* Testing.advanceUntilDone(
        Testing.assertStreamRun(MyPlugin, Issues, { ...input, api: busy })
      )
      expect(Duration.toSeconds(elapsed)).toBe(30)
      expect(rows["issues"]).toBe(2)
    }))

  it.effect("runs as DevLake drives it", () =>
    Effect.gen(function*() {
      const rows = yield* Testing.assertPluginRun(MyPlugin, input)
      expect(rows["issues"]).toBe(2)
      expect(rows["issue_comments"]).toBe(2)
    }))
})
// --- end ---
