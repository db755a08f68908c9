import { Either } from "effect"
import type { ColumnSpec, DialectName, Row } from "../../Db.js"
import { encoderFor } from "./codec.js"
import { DbError } from "./errors.js"

/** A batch's rows encoded into one flat array of bind values, through encoders compiled per column. */

/**
 * Rows keyed by column name, or tuples of values in column order.
 *
 * @internal
 */
export type Rows = { readonly rows: ReadonlyArray<Row> } | { readonly tuples: ReadonlyArray<ReadonlyArray<unknown>> }

/** @internal */
export const countOf = (rows: Rows): number => "tuples" in rows ? rows.tuples.length : rows.rows.length

/**
 * Row `r`'s value for column `c` of `columns`.
 *
 * @internal
 */
export const valueOf = (rows: Rows, columns: ReadonlyArray<ColumnSpec>, r: number, c: number): unknown =>
  "tuples" in rows ? rows.tuples[r]![c] : rows.rows[r]![columns[c]!.name]

/**
 * A column's compiled encoder: answers the bind value, throws the `DbError`.
 *
 * @internal
 */
export type Encoder = (value: unknown) => unknown

/**
 * Compiled encoders, per column spec (callers reuse their column lists for every batch), of one dialect.
 *
 * @internal
 */
export interface Encoders {
  readonly dialect: DialectName
  readonly byColumn: WeakMap<ColumnSpec, Encoder>
}

/** @internal */
export const makeEncoders = (dialect: DialectName): Encoders => ({ dialect, byColumn: new WeakMap() })

/** @internal */
export const encoderOf = (encoders: Encoders, column: ColumnSpec): Encoder => {
  let encoder = encoders.byColumn.get(column)
  if (encoder === undefined) {
    encoder = encoderFor(encoders.dialect, column.type)
    encoders.byColumn.set(column, encoder)
  }
  return encoder
}

/**
 * The positions of the columns to write: all but auto-increment columns no row sets (Postgres rejects an
 * explicit NULL for a serial column).
 */
const writtenPositions = (columns: ReadonlyArray<ColumnSpec>, rows: Rows): Array<number> => {
  const count = countOf(rows)
  const positions: Array<number> = []
  columns.forEach((column, c) => {
    if (column.autoIncrement !== true) return positions.push(c)
    for (let r = 0; r < count; r++) if (valueOf(rows, columns, r, c) != null) return positions.push(c)
  })
  return positions
}

const encodeError = (detail: string) => Either.left(new DbError({ reason: "Encode", detail }))

/**
 * Encodes `rows` for `columns` into one flat array of bind values (`used.length` per row). With `textBytes`,
 * a string given for a `bytes` column stays a string (its UTF-8 bytes are the value).
 *
 * @internal
 */
export const encodeRows = (
  encoders: Encoders,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  rows: Rows,
  textBytes: boolean
): Either.Either<{ readonly used: ReadonlyArray<ColumnSpec>; readonly values: Array<unknown> }, DbError> => {
  const count = countOf(rows)
  const positions = writtenPositions(columns, rows)
  const used = positions.map((c) => columns[c]!)
  const names = used.map((column) => column.name)
  const encode = used.map((column): Encoder => {
    const encoder = encoderOf(encoders, column)
    if (!textBytes || column.type !== "bytes") return encoder
    return (value) => typeof value === "string" ? value : encoder(value)
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
        const detail = error instanceof DbError ? error.detail : String(error)
        return encodeError(`cannot write ${table}.${names[c]} (row ${r}): ${detail}`)
      }
      if (values[i - 1] === null && used[c]!.autoIncrement === true) {
        return encodeError(
          `cannot write ${table}: row ${r} lacks auto-increment column ${names[c]} that other rows set`
        )
      }
    }
  }
  return Either.right({ used, values })
}
