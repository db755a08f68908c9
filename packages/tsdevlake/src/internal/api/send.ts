/**
 * Sending one attempt of a request: the HttpClient pipeline (the framework's middleware, then the hooks,
 * over the transport), a slot of the connection's concurrency, the rate limiter, the timeout, and the
 * attempt's outcome: a classified response, or a redirect to follow.
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Clock, Effect, Either, identity, Option } from "effect"
import type { ApiError, Hook, JsonResponse, RequestSpec } from "../../Api.js"
import { classify, fromHttpClientError } from "./classify.js"
import { isApiError, ResponseTimeout, Transient } from "./errors.js"
import {
  announceWait,
  logAttempt,
  observeRateLimitHeaders,
  recordRequest,
  recordWait,
  withRequestSpan
} from "./observe.js"
import type { Limiter } from "./rateLimit.js"
import { type Describe, fullUrlOf, type Prepared } from "./request.js"
import type { Settings } from "./settings.js"

/** What an attempt came to, when it did not fail. */
export type Outcome =
  | { readonly _tag: "Ok"; readonly response: JsonResponse }
  | { readonly _tag: "Redirect"; readonly status: number; readonly location: string }

/**
 * The client requests go through: the transport with its errors as `ApiError`s, the framework's own
 * middleware (JSON accept header, user agent, rate-limit header observation), then the hooks in order.
 */
export const makePipeline = (
  transport: HttpClient.HttpClient,
  hooks: ReadonlyArray<Hook>,
  describe: Describe,
  limiter: Limiter,
  observeHeaders: boolean,
  transportOpensSpans: boolean
): HttpClient.HttpClient.With<ApiError> => {
  const framework: HttpClient.HttpClient.With<ApiError> = transport.pipe(
    // Our own span carries the sanitised URL; a platform client's would record secret query parameters. The
    // built-in transport opens none, and the switch costs 7 to 8 µs of CPU a request (a fiber-local update).
    transportOpensSpans ? HttpClient.withTracerDisabledWhen(() => true) : identity,
    // Failures of later request hooks flow through here too (the platform feeds the preprocessed
    // request into the postprocess chain), and they are ApiErrors already.
    HttpClient.catchAll((error) =>
      Effect.fail(isApiError(error) ? error : fromHttpClientError(error, describe(error.request)))
    ),
    HttpClient.mapRequest(HttpClientRequest.acceptJson),
    HttpClient.mapRequest(HttpClientRequest.setHeader("user-agent", "tsdevlake")),
    observeHeaders ? HttpClient.tap(observeRateLimitHeaders(limiter)) : (c) => c
  )
  return hooks.reduce(
    (client, hook) => hook.middleware !== undefined ? hook.middleware(client) : client,
    framework
  )
}

/** Attempt `n` of a prepared request (of `spec`), in its span when traced. */
export const attempt = (
  settings: Settings,
  spec: RequestSpec,
  prepared: Prepared,
  n: number
): Effect.Effect<Outcome, ApiError> =>
  withRequestSpan(settings, prepared, n, (traced) => send(settings, spec, prepared, n, traced))

const send = (
  settings: Settings,
  spec: RequestSpec,
  prepared: Prepared,
  n: number,
  traced: boolean
): Effect.Effect<Outcome, ApiError> =>
  settings.slots.withPermits(1)(Effect.gen(function*() {
    yield* recordWait(settings, prepared, yield* settings.limiter.acquireWith(announceWait(settings, prepared)))
    yield* recordRequest(settings)
    const started = yield* Clock.currentTimeMillis
    const outcome = yield* Effect.either(exchange(settings, spec, prepared))
    const ended = yield* Clock.currentTimeMillis
    const status = Either.isRight(outcome)
      ? (outcome.right._tag === "Ok" ? outcome.right.response.status : outcome.right.status)
      : outcome.left.status
    if (traced && status !== undefined) yield* Effect.annotateCurrentSpan("http.response.status_code", status)
    yield* logAttempt(settings, prepared, n, outcome, status, ended - started)
    return yield* outcome
  }))

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/** The request through the pipeline, its body read within the timeout, and the response classified. */
const exchange = (settings: Settings, spec: RequestSpec, prepared: Prepared): Effect.Effect<Outcome, ApiError> => {
  const { request, url } = prepared
  return settings.http.execute(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(
        Effect.mapError(response.text, (error) => fromHttpClientError(error, settings.describe(error.request))),
        (text) => ({ response, text })
      )
    ),
    settings.transportTimesOut ? identity : Effect.timeoutFail({
      duration: settings.timeout,
      onTimeout: () =>
        new Transient({
          method: request.method,
          url,
          reason: "timeout",
          detail: new ResponseTimeout(settings.timeout).message
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
        Either.map(
          classify(response, text, spec, now, settings.describe(response.request)),
          (response) => ({ _tag: "Ok", response })
        ))
    })
  )
}
