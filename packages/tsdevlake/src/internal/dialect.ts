import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Chunk, Data, Effect, Either, Option, Stream } from "effect"
import type {
  ColumnInfo,
  ColumnSpec,
  ColumnType,
  Dialect,
  DialectName,
  RawColumnSpec,
  Row,
  StreamByIdOptions,
  StreamRowsOptions,
  TableSpec,
  Where
} from "../Db.js"
import { decodeLoose, decodeValue, encodeLoose, encodeValue } from "./dbCodec.js"
import {
  columnType,
  createIndexStatement,
  createTableStatements,
  quoteIdentifier,
  validateColumn,
  validateTable
} from "./dbDdl.js"
import { causeLine, DbError } from "./dbError.js"

/** Host-parameter limits: SQLite's SQLITE_MAX_VARIABLE_NUMBER (≥ 3.32), the 16-bit counts of PG and MySQL. */
const maxParametersOf: Record<DialectName, number> = { sqlite: 32766, mysql: 65535, postgres: 65535 }

/** Statement payload budget where the server has no small limit; keeps a batch's memory bounded. */
const defaultStatementBytes = 32 * 1024 * 1024

const defaultBatchSize = 1000

/** Carries the caller's own failure through `withTransaction` so only transaction-control errors are mapped. */
class Inner<E> extends Data.TaggedError("tsdevlake/Db/Inner")<{ readonly error: E }> {}

const queryError = (what: string) => (error: SqlError) =>
  new DbError({ reason: "Query", detail: `${what}: ${causeLine(error)}`, cause: error })

const estimateBytes = (value: unknown): number => {
  if (value === null || value === undefined) return 1
  if (typeof value === "string") return Buffer.byteLength(value, "utf8") + 4
  if (value instanceof Uint8Array) return value.byteLength + 4
  return 12
}

