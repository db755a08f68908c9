import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Context, Effect, Either, Fiber, Layer, Redacted, Schema, Stream, TestClock } from "effect"
import * as Api from "../../src/Api.js"
import * as Paginator from "../../src/Paginator.js"
import * as FaultServer from "../utils/faultServer.js"

// Requests here take real milliseconds while retries wait in virtual time; a timeout of a day keeps
// the virtual-time driver from firing request timeouts (see FaultServer.runVirtual).
const client = (server: FaultServer.FaultServer, options: Partial<Api.Options> = {}) =>
  Api.make({ baseUrl: `${server.url}/api`, timeout: "1 day", ...options })

const elapsed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const result = yield* Effect.either(FaultServer.runVirtual(effect))
    const end = yield* Clock.currentTimeMillis
    return { result, millis: end - start }
  })

describe("Api client", () => {
  it.scoped("GETs path segments with query arguments and decodes the JSON body", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/repos/a%2Fb/issues", () => ({ body: [{ id: 1 }] }))
      const api = yield* client(server, { hooks: [Api.bearer(Redacted.make("t0ken-value"))] })
      const body = yield* api.get(["repos", "a/b", "issues"], {
        query: { state: "all", label: ["x", "y"], skip: undefined }
      })
      assert.deepStrictEqual(body, [{ id: 1 }])
      const [request] = server.requests
      assert.strictEqual(request!.url, "/api/repos/a%2Fb/issues?state=all&label=x&label=y")
      assert.strictEqual(request!.headers.authorization, "Bearer t0ken-value")
      assert.strictEqual(request!.headers.accept, "application/json")
    }))

  it.scoped("fills {placeholders} from params and POSTs JSON, decoding with a schema", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/graphql/acme", (req) => ({ body: { echo: JSON.parse(req.body) } }))
      const api = yield* client(server)
      const Echo = Schema.Struct({ echo: Schema.Struct({ query: Schema.String }) })
      const out = yield* api.post("/graphql/{org}", {
        params: { org: "acme" },
        json: { query: "{ viewer }" },
        schema: Echo
      })
      assert.strictEqual(out.echo.query, "{ viewer }")
      assert.strictEqual(server.requests[0]!.method, "POST")
      const wrong = yield* Effect.flip(
        api.post("/graphql/{org}", { params: { org: "acme" }, json: { q: 1 }, schema: Echo })
      )
      assert.strictEqual(wrong._tag, "DecodeError")
      const missing = yield* Effect.flip(api.get("/graphql/{org}"))
      assert.strictEqual(missing._tag, "RequestAborted")
      assert.include(missing.message, "{org}")
    }))

  it.scoped("429 with Retry-After: 2 waits exactly two seconds, then succeeds", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/x", [{ status: 429, headers: { "retry-after": "2" }, body: { message: "slow down" } }])
      server.route("/api/x", () => ({ body: { ok: true } }))
      const api = yield* client(server)
      const { millis, result } = yield* elapsed(api.get("x"))
      assert.deepStrictEqual(result, Either.right({ ok: true }))
      assert.strictEqual(millis, 2000)
      assert.strictEqual(server.requestsTo("/api/x").length, 2)
      const stats = yield* api.stats
      assert.strictEqual(stats.retries, 1)
    }))

  it.scoped("429 with an HTTP-date Retry-After waits until that date", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const server = yield* FaultServer.make
      const date = new Date(1_700_000_005_000).toUTCString()
      server.script("/api/x", [{ status: 429, headers: { "retry-after": date } }])
      server.route("/api/x", () => ({ body: [] }))
      const api = yield* client(server)
      const { millis, result } = yield* elapsed(api.get("x"))
      assert.isTrue(Either.isRight(result))
      assert.strictEqual(millis, 5000)
    }))

  it.scoped("a Retry-After longer than maxRetryAfter fails at once with RateLimited", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/x", () => ({ status: 429, headers: { "retry-after": "7200" } }))
      const api = yield* client(server, { retry: { maxRetryAfter: "1 hour" } })
      const error = yield* Effect.flip(api.get("x"))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(error.status, 429)
      assert.strictEqual(error.attempts, 1)
      assert.include(error.message, "retry after 7200000 ms")
      assert.strictEqual(server.requests.length, 1)
    }))

  it.scoped("a burst of 500/502/503 is retried with capped, jittered exponential backoff", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/x", [{ status: 500 }, { status: 502 }, { status: 503 }])
      server.route("/api/x", () => ({ body: { ok: 1 } }))
      const api = yield* client(server, { retry: { baseDelay: "1 second", maxDelay: "3 seconds", jitter: 0.5 } })
      const { millis, result } = yield* elapsed(api.get("x"))
      assert.deepStrictEqual(result, Either.right({ ok: 1 }))
      // delays: [0.5 s, 1 s] + [1 s, 2 s] + [1.5 s, 3 s] (the third is capped at 3 s before jitter)
      assert.isAtLeast(millis, 3000)
      assert.isAtMost(millis, 6000)
      assert.strictEqual(server.requests.length, 4)
    }))

  it.scoped("503 with Retry-After is honoured instead of the backoff", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/x", [{ status: 503, headers: { "retry-after": "30" } }])
      server.route("/api/x", () => ({ body: 1 }))
      const api = yield* client(server)
      const { millis } = yield* elapsed(api.get("x"))
      assert.strictEqual(millis, 30_000)
    }))

  it.scoped("gives up after maxAttempts with a Transient error that names the request", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/x", () => ({ status: 502, raw: "<html>bad gateway</html>" }))
      const api = yield* client(server, { retry: { maxAttempts: 3 } })
      const { result } = yield* elapsed(api.get("x", { query: { page: 2 } }))
      assert.isTrue(Either.isLeft(result))
      const error = Either.getLeft(result).pipe((o) => o._tag === "Some" ? o.value : undefined)!
      assert.strictEqual(error._tag, "Transient")
      assert.strictEqual(error.status, 502)
      assert.strictEqual(error.attempts, 3)
      assert.strictEqual(error.method, "GET")
      assert.strictEqual(error.url, `${server.url}/api/x?page=2`)
      assert.strictEqual(error.bodyExcerpt, "<html>bad gateway</html>")
      assert.strictEqual(
        error.message,
        `GET ${server.url}/api/x?page=2 failed with a server error (HTTP 502); after 3 attempts; body: <html>bad gateway</html>`
      )
      assert.strictEqual(server.requests.length, 3)
    }))

  it.scoped("a connection reset is retried; a persistent one is a transport error", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/once", [{ reset: true }])
      server.route("/api/once", () => ({ body: "ok" }))
      server.route("/api/always", () => ({ reset: true }))
      const api = yield* client(server, { retry: { maxAttempts: 2 } })
      const once = yield* elapsed(api.get("once"))
      assert.deepStrictEqual(once.result, Either.right("ok"))
      const always = yield* elapsed(api.get("always"))
      const error = Either.getLeft(always.result).pipe((o) => o._tag === "Some" ? o.value : undefined)!
      assert.strictEqual(error._tag, "Transient")
      assert.strictEqual(error._tag === "Transient" ? error.reason : "", "transport")
      assert.strictEqual(error.attempts, 2)
    }))

  it.scoped("a response slower than the timeout is a Transient timeout, then retried", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/slow", [{ hang: true }])
      server.route("/api/slow", () => ({ body: { late: false } }))
      const api = yield* Api.make({ baseUrl: server.url, timeout: "10 seconds", retry: { maxAttempts: 2 } })
      const fiber = yield* Effect.fork(api.get("api/slow"))
      yield* server.awaitRequests(1)
      yield* TestClock.adjust("10 seconds")
      // The retry's backoff (≤ 1 s) is inside the horizon; the second attempt's 10 s timeout is not.
      const result = yield* FaultServer.runVirtual(Fiber.join(fiber), { horizon: "5 seconds" })
      assert.deepStrictEqual(result, { late: false })
      assert.strictEqual(server.requests.length, 2)

      server.route("/api/hang", () => ({ hang: true }))
      const failing = yield* Effect.fork(Effect.flip(api.get("api/hang")))
      yield* server.awaitRequests(1, "/api/hang")
      yield* TestClock.adjust("10 seconds")
      yield* server.awaitRequests(2, "/api/hang").pipe(
        Effect.race(Effect.forever(Effect.zipRight(TestClock.adjust("100 millis"), FaultServer.liveSleep(1))))
      )
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(failing)
      assert.strictEqual(error._tag, "Transient")
      assert.include(error.message, "timed out")
      assert.include(error.message, "no complete response within 10s")
      assert.strictEqual(error.attempts, 2)
    }))

  it.scoped("a 200 whose body is not JSON is a DecodeError, not retried", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/x", () => ({ raw: "<html><body>Sign in</body></html>" }))
      const api = yield* client(server)
      const error = yield* Effect.flip(api.get("x"))
      assert.strictEqual(error._tag, "DecodeError")
      assert.strictEqual(error.status, 200)
      assert.strictEqual(error.bodyExcerpt, "<html><body>Sign in</body></html>")
      assert.include(error.message, "not the expected JSON")
      assert.strictEqual(server.requests.length, 1)
    }))

  it.scoped("401 is Unauthorized and 404 is NotFound, neither retried", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/private", () => ({ status: 401, body: { message: "Bad credentials" } }))
      const api = yield* client(server)
      const unauthorized = yield* Effect.flip(api.get("private"))
      assert.strictEqual(unauthorized._tag, "Unauthorized")
      assert.strictEqual(unauthorized.status, 401)
      assert.include(unauthorized.message, "credentials")
      assert.include(unauthorized.message, "Bad credentials")
      const notFound = yield* Effect.flip(api.get("missing"))
      assert.strictEqual(notFound._tag, "NotFound")
      assert.strictEqual(notFound.message.startsWith(`GET ${server.url}/api/missing was not found (HTTP 404)`), true)
      assert.strictEqual(server.requests.length, 2)
    }))

  it.scoped("other 4xx are HttpStatusError; 403 with X-RateLimit-Remaining: 0 is RateLimited until the reset", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const server = yield* FaultServer.make
      server.route("/api/bad", () => ({ status: 422, body: { message: "invalid" } }))
      server.script("/api/limited", [{
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(1_700_000_000 + 90) }
      }])
      server.route("/api/limited", () => ({ body: [] }))
      const api = yield* client(server)
      const bad = yield* Effect.flip(api.get("bad"))
      assert.strictEqual(bad._tag, "HttpStatusError")
      assert.strictEqual(bad.status, 422)
      const { millis, result } = yield* elapsed(api.get("limited"))
      assert.isTrue(Either.isRight(result))
      assert.strictEqual(millis, 90_000)
    }))

  it.scoped("a paginated run through 5xx, 429 and resets stores every record exactly once, in order", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      const all = Array.from({ length: 23 }, (_, i) => ({ id: i + 1 }))
      const page = (req: FaultServer.RecordedRequest) => {
        const n = Number(req.query.get("page"))
        return { body: all.slice((n - 1) * 5, n * 5) }
      }
      server.script("/api/items", [
        { status: 200, body: all.slice(0, 5) },
        { status: 503 },
        { reset: true },
        { status: 429, headers: { "retry-after": "1" } },
        { status: 500 }
      ])
      server.route("/api/items", page)
      const api = yield* client(server, { retry: { maxAttempts: 5 } })
      const stream = api.paginate(Paginator.pageNumber({ size: 5, sizeParam: "per_page" }), { path: "items" })
      const records = yield* FaultServer.runVirtual(Stream.runCollect(stream))
      const ids = [...records].map((r) => (r.data as { id: number }).id)
      assert.deepStrictEqual(ids, all.map((x) => x.id))
      assert.strictEqual(new Set(ids).size, 23)
      const pages = server.requests.map((r) => r.query.get("page"))
      assert.deepStrictEqual(pages, ["1", "2", "2", "2", "2", "2", "3", "4", "5"])
      assert.strictEqual([...records][7]!.url, `${server.url}/api/items?page=2&per_page=5`)
    }))

  it.scoped("sends every request through the connection's proxy", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      const proxy = yield* FaultServer.makeProxy
      server.route("/api/x", () => ({ body: { via: "proxy" } }))
      const api = yield* client(server, { proxy: proxy.url })
      assert.deepStrictEqual(yield* api.get("x"), { via: "proxy" })
      assert.isAtLeast(proxy.connects(), 1)
      const direct = yield* client(server, { proxy: "" })
      const before = proxy.connects()
      yield* direct.get("x")
      assert.strictEqual(proxy.connects(), before)
    }))

  it.scoped("refuses absolute URLs on another origin, so credentials never leave the API's host", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      const api = yield* client(server, { hooks: [Api.bearer("secret-token-1")] })
      const error = yield* Effect.flip(api.get("https://example.invalid/steal"))
      assert.strictEqual(error._tag, "RequestAborted")
      assert.strictEqual(server.requests.length, 0)
    }))

  it.effect("is a Layer built from the connection", () =>
    Effect.gen(function*() {
      class GitHubApi extends Context.Tag("test/GitHubApi")<GitHubApi, Api.Client>() {}
      const conn = { url: "https://api.test/", token: Redacted.make("tok-123456"), proxy: null, rateLimitPerHour: 10 }
      const live = Api.layerTest(GitHubApi, {
        baseUrl: conn.url,
        proxy: conn.proxy,
        rateLimitPerHour: conn.rateLimitPerHour,
        hooks: [Api.bearer(conn.token)]
      }, (req) => Response.json({ auth: req.headers.authorization }))
      const body = yield* Effect.flatMap(GitHubApi, (api) => api.get("user")).pipe(Effect.provide(Layer.fresh(live)))
      assert.deepStrictEqual(body, { auth: "Bearer tok-123456" })
    }))
})

