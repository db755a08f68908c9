/**
 * An in-memory API for a plugin's tests: canned responses by route (`routes`), and responses recorded from the
 * real API into fixture files (`record`) and served back offline (`replay`). Each is a Layer of tsdevlake's
 * `Api.Transport`: the plugin's own `Api.layer` runs unchanged over it, with its hooks, pagination, retries,
 * rate limit and error classification; only the network is swapped.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import { Context, Effect, Either, Layer, Redacted } from "effect"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { Api } from "tsdevlake"

/** A canned response: its status (default 200), headers and body (JSON, or a string sent as it is). */
export interface Canned {
  readonly status?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body?: unknown
}

/** A request as a route's function sees it. */
export interface Request {
  readonly method: string
  /** The full URL, query included. */
  readonly url: URL
  /** The values of the route's `:name` segments. */
  readonly params: Readonly<Record<string, string>>
  /** The query parameters (the last value of a repeated one). */
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  /** The body as JSON, or as text when it is not JSON; `undefined` when there is none. */
  readonly body: unknown
}

/** What a route answers: a canned response, or a function of the request giving one. */
export type Route = Canned | ((request: Request) => Canned | Effect.Effect<Canned>)

/**
 * Routes by `"METHOD /path"` (a `:name` segment matches any one segment; `"METHOD /path?a=1"` also requires
 * those query parameters; a full URL matches the origin too). A list answers its responses in turn, then
 * repeats the last: `[{ status: 429, headers: { "retry-after": "30" } }, { body: [] }]`.
 */
export type Routes = Readonly<Record<string, Route | ReadonlyArray<Route>>>

// The connection's secrets, which the kit's runs provide to `record` and `replay` (see `withApi`).
class ConnectionSecrets extends Context.Reference<ConnectionSecrets>()("@tsdevlake/testing/ConnectionSecrets", {
  defaultValue: (): ReadonlyArray<string> => []
}) {}

const fullUrl = (request: HttpClientRequest.HttpClientRequest): URL =>
  Either.getOrElse(UrlParams.makeUrl(request.url, request.urlParams, request.hash), () => new URL(request.url))

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : String(body.body)
    default:
      return undefined
  }
}

