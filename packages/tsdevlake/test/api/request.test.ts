import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import { Either, Redacted } from "effect"
import * as Api from "../../src/Api.js"
import { redirectSpec } from "../../src/internal/api/execute.js"
import { sameRequest } from "../../src/internal/api/paginate.js"
import { fullUrlOf, makeDescribe, makeScrubbing, toRequest } from "../../src/internal/api/request.js"
import { parseBaseUrl } from "../../src/internal/api/url.js"

const { base, password } = parseBaseUrl("https://bot:pa55word@api.test/v3")
const scrubbing = makeScrubbing(
  { baseUrl: "https://api.test/v3", secretParams: ["session"], secrets: [Redacted.make("opt-secret")] },
  [Api.bearer("hook-token"), Api.apiKeyQuery("key", "k3y-value")],
  password
)

describe("request", () => {
  it("masks the secrets of options, hooks and base URL, and strips secret parameters from URLs", () => {
    assert.strictEqual(scrubbing.scrub("a hook-token, opt-secret and pa55word"), "a ***, *** and ***")
    assert.strictEqual(
      scrubbing.sanitize("https://u:p@api.test/x?session=1&key=2&access_token=3&page=2#frag"),
      "https://api.test/x?page=2"
    )
    assert.isTrue(scrubbing.secretParams.has("key"))
  })

  it("builds the request: path placeholders, query, headers and JSON body; a shown URL and a template", () => {
    const prepared = toRequest(base, scrubbing, {
      method: "POST",
      path: "repos/{owner}/issues",
      params: { owner: "a b" },
      query: { state: "all", label: ["x", "y"], skip: undefined, session: "s" },
      headers: { "x-extra": "1" },
      json: { q: 1 }
    })
    assert.isTrue(Either.isRight(prepared))
    const { request, template, url } = Either.getOrThrow(prepared)
    assert.strictEqual(request.method, "POST")
    assert.strictEqual(fullUrlOf(request), "https://api.test/v3/repos/a%20b/issues?state=all&label=x&label=y&session=s")
    assert.strictEqual(url, "https://api.test/v3/repos/a%20b/issues?state=all&label=x&label=y")
    assert.strictEqual(template, "/v3/repos/{owner}/issues")
    assert.strictEqual(request.headers["x-extra"], "1")
    assert.strictEqual(request.body._tag, "Uint8Array")
  })

  it("refuses a path without its parameters or on another origin, without sending credentials", () => {
    const missing = toRequest(base, scrubbing, { path: "repos/{owner}" })
    assert.deepInclude(Either.flip(missing).pipe(Either.getOrThrow), {
      _tag: "RequestAborted",
      reason: "path parameter {owner} of repos/{owner} has no value"
    })
    const foreign = toRequest(base, scrubbing, { path: "https://evil.test/x?key=k3y-value" })
    assert.deepInclude(Either.flip(foreign).pipe(Either.getOrThrow), {
      _tag: "RequestAborted",
      url: "https://evil.test/x"
    })
  })

  it("describes a request once, masking its own secret parameters and credential headers in error text", () => {
    const describe = makeDescribe(scrubbing)
    const request = HttpClientRequest.get("https://api.test/v3/x").pipe(
      HttpClientRequest.setUrlParam("session", "sess-1234"),
      HttpClientRequest.setHeader("private-token", "glpat-abcdef")
    )
    const described = describe(request)
    assert.strictEqual(describe(request), described)
    assert.strictEqual(described.url, "https://api.test/v3/x")
    assert.strictEqual(described.scrub("echo sess-1234 glpat-abcdef hook-token"), "echo *** *** ***")
  })

  it("follows redirects: 303 as a GET without body, others as the same request elsewhere", () => {
    const current = { method: "POST" as const, path: "a", params: { x: 1 }, query: { q: 1 }, json: { b: 1 }, input: 7 }
    assert.deepStrictEqual(redirectSpec(current, 303, "https://api.test/b"), {
      method: "GET",
      path: "https://api.test/b",
      input: 7
    })
    assert.deepStrictEqual(redirectSpec(current, 307, "https://api.test/b"), {
      ...current,
      params: undefined,
      query: undefined,
      path: "https://api.test/b"
    })
  })

  it("tells when a paginator asks for the same page again", () => {
    assert.isTrue(sameRequest({ path: "a", query: { page: 1 } }, { path: "a", query: { page: 1 }, input: 2 }))
    assert.isFalse(sameRequest({ path: "a", query: { page: 1 } }, { path: "a", query: { page: 2 } }))
  })
})
