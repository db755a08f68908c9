/**
 * The API layer: an HTTP client per connection, built from Effect's `HttpClient` with hooks as
 * middleware, typed errors, retries that honour `Retry-After`, a proactive rate limiter shared by
 * every request of the connection, pagination and bounded-concurrency substreams.
 *
 * @since 0.1.0
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Duration, Effect, Redacted, Schema } from "effect"
import type * as DataStream from "./DataStream.js"
import type { Paginate } from "./Paginator.js"
import * as client from "./internal/api/client.js"
import * as errors from "./internal/api/errors.js"
import * as hooks from "./internal/api/hooks.js"
import type * as url from "./internal/api/url.js"
import * as stream from "./internal/stream/forEachParent.js"

// ---------------------------------------------------------------------------------------------
// models
// ---------------------------------------------------------------------------------------------

/**
 * One collected record (the same type a collector emits): the item's JSON, the URL of the request that
 * returned it (secret query parameters removed) and the input it was collected for (a substream's parent, for
 * instance).
 *
 * @since 0.1.0
 * @category models
 */
export type RawRecord<State = unknown> = DataStream.RawRecord<State>

/**
 * A path relative to the connection's base URL: a string (`"repos/{owner}/{repo}"`, filled from
 * `params`), an array of segments (each URL-encoded), or an absolute URL on the same origin.
 *
 * @since 0.1.0
 * @category models
 */
export type Path = url.Path

/**
 * Query arguments; `undefined`/`null` values are left out, arrays repeat the key.
 *
 * @since 0.1.0
 * @category models
 */
export type Query = url.Query

/**
 * What to request. Paginators derive the next page's request from the previous one.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestSpec {
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | undefined
  readonly path?: Path | undefined
  readonly params?: Readonly<Record<string, string | number>> | undefined
  readonly query?: Query | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** JSON body (POST for GraphQL-style APIs). */
  readonly json?: unknown
  /** Copied into every `RawRecord` produced from this request. */
  readonly input?: unknown
}

/**
 * Options of `get` / `post`; with `schema`, the body is decoded and a mismatch is a `DecodeError`.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestOptions = Omit<RequestSpec, "method" | "path">

/**
 * A decoded response. `url` is the final request URL (after hooks) without secrets.
 *
 * @since 0.1.0
 * @category models
 */
export interface JsonResponse<A = unknown> {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: A
  readonly url: string
  readonly request: RequestSpec
}

/**
 * Counters of one client (one connection), also logged at debug level when the client is released.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  readonly requests: number
  readonly retries: number
  readonly rateLimitWaits: number
  readonly rateLimitWaitMillis: number
}

/**
 * `Client.get` / `Client.post` (which sends `options.json`): the JSON body, decoded by `options.schema` if given.
 *
 * @since 0.1.0
 * @category models
 */
export interface BodyRequest {
  <A, I>(
    path: Path,
    options: RequestOptions & { readonly schema: Schema.Schema<A, I, never> }
  ): Effect.Effect<A, ApiError>
  (path: Path, options?: RequestOptions): Effect.Effect<unknown, ApiError>
}

/**
 * A connection's API client.
 *
 * @example
 * ```ts
 * const issues = Effect.flatMap(MyApi, (api) =>
 *   api.get(["repos", owner, repo, "issues"], { query: { state: "all" } }))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Client {
  readonly baseUrl: string
  /** Sends a request (through limiter, hooks and retries) and decodes the JSON body. */
  readonly execute: (request: RequestSpec) => Effect.Effect<JsonResponse, ApiError>
  readonly get: BodyRequest
  readonly post: BodyRequest
  /** Streams every item of every page, pull-based; resumable from a `Paginator.Position` (see `Paginate`). */
  readonly paginate: Paginate
  /** The URL as this client would show it: without credentials or secret query parameters. */
  readonly sanitizeUrl: (url: string) => string
  readonly stats: Effect.Effect<Stats>
}

/**
 * Retry policy. Transient errors (5xx, 408, transport, timeout) and rate limiting are retried with
 * exponential backoff and jitter, capped, for at most `maxAttempts` attempts in all; a server's
 * `Retry-After` (seconds or HTTP-date) replaces the backoff delay, unless it exceeds `maxRetryAfter`,
 * in which case the error is returned at once rather than sleeping for hours.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  readonly maxAttempts?: number | undefined
  /** Delay before the first retry. Default 1 second. */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** Cap of a backoff delay. Default 1 minute. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** Growth of the delay per attempt. Default 2. */
  readonly factor?: number | undefined
  /** Fraction of the delay randomly taken off (0 = none, 1 = full jitter). Default 0.5. */
  readonly jitter?: number | undefined
  /** Longest server-requested wait that is honoured. Default 1 hour. */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /** Further narrows which retryable errors are retried. */
  readonly while?: ((error: ApiError) => boolean) | undefined
}

