import { Effect, Either } from "effect"
import type { ColumnSpec, Row, TableWrite, Where } from "../../Db.js"
import { type DbCore, makeParams } from "./core.js"
import { encoderFor } from "./codec.js"
import { DbError } from "./errors.js"

/** Batched writes: encoding, splitting under bind and size limits, inserts, upserts, deletes. */

/**
 * Rows keyed by column name, or tuples of values in column order.
 *
 * @internal
 */
export type Rows = { readonly rows: ReadonlyArray<Row> } | { readonly tuples: ReadonlyArray<ReadonlyArray<unknown>> }

const countOf = (rows: Rows): number => "tuples" in rows ? rows.tuples.length : rows.rows.length

/** Row `r`'s value for column `c` of `columns`. */
const valueOf = (rows: Rows, columns: ReadonlyArray<ColumnSpec>, r: number, c: number): unknown =>
  "tuples" in rows ? rows.tuples[r]![c] : rows.rows[r]![columns[c]!.name]

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

const estimateBytes = (value: unknown): number => {
  if (value === null || value === undefined) return 1
  if (typeof value === "string") return Buffer.byteLength(value, "utf8") + 4
  if (value instanceof Uint8Array) return value.byteLength + 4
  return 12
}

/** Affected-row count from each driver's raw result. */
const affectedRows = (raw: unknown): number => {
  if (raw === null || typeof raw !== "object") return 0
  const record = raw as { affectedRows?: unknown; rowCount?: unknown; changes?: unknown }
  const count = record.affectedRows ?? record.rowCount ?? record.changes
  return typeof count === "number" ? count : typeof count === "bigint" ? Number(count) : 0
}

const keyPart = (value: unknown): string =>
  value instanceof Date
    ? value.toISOString()
    : value instanceof Uint8Array
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")
    : String(value)

