// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import {
  Chunk,
  Clock,
  type Context,
  Duration,
  Effect,
  Either,
  identity,
  Layer,
  Metric,
  Option,
  Random,
  Redacted,
  Schema,
  Scope,
  Stream
} from "effect"
import type {
  ApiError,
  Client,
  Hook,
  JsonResponse,
  Options,
  RawRecord,
  RequestOptions,
  RequestSpec,
  Stats
} from "../../Api.js"
import type { Paginator } from "../../Paginator.js"
import {
  DecodeError,
  HttpStatusError,
  isApiError,
  isRetryable,
  NotFound,
  RateLimited,
  rebuild,
  RequestAborted,
  ResponseTimeout,
  Transient,
  Unauthorized
} from "./errors.js"
import * as hooks from "./hooks.js"
import {
  defaultSecretParams,
  excerpt,
  makeScrubber,
  parseBaseUrl,
  parseReset,
  parseRetryAfter,
  resolveUrl,
  sanitizeUrl
} from "./url.js"
import * as RateLimit from "./rateLimit.js"

const requestsTotal = Metric.counter("tsdevlake_api_requests_total", {
  description: "HTTP requests sent by tsdevlake API clients"
})
const retriesTotal = Metric.counter("tsdevlake_api_retries_total", {
  description: "Requests retried after a transient error or rate limiting"
})
const rateLimitWaitsTotal = Metric.counter("tsdevlake_api_rate_limit_waits_total", {
  description: "Times a request waited for the proactive rate limiter"
})

const fullUrlOf = (request: HttpClientRequest.HttpClientRequest): string =>
  Either.match(UrlParams.makeUrl(request.url, request.urlParams, request.hash), {
    onLeft: () => request.url,
    onRight: (url) => url.href
  })

const causeText = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const inner = (cause as { cause?: unknown }).cause
    const own = typeof code === "string" ? `${code}: ${cause.message}` : cause.message
    return inner !== undefined && inner !== cause ? `${own} (${causeText(inner)})` : own
  }
  return String(cause)
}

const sensitiveHeaders: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "private-token",
  "x-api-key",
  "x-auth-token",
  "api-key"
])

/** Builds a debug log line only when debug logging is on: requests are a hot path. */
const debug = (line: () => Effect.Effect<void>): Effect.Effect<void> =>
  Effect.asVoid(Effect.whenLogLevel(Effect.suspend(line), "Debug"))

/**
 * Effect's default tracer records spans nowhere, and a span per request costs about 40 µs of CPU; requests
 * get their `Api.request` span (and its status annotation) only under a tracer someone installed.
 */
const nativeTracer = Effect.runSync(Effect.tracer)

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])
const maxRedirects = 5

type Outcome =
  | { readonly _tag: "Ok"; readonly response: JsonResponse }
  | { readonly _tag: "Redirect"; readonly status: number; readonly location: string }

/**
 * Whether a body is empty or JSON whitespace only: stops at the first character of a JSON body, where `trim()`
 * would copy the whole body (and a regular expression first flattens a body built by concatenation).
 */
const isBlank = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false
  }
  return true
}

const retryableStatus = (status: number) => status === 408 || status >= 500

interface Settings {
  readonly maxAttempts: number
  readonly baseDelay: number
  readonly maxDelay: number
  readonly factor: number
  readonly jitter: number
  readonly maxRetryAfter: number
  readonly retryWhile: (error: ApiError) => boolean
}

const settingsOf = (options: Options): Settings => {
  const retry = options.retry ?? {}
  return {
    maxAttempts: Math.max(1, Math.floor(retry.maxAttempts ?? 5)),
    baseDelay: Duration.toMillis(retry.baseDelay ?? Duration.seconds(1)),
    maxDelay: Duration.toMillis(retry.maxDelay ?? Duration.minutes(1)),
    factor: retry.factor ?? 2,
    jitter: Math.min(1, Math.max(0, retry.jitter ?? 0.5)),
    maxRetryAfter: Duration.toMillis(retry.maxRetryAfter ?? Duration.hours(1)),
    retryWhile: retry.while ?? (() => true)
  }
}

