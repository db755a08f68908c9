/**
 * The guide's plugin over the whole fake API (test/fakeApi.ts, in memory): 120 issues in pages of 50 and two
 * comments an issue, one a page.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect } from "effect"
import { MyPlugin } from "../src/plugin.js"
import { answer, TOKEN } from "./fakeApi.js"

const fake = (request: Testing.Api.Request) => answer(request.url, request.headers["authorization"])
const api = Testing.Api.routes({
  "GET /me": fake,
  "GET /projects": fake,
  "GET /projects/:project/issues": fake,
  "GET /issues/:key/comments": fake
})

describe("myplugin on the fake API", () => {
  it.effect("collects every page of issues and of each issue's comments", () =>
    Effect.gen(function*() {
      const rows = yield* Testing.assertPluginRun(MyPlugin, {
        connection: { url: "https://issues.test", token: TOKEN },
        scope: { id: "p1", url: "https://issues.test/projects/p1" },
        api
      })
      expect(rows["issues"]).toBe(120)
      expect(rows["issue_comments"]).toBe(240)
    }))

  it.effect("is refused without the token", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Testing.assertPluginRun(MyPlugin, {
        connection: { url: "https://issues.test", token: "wrong" },
        scope: { id: "p1", url: "https://issues.test/projects/p1" },
        api
      }))
      expect(String(error)).toMatch(/test-connection did not succeed/)
    }))
})
