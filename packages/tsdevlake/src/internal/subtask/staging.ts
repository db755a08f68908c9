/**
 * Staged full runs: a full collect, extract or convert writes its rows beside the scope's old ones, and only
 * when it succeeds does one transaction remove the old rows it did not write. A run that fails leaves the
 * previous complete data in place (DevLake only ever sends full runs, so delete-first would turn every failure
 * into a scope with partial data).
 *
 * How a run tells its rows from the old ones:
 * - raw rows by their auto-increment id: every row of the run has an id above the table's highest id when the
 *   run started (the `boundary`), so the old ones are the scope's rows at or below it;
 * - tool and domain rows by `updated_at`: the run writes one `stamp` into every row it writes, chosen above
 *   every `updated_at` the scope's rows hold, so the old ones are the rows older than the stamp. Whole seconds,
 *   so that a column of any precision (DATETIME, DATETIME(3), timestamp, SQLite text) stores it exactly.
 *
 * @internal
 */
import { Effect, Either } from "effect"
import type * as Db from "../../Db.js"
import { Database } from "../db/database.js"
import type { DbError } from "../db/errors.js"

/**
 * Rows of one table that belong to the scope: equality conditions on its columns.
 *
 * @internal
 */
export interface ScopeRows {
  readonly table: string
  readonly where: Readonly<Record<string, unknown>>
}

const conditions = (db: Db.Database, where: ScopeRows["where"], values: Array<unknown>) =>
  Object.entries(where).map(([column, value]) => {
    values.push(value)
    return `${db.dialect.quote(column)} = ${db.dialect.placeholder(values.length)}`
  })

/** A datetime as the drivers return it (a Date, or SQLite's text) in milliseconds; undefined for none. */
const millisOf = (value: unknown): number | undefined => {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return value.getTime()
  const text = String(value)
  const millis = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(text) ? `${text.replace(" ", "T")}Z` : text)
  return Number.isNaN(millis) ? undefined : millis
}

/**
 * A staged run's stamp, and the tables whose scope rows were there when it started: the only ones its completion
 * has anything to sweep from (a first run of a scope skips the sweep's pass over the rows it wrote).
 *
 * @internal
 */
export interface Staged {
  readonly stamp: Date
  readonly stale: ReadonlySet<string>
}

/**
 * The stamp of a staged run: a whole second after both now and the newest `updated_at` of the scope's rows in
 * `tables`, so that every row the run does not rewrite is older than it, whatever the clock did since.
 *
 * @internal
 */
export const runStamp = (tables: ReadonlyArray<ScopeRows>): Effect.Effect<Staged, DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Database
    const q = db.dialect.quote
    let newest = Number.NEGATIVE_INFINITY
    const stale = new Set<string>()
    for (const { table, where } of tables) {
      const values: Array<unknown> = []
      // MIN(1) rides on the same pass: it tells rows whose updated_at is NULL (MAX ignores them) from none.
      const rows = yield* db.execute(
        `SELECT MAX(${q("updated_at")}) AS ${q("newest")}, MIN(1) AS ${q("present")} FROM ${q(table)} WHERE ${
          conditions(db, where, values).join(" AND ")
        }`,
        values
      )
      newest = Math.max(newest, millisOf(rows[0]?.["newest"]) ?? Number.NEGATIVE_INFINITY)
      if (rows[0]?.["present"] !== null && rows[0]?.["present"] !== undefined) stale.add(table)
    }
    const at = Math.max(Date.now(), newest + 1000)
    return { stamp: new Date(Math.floor(at / 1000) * 1000), stale }
  })

/**
 * Deletes the scope's rows of `table` that are older than the run's `stamp` (or have none): the rows a
 * completed staged run did not write.
 *
 * @internal
 */
export const sweepOlder = (rows: ScopeRows, stamp: Date): Effect.Effect<void, DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Database
    const values: Array<unknown> = []
    const where = conditions(db, rows.where, values)
    values.push(Either.getOrThrow(db.dialect.encodeValue("datetime", stamp)))
    const updatedAt = db.dialect.quote("updated_at")
    yield* db.execute(
      `DELETE FROM ${db.dialect.quote(rows.table)} WHERE ${where.join(" AND ")} AND (${updatedAt} < ${
        db.dialect.placeholder(values.length)
      } OR ${updatedAt} IS NULL)`,
      values
    )
  })

/**
 * The highest id of a raw table (0 when empty): every row a run writes after reading it has a higher one.
 *
 * @internal
 */
export const rawBoundary = (rawTable: string): Effect.Effect<number, DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Database
    const rows = yield* db.execute(
      `SELECT MAX(${db.dialect.quote("id")}) AS ${db.dialect.quote("boundary")} FROM ${db.dialect.quote(rawTable)}`
    )
    return Number(rows[0]?.["boundary"] ?? 0)
  })

/**
 * Deletes the scope's raw rows at or below `boundary`: those of the runs before a completed staged collect.
 *
 * @internal
 */
export const sweepRaw = (
  rawTable: string,
  params: string,
  boundary: number
): Effect.Effect<void, DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Database
    const q = db.dialect.quote
    yield* db.execute(
      `DELETE FROM ${q(rawTable)} WHERE ${q("params")} = ${db.dialect.placeholder(1)} AND ${q("id")} <= ${
        db.dialect.placeholder(2)
      }`,
      [params, boundary]
    )
  })

/**
 * Whether the scope has any row in `table` matching `rows.where` plus `extra` conditions (`column > value`
 * when `above` is set): what a saved state implies must still be there before a run resumes from it.
 *
 * @internal
 */
export const hasRows = (
  rows: ScopeRows,
  above?: { readonly column: string; readonly value: unknown }
): Effect.Effect<boolean, DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Database
    if (!(yield* db.tableExists(rows.table))) return false
    const values: Array<unknown> = []
    const where = conditions(db, rows.where, values)
    if (above !== undefined) {
      values.push(above.value)
      where.push(`${db.dialect.quote(above.column)} > ${db.dialect.placeholder(values.length)}`)
    }
    const found = yield* db.execute(
      `SELECT 1 AS ${db.dialect.quote("found")} FROM ${db.dialect.quote(rows.table)} WHERE ${
        where.join(" AND ")
      } LIMIT 1`,
      values
    )
    return found.length > 0
  })
