/**
 * The client of a MySQL or MariaDB database (see {@link make}), in its own module so that mysql2, which the bundle
 * leaves out, is required only when a MySQL database is opened, as @effect/sql-mysql2's own module does.
 */
import type * as Reactivity from "@effect/experimental/Reactivity"
import { makeCompiler } from "@effect/sql-mysql2/MysqlClient"
import * as Client from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import { asyncPauseResume } from "@effect/sql/SqlStream"
import { Duration, Effect, Redacted } from "effect"
import type * as Scope from "effect/Scope"
import * as Mysql from "mysql2"

/** What {@link make} opens: where, as whom, mysql2's pool options, and the statement timeout. @internal */
export interface MysqlClientOptions {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly username: string | undefined
  readonly password: Redacted.Redacted | undefined
  readonly poolConfig: Mysql.PoolOptions
  /** How long the pool's first connection and `SELECT 1` may take; 0: no bound. */
  readonly connectTimeoutMillis: number
  /** How long a statement may go unanswered; 0: no bound. */
  readonly statementTimeoutMillis: number
  /** The URL parameter that sets the timeout, which the failure names. */
  readonly timeoutParameter: string
}

type Callback = (error: Error | null, results?: unknown) => void

interface QueryOptions {
  readonly sql: string
  readonly values: ReadonlyArray<unknown>
  readonly rowsAsArray: boolean
}

/** A statement streaming its rows (mysql2's `Query` without a callback). */
interface QueryCommand {
  stream(): NodeJS.ReadableStream & { destroy(): void }
}

/** The little of mysql2's pool and pool connections used here; both run statements the same way. */
interface Runner {
  execute(options: QueryOptions, callback: Callback): unknown
  query(options: QueryOptions, callback: Callback): unknown
  query(sql: string, values: ReadonlyArray<unknown>): QueryCommand
}

interface PoolConnection extends Runner {
  release(): void
  destroy(): void
  on(event: "end" | "error", listener: () => void): void
}

interface Pool extends Runner {
  getConnection(callback: (error: Error | null, connection: PoolConnection) => void): void
  end(callback: (error?: Error | null) => void): void
  on(event: "connection", listener: (connection: PoolConnection) => void): void
}

/**
 * The pool's watch over its server: every statement in flight has a timer, and the first that expires means the
 * server stopped answering. mysql2's own per-statement `timeout` is not enough: it starts only when the statement
 * reaches the head of its connection's queue (a prepared statement's PREPARE is not covered), and a statement
 * that timed out leaves its connection waiting for the reply, so whatever was queued behind it (@effect/sql's
 * ROLLBACK) would wait forever.
 */
interface Watch {
  /** Set once the server stopped answering: every later statement fails at once with it. */
  silent: Error | undefined
  /** The statements in flight, each failed by its function. */
  readonly inFlight: Set<(error: Error) => void>
  readonly connections: Set<PoolConnection>
  readonly timeoutMillis: number
  readonly message: string
}

const makeWatch = (pool: Pool, options: MysqlClientOptions): Watch => {
  const watch: Watch = {
    silent: undefined,
    inFlight: new Set(),
    connections: new Set(),
    timeoutMillis: options.statementTimeoutMillis,
    message: `MySQL at ${options.host}:${options.port} did not answer within ${
      Duration.format(Duration.millis(options.statementTimeoutMillis))
    } (${options.timeoutParameter})`
  }
  pool.on("connection", (connection) => {
    // A connection dropped by the pool (the server closed it) may report more than one error; none is ours to throw.
    connection.on("error", () => watch.connections.delete(connection))
    connection.on("end", () => watch.connections.delete(connection))
    if (watch.silent === undefined) watch.connections.add(connection)
    else connection.destroy()
  })
  return watch
}

/**
 * The server stopped answering: every statement in flight fails now, with one message naming the server and
 * the timeout, and every connection is dropped from the pool (its in-flight statement included), so that nothing
 * waits for a reply any more: the server rolls back the open transactions of connections it loses.
 */
