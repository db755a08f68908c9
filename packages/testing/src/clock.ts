/**
 * Running an effect on `TestClock` to its end without waiting: retries, backoff, `Retry-After` and rate limits
 * take virtual time, and a test can assert how much.
 */
import { Clock, Duration, Effect, Fiber, Option, TestClock, TestServices } from "effect"
import { AssertionError } from "./validPlugin.js"

/** Options of {@link advanceUntilDone}. */
export interface AdvanceOptions {
  /** Virtual time after which the effect is interrupted and the test fails. Default 1 day. */
  readonly max?: Duration.DurationInput | undefined
}

/** The earliest deadline among the sleeps still pending. */
const earliest = (deadlines: ReadonlyMap<number, number>): number | undefined => {
  let min: number | undefined
  for (const deadline of deadlines.values()) if (min === undefined || deadline < min) min = deadline
  return min
}

/**
 * TestClock seen through a clock that knows which sleeps are still pending: TestClock keeps an interrupted
 * sleep (a request's timeout that did not fire) in its list, and moving the time to it would add time nothing
 * waited for.
 */
const makeClock = (testClock: TestClock.TestClock) => {
  const deadlines = new Map<number, number>()
  let next = 0
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => testClock.unsafeCurrentTimeMillis(),
    unsafeCurrentTimeNanos: () => testClock.unsafeCurrentTimeNanos(),
    currentTimeMillis: testClock.currentTimeMillis,
    currentTimeNanos: testClock.currentTimeNanos,
    sleep: (duration) =>
      Effect.suspend(() => {
        // Keyed by a counter: two sleeps may end at the same instant.
        const id = next++
        deadlines.set(id, testClock.unsafeCurrentTimeMillis() + Duration.toMillis(duration))
        return Effect.ensuring(testClock.sleep(duration), Effect.sync(() => deadlines.delete(id)))
      })
  }
  return { clock, deadlines }
}

// Lets the forked effect run until it waits (on the clock, or on I/O): a woken fiber registers its next sleep
// only after a few turns of the scheduler.
const settle = (fiber: Fiber.RuntimeFiber<unknown, unknown>, deadlines: ReadonlyMap<number, number>) =>
  Effect.gen(function*() {
    let stable = 0
    let before = ""
    while (stable < 3) {
      yield* Effect.yieldNow()
      const status = yield* fiber.status
      const now = `${status._tag}:${[...deadlines.keys()].join(",")}`
      stable = now === before && status._tag !== "Running" ? stable + 1 : 0
      before = now
    }
  })

/**
 * Runs `effect` on `TestClock` (in `it.effect`) to its end, moving the virtual time to each sleep it waits on
 * in turn, so that retries, backoff, `Retry-After` and rate-limit waits take no real time. Returns the virtual
 * time elapsed and the effect's value, as `Effect.timed` does; fails with an `AssertionError` when the effect is
 * still running after `max` of virtual time. The time is exact when the effect waits only on the clock (an
 * in-memory API): while it waits on real I/O, the clock may be moved to a pending timeout.
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * it.effect("waits out a 429", () =>
 *   Effect.gen(function*() {
 *     const [elapsed, users] = yield* Testing.advanceUntilDone(Effect.flatMap(MyApi, (api) => api.get("users")))
 *     expect(Duration.toSeconds(elapsed)).toBe(30)
 *   }).pipe(Effect.provide(MyApiLive(conn).pipe(Layer.provide(Testing.Api.routes({
 *     "GET /users": [{ status: 429, headers: { "retry-after": "30" } }, { body: [] }]
 *   }))))))
 */
export const advanceUntilDone = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: AdvanceOptions = {}
): Effect.Effect<readonly [Duration.Duration, A], E | AssertionError, R> =>
  TestClock.testClockWith((testClock) =>
    Effect.gen(function*() {
      // TestClock.testClockWith gives whatever clock is current, cast.
      if (!("adjust" in testClock && "sleeps" in testClock)) {
        return yield* Effect.fail(
          new AssertionError("Testing.advanceUntilDone runs on TestClock: call it in it.effect (not it.live)")
        )
      }
      const max = Duration.toMillis(options.max ?? Duration.days(1))
      const { clock, deadlines } = makeClock(testClock)
      const start = testClock.unsafeCurrentTimeMillis()
      const fiber = yield* Effect.fork(Effect.withClock(effect, clock))
      for (;;) {
        yield* settle(fiber, deadlines)
        const exit = yield* Fiber.poll(fiber)
        if (Option.isSome(exit)) {
          const value = yield* exit.value
          return [Duration.millis(testClock.unsafeCurrentTimeMillis() - start), value] as const
        }
        const next = earliest(deadlines)
        if (next === undefined) {
          // Waiting on something other than the clock (a database, a socket): real time passes.
          yield* TestServices.provideLive(Effect.sleep("1 millis"))
          continue
        }
        if (next - start > max) {
          yield* Fiber.interrupt(fiber)
          return yield* Effect.fail(
            new AssertionError(
              `Testing.advanceUntilDone: still running after ${Duration.format(Duration.millis(max))} of virtual time`
            )
          )
        }
        yield* TestClock.setTime(Math.max(next, testClock.unsafeCurrentTimeMillis()))
      }
    })
  )
