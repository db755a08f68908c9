import { Effect, Either } from "effect"
import type { ColumnSpec, Row, Where } from "../Db.js"
import { type DbCore, makeParams } from "./dbCore.js"
import { DbError } from "./dbError.js"

/** Batched writes: encoding, splitting under bind and size limits, inserts, upserts, deletes. */

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
  const { encode, maxParameters, maxStatementBytes, name, quote, run, runRaw, whereClause, withTransaction } = core

  /**
   * Encodes `rows` for `columns` into bind-value tuples, dropping auto-increment columns no row sets
   * (Postgres rejects an explicit NULL for a serial column).
   */
  const encodeRows = (table: string, columns: ReadonlyArray<ColumnSpec>, rows: ReadonlyArray<Row>) => {
    const used = columns.filter((column) => {
      if (column.autoIncrement !== true) return true
      return rows.some((row) => row[column.name] !== undefined && row[column.name] !== null)
    })
    const tuples: Array<Array<unknown>> = []
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!
      const tuple: Array<unknown> = []
      for (const column of used) {
        const value = row[column.name]
        if (column.autoIncrement === true && (value === undefined || value === null)) {
          return Either.left(
            new DbError({
              reason: "Encode",
              detail: `cannot write ${table}: row ${r} lacks auto-increment column ${column.name} that other rows set`
            })
          )
        }
        const encoded = encode(column.type, value)
        if (Either.isLeft(encoded)) {
          return Either.left(
            new DbError({
              reason: "Encode",
              detail: `cannot write ${table}.${column.name} (row ${r}): ${encoded.left.detail}`
            })
          )
        }
        tuple.push(encoded.right)
      }
      tuples.push(tuple)
    }
    return Either.right({ used, tuples })
  }

  /** Greedy split into statements under the parameter limit and the byte budget (at least one row each). */
  const chunkTuples = (tuples: ReadonlyArray<ReadonlyArray<unknown>>, width: number) => {
    const maxRows = Math.max(1, Math.floor(maxParameters / Math.max(1, width)))
    const chunks: Array<Array<ReadonlyArray<unknown>>> = []
    let current: Array<ReadonlyArray<unknown>> = []
    let bytes = 0
    for (const tuple of tuples) {
      let size = 0
      for (const value of tuple) size += estimateBytes(value)
      if (current.length > 0 && (current.length >= maxRows || bytes + size > maxStatementBytes)) {
        chunks.push(current)
        current = []
        bytes = 0
      }
      current.push(tuple)
      bytes += size
    }
    if (current.length > 0) chunks.push(current)
    return chunks
  }

  const writeRows = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    rows: ReadonlyArray<Row>,
    what: string,
    conflictClause: (used: ReadonlyArray<ColumnSpec>) => string
  ): Effect.Effect<void, DbError> =>
    Effect.suspend(() => {
      if (rows.length === 0) return Effect.void
      const encoded = encodeRows(table, columns, rows)
      if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
      const { tuples, used } = encoded.right
      if (used.length === 0) {
        return Effect.fail(new DbError({ reason: "InvalidSpec", detail: `cannot write ${table}: no columns to write` }))
      }
      const head = `INSERT INTO ${quote(table)} (${used.map((c) => quote(c.name)).join(", ")}) VALUES `
      const tail = conflictClause(used)
      const statements = chunkTuples(tuples, used.length).map((chunk) => {
        const params = makeParams(name)
        const values = chunk.map((tuple) => `(${tuple.map(params.add).join(", ")})`).join(", ")
        return { text: head + values + tail, values: params.values }
      })
      const all = Effect.forEach(
        statements,
        (statement) => run(statement.text, statement.values, `${what} ${table}`),
        { discard: true }
      )
      return statements.length > 1 ? withTransaction(all) : all
    })

  const insertBatch = (table: string, columns: ReadonlyArray<ColumnSpec>, rows: ReadonlyArray<Row>) =>
    writeRows(table, columns, rows, "inserting into", () => "")

  const upsertBatch = (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    keyColumns: ReadonlyArray<string>,
    rows: ReadonlyArray<Row>
  ) =>
    Effect.suspend(() => {
      if (rows.length === 0) return Effect.void
      const missing = keyColumns.filter((key) => !columns.some((c) => c.name === key))
      if (keyColumns.length === 0 || missing.length > 0) {
        return Effect.fail(
          new DbError({
            reason: "InvalidSpec",
            detail: keyColumns.length === 0
              ? `cannot upsert into ${table}: no key columns given`
              : `cannot upsert into ${table}: key column ${missing.join(", ")} is not among the written columns`
          })
        )
      }
      const keySpecs = keyColumns.map((key) => columns.find((c) => c.name === key)!)
      // One statement may not touch a key twice on Postgres; keep the last row per key, in first-seen order.
      const latest = new Map<string, Row>()
      for (const row of rows) {
        const key = keySpecs.map((spec) => {
          const encoded = encode(spec.type, row[spec.name])
          return keyPart(Either.isRight(encoded) ? encoded.right : row[spec.name])
        }).join("\u0000")
        latest.set(key, row)
      }
      const unique = latest.size === rows.length ? rows : Array.from(latest.values())
      return writeRows(table, columns, unique, "upserting into", (used) => {
        const updates = used.filter((c) => !keyColumns.includes(c.name))
        if (name === "mysql") {
          const assignments = updates.length > 0
            ? updates.map((c) => `${quote(c.name)} = VALUES(${quote(c.name)})`)
            : [`${quote(keyColumns[0]!)} = ${quote(keyColumns[0]!)}`]
          return ` ON DUPLICATE KEY UPDATE ${assignments.join(", ")}`
        }
        const target = `(${keyColumns.map(quote).join(", ")})`
        return updates.length > 0
          ? ` ON CONFLICT ${target} DO UPDATE SET ${
            updates.map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`).join(", ")
          }`
          : ` ON CONFLICT ${target} DO NOTHING`
      })
    })

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

  return { insertBatch, upsertBatch, deleteWhere, countWhere }
}