/**
 * How to build a connection's client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly baseUrl: string
  /** Name used in logs and spans. Default: the base URL's host. */
  readonly name?: string | undefined
  /** HTTP(S) proxy for every request; `""`, `null` or absent mean none. */
  readonly proxy?: string | null | undefined
  /** Request and response hooks, applied in this order after the framework's own. */
  readonly hooks?: ReadonlyArray<Hook> | undefined
  /** Per-attempt timeout covering the response and its body. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  readonly retry?: RetryOptions | undefined
  /** Requests per hour for this connection (DevLake's `rateLimitPerHour`); absent or 0: no limit. */
  readonly rateLimitPerHour?: number | null | undefined
  /** A window other than an hour, e.g. `{ limit: 10, interval: "1 second" }`; overrides `rateLimitPerHour`. */
  readonly rateLimit?: { readonly limit: number; readonly interval: Duration.DurationInput } | undefined
  /** Learn the server's budget from `X-RateLimit-Remaining` / `X-RateLimit-Reset`. Default true. */
  readonly rateLimitHeaders?: boolean | undefined
  /** Requests of this connection in flight at once. Default 8. */
  readonly concurrency?: number | undefined
  /** Further query parameter names to strip from shown URLs (hooks declare their own). */
  readonly secretParams?: ReadonlyArray<string> | undefined
  /** Further values to mask wherever text leaves the client (errors, logs). */
  readonly secrets?: ReadonlyArray<Redacted.Redacted<string>> | undefined
}

/**
 * HttpClient middleware over a client whose errors are already `ApiError`s.
 *
 * @since 0.1.0
 * @category models
 */
export type Middleware = (
  client: HttpClient.HttpClient.With<ApiError>
) => HttpClient.HttpClient.With<ApiError>

/**
 * A request, response or error hook. Hooks run in declaration order after the framework's own
 * (JSON accept header, rate-limit header observation); request hooks may replace the request or
 * abort it (fail with an `ApiError`, e.g. `Api.abort`), response hooks may replace the response,
 * remap its status, or fail. Error hooks map the final typed error. Secrets and secret query
 * parameters a hook declares are masked in every URL, log and error the client produces.
 *
 * @since 0.1.0
 * @category models
 */
export interface Hook {
  readonly _tag: "Hook"
  readonly name: string
  readonly middleware?: Middleware
  readonly onError?: (error: ApiError) => Effect.Effect<ApiError>
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  readonly secretParams: ReadonlyArray<string>
}

// ---------------------------------------------------------------------------------------------
// errors
// ---------------------------------------------------------------------------------------------

export {
  /**
   * A 2xx body that is not JSON, or not of the expected shape.
   * @since 0.1.0
   * @category errors
   */
  DecodeError,
  /**
   * Any other non-2xx status (400, 409, 422 …), or a redirect chain longer than 5.
   * @since 0.1.0
   * @category errors
   */
  HttpStatusError,
  /**
   * 404. Not retried; a substream may catch it to skip a parent that disappeared.
   * @since 0.1.0
   * @category errors
   */
  NotFound,
  /**
   * 429, or 403 with `Retry-After` / `X-RateLimit-Remaining: 0`; retried after the server's delay.
   * @since 0.1.0
   * @category errors
   */
  RateLimited,
  /**
   * The request was not sent: a hook aborted it, its URL is invalid, or it pointed to another origin.
   * @since 0.1.0
   * @category errors
   */
  RequestAborted,
  /**
   * 5xx, 408, a transport failure (connection refused or reset) or a timeout; retried with backoff.
   * @since 0.1.0
   * @category errors
   */
  Transient,
  /**
   * 401 or 403: the credentials are missing, wrong, or lack a permission. Not retried.
   * @since 0.1.0
   * @category errors
   */
  Unauthorized
} from "./internal/api/errors.js"

/**
 * Every error of the API layer. Each says what failed and for which request (method, sanitised
 * URL, status, a short body excerpt) without any secret.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiError = errors.ApiError

/**
 * Schema of `ApiError` (to encode errors, e.g. onto fd 3).
 *
 * @since 0.1.0
 * @category errors
 */
export const ApiError: typeof errors.ApiError = errors.ApiError

/**
 * @since 0.1.0
 * @category errors
 */
export const isApiError: (u: unknown) => u is ApiError = errors.isApiError

// ---------------------------------------------------------------------------------------------
// hooks
// ---------------------------------------------------------------------------------------------

