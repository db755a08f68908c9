import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer } from "effect"
import { type Api } from "tsdevlake"
import * as Testing from "../src/index.js"
import { items, ItemsApi, ItemsPlugin, ItemsStream, TOKEN } from "./fixtures/itemsPlugin.js"

const connection = { url: "https://items.test/api/", token: TOKEN }

// The plugin's own API layer for the connection, over `api`.
const apiOver = (api: Layer.Layer<Api.Transport>) =>
  Testing.Api.withApi(Testing.layer(ItemsPlugin, Testing.context(ItemsPlugin, { connection })), api, {})

const get = (path: string, query?: Record<string, string>) =>
  Effect.flatMap(ItemsApi, (client) => client.get(path, query === undefined ? {} : { query }))

describe("Testing.Api.routes", () => {
  it.effect("answers the plugin's own client from canned responses, by method, path, params and query", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({
        "GET /api/items?page=2": { body: ["second page"] },
        "GET /api/items": { body: ["first page"] },
        "GET /api/items/:id": (request) => ({
          body: { id: request.params["id"], auth: request.headers["authorization"] }
        }),
        "POST /api/search": (request) => ({ status: 201, body: { echo: request.body } })
      })
      const out = yield* Effect.all([
        get("items"),
        get("items", { page: "2" }),
        get("items/42"),
        Effect.flatMap(ItemsApi, (client) => client.post("search", { json: { q: "x" } }))
      ]).pipe(Effect.provide(apiOver(api)))
      assert.deepStrictEqual(out, [
        ["first page"],
        ["second page"],
        { id: "42", auth: `Bearer ${TOKEN}` },
        { echo: { q: "x" } }
      ])
    }))

  it.effect("answers a list of responses in turn, then the last again, through the client's retries", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({ "GET /api/flaky": [{ status: 503, body: "down" }, { body: { ok: 1 } }] })
      const [elapsed, out] = yield* Testing.advanceUntilDone(
        Effect.all([get("flaky"), get("flaky")]).pipe(Effect.provide(apiOver(api)))
      )
      assert.deepStrictEqual(out, [{ ok: 1 }, { ok: 1 }])
      assert.strictEqual(elapsed.toString(), "Duration(1s)")
    }))

  it.effect("gives the client's typed errors for canned failures", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({ "GET /api/items/:id": { status: 404, body: { error: "gone" } } })
      const error = yield* Effect.flip(get("items/7").pipe(Effect.provide(apiOver(api))))
      assert.strictEqual(error._tag, "NotFound")
      assert.include(error.message, "GET https://items.test/api/items/7")
    }))

  it.effect("fails naming the method and the URL (no secret parameter) of a request no route matches", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({ "GET /api/items": { body: [] } })
      const exit = yield* Effect.exit(
        get("users", { token: "hidden-value", page: "3" }).pipe(Effect.provide(apiOver(api)))
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      const message = Exit.isFailure(exit) ? String(Cause.squash(exit.cause)) : ""
      assert.include(
        message,
        "Testing.Api.routes: no route for GET https://items.test/api/users?page=3 (routes: GET /api/items)"
      )
      assert.notInclude(message, "hidden-value")
    }))

  it("refuses a route that is not METHOD /path", () => {
    assert.throws(
      () => Effect.runSync(Layer.build(Testing.Api.routes({ "/items": { body: [] } })).pipe(Effect.scoped)),
      /Testing.Api.routes: the route "\/items" is not "METHOD \/path"/
    )
  })

  it.effect("runs a plugin's stream over canned pages with assertStreamRun", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({
        "GET /api/items?page=2": { body: { results: items(3, 5), nextPage: null } },
        "GET /api/items": { body: { results: items(5), nextPage: "2" } }
      })
      const counts = yield* Testing.assertStreamRun(ItemsPlugin, ItemsStream, { connection, api })
      assert.deepInclude(counts, { _raw_items_items: 8, _tool_items_items: 8, accounts: 8 })
    }))
})
