import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Either, Logger, LogLevel, Redacted, Stream, Tracer } from "effect"
import * as Api from "../../src/Api.js"
import * as Paginator from "../../src/Paginator.js"
import * as FaultServer from "../utils/faultServer.js"

const TOKEN = "ghp_BearerSecret0123456789"
const API_KEY = "KeyInQuery-9f8e7d6c"
const PRIVATE = "PrivateHeaderToken-55aa"
const PASSWORD = "Pa55word-in-base-url"
const BASIC_PASSWORD = "BasicHookPassword-77"
const PROXY_PASSWORD = "ProxyPassword-33bb"
const secrets = [TOKEN, API_KEY, PRIVATE, PASSWORD, BASIC_PASSWORD, PROXY_PASSWORD]
const derived = [
  Buffer.from(`alice:${PASSWORD}`).toString("base64"),
  Buffer.from(`bob:${BASIC_PASSWORD}`).toString("base64"),
  `Bearer ${TOKEN}`
]

/** Echoes back everything a careless server might: the full URL and the credentials it received. */
const echo = (req: FaultServer.RecordedRequest) =>
  JSON.stringify({ url: req.url, authorization: req.headers.authorization, token: req.headers["private-token"] })

/** A tracer that keeps every span it opens (the current tracer's), to read their names and attributes after. */
const spanRecorder = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const recording = Tracer.make({
    span: (...args) => {
      const span = native.span(...args)
      spans.push(span)
      return span
    },
    context: native.context
  })
  return { recording, spans }
})

