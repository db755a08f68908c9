import { Effect, Either } from "effect"
import type { ColumnSpec, TableWrite, Where } from "../../Db.js"
import { type DbCore, run, runRaw, withTransaction } from "./core.js"
import { DbError } from "./errors.js"
import { makeParams, whereClause } from "./params.js"
import { countOf, encoderOf, encodeRows, type Encoders, makeEncoders, type Rows, valueOf } from "./rowEncoder.js"
import { statementBounds, statementText } from "./statements.js"

/** Batched writes: inserts and upserts split under bind and size limits, deletes, counts. */

/**
 * A core with what its writes keep between batches: compiled encoders and statement texts.
 *
 * @internal
 */
export interface WriteContext {
  readonly core: DbCore
  readonly encoders: Encoders
  readonly statementTexts: Map<string, string>
}

/** @internal */
export const makeWriteContext = (core: DbCore): WriteContext => ({
  core,
  encoders: makeEncoders(core.dialect.name),
  statementTexts: new Map()
})

/**
 * Rows encoded for one table, and the INSERT statement around their VALUES groups.
 *
 * @internal
 */
export interface PreparedWrite {
  /** For error messages: `upserting into <table>`. */
  readonly what: string
  /** `INSERT INTO t (a, b) VALUES ` */
  readonly head: string
  /** The conflict clause, or "" for plain inserts. */
  readonly tail: string
  readonly used: ReadonlyArray<ColumnSpec>
  /**
   * The rows' bind values, flattened: `used.length` per row. With `textBytes`, a string given for a
   * `bytes` column stays a string (its UTF-8 bytes are the value): the writer thread makes the Buffer.
   */
  readonly values: ReadonlyArray<unknown>
}

/** Why `keyColumns` cannot key an upsert of `columns`, if they cannot. */
const keyProblem = (
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string>
): DbError | undefined => {
  if (keyColumns.length === 0) {
    return new DbError({ reason: "InvalidSpec", detail: `cannot upsert into ${table}: no key columns given` })
  }
  const missing = keyColumns.filter((key) => !columns.some((c) => c.name === key))
  if (missing.length === 0) return undefined
  return new DbError({
    reason: "InvalidSpec",
    detail: `cannot upsert into ${table}: key column ${missing.join(", ")} is not among the written columns`
  })
}

/**
 * A batch of rows ready to run: encoded values, the columns they fill, and the statement around the VALUES
 * list (`head` + value groups + `tail`). Upserts need `keyColumns` (the primary key or a unique index);
 * without them, plain inserts.
 *
 * @internal
 */
export const prepareWrite = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string> | undefined,
  rows: Rows,
  options: { readonly textBytes?: boolean } = {}
): Either.Either<PreparedWrite, DbError> => {
  const problem = keyColumns === undefined ? undefined : keyProblem(table, columns, keyColumns)
  if (problem !== undefined) return Either.left(problem)
  const encoded = encodeRows(context.encoders, table, columns, rows, options.textBytes === true)
  if (Either.isLeft(encoded)) return Either.left(encoded.left)
  const { used, values } = encoded.right
  if (used.length === 0) {
    return Either.left(new DbError({ reason: "InvalidSpec", detail: `cannot write ${table}: no columns to write` }))
  }
  const { quote, upsertClause } = context.core.dialect
  const names = used.map((c) => c.name)
  return Either.right({
    what: `${keyColumns === undefined ? "inserting into" : "upserting into"} ${table}`,
    head: `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")}) VALUES `,
    tail: keyColumns === undefined ? "" : upsertClause(names, keyColumns),
    used,
    values
  })
}

/** Writes `rows` in as few statements as the limits allow, several in one transaction. */
const writeRows = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string> | undefined,
  rows: Rows
): Effect.Effect<void, DbError> =>
  Effect.suspend(() => {
    if (countOf(rows) === 0) return Effect.void
    const prepared = prepareWrite(context, table, columns, keyColumns, rows)
    if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
    const { head, tail, used, values, what } = prepared.right
    const { core } = context
    const width = used.length
    const bounds = statementBounds(values, width, core.dialect.maxParameters, core.dialect.maxStatementBytes)
    const statements: Array<{ readonly text: string; readonly values: ReadonlyArray<unknown> }> = []
    for (let s = 0; s + 1 < bounds.length; s++) {
      const start = bounds[s]!
      const end = bounds[s + 1]!
      statements.push({
        text: statementText(core.dialect, context.statementTexts, head, tail, width, end - start),
        values: bounds.length === 2 ? values : values.slice(start * width, end * width)
      })
    }
    const all = Effect.forEach(statements, (statement) => run(core, statement.text, statement.values, what), {
      discard: true
    })
    return statements.length > 1 ? withTransaction(core, all) : all
  })

