import type { ColumnType, Dialect, DialectName } from "../../Db.js"
import { decodeValue, encodeValue } from "./codec.js"
import { bytesAsText, columnType, quoteIdentifier } from "./ddl.js"

/**
 * What differs between SQLite, MySQL/MariaDB and PostgreSQL, as one record per database: the rest of
 * `internal/db` asks it instead of testing the dialect's name.
 */

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
