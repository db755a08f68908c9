/**
 * What a client tells about its requests: counters (its `Stats` and the process's metrics), debug logs,
 * the `Api.request` span, and the rate-limit headers it learns the server's budget from.
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Clock, Effect, Either, Metric, Option } from "effect"
import type { ApiError, Stats } from "../../Api.js"
import { parseReset } from "./headers.js"
import type { Announce, Limiter } from "./rateLimit.js"
import type { Prepared } from "./request.js"
import { seconds } from "./retry.js"
import type { Outcome } from "./send.js"
import type { Settings } from "./settings.js"

const requestsTotal = Metric.counter("tsdevlake_api_requests_total", {
  description: "HTTP requests sent by tsdevlake API clients"
})
const retriesTotal = Metric.counter("tsdevlake_api_retries_total", {
  description: "Requests retried after a transient error or rate limiting"
})
const rateLimitWaitsTotal = Metric.counter("tsdevlake_api_rate_limit_waits_total", {
  description: "Times a request waited for the proactive rate limiter"
})

/** The process-wide counters, tagged with one client's name. */
export interface Metrics {
  readonly requests: Metric.Metric.Counter<number>
  readonly retries: Metric.Metric.Counter<number>
  readonly waits: Metric.Metric.Counter<number>
}

/** @see Metrics */
export const metricsFor = (name: string): Metrics => ({
  requests: Metric.tagged(requestsTotal, "api", name),
  retries: Metric.tagged(retriesTotal, "api", name),
  waits: Metric.tagged(rateLimitWaitsTotal, "api", name)
})

/** A client's own counters, updated in place (read as a copy through `Client.stats`). */
export type MutableStats = { -readonly [K in keyof Stats]: Stats[K] }

/** Builds a debug log line only when debug logging is on: requests are a hot path. */
export const debug = (line: () => Effect.Effect<void>): Effect.Effect<void> =>
  Effect.asVoid(Effect.whenLogLevel(Effect.suspend(line), "Debug"))

/**
 * Effect's default tracer records spans nowhere, and a span per request costs about 40 µs of CPU; requests
 * get their `Api.request` span (and its status annotation) only under a tracer someone installed.
 */
const nativeTracer = Effect.runSync(Effect.tracer)

/** Runs attempt `n` (told whether it is traced) in an `Api.request` span when a tracer is installed. */
export const withRequestSpan = <A, E>(
  settings: Settings,
  info: Prepared,
  n: number,
  run: (traced: boolean) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.tracerWith((tracer) => {
    const traced = tracer !== nativeTracer
    const effect = run(traced)
    return traced
      ? Effect.withSpan(effect, "Api.request", {
        kind: "client",
        captureStackTrace: false,
        attributes: {
          "api.name": settings.name,
          "http.request.method": info.request.method,
          "url.template": info.template,
          "url.full": info.url,
          "http.request.attempt": n
        }
      })
      : effect
  })

/**
 * Logs, at info level and before it starts, a rate-limit wait of more than a second for the request `info`:
 * a run held back for minutes by a server's budget would otherwise look hung.
 */
export const announceWait = (settings: Settings, info: Prepared): Announce => (millis, reason) =>
  Effect.logInfo(
    `Api ${settings.name}: ${info.request.method} ${info.url} waits ${seconds(millis)} (${reason})`
  ).pipe(Effect.annotateLogs({ method: info.request.method, url: info.url, delayMs: millis, reason }))

/** Counts a wait for the rate limiter (`waited` millis; none when 0). */
export const recordWait = (settings: Settings, info: Prepared, waited: number): Effect.Effect<void> => {
  if (waited <= 0) return Effect.void
  settings.stats.rateLimitWaits += 1
  settings.stats.rateLimitWaitMillis += waited
  return Effect.zipRight(
    Metric.increment(settings.metrics.waits),
    debug(() =>
      Effect.logDebug(`Api ${settings.name}: waited ${waited} ms for the rate limiter`).pipe(
        Effect.annotateLogs({ method: info.request.method, url: info.url, waitedMs: waited })
      )
    )
  )
}

/** Counts a request sent. */
export const recordRequest = (settings: Settings): Effect.Effect<void> => {
  settings.stats.requests += 1
  return Metric.increment(settings.metrics.requests)
}

/** Logs the end of attempt `n`: its status (or error), shown URL and duration. */
export const logAttempt = (
  settings: Settings,
  info: Prepared,
  n: number,
  outcome: Either.Either<Outcome, ApiError>,
  status: number | undefined,
  durationMs: number
): Effect.Effect<void> =>
  debug(() => {
    const result = Either.isRight(outcome) ? String(status) : outcome.left._tag
    return Effect.logDebug(`Api ${settings.name}: ${info.request.method} ${info.template} → ${result}`).pipe(
      Effect.annotateLogs({
        method: info.request.method,
        url: Either.isLeft(outcome) ? outcome.left.url : info.url,
        status: status ?? "none",
        attempt: n,
        durationMs
      })
    )
  })

/** Logs a client's counters when it is released. */
export const logStats = (settings: Settings): Effect.Effect<void> => {
  const stats = settings.stats
  const waits = `${stats.rateLimitWaits} rate-limit waits (${stats.rateLimitWaitMillis} ms)`
  return Effect.logDebug(`Api ${settings.name}: ${stats.requests} requests, ${stats.retries} retries, ${waits}`).pipe(
    Effect.annotateLogs({ ...stats })
  )
}

/** Tightens the limiter from a response's `X-RateLimit-Remaining` / `X-RateLimit-Reset` (or IETF) headers. */
export const observeRateLimitHeaders =
  (limiter: Limiter) => (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
    Effect.gen(function*() {
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
