/**
 * The rate limiter every request of a connection waits on before it leaves: one per client, so a connection's
 * limit holds across all its streams and substreams. Its own module because it is the client's only shared,
 * time-driven state, tested alone with `TestClock`.
 *
 * @internal
 */
import { Clock, Duration, Effect } from "effect"

/**
 * A connection's proactive rate limiter. Three constraints, all enforced before a request leaves:
 * - a sliding window: at most `limit` admissions in any half-open interval of length `interval`
 *   (stricter than a token bucket, which can admit twice the limit across a window boundary);
 * - the server's own budget, learned from `X-RateLimit-Remaining` / `X-RateLimit-Reset`;
 * - a pause, set when the server answers 429/503 with a retry delay, so every request of the
 *   connection waits instead of only the one that was refused.
 * Waiters are served one at a time in arrival order. Time comes from `Clock`, so `TestClock` drives it.
 * @internal
 */
export interface Limiter {
  /** Waits until a request may be sent, records it, and returns how long it waited (millis). */
  readonly acquire: Effect.Effect<number>
  /** `acquire`, telling `announce` of each wait of more than a second before it starts (for a log line). */
  readonly acquireWith: (announce: Announce) => Effect.Effect<number>
  /** Tightens the budget from response headers: `remaining` requests until `resetAt` (epoch millis). */
  readonly observe: (remaining: number, resetAt: number) => Effect.Effect<void>
  /** No request of this connection leaves before `at` (epoch millis). */
  readonly pauseUntil: (at: number) => Effect.Effect<void>
}

/**
 * Why a request waits: the server asked the connection to back off (a 429 or 503 with a delay), the server's
 * budget is spent until its reset, or the connection's own limit (`rateLimit`) is reached.
 *
 * @internal
 */
export type WaitReason = "server asked to back off" | "server's rate-limit budget spent" | "connection's rate limit"

/** @internal */
export type Announce = (millis: number, reason: WaitReason) => Effect.Effect<void>

/** Waits of at most this many millis are not announced: they are too short to look like a hang. */
const announceAbove = 1000

/** @internal */
export interface LimiterOptions {
  readonly limit?: number | undefined
  readonly interval?: Duration.DurationInput | undefined
}

/** @internal */
export const make = (options: LimiterOptions): Effect.Effect<Limiter> =>
  Effect.gen(function*() {
    const mutex = yield* Effect.makeSemaphore(1)
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : undefined
    const interval = Duration.toMillis(options.interval ?? Duration.hours(1))
    const window: Array<number> = []
    let next = 0
    let pausedUntil = 0
    let server: { remaining: number; resetAt: number } | undefined

    const waitFor = (now: number): number => {
      let wait = Math.max(0, pausedUntil - now)
      if (limit !== undefined && window.length >= limit) {
        wait = Math.max(wait, window[next]! + interval - now)
      }
      if (server !== undefined) {
        if (server.resetAt <= now) server = undefined
        else if (server.remaining <= 0) wait = Math.max(wait, server.resetAt - now)
      }
      return wait
    }

    /** The constraint that sets a wait of `wait` millis, computed by `waitFor` at `now`. */
    const reasonFor = (now: number, wait: number): WaitReason =>
      pausedUntil - now >= wait
        ? "server asked to back off"
        : server !== undefined && server.remaining <= 0 && server.resetAt - now >= wait
        ? "server's rate-limit budget spent"
        : "connection's rate limit"

    const admit = (now: number) => {
      if (limit !== undefined) {
        if (window.length < limit) window.push(now)
        else {
          window[next] = now
          next = (next + 1) % limit
        }
      }
      if (server !== undefined) server.remaining -= 1
    }

    let queued = 0
    const slowPath = (announce: Announce | undefined) =>
      mutex.withPermits(1)(Effect.gen(function*() {
        let waited = 0
        for (;;) {
          const now = yield* Clock.currentTimeMillis
          const wait = waitFor(now)
          if (wait <= 0) {
            admit(now)
            return waited
          }
          if (announce !== undefined && wait > announceAbove) yield* announce(wait, reasonFor(now, wait))
          waited += wait
          yield* Effect.sleep(Duration.millis(wait))
        }
      })).pipe(Effect.ensuring(Effect.sync(() => queued--)))

    // Most requests find nobody waiting and no reason to wait: admit them without the mutex, which
    // only serves to keep waiters in arrival order.
    const acquireWith = (announce: Announce | undefined) =>
      Clock.clockWith((clock) => {
        if (queued === 0) {
          const now = clock.unsafeCurrentTimeMillis()
          if (waitFor(now) <= 0) {
            admit(now)
            return Effect.succeed(0)
          }
        }
        queued++
        return slowPath(announce)
      })
    const acquire = acquireWith(undefined)

    const observe = (remaining: number, resetAt: number) =>
      Effect.sync(() => {
        // Responses arrive out of order; within one reset window the lowest figure is the freshest,
        // since our own admissions since then were already subtracted locally.
        if (server === undefined || resetAt > server.resetAt + 1000) server = { remaining, resetAt }
        else server.remaining = Math.min(server.remaining, remaining)
      })

    const pauseUntil = (at: number) =>
      Effect.sync(() => {
        pausedUntil = Math.max(pausedUntil, at)
      })

    return { acquire, acquireWith, observe, pauseUntil }
  })
