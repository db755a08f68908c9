import { Either } from "effect"
import type { ColumnSpec, DialectName, TableSpec } from "../../Db.js"
import { DbError } from "./errors.js"

/**
 * DDL text per dialect. Column types follow what DevLake's Go server (gorm's mysql/postgres
 * dialectors, driven by `remote/models/conversion.go`) creates from a json_schema, so tables created
 * locally look like the ones a real DevLake creates.
 */

/** @internal */
export const quoteIdentifier = (dialect: DialectName, identifier: string): string =>
  dialect === "mysql"
    ? "`" + identifier.replaceAll("`", "``") + "`"
    : "\"" + identifier.replaceAll("\"", "\"\"") + "\""

/**
 * Go's rule (`getGormTag`): maxLength ≤ 255 → varchar(n); longer → text; no maxLength → varchar(255)
 * for primary keys (MySQL cannot index TEXT), text otherwise.
 */
const stringType = (column: ColumnSpec): string => {
  const max = column.maxLength !== undefined && column.maxLength > 0 ? column.maxLength : undefined
  if (max !== undefined) return max <= 255 ? `varchar(${max})` : "text"
  return column.primaryKey === true ? "varchar(255)" : "text"
}

/**
 * The SQL type of a column, without NULL/PRIMARY KEY clauses. Per gorm: MySQL `bigint [unsigned]`,
 * `double`, `boolean` (tinyint(1)), `datetime(3)`, `json`, `longblob`; Postgres `bigint`/`bigserial`,
 * `decimal` (gorm's float64), `boolean`, `timestamptz`, `jsonb`, `bytea`. SQLite gets the closest
 * affinity (`text` for JSON so JSON numbers are not coerced).
 *
 * @internal
 */
export const columnType = (dialect: DialectName, column: ColumnSpec): string => {
  const autoIncrement = column.autoIncrement === true
  switch (column.type) {
    case "integer":
    case "unsignedInteger":
      if (dialect === "sqlite") return "integer"
      if (dialect === "postgres") return autoIncrement ? "bigserial" : "bigint"
      return (column.type === "unsignedInteger" ? "bigint unsigned" : "bigint") +
        (autoIncrement ? " AUTO_INCREMENT" : "")
    case "number":
      return dialect === "sqlite" ? "real" : dialect === "mysql" ? "double" : "decimal"
    case "boolean":
      return "boolean"
    case "string":
      return stringType(column)
    case "datetime":
      return dialect === "sqlite" ? "datetime" : dialect === "mysql" ? "datetime(3)" : "timestamptz"
    case "json":
      return dialect === "sqlite" ? "text" : dialect === "mysql" ? "json" : "jsonb"
    case "bytes":
      return dialect === "sqlite" ? "blob" : dialect === "mysql" ? "longblob" : "bytea"
  }
}

/**
 * A `bytes` column (`blob`, `longblob`, `bytea`) read as UTF-8 text, converted by the database.
 *
 * @internal
 */
export const bytesAsText = (dialect: DialectName, quotedColumn: string): string =>
  dialect === "sqlite"
    ? `CAST(${quotedColumn} AS TEXT)`
    : dialect === "mysql"
    ? `CONVERT(${quotedColumn} USING utf8mb4)`
    : `convert_from(${quotedColumn}, 'UTF8')`

const invalid = (table: string, detail: string) =>
  Either.left(new DbError({ reason: "InvalidSpec", detail: `cannot create table ${table}: ${detail}` }))

/** @internal */
export const validateColumn = (table: string, column: ColumnSpec): Either.Either<void, DbError> => {
  if (column.name === "") return invalid(table, "a column has an empty name")
  if (column.autoIncrement === true && column.type !== "integer" && column.type !== "unsignedInteger") {
    return invalid(table, `auto-increment column ${column.name} must be an integer`)
  }
  if (column.index === true && (column.type === "json" || column.type === "bytes")) {
    return invalid(table, `column ${column.name} of type ${column.type} cannot be indexed`)
  }
  return Either.void
}