const parseBody = (text: string | undefined): unknown => {
  if (text === undefined || text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

// Statuses whose response has no body (the Fetch API refuses one).
const nullBodyStatuses: ReadonlySet<number> = new Set([101, 204, 205, 304])

const respond = (request: HttpClientRequest.HttpClientRequest, canned: Canned) => {
  const status = canned.status ?? 200
  const isText = typeof canned.body === "string"
  const text = canned.body === undefined ? "" : isText ? canned.body as string : JSON.stringify(canned.body)
  const headers = new Headers(canned.headers)
  if (!headers.has("content-type") && text !== "") {
    headers.set("content-type", isText ? "text/plain; charset=utf-8" : "application/json")
  }
  return HttpClientResponse.fromWeb(
    request,
    new Response(nullBodyStatuses.has(status) ? null : text, { status, headers })
  )
}

// The request's path and query without secret query parameters, as an error or a fixture shows it.
const shown = (url: URL, secretParams: ReadonlySet<string>): string => {
  const clean = new URL(Api.Transport.sanitizeUrl(url.href, secretParams))
  return clean.pathname + clean.search
}

interface Compiled {
  readonly key: string
  readonly method: string
  readonly origin: string | undefined
  readonly segments: ReadonlyArray<string>
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly answers: ReadonlyArray<Route>
  calls: number
}

const compile = (key: string, route: Route | ReadonlyArray<Route>): Compiled => {
  const match = /^([A-Z]+)\s+(\S+)$/.exec(key.trim())
  if (match === null) throw new Error(`Testing.Api.routes: the route "${key}" is not "METHOD /path"`)
  const target = new URL(match[2]!, "http://route.invalid")
  const answers = Array.isArray(route) ? route as ReadonlyArray<Route> : [route as Route]
  if (answers.length === 0) throw new Error(`Testing.Api.routes: the route "${key}" has no response`)
  return {
    key,
    method: match[1]!,
    origin: /^https?:\/\//.test(match[2]!) ? target.origin : undefined,
    segments: target.pathname.split("/"),
    query: [...target.searchParams],
    answers,
    calls: 0
  }
}

const paramsOf = (route: Compiled, method: string, url: URL): Record<string, string> | undefined => {
  if (route.method !== method || (route.origin !== undefined && route.origin !== url.origin)) return undefined
  const segments = url.pathname.split("/")
  if (segments.length !== route.segments.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i]!
    if (expected.startsWith(":")) params[expected.slice(1)] = decodeURIComponent(segments[i]!)
    else if (expected !== segments[i]) return undefined
  }
  return route.query.every(([name, value]) => url.searchParams.getAll(name).includes(value)) ? params : undefined
}

const defaultParams: ReadonlySet<string> = new Set(Api.Transport.defaultSecretParams)

/**
 * A transport answering every request from `table` (see {@link Routes}); the first matching route answers. A
 * request no route matches is a defect naming its method and URL (secret query parameters left out) and the
 * routes there are.
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * const api = Testing.Api.routes({
 *   "GET /api/users": { body: [{ id: 1 }], headers: { link: "<https://x.test/api/users?page=2>; rel=\"next\"" } },
 *   "GET /api/users/:id": (request) => ({ body: { id: Number(request.params["id"]) } }),
 *   "GET /api/busy": [{ status: 429, headers: { "retry-after": "30" } }, { body: [] }]
 * })
 * const counts = yield* Testing.assertStreamRun(MyPlugin, UsersStream, { connection, api })
 * // or around a client of your own: MyApiLive(conn).pipe(Layer.provide(api))
 */
export const routes = (table: Routes): Layer.Layer<Api.Transport> =>
  Layer.sync(Api.Transport, () => {
    const compiled = Object.entries(table).map(([key, route]) => compile(key, route))
    return {
      wrap: () =>
        HttpClient.make((request) => {
          const url = fullUrl(request)
          for (const route of compiled) {
            const params = paramsOf(route, request.method, url)
            if (params === undefined) continue
            const answer = route.answers[Math.min(route.calls, route.answers.length - 1)]!
            route.calls += 1
            if (typeof answer !== "function") return Effect.succeed(respond(request, answer))
            const text = bodyText(request)
            const out = answer({
              method: request.method,
              url,
              params,
              query: Object.fromEntries(url.searchParams),
              headers: request.headers,
              body: parseBody(text)
            })
            return Effect.map(Effect.isEffect(out) ? out : Effect.succeed(out), (canned) => respond(request, canned))
          }
          return Effect.dieMessage(
            `Testing.Api.routes: no route for ${request.method} ${url.origin}${shown(url, defaultParams)} (routes: ${
              compiled.map((r) => r.key).join(", ")
            })`
          )
        })
    }
  })

/** One fixture file: a request (secrets left out) and the responses it got, in order. */
export interface Fixture {
  readonly request: { readonly method: string; readonly url: string; readonly body?: unknown }
  readonly responses: ReadonlyArray<
    { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: unknown }
  >
}

/** Options of `record` and `replay`. */
export interface FixtureOptions {
  /** Further values to keep out of the fixtures (the connection's `Model.Secret` fields are, in the kit's runs). */
  readonly secrets?: ReadonlyArray<string | Redacted.Redacted<string>> | undefined
  /** Further query parameter names to leave out (the clients' defaults are: `token`, `access_token`, …). */
  readonly secretParams?: ReadonlyArray<string> | undefined
}

// Credential headers: never stored, and their values masked wherever they appear.
const credentialHeaders = /authorization|cookie|token|secret|password|api-?key|session|signature/i
// Headers that change from one response to the next, or describe the transfer rather than the response.
const volatileHeaders: ReadonlySet<string> = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding"
])

