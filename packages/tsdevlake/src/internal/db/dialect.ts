import type { Either } from "effect"
import type { ColumnSpec, ColumnType, DbError, DialectName } from "../../Db.js"
import { decodeValue, encodeValue } from "./codec.js"
import { bytesAsText, columnType, quoteIdentifier } from "./ddl.js"

/**
 * What differs between SQLite, MySQL/MariaDB and PostgreSQL, as one record per database: the rest of
 * `internal/db` asks it instead of testing the dialect's name.
 */

/**
 * The dialect record, documented on its `Db` name (`Db.Dialect`).
 *
 * @internal
 */
export interface Dialect {
  readonly name: DialectName
  /** Bind parameters one statement may hold: SQLite 32766, MySQL and PostgreSQL 65535. */
  readonly maxParameters: number
  /** The budget of one statement's values: MySQL 3/4 of `max_allowed_packet`, else 32 MiB. */
  readonly maxStatementBytes: number
  /** Quotes one identifier (`"x"` or `` `x` ``), doubling embedded quote characters. */
  readonly quote: (identifier: string) => string
  /** Identifier equality as the database sees it (case-insensitive except on PostgreSQL). */
  readonly namesEqual: (a: string, b: string) => boolean
  /** The placeholder of the bind parameter at 1-based `position`: `?`, or `$n` on PostgreSQL. */
  readonly placeholder: (position: number) => string
  /** The SQL type Go/gorm would create for this column (without NULL / PRIMARY KEY clauses). */
  readonly columnType: (column: ColumnSpec) => string
  /**
   * A JS value → the value to bind for a column of this type: `null`/`undefined` → NULL, dates and booleans as
   * the driver binds them, JSON through `JSON.stringify`, integers past 2^53 as bigint or decimal text.
   */
  readonly encodeValue: (type: ColumnType, value: unknown) => Either.Either<unknown, DbError>
  /** A value as read from the driver → the JS value originally written. */
  readonly decodeValue: (type: ColumnType, value: unknown) => Either.Either<unknown, DbError>
  /** An expression reading `bytes` column `column` as UTF-8 text, converted by the database. */
  readonly bytesAsText: (column: string) => string
  /** The clause after `INSERT … VALUES …` that makes it an upsert by `keyColumns` (see `upsertBatch`). */
  readonly upsertClause: (columns: ReadonlyArray<string>, keyColumns: ReadonlyArray<string>) => string
}

/** Host-parameter limits: SQLite's SQLITE_MAX_VARIABLE_NUMBER (≥ 3.32), the 16-bit counts of PG and MySQL. */
const maxParametersOf: Record<DialectName, number> = { sqlite: 32766, mysql: 65535, postgres: 65535 }

/**
 * Statement payload budget where the server has no small limit; keeps a batch's memory bounded.
 *
 * @internal
 */
export const defaultStatementBytes = 32 * 1024 * 1024

/**
 * The upsert clause after an `INSERT … VALUES` list: SQLite/PG `ON CONFLICT (keys) DO UPDATE SET c =
 * excluded.c` (`DO NOTHING` when only keys are written), MySQL `ON DUPLICATE KEY UPDATE c = VALUES(c)`
 * (MariaDB has no row-alias form; with only keys, a no-op assignment). Starts with a space.
 *
 * @internal
 */
export const upsertClause = (
  name: DialectName,
  columns: ReadonlyArray<string>,
  keyColumns: ReadonlyArray<string>
): string => {
  const quote = (identifier: string) => quoteIdentifier(name, identifier)
  const updates = columns.filter((column) => !keyColumns.includes(column))
  if (name === "mysql") {
    const assignments = updates.length > 0
      ? updates.map((column) => `${quote(column)} = VALUES(${quote(column)})`)
      : [`${quote(keyColumns[0]!)} = ${quote(keyColumns[0]!)}`]
    return ` ON DUPLICATE KEY UPDATE ${assignments.join(", ")}`
  }
  const target = `(${keyColumns.map(quote).join(", ")})`
  return updates.length > 0
    ? ` ON CONFLICT ${target} DO UPDATE SET ${updates.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(", ")}`
    : ` ON CONFLICT ${target} DO NOTHING`
}

const sensitive = (a: string, b: string) => a === b
const insensitive = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
const numbered = (position: number) => `$${position}`
const question = () => "?"

/**
 * The dialect `name`, with `maxStatementBytes` as read from the server (MySQL's `max_allowed_packet`).
 *
 * @internal
 */
export const makeDialect = (name: DialectName, maxStatementBytes: number = defaultStatementBytes): Dialect => ({
  name,
  maxParameters: maxParametersOf[name],
  maxStatementBytes,
  quote: (identifier) => quoteIdentifier(name, identifier),
  namesEqual: name === "postgres" ? sensitive : insensitive,
  placeholder: name === "postgres" ? numbered : question,
  columnType: (column) => columnType(name, column),
  encodeValue: (type: ColumnType, value: unknown) => encodeValue(name, type, value),
  decodeValue: (type: ColumnType, value: unknown) => decodeValue(name, type, value),
  bytesAsText: (column) => bytesAsText(name, quoteIdentifier(name, column)),
  upsertClause: (columns, keyColumns) => upsertClause(name, columns, keyColumns)
})