/** @internal */
export const validateTable = (spec: TableSpec): Either.Either<void, DbError> => {
  if (spec.name === "") return invalid("(unnamed)", "the table name is empty")
  if (spec.columns.length === 0) return invalid(spec.name, "it has no columns")
  const seen = new Set<string>()
  for (const column of spec.columns) {
    const check = validateColumn(spec.name, column)
    if (Either.isLeft(check)) return check
    const key = column.name.toLowerCase()
    if (seen.has(key)) return invalid(spec.name, `column ${column.name} is declared twice`)
    seen.add(key)
  }
  const autoIncrement = spec.columns.filter((c) => c.autoIncrement === true)
  if (autoIncrement.length > 1) return invalid(spec.name, "more than one auto-increment column")
  const primaryKeys = spec.columns.filter((c) => c.primaryKey === true)
  if (autoIncrement.length === 1) {
    if (autoIncrement[0]!.primaryKey !== true) {
      return invalid(spec.name, `auto-increment column ${autoIncrement[0]!.name} must be the primary key`)
    }
    if (primaryKeys.length > 1) {
      return invalid(spec.name, `auto-increment column ${autoIncrement[0]!.name} must be the only primary key column`)
    }
  }
  return Either.void
}

const fnv1a = (text: string): string => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, "0")
}

/**
 * gorm's index name `idx_<table>_<column>`, shortened with a hash when it would exceed the 63/64
 * character identifier limits of Postgres/MySQL (Postgres would silently truncate and could collide).
 *
 * @internal
 */
export const indexName = (table: string, column: string): string => {
  const name = `idx_${table}_${column}`
  return name.length <= 60 ? name : `${name.slice(0, 50)}_${fnv1a(name)}`
}

const columnDefinition = (dialect: DialectName, column: ColumnSpec): string => {
  const name = quoteIdentifier(dialect, column.name)
  if (dialect === "sqlite" && column.autoIncrement === true) return `${name} integer PRIMARY KEY AUTOINCREMENT`
  const notNull = column.primaryKey === true || column.nullable === false
  return `${name} ${columnType(dialect, column)}${notNull ? " NOT NULL" : ""}`
}

/** MySQL cannot index TEXT without a prefix length. */
const indexedColumn = (dialect: DialectName, column: ColumnSpec): string => {
  const name = quoteIdentifier(dialect, column.name)
  return dialect === "mysql" && column.type === "string" && columnType(dialect, column) === "text"
    ? `${name}(255)`
    : name
}

/**
 * `CREATE INDEX` for one column. MySQL has no `IF NOT EXISTS` here, so callers only use it right
 * after adding the column.
 *
 * @internal
 */
export const createIndexStatement = (dialect: DialectName, table: string, column: ColumnSpec): string =>
  `CREATE INDEX ${dialect === "mysql" ? "" : "IF NOT EXISTS "}${
    quoteIdentifier(dialect, indexName(table, column.name))
  } ON ${quoteIdentifier(dialect, table)} (${indexedColumn(dialect, column)})`

/**
 * The statements creating `spec` if it does not exist: the `CREATE TABLE` (MySQL with its indexes
 * inline, so the whole thing is one atomic statement), then `CREATE INDEX IF NOT EXISTS` for the others.
 *
 * @internal
 */
export const createTableStatements = (dialect: DialectName, spec: TableSpec): Array<string> => {
  const table = quoteIdentifier(dialect, spec.name)
  const parts = spec.columns.map((column) => columnDefinition(dialect, column))
  const primaryKeys = spec.columns.filter((c) => c.primaryKey === true)
  const inlinePk = dialect === "sqlite" && spec.columns.some((c) => c.autoIncrement === true)
  if (primaryKeys.length > 0 && !inlinePk) {
    parts.push(`PRIMARY KEY (${primaryKeys.map((c) => quoteIdentifier(dialect, c.name)).join(", ")})`)
  }
  const indexed = spec.columns.filter((c) => c.index === true)
  if (dialect === "mysql") {
    for (const column of indexed) {
      parts.push(
        `INDEX ${quoteIdentifier(dialect, indexName(spec.name, column.name))} (${indexedColumn(dialect, column)})`
      )
    }
  }
  const statements = [`CREATE TABLE IF NOT EXISTS ${table} (${parts.join(", ")})`]
  if (dialect !== "mysql") {
    for (const column of indexed) statements.push(createIndexStatement(dialect, spec.name, column))
  }
  return statements
}
