/**
 * The pool of a PostgreSQL connection (see {@link pgPool}), in its own module so that pg, which the bundle leaves
 * out, is required only when a PostgreSQL database is opened, as @effect/sql-pg's own module does.
 */
import { Duration, Effect, Redacted } from "effect"
import type { ConnectionOptions } from "node:tls"
import type { PostgresConfig } from "./url.js"

// @ts-expect-error pg ships no type declarations: PgPool says the little of it used here.
import { Client, Pool } from "pg"

/** @internal */
export interface PgPool {
  readonly query: (sql: string) => Promise<unknown>
  readonly end: () => Promise<void>
  readonly on: (event: "error", listener: (error: unknown) => void) => void
}

type PgPoolConstructor = new(config: Record<string, unknown>) => PgPool

type Callback = (error: Error | null, result?: unknown) => void

/** The part of pg's `Client` the subclass below overrides. */
type PgClientConstructor = new(config: unknown) => {
  query(config: unknown, values?: unknown, callback?: unknown): unknown
}

/**
 * pg's `Client`, failing fast once the server has gone silent: after one statement got no answer within `timeout`
 * (pg's `query_timeout`, which says only "Query read timeout"), every later statement of the pool fails at once
 * with a line that names the server and the timeout, instead of each waiting its own timeout in turn; and the
 * ROLLBACK of a transaction that failed so answers at once (the server rolls back when the connection closes),
 * since @effect/sql turns a failed ROLLBACK into a defect that would hide why the run failed.
 */
const failingFast = (timeout: number, server: string): PgClientConstructor => {
  let silent: Error | undefined
  const message = `${server} did not answer within ${Duration.format(Duration.millis(timeout))} (statement_timeout)`
  return class extends (Client as PgClientConstructor) {
    override query(config: unknown, values?: unknown, callback?: unknown): unknown {
      const done = (typeof values === "function" ? values : callback) as Callback | undefined
      // The promise and cursor forms (pg-cursor's reads) are left as they are.
      if (done === undefined) return super.query(config, values, callback)
      if (silent !== undefined) {
        const text = typeof config === "string" ? config : (config as { text?: unknown } | null)?.text
        const rollback = typeof text === "string" && /^\s*ROLLBACK\b/i.test(text)
        process.nextTick(() => rollback ? done(null, { rows: [] }) : done(silent!))
        return undefined
      }
      const wrapped: Callback = (error, result) => {
        if (error?.message === "Query read timeout") silent ??= new Error(message)
        done(error?.message === "Query read timeout" ? silent! : error, result)
      }
      return typeof values === "function" ? super.query(config, wrapped) : super.query(config, values, wrapped)
    }
  }
}

/**
 * The pool of a PostgreSQL connection, built here rather than by @effect/sql-pg's `make`, which passes pg neither
 * a query timeout nor keep-alive. `query_timeout` is pg's client-side timer: it fails a statement the server does
 * not answer, whether the server is stuck, gone, or behind a link that drops packets. A `statement_timeout` the URL
 * gives is also sent to the server (as pgx sends it); by default the server is not told, so that a connection
 * pooler refusing startup parameters keeps working.
 *
 * @internal
 */
export const pgPool = (
  config: PostgresConfig,
  ssl: boolean | ConnectionOptions,
  defaultConnectTimeoutMillis: number,
  defaultQueryTimeoutMillis: number
): Effect.Effect<PgPool, unknown> =>
  Effect.gen(function*() {
    const connectTimeout = config.connectTimeoutMillis ?? defaultConnectTimeoutMillis
    const queryTimeout = config.statementTimeoutMillis ?? defaultQueryTimeoutMillis
    const pool: PgPool = new (Pool as PgPoolConstructor)({
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.username,
      password: config.password === undefined ? undefined : Redacted.value(config.password),
      ssl,
      application_name: config.applicationName ?? "tsdevlake",
      connectionTimeoutMillis: connectTimeout,
      ...(queryTimeout > 0
        ? {
          query_timeout: queryTimeout,
          Client: failingFast(queryTimeout, `PostgreSQL at ${config.host}:${config.port}`)
        }
        : {}),
      ...(config.statementTimeoutMillis === undefined ? {} : { statement_timeout: config.statementTimeoutMillis }),
      // A server that vanished without closing the connection is noticed by the kernel in minutes, not hours.
      keepAlive: true,
      keepAliveInitialDelayMillis: 30_000
    })
    // An idle client's error (the server restarted) is the pool's to handle: it drops the client.
    pool.on("error", () => {})
    const check = Effect.tryPromise({ try: () => pool.query("SELECT 1"), catch: (cause) => cause })
    yield* check.pipe(
      Effect.timeoutFail({
        duration: Duration.millis(connectTimeout),
        onTimeout: () => new Error(`no answer within ${Duration.format(Duration.millis(connectTimeout))}`)
      }),
      Effect.tapError(() => Effect.promise(() => pool.end().catch(() => undefined)).pipe(Effect.timeoutOption(1000)))
    )
    return pool
  })