/** Placeholder generator: `?` everywhere except Postgres' numbered `$n`. */
const makeParams = (dialect: DialectName) => {
  const values: Array<unknown> = []
  return {
    values,
    add: (value: unknown): string => {
      values.push(value)
      return dialect === "postgres" ? `$${values.length}` : "?"
    }
  }
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

const isRawColumn = (column: ColumnSpec | RawColumnSpec): column is RawColumnSpec => "sqlType" in column

/**
 * The `Dialect` service over a client whose dialect is known.
 *
 * @internal
 */
export const make = (name: DialectName, sql: SqlClient.SqlClient): Effect.Effect<Dialect, DbError> =>
  Effect.gen(function*() {
    const quote = (identifier: string) => quoteIdentifier(name, identifier)
    const namesEqual = (a: string, b: string) => name === "postgres" ? a === b : a.toLowerCase() === b.toLowerCase()

    const run = (statement: string, params: ReadonlyArray<unknown>, what: string) => {
      const query = sql.unsafe<Record<string, unknown>>(statement, params)
      return (params.length === 0 && name !== "sqlite" ? query.unprepared : query).pipe(
        Effect.mapError(queryError(what))
      )
    }
    const runRaw = (statement: string, params: ReadonlyArray<unknown>, what: string) =>
      sql.unsafe(statement, params).raw.pipe(Effect.mapError(queryError(what)))

    let maxStatementBytes = defaultStatementBytes
    if (name === "mysql") {
      const rows = yield* run("SELECT @@max_allowed_packet AS m", [], "reading max_allowed_packet")
      const packet = Number(rows[0]?.["m"])
      // Leave a quarter for the protocol's per-parameter overhead and the statement text.
      if (Number.isFinite(packet) && packet > 0) maxStatementBytes = Math.floor(packet * 0.75)
    }
    const maxParameters = maxParametersOf[name]

    /**
     * @effect/sql opens SQLite transactions with a deferred `BEGIN`: a transaction that reads before it
     * writes then fails at once with SQLITE_BUSY when another process wrote meanwhile (WAL snapshots
     * cannot be upgraded, and the busy timeout does not apply). Swap the outermost one for
     * `BEGIN IMMEDIATE`, which takes the write lock up front and waits for it.
     */
    const immediate: Effect.Effect<void, SqlError> = Effect.flatMap(
      Effect.serviceOption(SqlClient.TransactionConnection),
      (transaction) =>
        Option.isSome(transaction) && transaction.value[1] === 0
          ? Effect.zipRight(
            sql.unsafe("COMMIT").unprepared,
            Effect.catchAll(sql.unsafe("BEGIN IMMEDIATE").unprepared, (error) =>
              // Leave a transaction open for @effect/sql's ROLLBACK, then report the real failure.
              Effect.zipRight(sql.unsafe("BEGIN").unprepared, Effect.fail(error)))
          )
          : Effect.void
    )

    const withTransaction = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | DbError, R> =>
      sql.withTransaction(
        Effect.zipRight(
          name === "sqlite" ? immediate : Effect.void,
          Effect.mapError(self, (error) => new Inner({ error }))
        )
      ).pipe(
        Effect.catchAll((error): Effect.Effect<never, E | DbError> =>
          error instanceof Inner
            ? Effect.fail(error.error as E)
            : Effect.fail(new DbError({ reason: "Query", detail: `transaction failed: ${causeLine(error)}`, cause: error }))
        )
      )

    const encode = (type: ColumnType, value: unknown) => encodeValue(name, type, value)
    const decode = (type: ColumnType, value: unknown) => decodeValue(name, type, value)

    const decodeRow = (columns: ReadonlyArray<ColumnSpec>, row: Row): Either.Either<Row, DbError> => {
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(row)) out[key] = decodeLoose(row[key])
      for (const column of columns) {
        if (!(column.name in row)) continue
        const decoded = decode(column.type, row[column.name])
        if (Either.isLeft(decoded)) {
          return Either.left(
            new DbError({ reason: "Decode", detail: `cannot read column ${column.name}: ${decoded.left.detail}` })
          )
        }
        out[column.name] = decoded.right
      }
      return Either.right(out)
    }

    const whereClause = (
      where: Where | undefined,
      params: ReturnType<typeof makeParams>,
      columns: ReadonlyArray<ColumnSpec> | undefined
    ): Array<string> => {
      const conditions: Array<string> = []
      for (const [column, value] of Object.entries(where ?? {})) {
        const spec = columns?.find((c) => c.name === column)
        const bind = (v: unknown) => {
          const encoded = spec === undefined ? undefined : encode(spec.type, v)
          return params.add(encoded !== undefined && Either.isRight(encoded) ? encoded.right : encodeLoose(name, v))
        }
        if (value === null || value === undefined) {
          conditions.push(`${quote(column)} IS NULL`)
        } else if (Array.isArray(value)) {
          conditions.push(value.length === 0 ? "1 = 0" : `${quote(column)} IN (${value.map(bind).join(", ")})`)
        } else {
          conditions.push(`${quote(column)} = ${bind(value)}`)
        }
      }
      return conditions
    }

    const tableExists = (table: string) =>
      Effect.map(
        name === "sqlite"
          ? run("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [table], `checking table ${table}`)
          : name === "mysql"
          ? run(
            "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            [table],
            `checking table ${table}`
          )
          : run(
            "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
            [table],
            `checking table ${table}`
          ),
        (rows) => rows.length > 0
      )

    const columnsOf = (table: string): Effect.Effect<ReadonlyArray<ColumnInfo>, DbError> => {
      const what = `reading columns of ${table}`
      if (name === "sqlite") {
        return Effect.map(
          run("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?) ORDER BY cid", [table], what),
          (rows) =>
            rows.map((row) => ({
              name: String(row["name"]),
              type: String(row["type"]).toLowerCase(),
              nullable: Number(row["nn"]) === 0 && Number(row["pk"]) === 0,
              primaryKey: Number(row["pk"]) > 0
            }))
        )
      }
      if (name === "mysql") {
        return Effect.map(
          run(
            "SELECT column_name AS name, column_type AS type, is_nullable AS nullable, column_key AS ckey " +
              "FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
            [table],
            what
          ),
          (rows) =>
            rows.map((row) => ({
              name: String(row["name"]),
              type: String(row["type"]).toLowerCase(),
              nullable: row["nullable"] === "YES",
              primaryKey: row["ckey"] === "PRI"
            }))
        )
      }
      return Effect.map(
        run(
          "SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, " +
            "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS pk " +
            "FROM pg_attribute a WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped " +
            "ORDER BY a.attnum",
          [table],
          what
        ),
        (rows) =>
          rows.map((row) => ({
            name: String(row["name"]),
            type: String(row["type"]),
            nullable: row["nullable"] === true,
            primaryKey: row["pk"] === true
          }))
      )
    }

    const findColumn = (table: string, column: string) =>
      Effect.map(columnsOf(table), (columns) => columns.find((c) => namesEqual(c.name, column)))

    /**
     * Postgres' `CREATE … IF NOT EXISTS` races between sessions (unique violation on pg_type), and
     * DevLake runs the tasks of one stage in parallel; serialise schema changes per table.
     */
    const serialised = <A>(table: string, effect: Effect.Effect<A, DbError>): Effect.Effect<A, DbError> =>
      name === "postgres"
        ? withTransaction(
          Effect.zipRight(
            run("SELECT pg_advisory_xact_lock(hashtext($1)) AS locked", [`tsdevlake:ddl:${table}`], `locking ${table}`),
            effect
          )
        )
        : effect

    const createTableIfNotExists = (spec: TableSpec) =>
      Effect.suspend(() => {
        const valid = validateTable(spec)
        if (Either.isLeft(valid)) return Effect.fail(valid.left)
        return serialised(
          spec.name,
          Effect.gen(function*() {
            const existed = yield* tableExists(spec.name)
            const [create, ...indexes] = createTableStatements(name, spec)
            const result = yield* runRaw(create!, [], `creating table ${spec.name}`)
            for (const statement of indexes) yield* run(statement, [], `creating table ${spec.name}`)
            // MySQL answers a CREATE that lost a race with a "table exists" warning rather than an error.
            const lostRace = name === "mysql" && Number((result as { warningStatus?: unknown }).warningStatus ?? 0) > 0
            return !existed && !lostRace
          })
        )
      })

    const addColumnIfMissing = (table: string, column: ColumnSpec | RawColumnSpec) =>
      Effect.suspend(() => {
        if (!isRawColumn(column)) {
          const valid = validateColumn(table, column)
          if (Either.isLeft(valid)) return Effect.fail(valid.left)
        }
        const type = isRawColumn(column) ? column.sqlType : columnType(name, column)
        const notNull = !isRawColumn(column) && column.nullable === false ? " NOT NULL" : ""
        const add = Effect.gen(function*() {
          if ((yield* findColumn(table, column.name)) !== undefined) return false
          const added = yield* run(
            `ALTER TABLE ${quote(table)} ADD COLUMN ${quote(column.name)} ${type}${notNull}`,
            [],
            `adding column ${column.name} to ${table}`
          ).pipe(
            Effect.as(true),
            // Another process may have added it between the check and the ALTER.
            Effect.catchAll((error) =>
              Effect.flatMap(
                findColumn(table, column.name),
                (found) => found === undefined ? Effect.fail(error) : Effect.succeed(false)
              )
            )
          )
          if (added && !isRawColumn(column) && column.index === true) {
            yield* run(createIndexStatement(name, table, column), [], `indexing ${table}.${column.name}`)
          }
          return added
        })
        return serialised(table, add)
      })

    /** SQLite refuses to drop an indexed column; drop its explicit indexes first. */
    const dropSqliteIndexesOn = (table: string, column: string) =>
      Effect.flatMap(
        run(
          "SELECT DISTINCT il.name AS name FROM pragma_index_list(?) AS il, pragma_index_info(il.name) AS ii " +
            "WHERE il.origin = 'c' AND ii.name = ? COLLATE NOCASE",
          [table, column],
          `reading indexes of ${table}`
        ),
        (rows) =>
          Effect.forEach(
            rows,
            (row) => run(`DROP INDEX IF EXISTS ${quote(String(row["name"]))}`, [], `dropping index on ${table}.${column}`),
            { discard: true }
          )
      )

    const dropColumn = (table: string, column: string) =>
      serialised(
        table,
        Effect.gen(function*() {
          const found = yield* findColumn(table, column)
          if (found === undefined) return false
          if (name === "sqlite") yield* dropSqliteIndexesOn(table, found.name)
          yield* run(`ALTER TABLE ${quote(table)} DROP COLUMN ${quote(found.name)}`, [], `dropping column ${table}.${column}`)
          return true
        })
      )

    const dropTableIfExists = (table: string) =>
      Effect.gen(function*() {
        const existed = yield* tableExists(table)
        yield* run(`DROP TABLE IF EXISTS ${quote(table)}`, [], `dropping table ${table}`)
        return existed
      })

    const renameColumn = (table: string, from: string, to: string) =>
      serialised(
        table,
        Effect.gen(function*() {
          const source = yield* findColumn(table, from)
          if (source === undefined) return false
          if (namesEqual(from, to)) return false
          if ((yield* findColumn(table, to)) !== undefined) {
            if (name === "sqlite") yield* dropSqliteIndexesOn(table, to)
            yield* run(`ALTER TABLE ${quote(table)} DROP COLUMN ${quote(to)}`, [], `dropping column ${table}.${to}`)
          }
          yield* run(
            `ALTER TABLE ${quote(table)} RENAME COLUMN ${quote(source.name)} TO ${quote(to)}`,
            [],
            `renaming column ${table}.${from} to ${to}`
          )
          return true
        })
      )

    const renameTable = (from: string, to: string) =>
      Effect.gen(function*() {
        if (!(yield* tableExists(from))) return false
        yield* run(`ALTER TABLE ${quote(from)} RENAME TO ${quote(to)}`, [], `renaming table ${from} to ${to}`)
        return true
      })

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

    const streamRows = (table: string, options: StreamRowsOptions): Stream.Stream<Chunk.Chunk<Row>, DbError> =>
      Stream.suspend(() => {
        const orderBy = options.orderBy
        const batchSize = Math.max(1, Math.floor(options.batchSize ?? defaultBatchSize))
        if (orderBy.length === 0) {
          return Stream.fail(new DbError({ reason: "InvalidSpec", detail: `cannot stream ${table}: orderBy is empty` }))
        }
        if (options.after !== undefined && options.after.length !== orderBy.length) {
          return Stream.fail(
            new DbError({
              reason: "InvalidSpec",
              detail: `cannot stream ${table}: after has ${options.after.length} values for ${orderBy.length} orderBy columns`
            })
          )
        }
        const columns = options.columns
        const selected = columns === undefined
          ? "*"
          : [...columns.map((c) => c.name), ...orderBy.filter((o) => !columns.some((c) => c.name === o))]
            .map(quote)
            .join(", ")
        const what = `reading ${table}`

        /** `(a > ?) OR (a = ? AND (b > ? OR …))`: portable keyset condition that still uses the index. */
        const keyset = (cursor: ReadonlyArray<unknown>, params: ReturnType<typeof makeParams>, i = 0): string => {
          const column = quote(orderBy[i]!)
          if (i === orderBy.length - 1) return `${column} > ${params.add(cursor[i])}`
          return `(${column} > ${params.add(cursor[i])} OR (${column} = ${params.add(cursor[i])} AND ${
            keyset(cursor, params, i + 1)
          }))`
        }

        const page = (cursor: ReadonlyArray<unknown> | undefined) => {
          const params = makeParams(name)
          const conditions = whereClause(options.where, params, columns)
          if (cursor !== undefined) conditions.push(keyset(cursor, params))
          const filter = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : ""
          const statement = `SELECT ${selected} FROM ${quote(table)}${filter} ORDER BY ${
            orderBy.map(quote).join(", ")
          } LIMIT ${batchSize}`
          const query = run(statement, params.values, what)
          // SQLite returns 64-bit integers exactly only as bigint; decodeRow turns safe ones back into numbers.
          return name === "sqlite" && columns !== undefined
            ? Effect.provideService(query, SqlClient.SafeIntegers, true)
            : query
        }

        const start = options.after?.map((value) => encodeLoose(name, value))
        return Stream.paginateEffect(start, (cursor) =>
          Effect.flatMap(page(cursor), (rows) => {
            const last = rows[rows.length - 1]
            const next = rows.length < batchSize || last === undefined
              ? Option.none()
              : Option.some(orderBy.map((column) => last[column]))
            if (columns === undefined) return Effect.succeed([Chunk.unsafeFromArray(rows as Array<Row>), next] as const)
            const decoded: Array<Row> = []
            for (const row of rows) {
              const result = decodeRow(columns, row)
              if (Either.isLeft(result)) {
                return Effect.fail(new DbError({ reason: "Decode", detail: `${what}: ${result.left.detail}` }))
              }
              decoded.push(result.right)
            }
            return Effect.succeed([Chunk.unsafeFromArray(decoded), next] as const)
          })).pipe(Stream.filter(Chunk.isNonEmpty))
      })

    const streamById = (table: string, options: StreamByIdOptions = {}) =>
      streamRows(table, {
        orderBy: ["id"],
        ...(options.where === undefined ? {} : { where: options.where }),
        ...(options.afterId === undefined ? {} : { after: [options.afterId] }),
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.columns === undefined ? {} : { columns: options.columns })
      })

    const service: Dialect = {
      name,
      sql,
      maxParameters,
      maxStatementBytes,
      quote,
      columnType: (column) => columnType(name, column),
      encodeValue: encode,
      decodeValue: decode,
      decodeRow,
      execute: (statement, params = []) => run(statement, params, "executing statement"),
      tableExists,
      columnsOf,
      createTableIfNotExists,
      addColumnIfMissing,
      dropColumn,
      dropTableIfExists,
      renameColumn,
      renameTable,
      insertBatch,
      upsertBatch,
      deleteWhere,
      countWhere,
      streamRows,
      streamById,
      withTransaction
    }
    return service
  })

/**
 * The `Dialect` service over any `SqlClient`, detecting its dialect.
 *
 * @internal
 */
export const fromClient = (sql: SqlClient.SqlClient): Effect.Effect<Dialect, DbError> =>
  Effect.suspend(() => {
    const detected = sql.onDialectOrElse({
      sqlite: () => "sqlite" as const,
      mysql: () => "mysql" as const,
      pg: () => "postgres" as const,
      orElse: () => undefined
    })
    return detected === undefined
      ? Effect.fail(new DbError({ reason: "Driver", detail: "the SqlClient is neither SQLite, MySQL nor PostgreSQL" }))
      : make(detected, sql)
  })
