/**
 * Named locks across processes, each the database's own kind: a PostgreSQL advisory lock and a MySQL `GET_LOCK`,
 * both held by one connection reserved for the lock's lifetime (so a killed process's lock ends with its session),
 * and on SQLite, which has neither, a row of `_tsdevlake_locks` naming its holder (`pid@host`), taken over when that
 * process is gone (SQLite is local: the holder is a process of this host, or of a host sharing the file).
 *
 * @internal
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type * as Scope from "effect/Scope"
import { hostname } from "node:os"
import type { Database } from "../../Db.js"
import { causeLine, DbError } from "./errors.js"

/**
 * A lock of one name. Released when its scope closes, if taken.
 *
 * @internal
 */
export interface NamedLock {
  /** Takes the lock when it is free, without waiting; `true` when this lock holds it now. */
  readonly tryAcquire: Effect.Effect<boolean, DbError>
  /**
   * Who holds the lock, as the database can tell (`12345@host since …`, a connection and since when);
   * `undefined` when nobody holds it (any more).
   */
  readonly holder: Effect.Effect<string | undefined, DbError>
}

/** The table of SQLite's lock rows. @internal */
export const sqliteLockTable = "_tsdevlake_locks"

/** This process as a lock's holder. @internal */
export const thisProcess = (): string => `${process.pid}@${hostname()}`

const lockError = (what: string) => (error: SqlError) =>
  new DbError({ reason: "Query", detail: `${what}: ${causeLine(error)}`, cause: error })

const iso = (millis: number) => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

const reserve = (sql: SqlClient.SqlClient, name: string) =>
  Effect.map(
    Effect.mapError(sql.reserve, lockError(`reserving a connection for the lock ${name}`)),
    (connection) => (statement: string, params: ReadonlyArray<unknown>, what: string) =>
      (connection as Connection).execute(statement, params, undefined).pipe(
        Effect.map((rows) => rows as ReadonlyArray<Record<string, unknown>>),
        Effect.mapError(lockError(what))
      )
  )

/** Releases at the scope's end; a release that fails is left to the session's end (the process's exit). */
const releaseOnClose = (release: Effect.Effect<unknown, DbError>, held: () => boolean) =>
  Effect.addFinalizer(() =>
    held() ? Effect.catchAll(release, (error) => Effect.logDebug(`lock not released: ${error.message}`)) : Effect.void
  )

const postgres = (sql: SqlClient.SqlClient, name: string): Effect.Effect<NamedLock, DbError, Scope.Scope> =>
  Effect.gen(function*() {
    const run = yield* reserve(sql, name)
    let previousName: string | undefined
    yield* releaseOnClose(
      Effect.suspend(() =>
        run(
          "SELECT pg_advisory_unlock(hashtextextended($1, 0)), set_config('application_name', $2, false)",
          [name, previousName ?? ""],
          `releasing the lock ${name}`
        )
      ),
      () => previousName !== undefined
    )
    const tryAcquire = Effect.gen(function*() {
      if (previousName !== undefined) return true
      const rows = yield* run(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked, current_setting('application_name') AS app",
        [name],
        `taking the lock ${name}`
      )
      if (rows[0]?.["locked"] !== true) return false
      previousName = String(rows[0]["app"] ?? "")
      // The holder's name for whoever waits; its query_start then says since when (nothing else runs on it).
      yield* run(
        "SELECT set_config('application_name', $1, false)",
        [`tsdevlake ${thisProcess()}`.slice(0, 63)],
        `naming the holder of the lock ${name}`
      )
      return true
    })
    const holder = Effect.map(
      run(
        `SELECT l.pid AS pid, a.application_name AS app, extract(epoch FROM a.query_start)::float8 AS since
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND ((l.classid::int8 << 32) | l.objid::int8) = hashtextextended($1, 0)`,
        [name],
        `reading the holder of the lock ${name}`
      ),
      (rows) => {
        const row = rows[0]
        if (row === undefined) return undefined
        const app = typeof row["app"] === "string" ? row["app"] : ""
        const since = typeof row["since"] === "number" ? ` since ${iso(row["since"] * 1000)}` : ""
        return app.startsWith("tsdevlake ")
          ? `${app.slice("tsdevlake ".length)} (PostgreSQL backend ${row["pid"]})${since}`
          : `PostgreSQL backend ${row["pid"]}${app === "" ? "" : ` (${app})`}${since}`
      }
    )
    return { tryAcquire, holder }
  })

// GET_LOCK names are server-wide and at most 64 characters: the database and the key, hashed. DATABASE() is
// utf8mb3: converted, so that a key with a 4-byte character (an emoji in a scope id) is no "illegal mix of
// collations" (the same names for every other key).
const mysqlName = "CONCAT('tsdevlake:', LEFT(SHA2(CONCAT_WS(':', CONVERT(DATABASE() USING utf8mb4), ?), 256), 54))"

