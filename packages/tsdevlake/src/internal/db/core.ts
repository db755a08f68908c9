import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Data, Effect, Either, Option } from "effect"
import type { ColumnSpec, ColumnType, Dialect, DialectName, Row, Where } from "../../Db.js"
import { decodeLoose, decoderFor, decodeValue, encodeLoose, encodeValue } from "./codec.js"
import { quoteIdentifier } from "./ddl.js"
import { defaultStatementBytes, makeDialect } from "./dialect.js"
import { causeLine, DbError } from "./errors.js"
import type { Reader } from "./sqlite/reader.js"

/**
 * What every part of the Database service shares: statement execution with error mapping, the
 * transaction wrapper, value codecs, placeholders and WHERE building for one dialect.
 */

/** Carries the caller's own failure through `withTransaction` so only transaction-control errors are mapped. */
class Inner<E> extends Data.TaggedError("tsdevlake/Db/Inner")<{ readonly error: E }> {}

const queryError = (what: string) => (error: SqlError) =>
  new DbError({ reason: "Query", detail: `${what}: ${causeLine(error)}`, cause: error })

/**
 * Placeholder generator: `?` everywhere except Postgres' numbered `$n`.
 *
 * @internal
 */
export const makeParams = (dialect: DialectName) => {
  const values: Array<unknown> = []
  return {
    values,
    add: (value: unknown): string => {
      values.push(value)
      return dialect === "postgres" ? `$${values.length}` : "?"
    }
  }
}

/** @internal */
export type Params = ReturnType<typeof makeParams>

/** @internal */
export interface DbCore {
  readonly dialect: Dialect
  readonly name: DialectName
  readonly sql: SqlClient.SqlClient
  readonly maxParameters: number
  readonly maxStatementBytes: number
  readonly quote: (identifier: string) => string
  /** Identifier equality as the dialect sees it (case-insensitive except on Postgres). */
  readonly namesEqual: (a: string, b: string) => boolean
  readonly run: (
    statement: string,
    params: ReadonlyArray<unknown>,
    what: string
  ) => Effect.Effect<ReadonlyArray<Record<string, unknown>>, DbError>
  readonly runRaw: (statement: string, params: ReadonlyArray<unknown>, what: string) => Effect.Effect<unknown, DbError>
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DbError, R>
  readonly encode: (type: ColumnType, value: unknown) => Either.Either<unknown, DbError>
  readonly decode: (type: ColumnType, value: unknown) => Either.Either<unknown, DbError>
  readonly decodeRow: (columns: ReadonlyArray<ColumnSpec>, row: Row) => Either.Either<Row, DbError>
  /** As `tupleDecoder`, then the values as a row object (the array is decoded in place too). */
  readonly valuesDecoder: (
    names: ReadonlyArray<string>,
    columns: ReadonlyArray<ColumnSpec>
  ) => (values: Array<unknown>) => Row
  /** Decodes a row read as an array, in place: rows read as arrays are fresh arrays of their own. */
  readonly tupleDecoder: (
    names: ReadonlyArray<string>,
    columns: ReadonlyArray<ColumnSpec>
  ) => (values: Array<unknown>) => void
  /** Runs a query selecting the `names` columns; rows come back as arrays of their values, in that order. */
  readonly runValues: (
    statement: string,
    params: ReadonlyArray<unknown>,
    names: ReadonlyArray<string>,
    what: string
  ) => Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, DbError>
  /** Equality conditions (`IS NULL` for null, `IN` for arrays), values encoded by column spec when known. */
  readonly whereClause: (
    where: Where | undefined,
    params: Params,
    columns: ReadonlyArray<ColumnSpec> | undefined
  ) => Array<string>
}

