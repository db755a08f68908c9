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
  /** `INSERT INTO t (a, b)` */
  readonly into: string
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
  const into = `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")})`
  return Either.right({
    what: `${keyColumns === undefined ? "inserting into" : "upserting into"} ${table}`,
    into,
    head: `${into} VALUES `,
    tail: keyColumns === undefined ? "" : upsertClause(names, keyColumns),
    used,
    values
  })
}

/** One statement of a batch: its text and bind values. */
interface Statement {
  readonly text: string
  readonly values: ReadonlyArray<unknown>
}

/** Multi-row `VALUES` statements, cut under the dialect's bind-value and size limits. */
const valuesStatements = (context: WriteContext, prepared: PreparedWrite): Array<Statement> => {
  const { head, tail, used, values } = prepared
  const { dialect } = context.core
  const width = used.length
  const bounds = statementBounds(values, width, dialect.maxParameters, dialect.maxStatementBytes)
  const statements: Array<Statement> = []
  for (let s = 0; s + 1 < bounds.length; s++) {
    const start = bounds[s]!
    const end = bounds[s + 1]!
    statements.push({
      text: statementText(dialect, context.statementTexts, head, tail, width, end - start),
      values: bounds.length === 2 ? values : values.slice(start * width, end * width)
    })
  }
  return statements
}

/**
 * PostgreSQL statements that bind one array per column (`INSERT … SELECT * FROM unnest($1::bigint[], …)`), cut
 * only by size: PostgreSQL parses and plans an unnamed statement at every execution, and a multi-row VALUES list
 * of a 500-row batch (9,000 bind values for 18 columns) cost the server about twice the CPU of the same rows as
 * 18 arrays. `types` has each column's type as the table declares it, so the arrays cast to exactly what VALUES
 * literals would have been coerced to.
 */
const unnestStatements = (
  context: WriteContext,
  prepared: PreparedWrite,
  types: ReadonlyArray<string>
): Array<Statement> => {
  const { into, tail, used, values } = prepared
  const width = used.length
  const key = `unnest\u0000${into}\u0000${tail}\u0000${types.join("\u0000")}`
  let text = context.statementTexts.get(key)
  if (text === undefined) {
    const arrays = types.map((type, c) => `$${c + 1}::${type}[]`)
    text = `${into} SELECT * FROM unnest(${arrays.join(", ")})${tail}`
    context.statementTexts.set(key, text)
  }
  const bounds = statementBounds(values, width, Number.MAX_SAFE_INTEGER, context.core.dialect.maxStatementBytes)
  const statements: Array<Statement> = []
  for (let s = 0; s + 1 < bounds.length; s++) {
    const columns: Array<string> = []
    for (let c = 0; c < width; c++) columns.push(pgArray(values, width, c, bounds[s]!, bounds[s + 1]!))
    statements.push({ text, values: columns })
  }
  return statements
}

/** A date as PostgreSQL reads it: ISO text, whose years past 9999 or before 1 PostgreSQL writes its own way. */
const pgTimestamp = (date: Date): string => {
  const iso = date.toISOString()
  const year = date.getUTCFullYear()
  if (year >= 1 && year <= 9999) return iso
  const rest = iso.slice(iso.indexOf("-", 1))
  return year > 0 ? `${year}${rest}` : `${String(1 - year).padStart(4, "0")}${rest} BC`
}

/** An array element as PostgreSQL's array input reads it: quoted, backslash before `"` and `\`. */
const pgElement = (value: unknown): string => {
  if (value === null || value === undefined) return "NULL"
  const text = typeof value === "string"
    ? value
    : value instanceof Date
    ? pgTimestamp(value)
    : typeof value === "boolean"
    ? (value ? "t" : "f")
    : String(value)
  return text.includes("\\") || text.includes("\"")
    ? `"${text.replace(/["\\]/g, "\\$&")}"`
    : `"${text}"`
}

/**
 * Column `c` of the flat rows `start` to `end` as one PostgreSQL array literal. A value like the previous row's
 * reuses its text: a batch's rows share one Date for their timestamps, and dates were the dearest elements.
 */
const pgArray = (values: ReadonlyArray<unknown>, width: number, c: number, start: number, end: number): string => {
  let text = "{"
  let previous: unknown = undefined
  let element = "NULL"
  for (let r = start; r < end; r++) {
    const value = values[r * width + c]
    if (value !== previous || r === start) element = pgElement(value)
    previous = value
    text += (r > start ? "," : "") + element
  }
  return text + "}"
}

/**
 * Each PostgreSQL table's column types as `unnest` casts its arrays to them, read once per batch writer.
 *
 * @internal
 */
export type ColumnTypes = Map<string, ReadonlyMap<string, string> | undefined>

/** A table's column types (without length or precision: a cast would truncate); array columns left out. */
const pgColumnTypes = (core: DbCore, table: string): Effect.Effect<ReadonlyMap<string, string>, DbError> =>
  Effect.map(
    run(
      core,
      "SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type, t.typcategory = 'A' AS list " +
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid " +
        "WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped",
      [table],
      `reading the column types of ${table}`
    ),
    (rows) => new Map(rows.flatMap((row) => row["list"] === true ? [] : [[String(row["name"]), String(row["type"])]]))
  )