/** @internal */
export const makeWith = (
  options: Options,
  transport: HttpClient.HttpClient,
  // The built-in transport enforces the timeout itself, without a fiber per request; any other transport
  // gets Effect's timeout around each request (hooks and body included).
  transportTimesOut = false
): Effect.Effect<Client, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { base, password, username } = yield* Effect.try(() => parseBaseUrl(options.baseUrl)).pipe(
      // The URL may hold credentials, so the message does not repeat it.
      Effect.orDieWith(() => new Error("Api: the connection's base URL is not a valid absolute URL"))
    )
    const userHooks: Array<Hook> = [
      ...(username !== "" ? [hooks.basic(username, password)] : []),
      ...(options.hooks ?? [])
    ]
    const secretParams = new Set(
      [...defaultSecretParams, ...(options.secretParams ?? []), ...userHooks.flatMap((h) => h.secretParams)]
        .map((p) => p.toLowerCase())
    )
    const scrub = makeScrubber([
      ...userHooks.flatMap((h) => h.secrets).map(Redacted.value),
      ...(options.secrets ?? []).map(Redacted.value),
      password
    ])
    const sanitize = (url: string) => scrub(sanitizeUrl(url, secretParams))
    // Secrets a caller put straight into one request (a secret query parameter, an Authorization
    // header) are masked too, for a server may echo them back in an error body. Computed once per
    // request object: URL parsing is a measurable share of a request's CPU time.
    const described = new WeakMap<
      HttpClientRequest.HttpClientRequest,
      { readonly url: string; readonly scrub: (text: string) => string }
    >()
    const describeRequest = (request: HttpClientRequest.HttpClientRequest) => {
      const cached = described.get(request)
      if (cached !== undefined) return cached
      const full = fullUrlOf(request)
      let requestScrub: ((text: string) => string) | undefined
      const out = {
        // Secret parameters are stripped and hook secrets masked; the request's own header values
        // cannot be in its URL, so the costlier per-request scrubber is built only for error text.
        url: scrub(sanitizeUrl(full, secretParams)),
        get scrub() {
          return requestScrub ??= scrubberFor(request, full)
        }
      }
      described.set(request, out)
      return out
    }
    const scrubberFor = (request: HttpClientRequest.HttpClientRequest, full: string) => {
      const values: Array<string> = []
      try {
        for (const [key, value] of new URL(full).searchParams) {
          if (secretParams.has(key.toLowerCase())) values.push(value)
        }
      } catch {
        // An unparsable URL was refused before it was sent; nothing of it is echoed back.
      }
      for (const [key, value] of Object.entries(request.headers)) {
        if (!sensitiveHeaders.has(key)) continue
        values.push(value)
        const credential = value.split(" ").slice(1).join(" ")
        if (credential !== "") values.push(credential)
      }
      if (values.length === 0) return scrub
      const more = makeScrubber(values)
      return (text: string) => more(scrub(text))
    }
    const name = options.name ?? base.host
    const timeout = timeoutOf(options)
    const settings = settingsOf(options)
    const observeHeaders = options.rateLimitHeaders ?? true
    const limiter = yield* RateLimit.make(
      options.rateLimit !== undefined
        ? options.rateLimit
        : { limit: options.rateLimitPerHour ?? undefined, interval: Duration.hours(1) }
    )
    const slots = yield* Effect.makeSemaphore(Math.max(1, Math.floor(options.concurrency ?? 8)))
    const stats = { requests: 0, retries: 0, rateLimitWaits: 0, rateLimitWaitMillis: 0 }
    const requests = Metric.tagged(requestsTotal, "api", name)
    const retries = Metric.tagged(retriesTotal, "api", name)
    const waits = Metric.tagged(rateLimitWaitsTotal, "api", name)

    const fromHttpClientError = (error: HttpClientError.HttpClientError): ApiError => {
      const method = error.request.method
      const { scrub, url } = describeRequest(error.request)
      if (error.cause instanceof ResponseTimeout) {
        return new Transient({ method, url, reason: "timeout", detail: error.cause.message })
      }
      if (error._tag === "RequestError" && error.reason !== "Transport") {
        return new RequestAborted({ method, url, reason: scrub(`${error.reason}: ${causeText(error.cause)}`) })
      }
      return new Transient({ method, url, reason: "transport", detail: scrub(causeText(error.cause ?? error.reason)) })
    }

    const framework: HttpClient.HttpClient.With<ApiError> = transport.pipe(
      // Our own span carries the sanitised URL; the platform's would record secret query parameters.
      HttpClient.withTracerDisabledWhen(() => true),
      // Failures of later request hooks flow through here too (the platform feeds the preprocessed
      // request into the postprocess chain), and they are ApiErrors already.
      HttpClient.catchAll((error) => Effect.fail(isApiError(error) ? error : fromHttpClientError(error))),
      HttpClient.mapRequest(HttpClientRequest.acceptJson),
      HttpClient.mapRequest(HttpClientRequest.setHeader("user-agent", "tsdevlake")),
      observeHeaders ? HttpClient.tap((response) => observe(response)) : (c) => c
    )
    const hooked = userHooks.reduce(
      (client, hook) => hook.middleware !== undefined ? hook.middleware(client) : client,
      framework
    )
    const errorHooks = userHooks.flatMap((h) => h.onError !== undefined ? [h.onError] : [])

    function observe(response: HttpClientResponse.HttpClientResponse) {
      return Effect.gen(function*() {
        // A platform response builds a new Headers object on every `headers` access.
        const headers = response.headers
        const remaining = Headers.get(headers, "x-ratelimit-remaining").pipe(
          Option.orElse(() => Headers.get(headers, "ratelimit-remaining"))
        )
        const reset = Headers.get(headers, "x-ratelimit-reset").pipe(
          Option.orElse(() => Headers.get(headers, "ratelimit-reset"))
        )
        if (Option.isNone(remaining) || Option.isNone(reset)) return
        const now = yield* Clock.currentTimeMillis
        const left = Number(remaining.value)
        const resetAt = parseReset(reset.value, now)
        if (Number.isFinite(left) && Option.isSome(resetAt)) yield* limiter.observe(left, resetAt.value)
      })
    }

    const classify = (
      response: HttpClientResponse.HttpClientResponse,
      text: string,
      spec: RequestSpec,
      now: number
    ): Either.Either<JsonResponse, ApiError> => {
      const status = response.status
      const method = response.request.method
      const described = describeRequest(response.request)
      const url = described.url
      if (status >= 200 && status < 300) {
        if (isBlank(text)) return Either.right({ status, headers: response.headers, body: null, url, request: spec })
        try {
          return Either.right({ status, headers: response.headers, body: JSON.parse(text), url, request: spec })
        } catch (e) {
          const scrub = described.scrub
          return Either.left(
            new DecodeError({
              method,
              url,
              status,
              bodyExcerpt: scrub(excerpt(text)),
              detail: scrub(`invalid JSON: ${causeText(e)}`)
            })
          )
        }
      }
      const fields = { method, url, status, bodyExcerpt: described.scrub(excerpt(text)) }
      const headers = response.headers
      const retryAfter = Option.getOrUndefined(
        Option.flatMap(Headers.get(headers, "retry-after"), (v) => parseRetryAfter(v, now))
      )
      const exhausted = Headers.get(headers, "x-ratelimit-remaining").pipe(
        Option.exists((v) => v.trim() === "0")
      )
      const untilReset = exhausted
        ? Option.getOrUndefined(
          Option.flatMap(Headers.get(headers, "x-ratelimit-reset"), (v) =>
            Option.map(parseReset(v, now), (at) => Math.max(0, at - now)))
        )
        : undefined
      const wait = retryAfter ?? untilReset
      if (status === 429 || (status === 403 && (retryAfter !== undefined || exhausted))) {
        return Either.left(new RateLimited(wait !== undefined ? { ...fields, retryAfterMillis: wait } : fields))
      }
      if (status === 401 || status === 403) return Either.left(new Unauthorized(fields))
      if (status === 404) return Either.left(new NotFound(fields))
      if (retryableStatus(status)) {
        return Either.left(
          new Transient({ ...fields, reason: "status", ...(retryAfter !== undefined ? { retryAfterMillis: retryAfter } : {}) })
        )
      }
      return Either.left(new HttpStatusError(fields))
    }

    const toRequest = (spec: RequestSpec) => {
      const method = spec.method ?? "GET"
      const resolved = resolveUrl(base, spec.path, spec.params, spec.query)
      if ("error" in resolved) {
        const shown = typeof spec.path === "string" ? spec.path : base.href
        return Either.left(new RequestAborted({ method, url: sanitize(shown), reason: scrub(resolved.error) }))
      }
      let request = HttpClientRequest.make(method)(resolved.url)
      if (spec.headers !== undefined) request = HttpClientRequest.setHeaders(request, spec.headers)
      if (spec.json !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, spec.json)
      return Either.right({ request, template: scrub(resolved.template), url: sanitize(resolved.url.href) })
    }

    const attempt = (
      spec: RequestSpec,
      request: HttpClientRequest.HttpClientRequest,
      shownUrl: string,
      template: string,
      n: number
    ): Effect.Effect<Outcome, ApiError> =>
      Effect.tracerWith((tracer) => {
        const traced = tracer !== nativeTracer
        const sent = send(request, shownUrl, template, n, spec, traced)
        return traced
          ? Effect.withSpan(sent, "Api.request", {
            kind: "client",
            captureStackTrace: false,
            attributes: {
              "api.name": name,
              "http.request.method": request.method,
              "url.template": template,
              "url.full": shownUrl,
              "http.request.attempt": n
            }
          })
          : sent
      })

    const send = (
      request: HttpClientRequest.HttpClientRequest,
      shownUrl: string,
      template: string,
      n: number,
      spec: RequestSpec,
      traced: boolean
    ): Effect.Effect<Outcome, ApiError> =>
      slots.withPermits(1)(Effect.gen(function*() {
        const waited = yield* limiter.acquire
        if (waited > 0) {
          stats.rateLimitWaits += 1
          stats.rateLimitWaitMillis += waited
          yield* Metric.increment(waits)
          yield* debug(() =>
            Effect.logDebug(`Api ${name}: waited ${waited} ms for the rate limiter`).pipe(
              Effect.annotateLogs({ method: request.method, url: shownUrl, waitedMs: waited })
            )
          )
        }
        stats.requests += 1
        yield* Metric.increment(requests)
        const started = yield* Clock.currentTimeMillis
        const outcome = yield* hooked.execute(request).pipe(
          Effect.flatMap((response) =>
            Effect.map(
              Effect.mapError(response.text, (error) => fromHttpClientError(error)),
              (text) => ({ response, text })
            )
          ),
          transportTimesOut ? identity : Effect.timeoutFail({
            duration: timeout,
            onTimeout: () =>
              new Transient({
                method: request.method,
                url: shownUrl,
                reason: "timeout",
                detail: new ResponseTimeout(timeout).message
              })
          }),
          Effect.flatMap(({ response, text }): Effect.Effect<Outcome, ApiError> => {
            const location = redirectStatuses.has(response.status)
              ? Headers.get(response.headers, "location")
              : Option.none()
            if (Option.isSome(location)) {
              return Effect.succeed({
                _tag: "Redirect",
                status: response.status,
                location: new URL(location.value, fullUrlOf(response.request)).href
              })
            }
            return Effect.flatMap(Clock.currentTimeMillis, (now) =>
              Either.map(classify(response, text, spec, now), (response) => ({ _tag: "Ok", response })))
          }),
          Effect.either
        )
        const ended = yield* Clock.currentTimeMillis
        const status = Either.isRight(outcome)
          ? (outcome.right._tag === "Ok" ? outcome.right.response.status : outcome.right.status)
          : outcome.left.status
        if (traced && status !== undefined) yield* Effect.annotateCurrentSpan("http.response.status_code", status)
        yield* debug(() => {
          const result = Either.isRight(outcome) ? String(status) : outcome.left._tag
          return Effect.logDebug(`Api ${name}: ${request.method} ${template} → ${result}`).pipe(
            Effect.annotateLogs({
              method: request.method,
              url: Either.isLeft(outcome) ? outcome.left.url : shownUrl,
              status: status ?? "none",
              attempt: n,
              durationMs: ended - started
            })
          )
        })
        return yield* outcome
      }))

    // Errors from user hooks get the same sanitising as the client's own, after the error hooks.
    const finalise = (error: ApiError): Effect.Effect<ApiError> =>
      Effect.gen(function*() {
        let mapped = error
        for (const onError of errorHooks) mapped = yield* onError(mapped)
        return rebuild(mapped, scrub, sanitize)
      })

    const delayFor = (error: RateLimited | Transient, n: number): Effect.Effect<Option.Option<number>> =>
      Effect.map(Random.next, (r) => {
        if (error.retryAfterMillis !== undefined) {
          return error.retryAfterMillis <= settings.maxRetryAfter ? Option.some(error.retryAfterMillis) : Option.none()
        }
        const raw = Math.min(settings.maxDelay, settings.baseDelay * Math.pow(settings.factor, n - 1))
        return Option.some(Math.round(raw * (1 - settings.jitter * r)))
      })

    const retryOrFail = (
      raw: ApiError,
      n: number,
      again: () => Effect.Effect<JsonResponse, ApiError>
    ): Effect.Effect<JsonResponse, ApiError> =>
      Effect.gen(function*() {
        const error = yield* finalise(raw)
        if (!isRetryable(error) || n >= settings.maxAttempts || !settings.retryWhile(error)) {
          return yield* Effect.fail(rebuild(error, scrub, sanitize, { attempts: n }))
        }
        const delay = yield* delayFor(error, n)
        if (Option.isNone(delay)) return yield* Effect.fail(rebuild(error, scrub, sanitize, { attempts: n }))
        if (error.retryAfterMillis !== undefined) {
          // The server asked the whole connection to back off, not only this request.
          const now = yield* Clock.currentTimeMillis
          yield* limiter.pauseUntil(now + delay.value)
        }
        stats.retries += 1
        yield* Metric.increment(retries)
        yield* Effect.logDebug(
          `Api ${name}: retrying ${error.method} ${error.url} in ${delay.value} ms (attempt ${n + 1} of ${settings.maxAttempts}) after ${error._tag}`
        ).pipe(Effect.annotateLogs({ method: error.method, url: error.url, attempt: n, delayMs: delay.value }))
        yield* Effect.sleep(Duration.millis(delay.value))
        return yield* again()
      })

    /**
     * Same-origin redirects are followed (as Go's and Python's clients do) through the hooks again;
     * a redirect elsewhere is refused, since the hooks would send the connection's credentials there.
     * The response keeps the original request spec, so paginators continue from what was asked.
     */
    const execute = (spec: RequestSpec): Effect.Effect<JsonResponse, ApiError> => {
      const send = (current: RequestSpec, redirects: number): Effect.Effect<JsonResponse, ApiError> =>
        Either.match(toRequest(current), {
          onLeft: (error) => Effect.flatMap(finalise(error), Effect.fail),
          onRight: ({ request, template, url }) => {
            const loop = (n: number): Effect.Effect<JsonResponse, ApiError> =>
              attempt(spec, request, url, template, n).pipe(
                Effect.matchEffect({
                  onFailure: (error) => retryOrFail(error, n, () => loop(n + 1)),
                  onSuccess: (outcome) => {
                    if (outcome._tag === "Ok") return Effect.succeed(outcome.response)
                    if (redirects >= maxRedirects) {
                      return Effect.flatMap(
                        finalise(
                          new HttpStatusError({
                            method: request.method,
                            url,
                            status: outcome.status,
                            bodyExcerpt: `gave up after ${maxRedirects} redirects`
                          })
                        ),
                        Effect.fail
                      )
                    }
                    const seeOther = outcome.status === 303
                    const { json: _json, params: _params, query: _query, ...rest } = current
                    const next: RequestSpec = seeOther
                      ? { ...rest, method: "GET", path: outcome.location }
                      : { ...current, params: undefined, query: undefined, path: outcome.location }
                    return send(next, redirects + 1)
                  }
                })
              )
            return loop(1)
          }
        })
      return send(spec, 0)
    }

    const decodeWith = <A, I>(schema: Schema.Schema<A, I, never>) => (response: JsonResponse) =>
      Effect.mapError(
        Schema.decodeUnknown(schema)(response.body),
        (error) =>
          new DecodeError({
            method: response.request.method ?? "GET",
            url: response.url,
            status: response.status,
            detail: scrub(excerpt(error.message, 500))
          })
      )

    const bodyOf = (method: "GET" | "POST") =>
    (
      path: RequestSpec["path"],
      options: RequestOptions & { readonly schema?: Schema.Schema<any, any, never> } = {}
    ): Effect.Effect<any, ApiError> => {
      const { schema, ...rest } = options
      const response = execute({ ...rest, method, path })
      return schema === undefined ? Effect.map(response, (r) => r.body) : Effect.flatMap(response, decodeWith(schema))
    }

    const paginate = (paginator: Paginator, request: RequestSpec = {}): Stream.Stream<RawRecord, ApiError> =>
      Stream.paginateChunkEffect(paginator.start(request), (spec) =>
        Effect.gen(function*() {
          const response = yield* execute(spec)
          const page = yield* Effect.mapError(paginator.page(response), (error) => rebuild(error, scrub, sanitize))
          if (Option.isSome(page.next) && sameRequest(page.next.value, spec)) {
            return yield* new DecodeError({
              method: spec.method ?? "GET",
              url: response.url,
              status: response.status,
              detail: `paginator "${paginator.name}" asked for the same page again; stopping to avoid an endless loop`
            })
          }
          const records = Chunk.fromIterable(page.items.map((data): RawRecord =>
            spec.input === undefined ? { data, url: response.url } : { data, url: response.url, input: spec.input }
          ))
          return [records, page.next] as const
        }))

    yield* Effect.addFinalizer(() =>
      Effect.logDebug(
        `Api ${name}: ${stats.requests} requests, ${stats.retries} retries, ${stats.rateLimitWaits} rate-limit waits (${stats.rateLimitWaitMillis} ms)`
      ).pipe(Effect.annotateLogs({ ...stats }))
    )

    const client: Client = {
      baseUrl: sanitize(base.href),
      execute,
      get: bodyOf("GET") as Client["get"],
      post: bodyOf("POST") as Client["post"],
      paginate,
      sanitizeUrl: sanitize,
      stats: Effect.sync((): Stats => ({ ...stats }))
    }
    return client
  })