const stopped = (watch: Watch): void => {
  const silent = watch.silent ??= new Error(watch.message)
  for (const fail of [...watch.inFlight]) fail(silent)
  for (const connection of watch.connections) connection.destroy()
  watch.connections.clear()
}

const sqlError = (cause: unknown) => new SqlError({ cause, message: "Failed to execute statement" })

/**
 * What a statement gets once the server stopped answering: the failure, except for a ROLLBACK, which answers at
 * once since its connection is gone (the server rolls back when it loses a connection), and which @effect/sql
 * would otherwise turn into a defect hiding why the transaction failed.
 */
const afterSilence = (silent: Error, sql: string): Effect.Effect<unknown, SqlError> =>
  /^\s*ROLLBACK\b/i.test(sql) ? Effect.succeed([]) : Effect.fail(sqlError(silent))

const run = (
  watch: Watch,
  runner: Runner,
  method: "execute" | "query",
  options: QueryOptions
): Effect.Effect<unknown, SqlError> =>
  Effect.suspend(() => {
    if (watch.silent !== undefined) return afterSilence(watch.silent, options.sql)
    return Effect.async<unknown, SqlError>((resume) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const settle = (cause: Error | null, results?: unknown) => {
        // Once: a statement failed by the timer may still get mysql2's answer (or error) later.
        if (!watch.inFlight.delete(fail)) return
        clearTimeout(timer)
        resume(cause === null ? Effect.succeed(results) : Effect.fail(sqlError(cause)))
      }
      const fail = (error: Error) => settle(error)
      watch.inFlight.add(fail)
      if (watch.timeoutMillis > 0) timer = setTimeout(() => stopped(watch), watch.timeoutMillis)
      try {
        runner[method](options, settle)
      } catch (cause) {
        // mysql2 throws on values it cannot bind (undefined, a function).
        settle(cause instanceof Error ? cause : new Error(String(cause)))
      }
      return Effect.sync(() => {
        watch.inFlight.delete(fail)
        clearTimeout(timer)
      })
    })
  })

/**
 * The rows of a streamed statement. The timer runs while rows are awaited (not while the stream is paused), so a
 * long stream on a live server is never cut, and one whose server stops answering fails like a statement.
 */
const stream = (watch: Watch, runner: Runner, sql: string, params: ReadonlyArray<unknown>) =>
  asyncPauseResume<unknown, SqlError>((emit) => {
    if (watch.silent !== undefined) {
      emit.fail(sqlError(watch.silent))
      return { onInterrupt: Effect.void, onPause: Effect.void, onResume: Effect.void }
    }
    const rows = runner.query(sql, params).stream()
    let timer: ReturnType<typeof setTimeout> | undefined
    const arm = () => {
      clearTimeout(timer)
      if (watch.timeoutMillis > 0) timer = setTimeout(() => stopped(watch), watch.timeoutMillis)
    }
    const done = () => {
      clearTimeout(timer)
      watch.inFlight.delete(fail)
    }
    const fail = (error: Error) => {
      done()
      rows.destroy()
      emit.fail(sqlError(error))
    }
    watch.inFlight.add(fail)
    arm()
    let buffer: Array<unknown> = []
    rows.on("error", (cause: Error) => {
      done()
      emit.fail(new SqlError({ cause, message: "Failed to stream statement" }))
    })
    rows.on("data", (row: unknown) => {
      arm()
      // Rows arrive one by one: emitted in batches, once per microtask, as @effect/sql-mysql2 does.
      if (buffer.push(row) === 1) {
        queueMicrotask(() => {
          const batch = buffer
          buffer = []
          emit.array(batch)
        })
      }
    })
    rows.on("end", () => {
      done()
      emit.end()
    })
    return {
      onInterrupt: Effect.sync(() => {
        done()
        rows.destroy()
      }),
      onPause: Effect.sync(() => {
        clearTimeout(timer)
        rows.pause()
      }),
      onResume: Effect.sync(() => {
        arm()
        rows.resume()
      })
    }
  })

