/**
 * One run per scope and subtask at a time: two runs of the same subtask for the same scope would write the scope's
 * rows twice (and a full run's deletes would race the other's inserts). Each run holds a database lock named by
 * the plugin, the subtask and the scope's params until its scope closes; a second run waits for it, at most
 * `TSDEVLAKE_LOCK_WAIT_SECONDS` (60 s by default), then fails naming the holder. Other scopes and other subtasks
 * take other locks, so they run in parallel.
 *
 * @internal
 */
import { Clock, Effect } from "effect"
import type * as Scope from "effect/Scope"
import type * as Db from "../../Db.js"
import { Database } from "../db/database.js"
import type { DbError } from "../db/errors.js"
import { makeLock } from "../db/lock.js"
import { ArgumentError } from "../process/arguments.js"
import { SubtaskError } from "./errors.js"
import { type Plan, subtaskName } from "./plan.js"

/** The environment variable bounding the wait for another run's lock, in seconds. @internal */
export const lockWaitVariable = "TSDEVLAKE_LOCK_WAIT_SECONDS"

/** @internal */
export const defaultLockWaitSeconds = 60

/** How often a waiting run tries the lock again. */
const pollMillis = 500

/**
 * The wait `TSDEVLAKE_LOCK_WAIT_SECONDS` sets (a number of seconds, 0 for none), else 60 s.
 *
 * @internal
 */
export const lockWaitSeconds = (
  env: Readonly<Record<string, string | undefined>> = process.env
): Effect.Effect<number, ArgumentError> => {
  const value = env[lockWaitVariable]?.trim()
  if (value === undefined || value === "") return Effect.succeed(defaultLockWaitSeconds)
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN
  return Number.isFinite(seconds)
    ? Effect.succeed(seconds)
    : Effect.fail(
      new ArgumentError({ argument: `${lockWaitVariable} environment variable`, detail: "expected seconds (≥ 0)" })
    )
}

/**
 * The lock's name: the plugin, the subtask and the scope's params (which name its connection and scope).
 *
 * @internal
 */
export const lockName = (plan: Plan): string => `${plan.plugin.name}:${subtaskName(plan)}:${plan.params}`

/**
 * Takes the run's lock for the enclosing scope, waiting at most `waitSeconds` (by default as
 * `TSDEVLAKE_LOCK_WAIT_SECONDS` says) while another run holds it; logs once at info level that it waits.
 *
 * @internal
 */
export const holdRunLock = (
  plan: Plan,
  options: { readonly waitSeconds?: number } = {}
): Effect.Effect<void, SubtaskError | DbError | ArgumentError, Db.Database | Scope.Scope> =>
  Effect.gen(function*() {
    const waitSeconds = options.waitSeconds ?? (yield* lockWaitSeconds())
    const db = yield* Database
    const lock = yield* makeLock(db, lockName(plan))
    if (yield* lock.tryAcquire) return
    const scope = `scope ${plan.params}`
    const first = yield* lock.holder
    const deadline = (yield* Clock.currentTimeMillis) + waitSeconds * 1000
    if (waitSeconds > 0) {
      yield* Effect.logInfo(
        `${subtaskName(plan)}: another run holds ${scope}: ${
          first ?? "a run that has just ended"
        }; waiting for it to finish, at most ${waitSeconds} s (${lockWaitVariable})`
      )
    }
    for (let now = yield* Clock.currentTimeMillis; now < deadline; now = yield* Clock.currentTimeMillis) {
      yield* Effect.sleep(Math.min(pollMillis, deadline - now))
      if (yield* lock.tryAcquire) {
        return yield* Effect.logInfo(`${subtaskName(plan)}: the other run of ${scope} has finished; this one starts`)
      }
    }
    const holder = (yield* lock.holder) ?? first ?? "a run that has just ended"
    return yield* new SubtaskError({
      subtask: subtaskName(plan),
      detail: `another run holds ${scope}: ${holder}; gave up after waiting ${waitSeconds} s (${lockWaitVariable})`
    })
  })
