/**
 * Retrying: the policy from the options, the delays a server asks for (`Retry-After`, a rate-limit reset),
 * the backoff schedule, and the decision to retry a failed attempt or give up.
 */
import * as Headers from "@effect/platform/Headers"
import { Clock, Duration, Effect, Metric, Option, Random } from "effect"
import type { ApiError, JsonResponse, Options } from "../../Api.js"
import { isRetryable, type RateLimited, rebuild, type Transient } from "./errors.js"
import { parseReset, parseRetryAfter } from "./headers.js"
import type { Settings } from "./settings.js"

/** `RetryOptions` resolved: delays in millis. */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelay: number
  readonly maxDelay: number
  readonly factor: number
  readonly jitter: number
  readonly maxRetryAfter: number
  readonly retryWhile: (error: ApiError) => boolean
}

/** The retry policy of a client's options, defaults filled in. */
export const retryPolicyOf = (options: Options): RetryPolicy => {
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

/** The millis a response's `Retry-After` asks to wait, if it has a valid one. */
export const retryAfterOf = (headers: Headers.Headers, now: number): number | undefined =>
  Option.getOrUndefined(Option.flatMap(Headers.get(headers, "retry-after"), (v) => parseRetryAfter(v, now)))

/** Whether a response says the server's rate-limit budget is spent (`X-RateLimit-Remaining: 0`). */
export const budgetExhausted = (headers: Headers.Headers): boolean =>
  Headers.get(headers, "x-ratelimit-remaining").pipe(Option.exists((v) => v.trim() === "0"))

/** The millis until the server's `X-RateLimit-Reset`, if the response has a valid one. */
export const untilResetOf = (headers: Headers.Headers, now: number): number | undefined =>
  Option.getOrUndefined(
    Option.flatMap(Headers.get(headers, "x-ratelimit-reset"), (v) =>
      Option.map(parseReset(v, now), (at) => Math.max(0, at - now)))
  )

/**
 * The delay before retry `n + 1` (`n` attempts made), `r` a random number in [0, 1): the server's delay
 * when it asked for one (none, meaning give up, when that is longer than `maxRetryAfter`), else the
 * exponential backoff, capped, with `r` taking off up to `jitter` of it.
 */
export const delayFor = (
  policy: RetryPolicy,
  error: RateLimited | Transient,
  n: number,
  r: number
): Option.Option<number> => {
  if (error.retryAfterMillis !== undefined) {
    return error.retryAfterMillis <= policy.maxRetryAfter ? Option.some(error.retryAfterMillis) : Option.none()
  }
  const raw = Math.min(policy.maxDelay, policy.baseDelay * Math.pow(policy.factor, n - 1))
  return Option.some(Math.round(raw * (1 - policy.jitter * r)))
}

/**
 * After attempt `n` failed with `error` (error hooks applied): waits and runs `again`, or fails with the
 * error and the number of attempts made when it is not retryable, the attempts are spent or the server
 * asked for too long a wait.
 */
export const retryOrFail = (
  settings: Settings,
  error: ApiError,
  n: number,
  again: () => Effect.Effect<JsonResponse, ApiError>
): Effect.Effect<JsonResponse, ApiError> =>
  Effect.gen(function*() {
    const { policy, scrubbing } = settings
    const giveUp = () => Effect.fail(rebuild(error, scrubbing.scrub, scrubbing.sanitize, { attempts: n }))
    if (!isRetryable(error) || n >= policy.maxAttempts || !policy.retryWhile(error)) return yield* giveUp()
    const delay = delayFor(policy, error, n, yield* Random.next)
    if (Option.isNone(delay)) return yield* giveUp()
    if (error.retryAfterMillis !== undefined) {
      // The server asked the whole connection to back off, not only this request.
      const now = yield* Clock.currentTimeMillis
      yield* settings.limiter.pauseUntil(now + delay.value)
    }
    settings.stats.retries += 1
    yield* Metric.increment(settings.metrics.retries)
    // At info level: a run waiting on a failing or throttling server would otherwise print nothing for minutes.
    const shown = rebuild(error, scrubbing.scrub, scrubbing.sanitize)
    yield* Effect.logInfo(
      `Api ${settings.name}: ${shown.method} ${shown.url} ${reasonOf(shown)}; retrying in ${
        seconds(delay.value)
      } (attempt ${n + 1} of ${policy.maxAttempts})`
    ).pipe(Effect.annotateLogs({ method: shown.method, url: shown.url, attempt: n, delayMs: delay.value }))
    yield* Effect.sleep(Duration.millis(delay.value))
    return yield* again()
  })

/** Why an attempt is retried, in a few words: the status, the timeout, or the transport's first line. */
export const reasonOf = (error: RateLimited | Transient): string => {
  if (error._tag === "RateLimited") return `was rate limited (HTTP ${error.status ?? 429})`
  switch (error.reason) {
    case "status":
      return `failed with HTTP ${error.status ?? "error"}`
    case "timeout":
      return `timed out${error.detail === undefined ? "" : ` (${error.detail})`}`
    case "transport":
      return `failed in transport${error.detail === undefined ? "" : ` (${firstLine(error.detail)})`}`
  }
}

const firstLine = (text: string): string => {
  const line = text.split(/\r?\n/, 1)[0] ?? ""
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/** Millis as seconds for a log line: `0.25 s`, `2 s`, `90 s`. */
export const seconds = (millis: number): string => `${Number((millis / 1000).toFixed(millis < 10_000 ? 2 : 0))} s`
