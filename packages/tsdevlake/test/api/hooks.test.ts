import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Api from "../../src/Api.js"
import { runVirtual } from "../utils/faultServer.js"

const recorder = () => {
  const seen: Array<{ method: string; url: string; headers: Record<string, string> }> = []
  const transport = Api.stubTransport((request, url) => {
    seen.push({ method: request.method, url: url.href, headers: { ...request.headers } })
    if (url.pathname === "/missing") return new Response("{}", { status: 404 })
    return Response.json({ path: url.pathname, order: request.headers["x-order"] ?? null })
  })
  return { seen, transport }
}

describe("Api hooks", () => {
  it.scoped("request and response hooks run in declaration order, after the framework's own", () =>
    Effect.gen(function*() {
      const { seen, transport } = recorder()
      const responses: Array<string> = []
      const tag = (name: string): Api.Hook =>
        Api.requestHook(
          name,
          (req) =>
            HttpClientRequest.setHeader(
              req,
              "x-order",
              `${req.headers["x-order"] ?? `accept=${req.headers.accept}`}>${name}`
            )
        )
      const log = (name: string): Api.Hook =>
        Api.responseHook(name, (res) => Effect.sync(() => (responses.push(name), res)))
      const api = yield* Api.makeWith(
        { baseUrl: "https://api.test", hooks: [tag("first"), log("first"), tag("second"), log("second")] },
        transport
      )
      const body = yield* api.get("x")
      assert.deepStrictEqual(body, { path: "/x", order: "accept=application/json>first>second" })
      assert.deepStrictEqual(responses, ["first", "second"])
      assert.strictEqual(seen.length, 1)
    }))

  it.scoped("a request hook can replace the request or abort it", () =>
    Effect.gen(function*() {
      const { seen, transport } = recorder()
      const api = yield* Api.makeWith({
        baseUrl: "https://api.test",
        hooks: [
          Api.requestHook("v2", (req) => HttpClientRequest.setUrl(req, req.url.replace("/v1/", "/v2/"))),
          Api.requestHook("read-only", (req) =>
            req.method === "GET" ? req : Effect.fail(Api.abort(req, "this connection is read-only")))
        ]
      }, transport)
      assert.deepStrictEqual(yield* api.get("v1/users"), { path: "/v2/users", order: null })
      const error = yield* Effect.flip(api.post("v1/users", { json: {} }))
      assert.strictEqual(error._tag, "RequestAborted")
      assert.strictEqual(
        error.message,
        "POST https://api.test/v2/users was not sent; this connection is read-only; after 1 attempt"
      )
      assert.strictEqual(seen.length, 1)
    }))

  it.scoped("a hook can answer without the network (replace the response)", () =>
    Effect.gen(function*() {
      const { seen, transport } = recorder()
      const cache = Api.hook(
        "cache",
        HttpClient.transform((response, request) =>
          request.url.endsWith("/cached")
            ? Effect.succeed(HttpClientResponse.fromWeb(request, Response.json({ from: "cache" })))
            : response
        )
      )
      const api = yield* Api.makeWith({ baseUrl: "https://api.test", hooks: [cache] }, transport)
      assert.deepStrictEqual(yield* api.get("cached"), { from: "cache" })
      assert.strictEqual(seen.length, 0)
    }))

  it.scoped("status remapping turns an API's in-body quota error into a retried 429", () =>
    Effect.gen(function*() {
      let calls = 0
      const transport = Api.stubTransport(() => {
        calls += 1
        return calls === 1 ? Response.json({ error: "quota exceeded" }) : Response.json({ ok: true })
      })
      const quota = Api.responseHook("quota", (res) =>
        Effect.map(res.json, (body) =>
          (body as { error?: string }).error === "quota exceeded" ? Api.withStatus(res, 429) : res).pipe(
            Effect.orElseSucceed(() =>
              res
            )
          ))
      const api = yield* Api.makeWith({ baseUrl: "https://api.test", hooks: [quota] }, transport)
      const body = yield* runVirtual(api.get("x"))
      assert.deepStrictEqual(body, { ok: true })
      assert.strictEqual(calls, 2)
      assert.strictEqual((yield* api.stats).retries, 1)

      // The hook read the body; the client still reads it for the error's excerpt.
      calls = 0
      const once = yield* Api.makeWith(
        { baseUrl: "https://api.test", hooks: [quota], retry: { maxAttempts: 1 } },
        transport
      )
      const error = yield* Effect.flip(once.get("x"))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(error.bodyExcerpt, `{"error":"quota exceeded"}`)
    }))

  it.scoped("Api.remapStatus and error hooks map statuses and typed errors", () =>
    Effect.gen(function*() {
      const { transport } = recorder()
      const api = yield* Api.makeWith({
        baseUrl: "https://api.test",
        hooks: [
          Api.remapStatus((res) => res.request.url.endsWith("/teapot") ? 418 : res.status),
          Api.errorHook("gone", (error) =>
            error._tag === "NotFound"
              ? new Api.HttpStatusError({
                method: error.method,
                url: error.url,
                status: 410,
                bodyExcerpt: "repository deleted"
              })
              : error)
        ]
      }, transport)
      const teapot = yield* Effect.flip(api.get("teapot"))
      assert.strictEqual(teapot._tag, "HttpStatusError")
      assert.strictEqual(teapot.status, 418)
      const gone = yield* Effect.flip(api.get("missing"))
      assert.strictEqual(gone._tag, "HttpStatusError")
      assert.strictEqual(gone.status, 410)
      assert.include(gone.message, "repository deleted")
    }))

  it.scoped("a response hook may fail with a typed error, which is not retried unless retryable", () =>
    Effect.gen(function*() {
      const { seen, transport } = recorder()
      const strict = Api.responseHook("strict", (res) =>
        res.headers["content-type"]?.includes("json")
          ? Effect.fail(new Api.NotFound({ method: res.request.method, url: res.request.url, status: 404 }))
          : res)
      const api = yield* Api.makeWith({ baseUrl: "https://api.test", hooks: [strict] }, transport)
      const error = yield* Effect.flip(api.get("anything"))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(seen.length, 1)
    }))
})