/** @internal */
export const makeCore = (
  name: DialectName,
  sql: SqlClient.SqlClient,
  reader?: Reader
): Effect.Effect<DbCore, DbError> =>
  Effect.gen(function*() {
    const quote = (identifier: string) => quoteIdentifier(name, identifier)
    const namesEqual = (a: string, b: string) => name === "postgres" ? a === b : a.toLowerCase() === b.toLowerCase()

    const run = (statement: string, params: ReadonlyArray<unknown>, what: string) => {
      const query = sql.unsafe<Record<string, unknown>>(statement, params)
      return (params.length === 0 && name !== "sqlite" ? query.unprepared : query).pipe(
        Effect.mapError(queryError(what))
      )
    }
    /**
     * Rows as arrays of the `names` columns. @effect/sql's SQLite client cannot return arrays with exact
     * 64-bit integers, so SQLite reads go through the file's reader connection, or, inside a transaction
     * (which only the main connection sees) or on an in-memory database, as objects turned into arrays.
     */
    const runValues = (
      statement: string,
      params: ReadonlyArray<unknown>,
      names: ReadonlyArray<string>,
      what: string
    ): Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, DbError> => {
      if (name !== "sqlite") return sql.unsafe(statement, params).values.pipe(Effect.mapError(queryError(what)))
      const viaClient = run(statement, params, what).pipe(
        Effect.provideService(SqlClient.SafeIntegers, true),
        Effect.map((rows) => rows.map((row) => names.map((column) => row[column])))
      )
      if (reader === undefined) return viaClient
      return Effect.flatMap(
        Effect.serviceOption(SqlClient.TransactionConnection),
        (transaction) => Option.isSome(transaction) ? viaClient : reader.values(statement, params, what)
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
    const dialect = makeDialect(name, maxStatementBytes)
    const maxParameters = dialect.maxParameters

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

    /**
     * A decoder compiled once per stream and run per row, for rows read as arrays of the `names` columns
     * (in that order): the ones in `columns` decoded by type, the others as `decodeLoose` leaves them.
     * Throws the `DbError`.
     */
    const columnDecoders = (names: ReadonlyArray<string>, columns: ReadonlyArray<ColumnSpec>) =>
      names.map((column) => {
        const spec = columns.find((c) => c.name === column)
        return spec === undefined ? decodeLoose : decoderFor(name, spec.type)
      })
    const cannotRead = (column: string | undefined, error: unknown) =>
      new DbError({
        reason: "Decode",
        detail: `cannot read column ${column}: ${error instanceof DbError ? error.detail : String(error)}`
      })
    const tupleDecoder = (names: ReadonlyArray<string>, columns: ReadonlyArray<ColumnSpec>) => {
      const decoders = columnDecoders(names, columns)
      return (values: Array<unknown>): void => {
        for (let i = 0; i < names.length; i++) {
          try {
            values[i] = decoders[i]!(values[i])
          } catch (error) {
            throw cannotRead(names[i], error)
          }
        }
      }
    }
    const valuesDecoder = (names: ReadonlyArray<string>, columns: ReadonlyArray<ColumnSpec>) => {
      const decode = tupleDecoder(names, columns)
      return (values: Array<unknown>): Row => {
        decode(values)
        const out: Record<string, unknown> = {}
        for (let i = 0; i < names.length; i++) out[names[i]!] = values[i]
        return out
      }
    }

    const decodeRow = (columns: ReadonlyArray<ColumnSpec>, row: Row): Either.Either<Row, DbError> => {
      try {
        const names = Object.keys(row)
        return Either.right(valuesDecoder(names, columns)(names.map((key) => row[key])))
      } catch (error) {
        return Either.left(error as DbError)
      }
    }

    const whereClause = (
      where: Where | undefined,
      params: Params,
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

    return {
      dialect,
      name,
      sql,
      maxParameters,
      maxStatementBytes,
      quote,
      namesEqual,
      run,
      runRaw,
      withTransaction,
      encode,
      decode,
      decodeRow,
      valuesDecoder,
      tupleDecoder,
      runValues,
      whereClause
    }
  })