/** The types of `used` columns for `unnest`, or none when one is not a plain column of the table. */
const unnestTypes = (
  core: DbCore,
  cache: ColumnTypes,
  table: string,
  used: ReadonlyArray<ColumnSpec>
): Effect.Effect<ReadonlyArray<string> | undefined, DbError> =>
  Effect.map(
    cache.has(table) ? Effect.succeed(cache.get(table)) : Effect.tap(
      pgColumnTypes(core, table),
      (types) => Effect.sync(() => cache.set(table, types))
    ),
    (types) => {
      const found = used.map((column) => types?.get(column.name))
      return found.every((type) => type !== undefined) ? found as ReadonlyArray<string> : undefined
    }
  )

/**
 * Writes `rows` in as few statements as the limits allow, several in one transaction; on PostgreSQL, given the
 * writer's `types` cache, as arrays (`unnestStatements`).
 */
const writeRows = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string> | undefined,
  rows: Rows,
  types?: ColumnTypes
): Effect.Effect<void, DbError> =>
  Effect.suspend(() => {
    if (countOf(rows) === 0) return Effect.void
    // On a utf8mb4 connection mysql2 writes a string's UTF-8 bytes straight into the packet, which is what a bytes
    // column stores; a Buffer made first would cost a copy and about 100 MB of allocation per 100,000 raw rows of a
    // collect. On another character set (utf8mb3 included: no 4-byte characters) the string would be stored in that
    // one: a Buffer it is.
    const textBytes = context.core.dialect.name === "mysql" && context.core.utf8Client === true
    const result = prepareWrite(context, table, columns, keyColumns, rows, { textBytes })
    if (Either.isLeft(result)) return Effect.fail(result.left)
    const prepared = result.right
    const { core } = context
    // Bytes would travel as hex in array text, which costs this process more than VALUES lists cost the server
    // (a collect's raw rows: plugin CPU +0.4 to 0.7 s a 100,000 for 0.1 to 0.2 s less on the server).
    const arrays = core.dialect.name === "postgres" && !prepared.used.some((column) => column.type === "bytes")
    const statementsOf = types === undefined || !arrays
      ? Effect.succeed(valuesStatements(context, prepared))
      : Effect.map(
        unnestTypes(core, types, table, prepared.used),
        (found) =>
          found === undefined ? valuesStatements(context, prepared) : unnestStatements(context, prepared, found)
      )
    return Effect.flatMap(statementsOf, (statements) => {
      const all = Effect.forEach(
        statements,
        (statement) => run(core, statement.text, statement.values, prepared.what),
        {
          discard: true
        }
      )
      return statements.length > 1 ? withTransaction(core, all) : all
    })
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

/**
 * One statement may not touch a key twice on Postgres: rows repeating a key keep the last one. MySQL's
 * `ON DUPLICATE KEY UPDATE` (and SQLite's upsert, row by row) already leave the last row of a repeated key, so
 * their batches skip the key map (a string a row: about 15 MB allocated per 100,000 rows).
 */
const upsertRows = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string>,
  rows: Rows,
  types: ColumnTypes | undefined
): Effect.Effect<void, DbError> =>
  Effect.suspend(() => {
    const count = countOf(rows)
    if (count === 0) return Effect.void
    const keyAt = keyColumns.map((key) => columns.findIndex((c) => c.name === key))
    if (keyColumns.length === 0 || keyAt.some((i) => i < 0)) {
      return writeRows(context, table, columns, keyColumns, rows) // fails with the spec error
    }
    if (context.core.dialect.name !== "postgres") return writeRows(context, table, columns, keyColumns, rows, types)
    const latest = lastRowPerKey(context.encoders, columns, keyAt, rows)
    if (latest.size === count) return writeRows(context, table, columns, keyColumns, rows, types)
    const kept = Array.from(latest.values())
    return writeRows(
      context,
      table,
      columns,
      keyColumns,
      "tuples" in rows ? { tuples: kept.map((r) => rows.tuples[r]!) } : { rows: kept.map((r) => rows.rows[r]!) },
      types
    )
  })

/**
 * Rows or tuples, inserted (without `keyColumns`) or upserted. `types`: a batch writer's cache of column types,
 * for PostgreSQL's array statements (without it, VALUES lists: a table may change between two calls).
 *
 * @internal
 */
export const writeTable = (
  context: WriteContext,
  table: string,
  columns: ReadonlyArray<ColumnSpec>,
  keyColumns: ReadonlyArray<string> | undefined,
  rows: Rows,
  types?: ColumnTypes
): Effect.Effect<void, DbError> =>
  keyColumns === undefined
    ? writeRows(context, table, columns, undefined, rows, types)
    : upsertRows(context, table, columns, keyColumns, rows, types)

/**
 * Each `TableWrite` in order.
 *
 * @internal
 */
export const writeTables = (
  context: WriteContext,
  writes: ReadonlyArray<TableWrite>,
  types?: ColumnTypes
): Effect.Effect<void, DbError> =>
  Effect.forEach(writes, (write) => writeTable(context, write.table, write.columns, write.keyColumns, write, types), {
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
