import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import * as http from "node:http"
import * as Api from "../../src/Api.js"
import { listenLocal } from "../utils/localServer.js"

class TestApi extends Context.Tag("test/TestApi")<TestApi, Api.Client>() {}

const server = http.createServer((request, response) => {
  response.setHeader("content-type", "application/json")
  response.end(JSON.stringify({ path: request.url, auth: request.headers.authorization ?? null }))
})
const baseUrl = await listenLocal(server)

const apiLayer = (options: Partial<Api.Options> = {}) =>
  Api.layer(TestApi, { baseUrl, hooks: [Api.bearer(Redacted.make("s3cret-token"))], ...options })

describe("Api.Transport", () => {
  it.effect("replaces the real transport of a client built by Api.layer, behind its hooks and retries", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      let calls = 0
      const canned = Layer.succeed(Api.Transport, {
        wrap: () =>
          HttpClient.make((request) => {
            seen.push(`${request.method} ${request.url} ${request.headers["authorization"]}`)
            calls += 1
            const response = calls === 1
              ? new Response("busy", { status: 503 })
              : Response.json([{ id: 1 }])
            return Effect.succeed(HttpClientResponse.fromWeb(request, response))
          })
      })
      const fiber = yield* Effect.fork(
        Effect.flatMap(TestApi, (api) => api.get("items")).pipe(Effect.provide(Layer.provide(apiLayer(), canned)))
      )
      yield* TestClock.adjust("1 minute")
      assert.deepStrictEqual(yield* Fiber.join(fiber), [{ id: 1 }])
      assert.deepStrictEqual(seen, [
        `GET ${baseUrl}/items Bearer s3cret-token`,
        `GET ${baseUrl}/items Bearer s3cret-token`
      ])
    }))

  it.live("gives the wrapper the real transport, which sends to the server", () =>
    Effect.gen(function*() {
      const urls: Array<string> = []
      const recording = Layer.succeed(Api.Transport, {
        wrap: (real) =>
          HttpClient.make((request) => {
            urls.push(request.url)
            return real.execute(request)
          })
      })
      const body = yield* Effect.flatMap(TestApi, (api) => api.get("users/1")).pipe(
        Effect.provide(Layer.provide(apiLayer(), recording))
      )
      assert.deepStrictEqual(body, { path: "/users/1", auth: "Bearer s3cret-token" })
      assert.deepStrictEqual(urls, [`${baseUrl}/users/1`])
    }))

  it.effect("times out a wrapped transport that never answers, as the real one does", () =>
    Effect.gen(function*() {
      const silent = Layer.succeed(Api.Transport, { wrap: () => HttpClient.make(() => Effect.never) })
      const fiber = yield* Effect.fork(
        Effect.flatMap(TestApi, (api) => api.get("slow")).pipe(
          Effect.provide(Layer.provide(apiLayer({ timeout: "10 seconds", retry: { maxAttempts: 1 } }), silent)),
          Effect.flip
        )
      )
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "Transient")
      assert.strictEqual(
        error.message,
        `GET ${baseUrl}/slow timed out; no complete response within 10s; after 1 attempt`
      )
    }))

  it("shares the clients' scrubbing with a wrapper that stores requests", () => {
    const params = new Set(Api.Transport.defaultSecretParams)
    assert.strictEqual(
      Api.Transport.sanitizeUrl("https://u:p@x.test/a?token=t&page=2#f", params),
      "https://x.test/a?page=2"
    )
    assert.strictEqual(Api.Transport.makeScrubber(["s3cret"])("a s3cret b"), "a *** b")
  })
})
