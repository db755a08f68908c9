/**
 * A client's options resolved once, into the record every step of a request reads: its name and base URL,
 * scrubbing, HttpClient pipeline (hooks over the transport), error hooks, retry policy, rate limiter,
 * concurrency slots, timeout, counters.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Duration, Effect, FiberRef, Option } from "effect"
import type { ApiError, Hook, Options } from "../../Api.js"
import * as hooks from "./hooks.js"
import { type Metrics, metricsFor, type MutableStats } from "./observe.js"
import * as RateLimit from "./rateLimit.js"
import { type Describe, makeDescribe, makeScrubbing, type Scrubbing } from "./request.js"
import { type RetryPolicy, retryPolicyOf } from "./retry.js"
import { makePipeline } from "./send.js"
import { parseBaseUrl } from "./url.js"

/** @see the module's doc */
export interface Settings {
  /** Name in logs, spans and metrics. */
  readonly name: string
  /** Relative paths resolve against it (it ends with "/"); no user-info. */
  readonly base: URL
  readonly scrubbing: Scrubbing
  readonly describe: Describe
  readonly http: HttpClient.HttpClient.With<ApiError>
  readonly errorHooks: ReadonlyArray<(error: ApiError) => Effect.Effect<ApiError>>
  readonly policy: RetryPolicy
  readonly limiter: RateLimit.Limiter
  readonly slots: Effect.Semaphore
  /** Per attempt, response and body included. */
  readonly timeout: Duration.Duration
  /** Whether the transport enforces `timeout` itself (else each attempt is raced against it). */
  readonly transportTimesOut: boolean
  readonly stats: MutableStats
  readonly metrics: Metrics
}

/** The per-attempt timeout of a client's options. */
export const timeoutOf = (options: Options): Duration.Duration =>
  Duration.decode(options.timeout ?? Duration.seconds(30))

/** Limits that override a client's options: its attempts per request, and the longest timeout of one. */
export interface Limits {
  readonly maxAttempts: number
  readonly timeout: Duration.Duration
}

/**
 * The limits of the clients built while the current fiber runs, if any (see {@link connectionTest}).
 *
 * @internal
 */
export const limitsRef: FiberRef.FiberRef<Option.Option<Limits>> = FiberRef.unsafeMake(Option.none<Limits>())

/**
 * The limits of a connection test: one attempt of at most 10 s. A user waits on the answer in DevLake's form,
 * and a silent API would otherwise take 5 attempts of 30 s; a failure to retry is the user's to see at once.
 */
export const connectionTestLimits: Limits = { maxAttempts: 1, timeout: Duration.seconds(10) }

/**
 * Runs `effect` (a `test-connection`: the plugin's layer built, then its test) with clients that obey
 * {@link connectionTestLimits}, whatever their options say.
 *
 * @internal
 */
export const connectionTest = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locally(effect, limitsRef, Option.some(connectionTestLimits))

/**
 * The defect of a base URL no request can use. The URL is almost always the connection's endpoint, which the
 * user typed: the command line reports it in one line as bad input (exit 2), not as an unexpected error.
 *
 * @internal
 */
export class InvalidBaseUrl extends Error {}

const isHttp = (url: URL) => url.protocol === "http:" || url.protocol === "https:"

/**
 * The settings of a client over `transport`. The base URL's user-info becomes a Basic hook (before the
 * options' hooks) and a secret; an invalid base URL (or one of another scheme than http and https, which no
 * request could use) is a defect, since it is the plugin's configuration. Under {@link connectionTest}, its
 * retry policy and timeout are capped.
 */
export const makeSettings = (
  options: Options,
  transport: HttpClient.HttpClient,
  builtInTransport: boolean
): Effect.Effect<Settings> =>
  Effect.gen(function*() {
    const { base, password, username } = yield* Effect.try(() => parseBaseUrl(options.baseUrl)).pipe(
      // The URL may hold credentials, so the messages do not repeat it.
      Effect.orDieWith(() => new InvalidBaseUrl("Api: the connection's base URL is not a valid absolute URL")),
      Effect.filterOrDie(
        ({ base }) => isHttp(base),
        () => new InvalidBaseUrl("Api: the connection's base URL is not an http(s):// URL")
      )
    )
    const limits = yield* FiberRef.get(limitsRef)
    const userHooks: Array<Hook> = [
      ...(username !== "" ? [hooks.basic(username, password)] : []),
      ...(options.hooks ?? [])
    ]
    const scrubbing = makeScrubbing(options, userHooks, password)
    const describe = makeDescribe(scrubbing)
    const limiter = yield* RateLimit.make(
      options.rateLimit !== undefined
        ? options.rateLimit
        : { limit: options.rateLimitPerHour ?? undefined, interval: Duration.hours(1) }
    )
    const name = options.name ?? base.host
    return {
      name,
      base,
      scrubbing,
      describe,
      // The built-in transport opens no span of the platform's (and times out by itself: `timing` below).
      http: makePipeline(transport, userHooks, describe, limiter, options.rateLimitHeaders ?? true, !builtInTransport),
      errorHooks: userHooks.flatMap((h) => h.onError !== undefined ? [h.onError] : []),
      policy: Option.match(limits, {
        onNone: () => retryPolicyOf(options),
        onSome: ({ maxAttempts }) => ({ ...retryPolicyOf(options), maxAttempts })
      }),
      limiter,
      slots: yield* Effect.makeSemaphore(Math.max(1, Math.floor(options.concurrency ?? 8))),
      ...timing(timeoutOf(options), builtInTransport, limits),
      stats: { requests: 0, retries: 0, rateLimitWaits: 0, rateLimitWaitMillis: 0 },
      metrics: metricsFor(name)
    }
  })

/**
 * The per-attempt timeout, and whether the transport enforces it: a limit shorter than the options' timeout is
 * enforced around each attempt instead, since the transport was built with the options' own.
 */
const timing = (
  timeout: Duration.Duration,
  transportTimesOut: boolean,
  limits: Option.Option<Limits>
): { readonly timeout: Duration.Duration; readonly transportTimesOut: boolean } =>
  Option.isSome(limits) && Duration.lessThan(limits.value.timeout, timeout)
    ? { timeout: limits.value.timeout, transportTimesOut: false }
    : { timeout, transportTimesOut }