const timeoutOf = (options: Options) => Duration.decode(options.timeout ?? Duration.seconds(30))

const sameRequest = (a: RequestSpec, b: RequestSpec): boolean => {
  try {
    return JSON.stringify([a.method, a.path, a.params, a.query, a.json]) ===
      JSON.stringify([b.method, b.path, b.params, b.query, b.json])
  } catch {
    return false
  }
}

/** @internal */
export const make = (options: Options): Effect.Effect<Client, never, Scope.Scope> =>
  Effect.gen(function*() {
    const proxy = options.proxy ?? ""
    if (proxy !== "" && !/^https?:\/\/[^/]/i.test(proxy)) {
      return yield* Effect.dieMessage("Api: the connection's proxy is not an http:// or https:// URL")
    }
    const transport = yield* lazyTransport(proxy, timeoutOf(options))
    const proxySecrets = proxy !== "" ? proxyPassword(proxy) : []
    return yield* makeWith({ ...options, secrets: [...(options.secrets ?? []), ...proxySecrets] }, transport, true)
  })

/**
 * The undici transport, imported and built on the first request: a plugin's API client is part of every
 * subtask's context, and extract and convert, which send nothing, would otherwise pay for loading undici
 * (about 50 ms of start-up). Its dispatcher is released with the client's scope.
 */