describe("Api client configuration", () => {
  it.scoped("an invalid base URL or proxy is a defect whose message does not repeat the URL", () =>
    Effect.gen(function*() {
      const badBase = yield* Effect.exit(Api.make({ baseUrl: "not a url with s3cret" }))
      assert.isTrue(badBase._tag === "Failure")
      const badBaseText = badBase._tag === "Failure" ? Cause.pretty(badBase.cause) : ""
      assert.include(badBaseText, "base URL is not a valid absolute URL")
      assert.notInclude(badBaseText, "s3cret")
      const badProxy = yield* Effect.exit(Api.make({ baseUrl: "https://api.test", proxy: "socks5://u:s3cret@h:1" }))
      const badProxyText = badProxy._tag === "Failure" ? Cause.pretty(badProxy.cause) : ""
      assert.include(badProxyText, "proxy is not an http:// or https:// URL")
      assert.notInclude(badProxyText, "s3cret")
    }))
})

describe("Api redirects", () => {
  it.scoped("follows same-origin redirects through the hooks, refuses other origins and loops", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/repos/old", () => ({ status: 301, headers: { location: "/api/repos/new?x=1" } }))
      server.route("/api/repos/new", (req) => ({ body: { auth: req.headers.authorization, x: req.query.get("x") } }))
      server.route("/api/away", () => ({ status: 302, headers: { location: "https://elsewhere.invalid/steal" } }))
      server.route("/api/loop", () => ({ status: 307, headers: { location: "/api/loop" } }))
      server.route("/api/form", () => ({ status: 303, headers: { location: "/api/result" } }))
      server.route("/api/result", (req) => ({ body: { method: req.method } }))
      const api = yield* client(server, { hooks: [Api.bearer("redirect-token")] })

      assert.deepStrictEqual(yield* api.get("repos/old"), { auth: "Bearer redirect-token", x: "1" })
      server.route("/api/list-old", () => ({ status: 308, headers: { location: `${server.url}/api/list-new` } }))
      server.route("/api/list-new", () => ({ body: [{ id: 1 }] }))
      const records = yield* Stream.runCollect(api.paginate(Paginator.single(), { path: "list-old", input: "p" }))
      assert.deepStrictEqual([...records], [{ data: { id: 1 }, url: `${server.url}/api/list-new`, input: "p" }])

      const away = yield* Effect.flip(api.get("away"))
      assert.strictEqual(away._tag, "RequestAborted")
      assert.include(away.message, "elsewhere.invalid")
      assert.strictEqual(server.requests.filter((r) => r.path === "/api/away").length, 1)

      const loop = yield* Effect.flip(api.get("loop"))
      assert.strictEqual(loop._tag, "HttpStatusError")
      assert.strictEqual(loop.status, 307)
      assert.include(loop.message, "gave up after 5 redirects")
      assert.strictEqual(server.requestsTo("/api/loop").length, 6)

      assert.deepStrictEqual(yield* api.post("form", { json: { a: 1 } }), { method: "GET" })
    }))
})