describe("Api secrets", () => {
  it.effect("over a platform client (makeWith), the platform's spans, which carry the full URL, are switched off", () =>
    Effect.gen(function*() {
      const { recording, spans } = yield* spanRecorder
      let sent = ""
      // `HttpClient.make` (what stubTransport is) opens a span per request with the request's full URL.
      const transport = Api.stubTransport((_, url) => {
        sent = url.href
        return new Response("{}", { status: 200 })
      })
      yield* Effect.scoped(Effect.gen(function*() {
        const api = yield* Api.makeWith({ baseUrl: "https://api.test" }, transport)
        yield* api.get("items", { query: { access_token: TOKEN } })
      })).pipe(Effect.withTracer(recording))
      assert.include(sent, TOKEN)
      assert.deepStrictEqual([...new Set(spans.map((s) => s.name))], ["Api.request"])
      for (const span of spans) assert.notInclude(JSON.stringify(Object.fromEntries(span.attributes)), TOKEN)
    }))

  it.scoped("no token, password or Authorization value reaches a log line, an error message or a raw url", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const capture = Logger.make(({ annotations, cause, message }) => {
        lines.push(
          [
            JSON.stringify(message),
            JSON.stringify(Object.fromEntries(annotations)),
            Cause.isEmpty(cause) ? "" : Cause.pretty(cause, { renderErrorCause: true })
          ].join(" ")
        )
      })

      const server = yield* FaultServer.make
      const proxy = yield* FaultServer.makeProxy
      server.route("/api/items", (req) => ({
        body: [{ id: 1 }, { id: 2 }],
        headers: req.query.get("page") === "2"
          ? {}
          : { link: `<${server.url}/api/items?page=2&api_key=${API_KEY}>; rel="next"` }
      }))
      server.route("/api/echo401", (req) => ({ status: 401, raw: echo(req) }))
      server.route("/api/echo500", (req) => ({ status: 500, raw: echo(req) }))
      server.route("/api/echo200", (req) => ({ status: 200, raw: `not json ${echo(req)}` }))
      server.route("/api/reset", () => ({ reset: true }))
      server.route(`/api/path-${API_KEY}`, (req) => ({ status: 404, raw: echo(req) }))

      const errors: Array<Api.ApiError> = []
      const records: Array<Api.RawRecord> = []
      const program = Effect.gen(function*() {
        const base = new URL(server.url)
        const withQueryKey = yield* Api.make({
          baseUrl: `http://alice:${PASSWORD}@${base.host}/api`,
          proxy: `http://carol:${PROXY_PASSWORD}@${new URL(proxy.url).host}`,
          timeout: "1 day",
          retry: { maxAttempts: 2 },
          hooks: [
            Api.apiKeyQuery("api_key", Redacted.make(API_KEY)),
            Api.header("Private-Token", Redacted.make(PRIVATE))
          ]
        })
        const withBearer = yield* Api.make({
          baseUrl: `${server.url}/api`,
          timeout: "1 day",
          retry: { maxAttempts: 2 },
          hooks: [Api.bearer(Redacted.make(TOKEN))]
        })
        const withBasic = yield* Api.make({
          baseUrl: `${server.url}/api`,
          timeout: "1 day",
          retry: { maxAttempts: 1 },
          hooks: [Api.basic("bob", Redacted.make(BASIC_PASSWORD))]
        })
        for (const api of [withQueryKey, withBearer, withBasic]) {
          const collected = yield* Stream.runCollect(api.paginate(Paginator.linkHeader(), { path: "items" }))
          records.push(...collected)
          // A secret in the path itself is masked too, by the client that knows it.
          const paths = ["echo401", "echo500", "echo200", "reset", ...(api === withQueryKey ? [`path-${API_KEY}`] : [])]
          for (const path of paths) {
            const result = yield* Effect.either(api.get(path, { query: { access_token: TOKEN, q: "x" } }))
            if (Either.isLeft(result)) {
              errors.push(result.left)
              yield* Effect.logError("collection failed", result.left)
              yield* Effect.logWarning(Cause.fail(result.left))
            }
          }
        }
      })
      const { recording, spans } = yield* spanRecorder
      yield* FaultServer.runVirtual(Effect.scoped(program)).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, capture)),
        Logger.withMinimumLogLevel(LogLevel.All),
        Effect.withTracer(recording)
      )

      const requestSpans = spans.filter((s) => s.name === "Api.request")
      assert.isAtLeast(requestSpans.length, 20)
      const first = requestSpans[0]!.attributes
      assert.strictEqual(first.get("http.request.method"), "GET")
      assert.strictEqual(first.get("url.template"), "/api/items")
      assert.strictEqual(first.get("http.request.attempt"), 1)
      assert.strictEqual(first.get("http.response.status_code"), 200)
      assert.isTrue(requestSpans.some((s) => s.attributes.get("http.request.attempt") === 2))
      // Only our own spans: the platform's would carry the full URL with its query string.
      assert.deepStrictEqual([...new Set(spans.map((s) => s.name))], ["Api.request"])

      // The secrets did reach the server, so the test would notice them if they leaked back.
      const received = server.requests.map((r) => `${r.url} ${r.headers.authorization} ${r.headers["private-token"]}`)
      for (const secret of [TOKEN, API_KEY, PRIVATE, derived[0]!, derived[1]!]) {
        assert.isTrue(received.some((r) => r.includes(secret)), `${secret} was never sent`)
      }
      assert.isAtLeast(proxy.connects(), 1)

      assert.strictEqual(errors.length, 13)
      assert.isAtLeast(lines.length, 30)
      assert.strictEqual(records.length, 12)
      const texts = [
        ...lines,
        ...spans.map((s) => JSON.stringify(Object.fromEntries(s.attributes))),
        ...errors.flatMap((e) => [e.message, String(e), JSON.stringify(e), Cause.pretty(Cause.fail(e))]),
        ...records.map((r) => r.url ?? "")
      ]
      for (const text of texts) {
        for (const secret of [...secrets, ...derived]) {
          assert.notInclude(text, secret)
        }
      }
      for (const record of records) {
        assert.notInclude(record.url!, "api_key")
        assert.notInclude(record.url!, "alice")
      }
      assert.strictEqual(records[2]!.url, `${server.url}/api/items?page=2`)
      // The excerpts still say what the server answered, with the secrets masked.
      const unauthorized = errors.find((e) => e._tag === "Unauthorized" && e.bodyExcerpt?.includes("***"))
      assert.isDefined(unauthorized)
      assert.include(unauthorized!.url, "q=x")
      assert.notInclude(unauthorized!.url, "access_token")
    }))
})
