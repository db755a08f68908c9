import { Either } from "effect"
import type { ColumnSpec, DialectName, Row } from "../../Db.js"
import { decodeLoose, decoderFor } from "./codec.js"
import { DbError } from "./errors.js"

/**
 * Row decoders compiled once per stream and run per row, for rows read as arrays of the `names` columns (in
 * that order): the ones in `columns` decoded by type, the others as `decodeLoose` leaves them. They throw the
 * `DbError`.
 */

const columnDecoders = (dialect: DialectName, names: ReadonlyArray<string>, columns: ReadonlyArray<ColumnSpec>) =>
  names.map((column) => {
    const spec = columns.find((c) => c.name === column)
    return spec === undefined ? decodeLoose : decoderFor(dialect, spec.type)
  })

const cannotRead = (column: string | undefined, error: unknown) =>
  new DbError({
    reason: "Decode",
    detail: `cannot read column ${column}: ${error instanceof DbError ? error.detail : String(error)}`
  })

/**
 * Decodes a row read as an array, in place: rows read as arrays are fresh arrays of their own.
 *
 * @internal
 */
export const tupleDecoder = (
  dialect: DialectName,
  names: ReadonlyArray<string>,
  columns: ReadonlyArray<ColumnSpec>
): (values: Array<unknown>) => void => {
  const decoders = columnDecoders(dialect, names, columns)
  return (values) => {
    for (let i = 0; i < names.length; i++) {
      try {
        values[i] = decoders[i]!(values[i])
      } catch (error) {
        throw cannotRead(names[i], error)
      }
    }
  }
}

/**
 * As `tupleDecoder`, then the values as a row object (the array is decoded in place too).
 *
 * @internal
 */
export const valuesDecoder = (
  dialect: DialectName,
  names: ReadonlyArray<string>,
  columns: ReadonlyArray<ColumnSpec>
): (values: Array<unknown>) => Row => {
  const decode = tupleDecoder(dialect, names, columns)
  return (values) => {
    decode(values)
    const out: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) out[names[i]!] = values[i]
    return out
  }
}

/**
 * Decodes the listed columns of a row; other keys are copied unchanged.
 *
 * @internal
 */
export const decodeRow = (
  dialect: DialectName,
  columns: ReadonlyArray<ColumnSpec>,
  row: Row
): Either.Either<Row, DbError> => {
  try {
    const names = Object.keys(row)
    return Either.right(valuesDecoder(dialect, names, columns)(names.map((key) => row[key])))
  } catch (error) {
    return Either.left(error as DbError)
  }
}
