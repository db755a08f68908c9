import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Data, Effect, Option } from "effect"
import type { Dialect, DialectName } from "../../Db.js"
import { defaultStatementBytes, makeDialect } from "./dialect.js"
import { causeLine, DbError } from "./errors.js"
import type { Reader } from "./sqlite/reader.js"

/**
 * What every part of the Database service shares: the dialect, the client, and statement execution with
 * error mapping and the transaction wrapper. The parts are module-level functions taking this record.
 */

/** @internal */
export interface DbCore {
  readonly dialect: Dialect
  readonly sql: SqlClient.SqlClient
  /** A SQLite file's second connection, for reads outside a transaction. */
  readonly reader: Reader | undefined
  /** The SQLite file, which errors name when it is locked: SQLite's own message does not. */
  readonly sqliteFile?: string | undefined
  /**
   * MySQL: the connection's character set is utf8mb4, so a string bound for a bytes column arrives as its UTF-8
   * bytes (with another, mysql2 would encode it in that one). Read from the server with its packet limit.
   */
  readonly utf8Client?: boolean
}

/**
 * A wrapper private to `withTransaction`, never seen outside this module: @effect/sql's transaction fails with the
 * body's error or its own (BEGIN, COMMIT), and wrapping the body's lets us tell them apart, so only the
 * transaction's own failures become a `DbError`. The tag is deliberately not a `tsdevlake/...` identifier: it is
 * not a public error and is unwrapped before the caller sees it.
 */
class DbInnerFailure<E> extends Data.TaggedError("DbInnerFailure")<{ readonly error: E }> {}

/** ` (the file …)` when `line` is SQLite's busy error, which gave up after the busy timeout (issue 13, point 6). */
const lockedFile = (core: DbCore, line: string): string =>
  core.sqliteFile !== undefined && /database is locked|SQLITE_BUSY/.test(line)
    ? ` (SQLite file ${core.sqliteFile} is locked by another connection, for longer than the busy timeout)`
    : ""

const queryError = (what: string, core: DbCore) => (error: SqlError) => {
  const line = causeLine(error)
  return new DbError({ reason: "Query", detail: `${what}: ${line}${lockedFile(core, line)}`, cause: error })
}

/**
 * Runs one statement, rows as objects. Without parameters it runs unprepared on MySQL/Postgres, so DDL and
 * several `;`-separated statements work there.
 *
 * @internal
 */
export const run = (
  core: DbCore,
  statement: string,
  params: ReadonlyArray<unknown>,
  what: string
): Effect.Effect<ReadonlyArray<Record<string, unknown>>, DbError> => {
  const query = core.sql.unsafe<Record<string, unknown>>(statement, params)
  return (params.length === 0 && core.dialect.name !== "sqlite" ? query.unprepared : query).pipe(
    Effect.mapError(queryError(what, core))
  )
}

/**
 * Runs one statement, answering the driver's raw result (affected rows, warnings).
 *
 * @internal
 */
export const runRaw = (
  core: DbCore,
  statement: string,
  params: ReadonlyArray<unknown>,
  what: string
): Effect.Effect<unknown, DbError> =>
  core.sql.unsafe(statement, params).raw.pipe(Effect.mapError(queryError(what, core)))

/**
 * Runs a query selecting the `names` columns; rows come back as arrays of their values, in that order.
 * @effect/sql's SQLite client cannot return arrays with exact 64-bit integers, so SQLite reads go through the
 * file's reader connection, or, inside a transaction (which only the main connection sees) or on an in-memory
 * database, as objects turned into arrays.
 *
 * @internal
 */
export const runValues = (
  core: DbCore,
  statement: string,
  params: ReadonlyArray<unknown>,
  names: ReadonlyArray<string>,
  what: string
): Effect.Effect<ReadonlyArray<ReadonlyArray<unknown>>, DbError> => {
  if (core.dialect.name !== "sqlite") {
    return core.sql.unsafe(statement, params).values.pipe(Effect.mapError(queryError(what, core)))
  }
  const viaClient = run(core, statement, params, what).pipe(
    Effect.provideService(SqlClient.SafeIntegers, true),
    Effect.map((rows) => rows.map((row) => names.map((column) => row[column])))
  )
  const reader = core.reader
  if (reader === undefined) return viaClient
  return Effect.flatMap(
    Effect.serviceOption(SqlClient.TransactionConnection),
    (transaction) => Option.isSome(transaction) ? viaClient : reader.values(statement, params, what)
  )
}

/**
 * @effect/sql opens SQLite transactions with a deferred `BEGIN`: a transaction that reads before it writes
 * then fails at once with SQLITE_BUSY when another process wrote meanwhile (WAL snapshots cannot be
 * upgraded, and the busy timeout does not apply). Swap the outermost one for `BEGIN IMMEDIATE`, which takes
 * the write lock up front and waits for it.
 */
const beginImmediate = (sql: SqlClient.SqlClient): Effect.Effect<void, SqlError> =>
  Effect.flatMap(
    Effect.serviceOption(SqlClient.TransactionConnection),
    (transaction) =>
      Option.isSome(transaction) && transaction.value[1] === 0
        ? Effect.asVoid(Effect.zipRight(
          sql.unsafe("COMMIT").unprepared,
          Effect.catchAll(sql.unsafe("BEGIN IMMEDIATE").unprepared, (error) =>
            // Leave a transaction open for @effect/sql's ROLLBACK, then report the real failure.
            Effect.zipRight(sql.unsafe("BEGIN").unprepared, Effect.fail(error)))
        ))
        : Effect.void
  )

/**
 * Runs `self` in a transaction of the client (nested: a savepoint); `self`'s own failures pass through.
 *
 * @internal
 */
export const withTransaction = <A, E, R>(
  core: DbCore,
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, E | DbError, R> =>
  core.sql.withTransaction(
    Effect.zipRight(
      core.dialect.name === "sqlite" ? beginImmediate(core.sql) : Effect.void,
      Effect.mapError(self, (error) => new DbInnerFailure({ error }))
    )
  ).pipe(
    Effect.catchAll((error): Effect.Effect<never, E | DbError> =>
      error instanceof DbInnerFailure
        ? Effect.fail(error.error as E)
        : Effect.fail(queryError("transaction failed", core)(error as SqlError))
    )
  )

/**
 * The core of a client whose dialect is known; on MySQL it reads the server's packet limit.
 *
 * @internal
 */
export const makeCore = (
  name: DialectName,
  sql: SqlClient.SqlClient,
  reader?: Reader,
  sqliteFile?: string
): Effect.Effect<DbCore, DbError> =>
  Effect.gen(function*() {
    let maxStatementBytes = defaultStatementBytes
    let utf8Client = false
    if (name === "mysql") {
      const probe: DbCore = { dialect: makeDialect(name), sql, reader }
      const rows = yield* run(
        probe,
        "SELECT @@max_allowed_packet AS m, @@character_set_client AS c",
        [],
        "reading max_allowed_packet"
      )
      const packet = Number(rows[0]?.["m"])
      // Leave a quarter for the protocol's per-parameter overhead and the statement text.
      if (Number.isFinite(packet) && packet > 0) maxStatementBytes = Math.floor(packet * 0.75)
      utf8Client = /^utf8mb4$/i.test(String(rows[0]?.["c"] ?? ""))
    }
    return { dialect: makeDialect(name, maxStatementBytes), sql, reader, sqliteFile, utf8Client }
  })
