// Issue 13, finding 4 (two collects of the same scope at once wrote its rows twice): the lock a run holds for its
// plugin, subtask and scope, on every database; a second holder waits, then fails naming the first.
import { assert, describe, it } from "@effect/vitest"
import { Cause, type Context, Effect, Exit, Layer, Logger, Option, Scope } from "effect"
import { spawnSync } from "node:child_process"
import { hostname } from "node:os"
import * as Db from "../../src/Db.js"
import { makeLock, sqliteLockTable } from "../../src/internal/db/lock.js"
import { ArgumentError } from "../../src/internal/process/arguments.js"
import { SubtaskError } from "../../src/internal/subtask/errors.js"
import { holdRunLock, lockName, lockWaitSeconds } from "../../src/internal/subtask/lock.js"
import type { Plan } from "../../src/internal/subtask/plan.js"
import { isolatedDatabase, testDatabases } from "../utils/databases.js"

const me = `${process.pid}@${hostname()}`

/** What `holdRunLock` reads of a plan; a unique scope id so that test files sharing a server never meet. */
const planOf = (scopeId: string, subtask = "Collect Tasks"): Plan =>
  ({
    plugin: { name: "acme" },
    key: { subtask, connectionId: 1, params: `{"ConnectionId":1,"ScopeId":"${scopeId}"}` },
    params: `{"ConnectionId":1,"ScopeId":"${scopeId}"}`
  }) as unknown as Plan