const connection = (watch: Watch, runner: Runner): Connection => {
  const rows = (sql: string, params: ReadonlyArray<unknown>, rowsAsArray: boolean, method: "execute" | "query") =>
    Effect.map(
      run(watch, runner, method, { sql, values: params, rowsAsArray }),
      (results) => Array.isArray(results) ? results : []
    )
  return {
    execute: (sql, params, transformRows) =>
      transformRows === undefined
        ? rows(sql, params, false, "execute")
        : Effect.map(rows(sql, params, false, "execute"), transformRows),
    executeRaw: (sql, params) => run(watch, runner, "execute", { sql, values: params, rowsAsArray: false }),
    executeValues: (sql, params) =>
      rows(sql, params, true, "execute") as Effect.Effect<Array<Array<unknown>>, SqlError>,
    executeUnprepared: (sql, params, transformRows) =>
      transformRows === undefined
        ? rows(sql, params, false, "query")
        : Effect.map(rows(sql, params, false, "query"), transformRows),
    executeStream: (sql, params) => stream(watch, runner, sql, params)
  }
}

/** A connection of the pool reserved for a transaction or a lock, returned to the pool when the scope closes. */
const reserve = (watch: Watch, pool: Pool): Effect.Effect<Connection, SqlError, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.suspend(() =>
        watch.silent === undefined
          ? Effect.async<PoolConnection, SqlError>((resume) =>
            pool.getConnection((cause, reserved) =>
              resume(
                cause === null
                  ? Effect.succeed(reserved)
                  : Effect.fail(new SqlError({ cause, message: "Failed to acquire connection" }))
              )
            )
          )
          : Effect.fail(sqlError(watch.silent))
      ),
      (reserved) => Effect.sync(() => reserved.release())
    ),
    (reserved) => connection(watch, reserved)
  )

/** Ends the pool; bounded, since a connection still waiting for a silent server would hold its end forever. */
const end = (pool: Pool) =>
  Effect.async<void>((resume) => pool.end(() => resume(Effect.void))).pipe(Effect.timeoutOption(1000), Effect.asVoid)

/**
 * A MySQL client over a mysql2 pool built here rather than by @effect/sql-mysql2's `make`, which gives statements
 * no timeout and keeps its pool to itself. Statements run as its client runs them (prepared through the pool,
 * unprepared without parameters, on a reserved connection within a transaction), but each one in flight has a
 * timer: the first that expires fails every statement in flight and every later one with one line naming the
 * server and the timeout, and drops every connection (see {@link Watch}). Fails when `SELECT 1` does not succeed
 * within the connect timeout.
 *
 * @internal
 */
export const make = (
  options: MysqlClientOptions
): Effect.Effect<Client.SqlClient, SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function*() {
    const pool = yield* Effect.acquireRelease(
      Effect.sync(() =>
        Mysql.createPool({
          ...options.poolConfig,
          host: options.host,
          port: options.port,
          database: options.database,
          ...(options.username === undefined ? {} : { user: options.username }),
          ...(options.password === undefined ? {} : { password: Redacted.value(options.password) }),
          multipleStatements: true,
          supportBigNumbers: true,
          // The pool of @effect/sql-mysql2's `make`: 10 connections, none kept once idle for a minute.
          maxIdle: 0
        }) as unknown as Pool
      ),
      end
    )
    const watch = makeWatch(pool, options)
    const poolConnection = connection(watch, pool)
    const check = poolConnection.executeUnprepared("SELECT 1", [], undefined)
    yield* options.connectTimeoutMillis > 0
      ? Effect.timeoutFail(check, {
        duration: Duration.millis(options.connectTimeoutMillis),
        onTimeout: () =>
          new SqlError({
            cause: new Error(`no answer within ${Duration.format(Duration.millis(options.connectTimeoutMillis))}`),
            message: "MysqlClient: Connection timeout"
          })
      })
      : check
    return yield* Client.make({
      acquirer: Effect.succeed(poolConnection),
      transactionAcquirer: reserve(watch, pool),
      compiler: makeCompiler(),
      spanAttributes: [["db.system.name", "mysql"], ["server.address", options.host], ["server.port", options.port], [
        "db.namespace",
        options.database
      ]]
    })
  })
