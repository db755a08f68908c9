import { Effect } from "effect"
import type * as Scope from "effect/Scope"
import { causeLine, DbError } from "../errors.js"
import { loadDriver } from "./driver.js"

/**
 * A second, read-only-in-practice connection to a SQLite file for keyset streams: statements prepared once,
 * rows as arrays with exact 64-bit integers (`raw` + `safeIntegers`), which `@effect/sql`'s SQLite client
 * does not offer together. Opened on first use; closed with the scope.
 *
 * Each page is its own read (WAL snapshot), so a stream sees what other connections committed before
 * the page, as it does through the main connection outside a transaction.
 */

type Database = import("better-sqlite3").Database
type Statement = import("better-sqlite3").Statement

/** @internal */
export interface Reader {
  readonly values: (
    statement: string,
    params: ReadonlyArray<unknown>,
    what: string
  ) => Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, DbError>
}

/** @internal */
export const make = (filename: string, busyTimeoutMillis: number): Effect.Effect<Reader, never, Scope.Scope> =>
  Effect.gen(function*() {
    let db: Database | undefined
    const statements = new Map<string, Statement>()
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        statements.clear()
        db?.close()
        db = undefined
      })
    )
    const open = Effect.try({
      try: () => {
        if (db !== undefined) return db
        const Driver = loadDriver()
        const opened = new Driver(filename, { fileMustExist: true })
        opened.pragma(`busy_timeout = ${busyTimeoutMillis}`)
        db = opened
        return opened
      },
      catch: (cause) =>
        new DbError({
          reason: "Connect",
          detail: `could not open SQLite database ${filename} for reading: ${causeLine(cause)}`
        })
    })
    const values = (statement: string, params: ReadonlyArray<unknown>, what: string) =>
      Effect.flatMap(db === undefined ? open : Effect.succeed(db), (connection) =>
        Effect.try({
          try: () => {
            let prepared = statements.get(statement)
            if (prepared === undefined) {
              // Streams reuse a handful of statement texts; a runaway caller must not grow the cache forever.
              if (statements.size >= 64) statements.clear()
              prepared = connection.prepare(statement).raw(true).safeIntegers(true)
              statements.set(statement, prepared)
            }
            return prepared.all(...params) as ReadonlyArray<ReadonlyArray<unknown>>
          },
          catch: (cause) => new DbError({ reason: "Query", detail: `${what}: ${causeLine(cause)}`, cause })
        }))
    return { values }
  })
