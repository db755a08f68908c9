/**
 * The pool of a PostgreSQL connection (see {@link pgPool}), in its own module so that pg, which the bundle leaves
 * out, is required only when a PostgreSQL database is opened, as @effect/sql-pg's own module does.
 */
import { Duration, Effect, Redacted } from "effect"
import type { ConnectionOptions } from "node:tls"
import type { PostgresConfig } from "./url.js"

// @ts-expect-error pg ships no type declarations: PgPool says the little of it used here.
import { Pool } from "pg"

/** @internal */
export interface PgPool {
  readonly query: (sql: string) => Promise<unknown>
  readonly end: () => Promise<void>
  readonly on: (event: "error", listener: (error: unknown) => void) => void
}

type PgPoolConstructor = new(config: Record<string, unknown>) => PgPool

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
      ...(queryTimeout > 0 ? { query_timeout: queryTimeout } : {}),
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