const keyPart = (value: unknown): string =>
  value instanceof Date
    ? value.toISOString()
    : value instanceof Uint8Array
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")
    : String(value)

/**
 * The last row index per key, in first-seen order. Keys compare as the database would see them: encoded (a
 * Date and its ISO text are one key).
 *
 * @internal
 */
export const lastRowPerKey = (
  encoders: Encoders,
  columns: ReadonlyArray<ColumnSpec>,
  keyAt: ReadonlyArray<number>,
  rows: Rows
): Map<string, number> => {
  const keyOf = (r: number, c: number) => {
    const value = valueOf(rows, columns, r, c)
    try {
      return keyPart(encoderOf(encoders, columns[c]!)(value))
    } catch {
      return keyPart(value)
    }
  }
  const latest = new Map<string, number>()
  const count = countOf(rows)
  for (let r = 0; r < count; r++) {
    latest.set(keyAt.length === 1 ? keyOf(r, keyAt[0]!) : keyAt.map((c) => keyOf(r, c)).join("\u0000"), r)
  }
  return latest
}

/** One statement may not touch a key twice on Postgres: rows repeating a key keep the last one. */
const upsertRows = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string>,
  rows: Rows
): Effect.Effect<void, DbError> =>
  Effect.suspend(() => {
    const count = countOf(rows)
    if (count === 0) return Effect.void
    const keyAt = keyColumns.map((key) => columns.findIndex((c) => c.name === key))
    if (keyColumns.length === 0 || keyAt.some((i) => i < 0)) {
      return writeRows(context, table, columns, keyColumns, rows) // fails with the spec error
    }
    const latest = lastRowPerKey(context.encoders, columns, keyAt, rows)
    if (latest.size === count) return writeRows(context, table, columns, keyColumns, rows)
    const kept = Array.from(latest.values())
    return writeRows(
      context,
      table,
      columns,
      keyColumns,
      "tuples" in rows ? { tuples: kept.map((r) => rows.tuples[r]!) } : { rows: kept.map((r) => rows.rows[r]!) }
    )
  })

/**
 * Rows or tuples, inserted (without `keyColumns`) or upserted.
 *
 * @internal
 */
export const writeTable = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string> | undefined,
  rows: Rows
): Effect.Effect<void, DbError> =>
  keyColumns === undefined
    ? writeRows(context, table, columns, undefined, rows)
    : upsertRows(context, table, columns, keyColumns, rows)

/**
 * Each `TableWrite` in order.
 *
 * @internal
 */
export const writeTables = (context: WriteContext, writes: ReadonlyArray<TableWrite>): Effect.Effect<void, DbError> =>
  Effect.forEach(writes, (write) => writeTable(context, write.table, write.columns, write.keyColumns, write), {
    discard: true
  })

/** Affected-row count from each driver's raw result. */
const affectedRows = (raw: unknown): number => {
  if (raw === null || typeof raw !== "object") return 0
  const record = raw as { affectedRows?: unknown; rowCount?: unknown; changes?: unknown }
  const count = record.affectedRows ?? record.rowCount ?? record.changes
  return typeof count === "number" ? count : typeof count === "bigint" ? Number(count) : 0
}

/** @internal */
export const deleteWhere = (core: DbCore, table: string, where: Where): Effect.Effect<number, DbError> =>
  Effect.suspend(() => {
    if (Object.keys(where).length === 0) {
      return Effect.fail(
        new DbError({ reason: "InvalidSpec", detail: `refusing to delete from ${table} without a condition` })
      )
    }
    const params = makeParams(core.dialect)
    const conditions = whereClause(core.dialect, where, params, undefined)
    const statement = `DELETE FROM ${core.dialect.quote(table)} WHERE ${conditions.join(" AND ")}`
    return Effect.map(runRaw(core, statement, params.values, `deleting from ${table}`), affectedRows)
  })

/** @internal */
export const countWhere = (core: DbCore, table: string, where: Where): Effect.Effect<number, DbError> =>
  Effect.suspend(() => {
    const params = makeParams(core.dialect)
    const conditions = whereClause(core.dialect, where, params, undefined)
    const filter = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : ""
    const statement = `SELECT COUNT(*) AS n FROM ${core.dialect.quote(table)}${filter}`
    return Effect.map(
      run(core, statement, params.values, `counting rows of ${table}`),
      (rows) => Number(rows[0]?.["n"] ?? 0)
    )
  })