const mysql = (sql: SqlClient.SqlClient, name: string): Effect.Effect<NamedLock, DbError, Scope.Scope> =>
  Effect.gen(function*() {
    const run = yield* reserve(sql, name)
    let held = false
    yield* releaseOnClose(
      run(`SELECT RELEASE_LOCK(${mysqlName}) AS r`, [name], `releasing the lock ${name}`),
      () => held
    )
    const tryAcquire = Effect.gen(function*() {
      if (held) return true
      const rows = yield* run(`SELECT GET_LOCK(${mysqlName}, 0) AS locked`, [name], `taking the lock ${name}`)
      const locked = rows[0]?.["locked"]
      if (locked === null || locked === undefined) {
        return yield* new DbError({ reason: "Query", detail: `taking the lock ${name}: GET_LOCK answered NULL` })
      }
      held = Number(locked) === 1
      return held
    })
    const holder = Effect.map(
      run(
        `SELECT l.id AS id, p.HOST AS host, p.TIME AS time
         FROM (SELECT IS_USED_LOCK(${mysqlName}) AS id) l LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id`,
        [name],
        `reading the holder of the lock ${name}`
      ),
      (rows) => {
        const row = rows[0]
        if (row === undefined || row["id"] === null || row["id"] === undefined) return undefined
        const from = typeof row["host"] === "string" ? ` from ${row["host"]}` : ""
        // TIME counts the seconds since the connection's last statement: its GET_LOCK, since it runs nothing else.
        const since = row["time"] === null || row["time"] === undefined
          ? ""
          : ` since ${iso(Date.now() - Number(row["time"]) * 1000)}`
        return `MySQL connection ${row["id"]}${from}${since}`
      }
    )
    return { tryAcquire, holder }
  })

/**
 * How many locks of each name this process holds on SQLite (any database), to tell a row of this process from
 * a row of a dead process whose pid this one reuses.
 */
const heldHere = new Map<string, number>()

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** A holder of this host whose process is gone (or is this process, which does not hold it). */
const stale = (holder: string, name: string): boolean => {
  const match = /^(\d+)@(.*)$/.exec(holder)
  if (match === null || match[2] !== hostname()) return false
  const pid = Number(match[1])
  return pid === process.pid ? !heldHere.has(name) : !alive(pid)
}

const sqlite = (db: Database, name: string): Effect.Effect<NamedLock, DbError, Scope.Scope> =>
  Effect.gen(function*() {
    const table = db.dialect.quote(sqliteLockTable)
    yield* db.execute(
      `CREATE TABLE IF NOT EXISTS ${table} (name TEXT PRIMARY KEY NOT NULL, holder TEXT NOT NULL, acquired_at TEXT NOT NULL)`
    )
    const me = thisProcess()
    let held = false
    yield* releaseOnClose(
      Effect.ensuring(
        db.execute(`DELETE FROM ${table} WHERE name = ? AND holder = ?`, [name, me]),
        Effect.sync(() => {
          const count = (heldHere.get(name) ?? 1) - 1
          if (count === 0) heldHere.delete(name)
          else heldHere.set(name, count)
        })
      ),
      () => held
    )
    const row = Effect.map(
      db.execute(`SELECT holder, acquired_at FROM ${table} WHERE name = ?`, [name]),
      (rows) => rows[0] as { readonly holder: string; readonly acquired_at: string } | undefined
    )
    const tryAcquire = Effect.gen(function*() {
      if (held) return true
      const inserted = yield* db.execute(
        `INSERT INTO ${table} (name, holder, acquired_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING name`,
        [name, me, iso(Date.now())]
      )
      let won = inserted.length === 1
      if (!won) {
        const current = yield* row
        if (current !== undefined && stale(current.holder, name)) {
          const taken = yield* db.execute(
            `UPDATE ${table} SET holder = ?, acquired_at = ? WHERE name = ? AND holder = ? AND acquired_at = ? RETURNING name`,
            [me, iso(Date.now()), name, current.holder, current.acquired_at]
          )
          won = taken.length === 1
          if (won) yield* Effect.logInfo(`took over the lock ${name} from ${current.holder}, a process that is gone`)
        }
      }
      if (won) heldHere.set(name, (heldHere.get(name) ?? 0) + 1)
      held = won
      return won
    })
    const holder = Effect.map(row, (current) => current && `${current.holder} since ${current.acquired_at}`)
    return { tryAcquire, holder }
  })

/**
 * The lock named `name` on this database. On MySQL and PostgreSQL it reserves a connection of the pool until
 * the scope closes; on SQLite it creates `_tsdevlake_locks` when missing.
 *
 * @internal
 */
export const makeLock = (db: Database, name: string): Effect.Effect<NamedLock, DbError, Scope.Scope> => {
  switch (db.dialect.name) {
    case "postgres":
      return postgres(db.sql, name)
    case "mysql":
      return mysql(db.sql, name)
    case "sqlite":
      return sqlite(db, name)
  }
}
