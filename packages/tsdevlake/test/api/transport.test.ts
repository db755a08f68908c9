/**
 * The built-in undici transport (internal/api/transport.ts) against a real server on 127.0.0.1: bodies both
 * ways, every response accessor, the timeout under the live clock (a plain timer) and interruption.
 */
import { HttpBody, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Either, Fiber, Stream } from "effect"
import * as http from "node:http"
import * as Api from "../../src/Api.js"
import { undiciTransport } from "../../src/internal/api/transport.js"
import { listenLocal } from "../utils/localServer.js"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

const seen: Array<Seen> = []
let closedEarly = 0
const server = http.createServer((request, response) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => {
    seen.push({
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8")
    })
    if (request.url?.startsWith("/hang")) {
      response.on("close", () => {
        if (!response.writableEnded) closedEarly += 1
      })
      return
    }
    if (request.url?.split("?")[0] === "/echo") {
      response.setHeader("content-type", "application/json")
      response.setHeader("set-cookie", ["a=1; Path=/", "b=2"])
      response.setHeader("x-multi", ["one", "two"])
      response.end(JSON.stringify({ got: Buffer.concat(chunks).toString("utf8"), ü: "ç€" }))
      return
    }
    if (request.url === "/deep") {
      response.end("[".repeat(5000) + "]".repeat(5000))
      return
    }
    if (request.url === "/form") {
      response.setHeader("content-type", "application/x-www-form-urlencoded")
      response.end("a=1&b=x%20y")
      return
    }
    response.statusCode = 404
    response.end()
  })
})
const base = await listenLocal(server)

describe("Api's built-in transport", () => {
  it.scoped("sends the request's body and headers, and reads every accessor of the response", () =>
    Effect.gen(function*() {
      const client = yield* undiciTransport("", Duration.seconds(5))
      const request = HttpClientRequest.post(`${base}/echo`).pipe(
        HttpClientRequest.setUrlParam("q", "a b"),
        HttpClientRequest.setHeader("x-test", "1"),
        HttpClientRequest.bodyText("héllo", "text/plain")
      )
      const response = yield* client.execute(request)
      const last = seen[seen.length - 1]!
      assert.strictEqual(last.method, "POST")
      assert.strictEqual(last.url, "/echo?q=a+b")
      assert.strictEqual(last.headers["x-test"], "1")
      assert.strictEqual(last.headers["content-type"], "text/plain")
      assert.strictEqual(last.body, "héllo")

      assert.strictEqual(response.status, 200)
      assert.strictEqual(response.headers["content-type"], "application/json")
      assert.strictEqual(response.headers["x-multi"], "one, two")
      assert.deepStrictEqual(Object.keys(response.cookies.cookies).sort(), ["a", "b"])
      const expected = { got: "héllo", ü: "ç€" }
      assert.deepStrictEqual(yield* response.json, expected)
      assert.strictEqual(yield* response.text, JSON.stringify(expected))
      const bytes = new Uint8Array(yield* response.arrayBuffer)
      assert.strictEqual(Buffer.from(bytes).toString("utf8"), JSON.stringify(expected))
      const streamed = Chunk.toReadonlyArray(yield* Stream.runCollect(response.stream))
      assert.strictEqual(Buffer.concat(streamed.map((b) => Buffer.from(b))).toString("utf8"), JSON.stringify(expected))

      const streamedBody = yield* client.execute(
        HttpClientRequest.post(`${base}/echo`).pipe(
          HttpClientRequest.setBody(
            HttpBody.stream(Stream.make(new TextEncoder().encode("a"), new TextEncoder().encode("b")))
          )
        )
      )
      assert.deepStrictEqual(yield* streamedBody.json, { got: "ab", ü: "ç€" })

      const form = yield* client.execute(HttpClientRequest.get(`${base}/form`))
      assert.deepStrictEqual(yield* form.urlParamsBody, [["a", "1"], ["b", "x y"]])
      assert.strictEqual(form.status, 200)
    }))

  it.scoped("a body that is not JSON is a decode error of the response", () =>
    Effect.gen(function*() {
      const client = yield* undiciTransport("", Duration.seconds(5))
      const form = yield* client.execute(HttpClientRequest.get(`${base}/form`))
      const error = yield* Effect.flip(form.json)
      assert.strictEqual(error._tag, "ResponseError")
      assert.strictEqual(error.reason, "Decode")
    }))

  it.scoped("a body nested deeper than maxJsonDepth is a decode error saying so (issue 13, finding 11)", () =>
    Effect.gen(function*() {
      const client = yield* undiciTransport("", Duration.seconds(5))
      const deep = yield* client.execute(HttpClientRequest.get(`${base}/deep`))
      const error = yield* Effect.flip(deep.json)
      assert.strictEqual(error.reason, "Decode")
      assert.strictEqual((error.cause as Error).message, "JSON nested deeper than 512 levels")
    }))

  it.live("under the live clock, a response slower than the timeout is a Transient timeout", () =>
    Effect.gen(function*() {
      const api = yield* Api.make({ baseUrl: base, timeout: "150 millis", retry: { maxAttempts: 1 } })
      const started = Date.now()
      const result = yield* Effect.either(api.get("hang/slow"))
      const elapsed = Date.now() - started
      const error = Either.getLeft(result).pipe((o) => o._tag === "Some" ? o.value : undefined)
      assert.strictEqual(error?._tag, "Transient")
      assert.strictEqual(error?._tag === "Transient" ? error.reason : "", "timeout")
      assert.include(error?.message ?? "", "within 150ms")
      assert.isAtLeast(elapsed, 140)
      assert.isBelow(elapsed, 5000)
    }).pipe(Effect.scoped))

  it.live("an infinite timeout never fires, and interrupting the request closes its connection", () =>
    Effect.gen(function*() {
      const api = yield* Api.make({ baseUrl: base, timeout: Duration.infinity })
      const before = closedEarly
      const count = seen.length
      const fiber = yield* Effect.fork(api.get("hang/forever"))
      while (seen.length === count) yield* Effect.sleep("5 millis")
      yield* Effect.sleep("50 millis")
      assert.isNull(fiber.unsafePoll(), "still waiting: the timeout did not fire at once")
      yield* Fiber.interrupt(fiber)
      for (let i = 0; i < 200 && closedEarly === before; i++) yield* Effect.sleep("5 millis")
      assert.strictEqual(closedEarly, before + 1)
    }).pipe(Effect.scoped))
})