/** @internal */
export const makeWriteOps = (core: DbCore) => {
  const { maxParameters, maxStatementBytes, name, quote, run, runRaw, whereClause, withTransaction } = core

  /** Compiled encoders, per column spec (callers reuse their column lists for every batch). */
  const encoders = new WeakMap<ColumnSpec, (value: unknown) => unknown>()
  const encoderOf = (column: ColumnSpec) => {
    let encoder = encoders.get(column)
    if (encoder === undefined) {
      encoder = encoderFor(name, column.type)
      encoders.set(column, encoder)
    }
    return encoder
  }

  /**
   * Encodes `rows` for `columns` into one flat array of bind values (`used.length` per row), dropping
   * auto-increment columns no row sets (Postgres rejects an explicit NULL for a serial column).
   */
  const encodeRows = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    rows: Rows,
    textBytes: boolean
  ): Either.Either<{ readonly used: ReadonlyArray<ColumnSpec>; readonly values: Array<unknown> }, DbError> => {
    const count = countOf(rows)
    const positions: Array<number> = []
    columns.forEach((column, c) => {
      if (column.autoIncrement !== true) return positions.push(c)
      for (let r = 0; r < count; r++) if (valueOf(rows, columns, r, c) != null) return positions.push(c)
    })
    const used = positions.map((c) => columns[c]!)
    const names = used.map((column) => column.name)
    const encode = used.map((column) => {
      const encoder = encoderOf(column)
      return textBytes && column.type === "bytes"
        ? (value: unknown) => typeof value === "string" ? value : encoder(value)
        : encoder
    })
    // Strings for text columns (most values) skip the per-column encoder call.
    const text = used.map((column) => column.type === "string" || (textBytes && column.type === "bytes"))
    const width = used.length
    const values = new Array<unknown>(count * width)
    const tuples = "tuples" in rows ? rows.tuples : undefined
    const objects = "tuples" in rows ? undefined : rows.rows
    let i = 0
    for (let r = 0; r < count; r++) {
      const tuple = tuples?.[r]
      const row = objects?.[r]
      for (let c = 0; c < width; c++) {
        const value = tuple !== undefined ? tuple[positions[c]!] : row![names[c]!]
        if (text[c] && typeof value === "string") {
          values[i++] = value
          continue
        }
        try {
          values[i++] = encode[c]!(value)
        } catch (error) {
          return Either.left(
            new DbError({
              reason: "Encode",
              detail: `cannot write ${table}.${names[c]} (row ${r}): ${error instanceof DbError ? error.detail : String(error)}`
            })
          )
        }
        if (values[i - 1] === null && used[c]!.autoIncrement === true) {
          return Either.left(
            new DbError({
              reason: "Encode",
              detail: `cannot write ${table}: row ${r} lacks auto-increment column ${names[c]} that other rows set`
            })
          )
        }
      }
    }
    return Either.right({ used, values })
  }

  /**
   * The text of a statement writing `rows` rows: it depends only on the table's statement and the row count,
   * so the full batches of a subtask share one (and MySQL's driver its prepared statement). Bounded: a
   * subtask writes a few tables and batch sizes.
   */
  const statementTexts = new Map<string, string>()
  const statementText = (head: string, tail: string, width: number, rows: number): string => {
    const key = `${rows}\u0000${width}\u0000${head}\u0000${tail}`
    let text = statementTexts.get(key)
    if (text === undefined) {
      const params = makeParams(name)
      const groups: Array<string> = []
      for (let r = 0; r < rows; r++) {
        const placeholders: Array<string> = []
        for (let c = 0; c < width; c++) placeholders.push(params.add(undefined))
        groups.push(`(${placeholders.join(", ")})`)
      }
      text = head + groups.join(", ") + tail
      if (statementTexts.size >= 64) statementTexts.clear()
      statementTexts.set(key, text)
    }
    return text
  }

  /**
   * Greedy split of flat rows into statements under the parameter limit and the byte budget (at least one
   * row each); returns the row index where each statement starts, and the end.
   */
  const statementBounds = (values: ReadonlyArray<unknown>, width: number): Array<number> => {
    const rows = width === 0 ? 0 : values.length / width
    const maxRows = Math.max(1, Math.floor(maxParameters / Math.max(1, width)))
    const bounds = [0]
    let count = 0
    let bytes = 0
    for (let r = 0; r < rows; r++) {
      let size = 0
      for (let c = r * width; c < (r + 1) * width; c++) size += estimateBytes(values[c])
      if (count > 0 && (count >= maxRows || bytes + size > maxStatementBytes)) {
        bounds.push(r)
        count = 0
        bytes = 0
      }
      count++
      bytes += size
    }
    bounds.push(rows)
    return bounds
  }

  /**
   * A batch of rows ready to run: encoded tuples, the columns they fill, and the statement around the
   * VALUES list (`head` + value groups + `tail`). Upserts need `keyColumns` (the primary key or a unique
   * index); without them, plain inserts.
   */
  const prepareWrite = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    keyColumns: ReadonlyArray<string> | undefined,
    rows: Rows,
    options: { readonly textBytes?: boolean } = {}
  ): Either.Either<PreparedWrite, DbError> => {
    const upsert = keyColumns !== undefined
    if (upsert) {
      const missing = keyColumns.filter((key) => !columns.some((c) => c.name === key))
      if (keyColumns.length === 0 || missing.length > 0) {
        return Either.left(
          new DbError({
            reason: "InvalidSpec",
            detail: keyColumns.length === 0
              ? `cannot upsert into ${table}: no key columns given`
              : `cannot upsert into ${table}: key column ${missing.join(", ")} is not among the written columns`
          })
        )
      }
    }
    const encoded = encodeRows(table, columns, rows, options.textBytes === true)
    if (Either.isLeft(encoded)) return Either.left(encoded.left)
    const { used, values } = encoded.right
    if (used.length === 0) {
      return Either.left(new DbError({ reason: "InvalidSpec", detail: `cannot write ${table}: no columns to write` }))
    }
    const head = `INSERT INTO ${quote(table)} (${used.map((c) => quote(c.name)).join(", ")}) VALUES `
    return Either.right({
      what: `${upsert ? "upserting into" : "inserting into"} ${table}`,
      head,
      tail: upsert ? conflictClause(used, keyColumns) : "",
      used,
      values
    })
  }

  const conflictClause = (used: ReadonlyArray<ColumnSpec>, keyColumns: ReadonlyArray<string>) => {
    const updates = used.filter((c) => !keyColumns.includes(c.name))
    if (name === "mysql") {
      const assignments = updates.length > 0
        ? updates.map((c) => `${quote(c.name)} = VALUES(${quote(c.name)})`)
        : [`${quote(keyColumns[0]!)} = ${quote(keyColumns[0]!)}`]
      return ` ON DUPLICATE KEY UPDATE ${assignments.join(", ")}`
    }
    const target = `(${keyColumns.map(quote).join(", ")})`
    return updates.length > 0
      ? ` ON CONFLICT ${target} DO UPDATE SET ${updates.map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`).join(", ")}`
      : ` ON CONFLICT ${target} DO NOTHING`
  }

  const writeRows = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    keyColumns: ReadonlyArray<string> | undefined,
    rows: Rows
  ): Effect.Effect<void, DbError> =>
    Effect.suspend(() => {
      if (countOf(rows) === 0) return Effect.void
      const prepared = prepareWrite(table, columns, keyColumns, rows)
      if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
      const { head, tail, used, values, what } = prepared.right
      const width = used.length
      const bounds = statementBounds(values, width)
      const statements: Array<{ readonly text: string; readonly values: ReadonlyArray<unknown> }> = []
      for (let s = 0; s + 1 < bounds.length; s++) {
        const start = bounds[s]!
        const end = bounds[s + 1]!
        statements.push({
          text: statementText(head, tail, width, end - start),
          values: bounds.length === 2 ? values : values.slice(start * width, end * width)
        })
      }
      const all = Effect.forEach(statements, (statement) => run(statement.text, statement.values, what), {
        discard: true
      })
      return statements.length > 1 ? withTransaction(all) : all
    })

  const upsertRows = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    keyColumns: ReadonlyArray<string>,
    rows: Rows
  ) =>
    Effect.suspend(() => {
      const count = countOf(rows)
      if (count === 0) return Effect.void
      const keyAt = keyColumns.map((key) => columns.findIndex((c) => c.name === key))
      if (keyColumns.length === 0 || keyAt.some((i) => i < 0)) {
        return writeRows(table, columns, keyColumns, rows) // fails with the spec error
      }
      // One statement may not touch a key twice on Postgres; keep the last row per key, in first-seen order.
      // Keys compare as the database would see them: encoded (a Date and its ISO text are one key).
      const keyOf = (r: number, c: number) => {
        const value = valueOf(rows, columns, r, c)
        try {
          return keyPart(encoderOf(columns[c]!)(value))
        } catch {
          return keyPart(value)
        }
      }
      const latest = new Map<string, number>()
      for (let r = 0; r < count; r++) {
        latest.set(keyAt.length === 1 ? keyOf(r, keyAt[0]!) : keyAt.map((c) => keyOf(r, c)).join("\u0000"), r)
      }
      if (latest.size === count) return writeRows(table, columns, keyColumns, rows)
      const kept = Array.from(latest.values())
      return writeRows(
        table,
        columns,
        keyColumns,
        "tuples" in rows ? { tuples: kept.map((r) => rows.tuples[r]!) } : { rows: kept.map((r) => rows.rows[r]!) }
      )
    })

  const insertBatch = (table: string, columns: ReadonlyArray<ColumnSpec>, rows: ReadonlyArray<Row>) =>
    writeRows(table, columns, undefined, { rows })

  const upsertBatch = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    keyColumns: ReadonlyArray<string>,
    rows: ReadonlyArray<Row>
  ) => upsertRows(table, columns, keyColumns, { rows })

  /** One `TableWrite`, rows or tuples, inserted or upserted by its key columns. */
  const writeTable = (write: TableWrite): Effect.Effect<void, DbError> =>
    write.keyColumns === undefined
      ? writeRows(write.table, write.columns, undefined, write)
      : upsertRows(write.table, write.columns, write.keyColumns, write)

  const deleteWhere = (table: string, where: Where) =>
    Effect.suspend(() => {
      if (Object.keys(where).length === 0) {
        return Effect.fail(
          new DbError({ reason: "InvalidSpec", detail: `refusing to delete from ${table} without a condition` })
        )
      }
      const params = makeParams(name)
      const conditions = whereClause(where, params, undefined)
      return Effect.map(
        runRaw(`DELETE FROM ${quote(table)} WHERE ${conditions.join(" AND ")}`, params.values, `deleting from ${table}`),
        affectedRows
      )
    })

  const countWhere = (table: string, where: Where) =>
    Effect.suspend(() => {
      const params = makeParams(name)
      const conditions = whereClause(where, params, undefined)
      const filter = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : ""
      return Effect.map(
        run(`SELECT COUNT(*) AS n FROM ${quote(table)}${filter}`, params.values, `counting rows of ${table}`),
        (rows) => Number(rows[0]?.["n"] ?? 0)
      )
    })

  const write = (writes: ReadonlyArray<TableWrite>): Effect.Effect<void, DbError> =>
    Effect.forEach(writes, writeTable, { discard: true })

  return { insertBatch, upsertBatch, write, deleteWhere, countWhere, prepareWrite }
}