interface Scrubbed {
  /** The request's identity: method, path and query without secrets, and its body. */
  readonly key: string
  readonly fixture: Fixture["request"]
  readonly scrub: (text: string) => string
}

// Every secret the request carries (credential headers, secret query parameters) and the known ones, masked;
// the same request gives the same key when recorded and when replayed.
const scrubRequest = (
  request: HttpClientRequest.HttpClientRequest,
  secrets: ReadonlyArray<string>,
  secretParams: ReadonlySet<string>
): Scrubbed => {
  const url = fullUrl(request)
  const values = [...secrets]
  for (const [name, value] of url.searchParams) if (secretParams.has(name.toLowerCase())) values.push(value)
  for (const [name, value] of Object.entries(request.headers)) {
    if (!credentialHeaders.test(name)) continue
    values.push(value, value.split(" ").slice(1).join(" "))
  }
  const scrub = Api.Transport.makeScrubber(values)
  const path = scrub(shown(url, secretParams))
  const text = bodyText(request)
  const body = text === undefined || text === "" ? undefined : parseBody(scrub(text))
  return {
    key: `${request.method} ${path}${body === undefined ? "" : ` ${JSON.stringify(body)}`}`,
    fixture: {
      method: request.method,
      url: scrub(Api.Transport.sanitizeUrl(url.href, secretParams)),
      ...(body === undefined ? {} : { body })
    },
    scrub
  }
}

const fileOf = (key: string): string => {
  const [method, path] = key.split(" ", 2) as [string, string]
  const slug = path.replace(/^\//, "").replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80)
  return `${method}_${slug}_${createHash("sha256").update(key).digest("hex").slice(0, 10)}.json`
}

const secretsOf = (options: FixtureOptions, connection: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...connection,
  ...(options.secrets ?? []).map((s) => Redacted.isRedacted(s) ? Redacted.value(s) : s)
]

const paramsOfOptions = (options: FixtureOptions): ReadonlySet<string> =>
  new Set([...Api.Transport.defaultSecretParams, ...(options.secretParams ?? [])].map((p) => p.toLowerCase()))

const recorded = (response: HttpClientResponse.HttpClientResponse, text: string, scrub: (t: string) => string) => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (!credentialHeaders.test(name) && !volatileHeaders.has(name)) headers[name] = scrub(value)
  }
  const body = scrub(text)
  const isJson = /[/+]json\b/i.test(headers["content-type"] ?? "")
  return { status: response.status, headers, body: isJson ? parseBody(body) ?? null : body }
}

/**
 * A transport that sends every request to the real API and writes what it got into `dir`: one JSON file per
 * distinct request ({@link Fixture}: method, URL and body, then each response's status, headers and body), for
 * `replay`. No secret is written: credential headers are not stored (request) or dropped (response), secret
 * query parameters are left out of URLs, and every secret value (the request's credentials, the connection's
 * `Model.Secret` fields in the kit's runs, `options.secrets`) is masked as `***` wherever it appears.
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * // once, against the real API (e.g. RECORD=1 in the environment)
 * yield* Testing.assertStreamRun(MyPlugin, UsersStream, { connection, api: Testing.Api.record("test/fixtures/users") })
 * // then offline
 * yield* Testing.assertStreamRun(MyPlugin, UsersStream, { connection, api: Testing.Api.replay("test/fixtures/users") })
 */
