import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Either } from "effect"
import { causeText, classify, fromHttpClientError, isBlank, statusError } from "../../src/internal/api/classify.js"
import { ResponseTimeout } from "../../src/internal/api/errors.js"
import { maxJsonDepth } from "../../src/internal/process/jsonDepth.js"

const now = Date.parse("2024-01-01T00:00:00Z")
const fields = (status: number) => ({ method: "GET", url: "https://api.test/x", status, bodyExcerpt: "nope" })
const classifyStatus = (status: number, headers: Record<string, string> = {}) =>
  statusError(fields(status), Headers.fromInput(headers), now)

const described = { url: "https://api.test/x", scrub: (text: string) => text.replaceAll("s3cret", "***") }
const request = HttpClientRequest.get("https://api.test/x")

describe("classify", () => {
  it("maps statuses to typed errors", () => {
    assert.strictEqual(classifyStatus(429)._tag, "RateLimited")
    assert.strictEqual(classifyStatus(401)._tag, "Unauthorized")
    assert.strictEqual(classifyStatus(403)._tag, "Unauthorized")
    assert.strictEqual(classifyStatus(404)._tag, "NotFound")
    assert.strictEqual(classifyStatus(408)._tag, "Transient")
    assert.strictEqual(classifyStatus(500)._tag, "Transient")
    assert.strictEqual(classifyStatus(503)._tag, "Transient")
    assert.strictEqual(classifyStatus(400)._tag, "HttpStatusError")
    assert.strictEqual(classifyStatus(422)._tag, "HttpStatusError")
  })

  it("reads a 403 with Retry-After or a spent budget as rate limiting, with the server's delay", () => {
    const retryAfter = classifyStatus(403, { "retry-after": "7" })
    assert.strictEqual(retryAfter._tag, "RateLimited")
    assert.strictEqual((retryAfter as { retryAfterMillis?: number }).retryAfterMillis, 7000)
    const exhausted = classifyStatus(403, {
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(now / 1000 + 60)
    })
    assert.strictEqual(exhausted._tag, "RateLimited")
    assert.strictEqual((exhausted as { retryAfterMillis?: number }).retryAfterMillis, 60_000)
    // A budget with requests left is a permission problem, not rate limiting.
    assert.strictEqual(classifyStatus(403, { "x-ratelimit-remaining": "10" })._tag, "Unauthorized")
  })

  it("keeps Retry-After on a server error and leaves it out when absent", () => {
    const withDelay = classifyStatus(503, { "retry-after": "Mon, 01 Jan 2024 00:00:30 GMT" })
    assert.deepInclude(withDelay, { _tag: "Transient", reason: "status", retryAfterMillis: 30_000 })
    assert.isFalse("retryAfterMillis" in classifyStatus(500))
    assert.isFalse("retryAfterMillis" in classifyStatus(429))
  })

  it("reads 2xx bodies as JSON, a blank body as null, and other bodies as a scrubbed DecodeError", () => {
    const respond = (body: string, status = 200) =>
      classify(HttpClientResponse.fromWeb(request, new Response(body, { status })), body, {}, now, described)
    assert.deepStrictEqual(Either.map(respond(`{"a":1}`), (r) => r.body), Either.right({ a: 1 }))
    assert.deepStrictEqual(Either.map(respond(" \n\t"), (r) => r.body), Either.right(null))
    const bad = respond("oops s3cret")
    assert.isTrue(Either.isLeft(bad))
    const error = Either.getLeft(bad).pipe((o) => o._tag === "Some" ? o.value : undefined)!
    assert.strictEqual(error._tag, "DecodeError")
    assert.strictEqual(error.bodyExcerpt, "oops ***")
    const notFound = respond("gone", 404)
    assert.deepInclude(Either.getLeft(notFound).pipe((o) => o._tag === "Some" ? o.value : undefined), {
      _tag: "NotFound",
      status: 404,
      url: "https://api.test/x",
      bodyExcerpt: "gone"
    })
  })

  it("refuses a 2xx body nested deeper than maxJsonDepth with a DecodeError naming the request (finding 11)", () => {
    const body = "[".repeat(maxJsonDepth + 1) + "]".repeat(maxJsonDepth + 1)
    const deep = classify(HttpClientResponse.fromWeb(request, new Response(body)), body, {}, now, described)
    const error = Either.getLeft(deep).pipe((o) => o._tag === "Some" ? o.value : undefined)!
    assert.deepInclude(error, {
      _tag: "DecodeError",
      method: "GET",
      url: "https://api.test/x",
      detail: `JSON nested deeper than ${maxJsonDepth} levels`
    })
    assert.include(error.message, "https://api.test/x")
  })

  it("maps transport failures: timeouts and transport errors are transient, others abort", () => {
    const timeout = fromHttpClientError(
      new HttpClientError.RequestError({
        request,
        reason: "Transport",
        cause: new ResponseTimeout(Duration.seconds(3))
      }),
      described
    )
    assert.deepInclude(timeout, { _tag: "Transient", reason: "timeout" })
    const refused = Object.assign(new Error("connect failed to s3cret"), { code: "ECONNREFUSED" })
    const transport = fromHttpClientError(
      new HttpClientError.RequestError({ request, reason: "Transport", cause: refused }),
      described
    )
    assert.deepInclude(transport, {
      _tag: "Transient",
      reason: "transport",
      detail: "ECONNREFUSED: connect failed to ***",
      url: "https://api.test/x"
    })
    const invalid = fromHttpClientError(
      new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: new Error("bad") }),
      described
    )
    assert.deepInclude(invalid, { _tag: "RequestAborted", reason: "InvalidUrl: bad" })
  })

  it("describes causes with their codes and inner causes", () => {
    const inner = Object.assign(new Error("reset"), { code: "ECONNRESET" })
    assert.strictEqual(causeText(new Error("fetch failed", { cause: inner })), "fetch failed (ECONNRESET: reset)")
    assert.strictEqual(causeText("plain"), "plain")
  })

  it("finds blank bodies without copying them", () => {
    assert.isTrue(isBlank(""))
    assert.isTrue(isBlank(" \r\n\t"))
    assert.isFalse(isBlank("  {}"))
  })
})
