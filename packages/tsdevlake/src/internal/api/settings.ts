/**
 * A client's options resolved once, into the record every step of a request reads: its name and base URL,
 * scrubbing, HttpClient pipeline (hooks over the transport), error hooks, retry policy, rate limiter,
 * concurrency slots, timeout, counters.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Duration, Effect } from "effect"
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

/**
 * The settings of a client over `transport`. The base URL's user-info becomes a Basic hook (before the
 * options' hooks) and a secret; an invalid base URL is a defect, since it is the plugin's configuration.
 */
export const makeSettings = (
  options: Options,
  transport: HttpClient.HttpClient,
  transportTimesOut: boolean
): Effect.Effect<Settings> =>
  Effect.gen(function*() {
    const { base, password, username } = yield* Effect.try(() => parseBaseUrl(options.baseUrl)).pipe(
      // The URL may hold credentials, so the message does not repeat it.
      Effect.orDieWith(() => new Error("Api: the connection's base URL is not a valid absolute URL"))
    )
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
      http: makePipeline(transport, userHooks, describe, limiter, options.rateLimitHeaders ?? true),
      errorHooks: userHooks.flatMap((h) => h.onError !== undefined ? [h.onError] : []),
      policy: retryPolicyOf(options),
      limiter,
      slots: yield* Effect.makeSemaphore(Math.max(1, Math.floor(options.concurrency ?? 8))),
      timeout: timeoutOf(options),
      transportTimesOut,
      stats: { requests: 0, retries: 0, rateLimitWaits: 0, rateLimitWaitMillis: 0 },
      metrics: metricsFor(name)
    }
  })