export const record = (dir: string, options: FixtureOptions = {}): Layer.Layer<Api.Transport> =>
  Layer.effect(
    Api.Transport,
    Effect.map(ConnectionSecrets, (connection) => {
      const secrets = secretsOf(options, connection)
      const secretParams = paramsOfOptions(options)
      // A request recorded again in this run starts its file over; its retries are appended.
      const files = new Map<string, Fixture>()
      return {
        wrap: (real) =>
          HttpClient.make((request) =>
            Effect.flatMap(real.execute(request), (response) =>
              Effect.map(response.text, (text) => {
                const { fixture, key, scrub } = scrubRequest(request, secrets, secretParams)
                const previous = files.get(key)
                const next: Fixture = {
                  request: fixture,
                  responses: [...(previous?.responses ?? []), recorded(response, text, scrub)]
                }
                files.set(key, next)
                Fs.mkdirSync(dir, { recursive: true })
                Fs.writeFileSync(Path.join(dir, fileOf(key)), `${JSON.stringify(next, null, 2)}\n`)
                return HttpClientResponse.fromWeb(
                  request,
                  new Response(nullBodyStatuses.has(response.status) ? null : text, {
                    status: response.status,
                    headers: response.headers as Record<string, string>
                  })
                )
              }))
          )
      }
    })
  )

const readFixtures = (dir: string): Map<string, { readonly fixture: Fixture; calls: number }> => {
  let names: Array<string>
  try {
    names = Fs.readdirSync(dir).filter((name) => name.endsWith(".json")).sort()
  } catch {
    throw new Error(`Testing.Api.replay: no fixture folder ${dir}; record one with Testing.Api.record`)
  }
  const fixtures = new Map<string, { readonly fixture: Fixture; calls: number }>()
  for (const name of names) {
    const fixture = JSON.parse(Fs.readFileSync(Path.join(dir, name), "utf8")) as Fixture
    const url = new URL(fixture.request.url)
    const body = fixture.request.body
    const key = `${fixture.request.method} ${url.pathname}${url.search}${
      body === undefined ? "" : ` ${JSON.stringify(body)}`
    }`
    fixtures.set(key, { fixture, calls: 0 })
  }
  return fixtures
}

/**
 * A transport answering every request from the fixtures `record` wrote in `dir`, offline: a request is matched
 * by its method, path, query (secret parameters left out) and body, whatever the host; its recorded responses
 * are answered in turn, then the last again. A request with no fixture is a defect naming its method and URL.
 *
 * @example
 * const counts = yield* Testing.assertStreamRun(MyPlugin, UsersStream, {
 *   connection, api: Testing.Api.replay("test/fixtures/users")
 * })
 */
export const replay = (dir: string, options: FixtureOptions = {}): Layer.Layer<Api.Transport> =>
  Layer.effect(
    Api.Transport,
    Effect.map(ConnectionSecrets, (connection) => {
      const secrets = secretsOf(options, connection)
      const secretParams = paramsOfOptions(options)
      const fixtures = readFixtures(dir)
      return {
        wrap: () =>
          HttpClient.make((request) => {
            const { key } = scrubRequest(request, secrets, secretParams)
            const found = fixtures.get(key)
            if (found === undefined) {
              return Effect.dieMessage(`Testing.Api.replay: no fixture in ${dir} for ${key}; record it again`)
            }
            const responses = found.fixture.responses
            const response = responses[Math.min(found.calls, responses.length - 1)]!
            found.calls += 1
            return Effect.succeed(respond(request, response))
          })
      }
    })
  )

/**
 * The services of a kit run over an in-memory API: `services` (the plugin's `layer`, typically its
 * `Api.layer`) built over `api`, which learns the connection's secrets (its `Redacted` fields) to keep them
 * out of fixtures.
 */
export const withApi = <A, E, R>(
  services: Layer.Layer<A, E, R>,
  api: Layer.Layer<Api.Transport> | undefined,
  connection: unknown
): Layer.Layer<A, E, R> => {
  if (api === undefined) return services
  const secrets = Object.values(connection as object).flatMap((value) =>
    Redacted.isRedacted(value) ? [String(Redacted.value(value))] : []
  )
  return Layer.provide(services, Layer.provide(api, Layer.succeed(ConnectionSecrets, secrets)))
}
