import { assert, describe, it } from "@effect/vitest"
import { Context, Duration, Effect, Layer } from "effect"
import { Api } from "tsdevlake"
import * as Testing from "../src/index.js"
import { items, ItemsPlugin, ItemsStream, TOKEN } from "./fixtures/itemsPlugin.js"

class TestApi extends Context.Tag("test/TestApi")<TestApi, Api.Client>() {}

const client = (routes: Testing.Api.Routes, options: Partial<Api.Options> = {}) =>
  Api.layer(TestApi, { baseUrl: "https://api.test", retry: { jitter: 0 }, ...options }).pipe(
    Layer.provide(Testing.Api.routes(routes))
  )

const get = (path: string) => Effect.flatMap(TestApi, (api) => api.get(path))

describe("Testing.advanceUntilDone", () => {
  it.effect("waits out a 429's Retry-After in virtual time", () =>
    Effect.gen(function*() {
      const [elapsed, body] = yield* Testing.advanceUntilDone(get("users"))
      assert.deepStrictEqual(body, [{ id: 1 }])
      assert.strictEqual(Duration.toMillis(elapsed), 30_000)
    }).pipe(Effect.provide(client({
      "GET /users": [{ status: 429, headers: { "retry-after": "30" } }, { body: [{ id: 1 }] }]
    }))))

  it.effect("backs off exponentially over five attempts, then fails with the last error", () =>
    Effect.gen(function*() {
      const [elapsed, error] = yield* Testing.advanceUntilDone(Effect.flip(get("down")))
      assert.strictEqual(error._tag, "Transient")
      assert.include(error.message, "after 5 attempts")
      // 1 s, 2 s, 4 s and 8 s between the five attempts.
      assert.strictEqual(Duration.toMillis(elapsed), 15_000)
    }).pipe(Effect.provide(client({ "GET /down": { status: 503 } }, {
      retry: { maxAttempts: 5, baseDelay: "1 second", jitter: 0 }
    }))))

  it.effect("holds requests to the connection's rate limit", () =>
    Effect.gen(function*() {
      const [elapsed, bodies] = yield* Testing.advanceUntilDone(Effect.all(Array.from({ length: 5 }, () => get("x"))))
      assert.strictEqual(bodies.length, 5)
      // Two a minute: requests 3 and 4 at one minute, request 5 at two.
      assert.strictEqual(Duration.toMillis(elapsed), 120_000)
    }).pipe(Effect.provide(client({ "GET /x": { body: {} } }, { rateLimit: { limit: 2, interval: "1 minute" } }))))

  it.effect("runs a stream whose second page is rate limited, on the in-memory database", () =>
    Effect.gen(function*() {
      const api = Testing.Api.routes({
        "GET /api/items?page=2": [{ status: 429, headers: { "retry-after": "30" } }, {
          body: { results: items(3, 5), nextPage: null }
        }],
        "GET /api/items": { body: { results: items(5), nextPage: "2" } }
      })
      const [elapsed, counts] = yield* Testing.advanceUntilDone(
        Testing.assertStreamRun(ItemsPlugin, ItemsStream, {
          connection: { url: "https://x.test/api/", token: TOKEN },
          api
        })
      )
      assert.deepInclude(counts, { _tool_items_items: 8 })
      assert.strictEqual(Duration.toMillis(elapsed), 30_000)
    }))

  it.effect("takes no virtual time when nothing waits", () =>
    Effect.gen(function*() {
      const [elapsed, value] = yield* Testing.advanceUntilDone(Effect.succeed(1))
      assert.deepStrictEqual([Duration.toMillis(elapsed), value], [0, 1])
    }))

  it.effect("fails, interrupting the effect, when it runs past the maximum virtual time", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Testing.advanceUntilDone(Effect.sleep("2 hours"), { max: "1 hour" }))
      assert.instanceOf(error, Testing.AssertionError)
      assert.strictEqual(error.message, "Testing.advanceUntilDone: still running after 1h of virtual time")
    }))

  it.live("refuses to run off TestClock", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Testing.advanceUntilDone(Effect.void))
      assert.include((error as Error).message, "runs on TestClock")
    }))
})