const lazyTransport = (proxy: string, timeout: Duration.Duration): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const real = yield* Effect.cached(
      Effect.flatMap(
        Effect.promise(() => import("./transport.js")),
        ({ undiciTransport }) => Scope.extend(undiciTransport(proxy, timeout), scope)
      )
    )
    // `makeWith`, not `make`: `make` would run a second layer of per-request machinery (URL parsing, an
    // AbortController, interruption handling) around the real client's own.
    return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (request) => Effect.flatMap(Effect.zip(real, request), ([client, request]) => client.execute(request)),
      Effect.succeed
    )
  })

const proxyPassword = (proxy: string): Array<Redacted.Redacted<string>> => {
  try {
    const password = decodeURIComponent(new URL(proxy).password)
    return password !== "" ? [Redacted.make(password)] : []
  } catch {
    return []
  }
}

/** @internal */
export const stubTransport = (
  handler: (request: HttpClientRequest.HttpClientRequest, url: URL) => Response | Effect.Effect<Response>
): HttpClient.HttpClient =>
  HttpClient.make((request, url) => {
    const out = handler(request, url)
    return Effect.map(Effect.isEffect(out) ? out : Effect.succeed(out), (response) =>
      HttpClientResponse.fromWeb(request, response))
  })

/** @internal */
export const layer = <I>(tag: Context.Tag<I, Client>, options: Options): Layer.Layer<I> =>
  Layer.scoped(tag, make(options))

/** @internal */
export const layerWith = <I>(
  tag: Context.Tag<I, Client>,
  options: Options
): Layer.Layer<I, never, HttpClient.HttpClient> =>
  Layer.scoped(tag, Effect.flatMap(HttpClient.HttpClient, (transport) => makeWith(options, transport)))

/** @internal */
export const layerTest = <I>(
  tag: Context.Tag<I, Client>,
  options: Options,
  handler: (request: HttpClientRequest.HttpClientRequest, url: URL) => Response | Effect.Effect<Response>
): Layer.Layer<I> => Layer.scoped(tag, makeWith(options, stubTransport(handler)))