/**
 * A hook from any HttpClient middleware.
 *
 * @example
 * ```ts
 * Api.hook("user-agent", HttpClient.mapRequest(HttpClientRequest.setHeader("user-agent", "me")))
 * ```
 *
 * @since 0.1.0
 * @category hooks
 */
export const hook = hooks.make

/**
 * A request hook: return the (possibly replaced) request, or fail to abort it.
 *
 * @example
 * ```ts
 * Api.requestHook("no-writes", (req) => req.method === "GET" ? req : Effect.fail(Api.abort(req, "read-only")))
 * ```
 *
 * @since 0.1.0
 * @category hooks
 */
export const requestHook = hooks.requestHook

/**
 * A response hook: return the (possibly replaced) response, or fail with an `ApiError`.
 *
 * @since 0.1.0
 * @category hooks
 */
export const responseHook = hooks.responseHook

/**
 * An error hook: maps the typed error of a failed attempt (before the retry decision).
 *
 * @since 0.1.0
 * @category hooks
 */
export const errorHook = hooks.errorHook

/**
 * Sets a header to a secret value, e.g. `Api.header("Private-Token", conn.token)`.
 *
 * @since 0.1.0
 * @category hooks
 */
export const header = hooks.header

/**
 * `Authorization: Bearer <token>`.
 *
 * @since 0.1.0
 * @category hooks
 */
export const bearer = hooks.bearer

/**
 * `Authorization: Basic base64(user:password)`.
 *
 * @since 0.1.0
 * @category hooks
 */
export const basic = hooks.basic

/**
 * An API key in a query parameter; the parameter is stripped from every shown URL.
 *
 * @since 0.1.0
 * @category hooks
 */
export const apiKeyQuery = hooks.apiKeyQuery

/**
 * Reports another status for some responses, e.g. GitHub's secondary-rate-limit 403 as 429.
 *
 * @example
 * ```ts
 * Api.remapStatus((res) => res.status === 200 && res.headers["x-error"] === "quota" ? 429 : res.status)
 * ```
 *
 * @since 0.1.0
 * @category hooks
 */
export const remapStatus = hooks.remapStatus

/**
 * The error a request hook fails with to abort a request.
 *
 * @since 0.1.0
 * @category hooks
 */
export const abort = hooks.abort

/**
 * A response with another status, delegating everything else (body included) to the original.
 *
 * @since 0.1.0
 * @category hooks
 */
export const withStatus = hooks.withStatus

// ---------------------------------------------------------------------------------------------
// constructors and layers
// ---------------------------------------------------------------------------------------------

/**
 * Builds a client over Node's undici transport (through `options.proxy` when set). The transport's
 * connections are closed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = client.make

/**
 * Builds a client over a given `HttpClient` (a stub in tests, or a transport of your own; `proxy`
 * is then the transport's business).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = client.makeWith

/**
 * A plugin's Api service from its connection.
 *
 * @example
 * ```ts
 * class MyApi extends Context.Tag("MyApi")<MyApi, Api.Client>() {}
 * const MyApiLive = (conn: MyConnection) =>
 *   Api.layer(MyApi, {
 *     baseUrl: conn.url, proxy: conn.proxy, rateLimitPerHour: conn.rateLimitPerHour,
 *     hooks: [Api.bearer(conn.token)], retry: { maxAttempts: 5 }, timeout: "30 seconds"
 *   })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = client.layer

/**
 * Like `layer`, over the `HttpClient` in the environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = client.layerWith

/**
 * A test layer: every request is answered by `handler` (no network), with the real hooks, errors,
 * retries and limiter in front of it.
 *
 * @example
 * ```ts
 * Api.layerTest(MyApi, { baseUrl: "https://api.test" }, (req) =>
 *   Response.json([{ id: 1 }]))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = client.layerTest

/**
 * An `HttpClient` whose every request is answered by `handler`; for `makeWith` in tests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stubTransport = client.stubTransport
export { Transport } from "./internal/api/lazyTransport.js"

// ---------------------------------------------------------------------------------------------
// substreams
// ---------------------------------------------------------------------------------------------

/**
 * Runs `f` for each parent with at most `concurrency` children at work at once, and emits their
 * output in parent order: all of parent 1's records, then parent 2's, and so on, whatever order
 * they finish in. Children ahead of the one being emitted buffer at most `bufferSize` chunks each,
 * so memory stays bounded by the concurrency. Requests still go through the connection's one
 * limiter and concurrency cap.
 *
 * @example
 * ```ts
 * const comments = Api.forEachParent(users, (user) =>
 *   api.paginate(Paginator.pageNumber({ size: 100 }), { path: ["users", user.id, "comments"], input: user }),
 *   { concurrency: 4 })
 * ```
 *
 * @since 0.1.0
 * @category substreams
 */
export const forEachParent = stream.forEachParent
