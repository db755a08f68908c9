/**
 * The guide's plugin on the test kit: the "Test the plugin with the kit" section is cut from this file.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect } from "effect"
import { Api, Domain } from "tsdevlake"
import { MyApi, myApiOptions } from "../src/api.js"
import { MyPlugin } from "../src/plugin.js"
import { Issues } from "../src/streams.js"
import { answer, TOKEN } from "./fakeApi.js"

// --- kit ---
// The API, in memory: every request of the plugin's own client is answered by the fake API's handler.
const connection = { url: "https://issues.test", token: TOKEN }
const scope = { id: "p1", url: "https://issues.test/projects/p1" }
const api = Api.layerTest(
  MyApi,
  myApiOptions(Testing.context(MyPlugin, { connection, scope }).connection),
  (request, url) => {
    const reply = answer(url, request.headers["authorization"])
    return Response.json(reply.body, { status: reply.status })
  }
)
const input = { connection, scope, layer: api }

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

  it.effect("runs as DevLake drives it", () =>
    Effect.gen(function*() {
      const rows = yield* Testing.assertPluginRun(MyPlugin, input)
      expect(rows["issues"]).toBe(120)
      expect(rows["issue_comments"]).toBe(240)
    }))
})
// --- end ---