const uniqueScope = () => `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

/**
 * Info lines logged while `self` runs; `onWaiting` is called when a run says it waits (before its first poll).
 */
const withLogs = <A, E, R>(self: Effect.Effect<A, E, R>, onWaiting: () => void = () => {}) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const logger = Logger.make(({ message }) => {
      const line = Array.isArray(message) ? message.join(" ") : String(message)
      lines.push(line)
      if (line.includes("waiting for it to finish")) onWaiting()
    })
    const exit = yield* Effect.exit(Effect.provide(self, Logger.replace(Logger.defaultLogger, logger)))
    return { exit, lines }
  })

/** Two services on one database, as two processes would have: each its own pool (or SQLite connection). */
const twoClients = (url: string) => Effect.all([Layer.build(Db.layer(url)), Layer.build(Db.layer(url))])

const lockIn = (context: Context.Context<Db.Database>, name: string, scope: Scope.Scope) =>
  Effect.flatMap(Db.Database, (db) => makeLock(db, name)).pipe(Effect.provide(context), Scope.extend(scope))

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

const sameAndOtherNames = (url: string) =>
  Effect.scoped(Effect.gen(function*() {
    const [a, b] = yield* twoClients(url)
    const name = `acme:Collect Tasks:${uniqueScope()}`
    const firstScope = yield* Scope.make()
    const first = yield* lockIn(a, name, firstScope)
    const second = yield* lockIn(b, name, yield* Effect.scope)
    const other = yield* lockIn(b, `${name}-other`, yield* Effect.scope)
    assert.isUndefined(yield* second.holder, "nobody holds it yet")
    assert.isTrue(yield* first.tryAcquire)
    assert.isTrue(yield* first.tryAcquire, "a holder asking again")
    assert.isFalse(yield* second.tryAcquire, "a second holder of the same name")
    assert.isTrue(yield* other.tryAcquire, "another name is free")
    const holder = (yield* second.holder)!
    assert.match(holder, database(url) === "mysql" ? /^MySQL connection \d+ from \S+/ : /^\d+@\S+/)
    if (database(url) !== "mysql") assert.include(holder, me)
    assert.match(holder, / since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    yield* Scope.close(firstScope, Exit.void)
    assert.isTrue(yield* second.tryAcquire, "free once the first scope closed")
  }))

const database = (url: string) => url.startsWith("mysql") ? "mysql" : url.startsWith("postgres") ? "postgres" : "sqlite"

const waitsThenFails = (url: string) =>
  Effect.scoped(Effect.gen(function*() {
    const [a, b] = yield* twoClients(url)
    const plan = planOf(uniqueScope())
    yield* holdRunLock(plan, { waitSeconds: 0 }).pipe(Effect.provide(a))
    const { exit, lines } = yield* withLogs(
      Effect.scoped(holdRunLock(plan, { waitSeconds: 1 })).pipe(Effect.provide(b))
    )
    const error = failureOf(exit)
    assert.instanceOf(error, SubtaskError)
    const message = error.message
    assert.notInclude(message, "\n")
    assert.include(message, `Collect Tasks: another run holds scope ${plan.params}: `)
    assert.include(message, "gave up after waiting 1 s (TSDEVLAKE_LOCK_WAIT_SECONDS)")
    assert.match(message, /: (\d+@\S+|MySQL connection \d+)[^;]* since \d{4}-[^;]*; gave up/)
    assert.lengthOf(lines.filter((line) => line.includes("waiting for it to finish")), 1, lines.join("\n"))
  }))

const waitsThenRuns = (url: string) =>
  Effect.scoped(Effect.gen(function*() {
    const [a, b] = yield* twoClients(url)
    const scopeId = uniqueScope()
    const plan = planOf(scopeId)
    const firstScope = yield* Scope.make()
    yield* holdRunLock(plan, { waitSeconds: 0 }).pipe(Effect.provide(a), Scope.extend(firstScope))
    // Another subtask of the same scope, and the same subtask of another scope, do not wait.
    yield* holdRunLock(planOf(scopeId, "Extract Tasks"), { waitSeconds: 0 }).pipe(Effect.provide(b))
    yield* holdRunLock(planOf(uniqueScope()), { waitSeconds: 0 }).pipe(Effect.provide(b))
    const waiting = yield* Effect.makeLatch(false)
    const second = yield* Effect.fork(
      withLogs(
        Effect.scoped(holdRunLock(plan, { waitSeconds: 120 })).pipe(Effect.provide(b)),
        () => waiting.unsafeOpen()
      )
    )
    // The first run ends once the second has said that it waits.
    yield* waiting.await
    yield* Scope.close(firstScope, Exit.void)
    const { exit, lines } = yield* second.await.pipe(Effect.flatten)
    assert.isTrue(Exit.isSuccess(exit), String(exit))
    assert.lengthOf(lines.filter((line) => line.includes("waiting for it to finish")), 1, lines.join("\n"))
    assert.isTrue(lines.some((line) => line.includes("has finished; this one starts")), lines.join("\n"))
  }))

describe("lockWaitSeconds (TSDEVLAKE_LOCK_WAIT_SECONDS)", () => {
  it.effect("is 60 s unless set, the number of seconds when set, and an ArgumentError otherwise", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* lockWaitSeconds({}), 60)
      assert.strictEqual(yield* lockWaitSeconds({ TSDEVLAKE_LOCK_WAIT_SECONDS: " 1.5 " }), 1.5)
      assert.strictEqual(yield* lockWaitSeconds({ TSDEVLAKE_LOCK_WAIT_SECONDS: "0" }), 0)
      for (const bad of ["-1", "abc", "1e3", "Infinity"]) {
        const error = yield* Effect.flip(lockWaitSeconds({ TSDEVLAKE_LOCK_WAIT_SECONDS: bad }))
        assert.instanceOf(error, ArgumentError)
        assert.strictEqual(
          error.message,
          "invalid TSDEVLAKE_LOCK_WAIT_SECONDS environment variable: expected seconds (≥ 0)"
        )
      }
    }))

  it("names the lock by plugin, subtask and scope params", () => {
    assert.strictEqual(lockName(planOf("p1")), "acme:Collect Tasks:{\"ConnectionId\":1,\"ScopeId\":\"p1\"}")
  })
})

describe("the run lock on an in-memory SQLite database (the test kit's)", () => {
  it.effect("is taken and released within one process, a second holder waiting for it", () =>
    Effect.gen(function*() {
      const plan = planOf("memory")
      const scope = yield* Scope.make()
      yield* holdRunLock(plan, { waitSeconds: 0 }).pipe(Scope.extend(scope))
      const busy = yield* Effect.flip(Effect.scoped(holdRunLock(plan, { waitSeconds: 0 })))
      assert.include(busy.message, `: ${me} since `)
      yield* Scope.close(scope, Exit.void)
      yield* Effect.scoped(holdRunLock(plan, { waitSeconds: 0 }))
      const db = yield* Db.Database
      assert.deepStrictEqual(yield* db.execute(`SELECT * FROM ${sqliteLockTable}`), [])
    }).pipe(Effect.provide(Db.layerMemory)))
})

describe("SQLite lock rows of other processes", () => {
  const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!

  it.effect("takes over a row of a process of this host that is gone, not one of another host", () =>
    Effect.gen(function*() {
      const db = yield* Db.Database
      const gone = planOf("gone")
      const elsewhere = planOf("elsewhere")
      yield* Effect.scoped(holdRunLock(planOf("create the table"), { waitSeconds: 0 }))
      yield* db.execute(`INSERT INTO ${sqliteLockTable} (name, holder, acquired_at) VALUES (?, ?, ?), (?, ?, ?)`, [
        lockName(gone),
        `${deadPid()}@${hostname()}`,
        "2026-01-01T00:00:00Z",
        lockName(elsewhere),
        "1@another-host",
        "2026-01-01T00:00:00Z"
      ])
      yield* Effect.scoped(Effect.gen(function*() {
        yield* holdRunLock(gone, { waitSeconds: 0 })
        const rows = yield* db.execute(`SELECT holder FROM ${sqliteLockTable} WHERE name = ?`, [lockName(gone)])
        assert.deepStrictEqual(rows.map((row) => row["holder"]), [me])
      }))
      const error = yield* Effect.flip(Effect.scoped(holdRunLock(elsewhere, { waitSeconds: 0 })))
      assert.include(error.message, ": 1@another-host since 2026-01-01T00:00:00Z; ")
      // A row of this process's pid that this process does not hold is a dead process's whose pid was reused.
      yield* db.execute(`UPDATE ${sqliteLockTable} SET holder = ? WHERE name = ?`, [me, lockName(elsewhere)])
      yield* Effect.scoped(holdRunLock(elsewhere, { waitSeconds: 0 }))
    }).pipe(Effect.provide(Db.layerMemory)))
})

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`the run lock on ${database.name}`, () => {
    // A SQLite file shared by two connections, as two processes share it; the servers' own test database.
    const withUrl = <A, E>(test: (url: string) => Effect.Effect<A, E>) =>
      database.name === "sqlite"
        ? Effect.acquireUseRelease(
          Effect.promise(() => isolatedDatabase(database, "lock")),
          (isolated) => test(isolated.url),
          (isolated) => Effect.promise(() => isolated.drop())
        )
        : test(database.url)

    it.live(
      "lets one holder of a name at a time, another name meanwhile, and tells the holder",
      () => withUrl(sameAndOtherNames),
      30_000
    )

    it.live(
      "waits, then fails in one line naming the scope, the subtask and the holder",
      () => withUrl(waitsThenFails),
      30_000
    )

    it.live(
      "waits while another run holds the scope, then runs; another subtask does not wait",
      () => withUrl(waitsThenRuns),
      30_000
    )
  })
}
