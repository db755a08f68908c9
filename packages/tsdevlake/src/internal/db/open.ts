import type * as Reactivity from "@effect/experimental/Reactivity"
import type * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Redacted } from "effect"
import type * as Scope from "effect/Scope"
import { readFile } from "node:fs"
import type { ConnectionOptions } from "node:tls"
import { causeLine, DbError } from "./errors.js"
import type { DbConfig, MysqlConfig, PostgresConfig, SqliteConfig } from "./url.js"

/**
 * Opens the driver for a parsed config. Driver modules (better-sqlite3, mysql2, pg and their Effect
 * wrappers) are imported here on first use, so commands that never touch a database do not load them.
 */

type Env = Scope.Scope | Reactivity.Reactivity

const loadDriver = <A>(label: string, load: () => Promise<A>): Effect.Effect<A, DbError> =>
  Effect.tryPromise({
    try: load,
    catch: (cause) =>
      new DbError({ reason: "Driver", detail: `cannot load the ${label} driver: ${causeLine(cause)}`, cause })
  })

/** Driver messages never contain the password today; scrub it anyway in case one starts echoing config. */
const scrub = (text: string, password: Redacted.Redacted | undefined): string => {
  const secret = password === undefined ? "" : Redacted.value(password)
  return secret.length >= 3 ? text.split(secret).join("***") : text
}

const where = (config: MysqlConfig | PostgresConfig): string =>
  `${config.dialect === "mysql" ? "MySQL" : "PostgreSQL"} database ${config.database} at ${config.host}:${config.port}${
    config.username === undefined ? "" : ` as ${config.username}`
  }`

const connectError = (config: MysqlConfig | PostgresConfig) => (cause: unknown) =>
  new DbError({
    reason: "Connect",
    detail: `could not connect to ${where(config)}: ${scrub(causeLine(cause), config.password)}`
  })

const readCa = (path: string, config: MysqlConfig | PostgresConfig): Effect.Effect<Buffer, DbError> =>
  // node:fs's callback form: node:fs/promises costs every process ~4 ms to load, for a file few connections name.
  Effect.async<Buffer, DbError>((resume) =>
    readFile(path, (cause, data) =>
      resume(
        cause === null ? Effect.succeed(data) : Effect.fail(
          new DbError({
            reason: "Connect",
            detail: `could not connect to ${where(config)}: cannot read CA certificate ${path}: ${causeLine(cause)}`
          })
        )
      ))
  )

const openSqlite = (config: SqliteConfig): Effect.Effect<SqlClient.SqlClient, DbError, Env> =>
  Effect.gen(function*() {
    const driver = yield* loadDriver("SQLite", () => import("@effect/sql-sqlite-node/SqliteClient"))
    // better-sqlite3 throws from its constructor (missing directory, not a database); make() turns that into a defect.
    // The driver caches prepared statements, failures included ("no such table" while another process is
    // about to create it): a short TTL keeps the cache's speed-up for hot statements without pinning errors.
    const client = yield* driver.make({ filename: config.filename, prepareCacheTTL: "1 second" }).pipe(
      Effect.catchAllDefect((defect) =>
        Effect.fail(
          new DbError({
            reason: "Connect",
            detail: `could not open SQLite database ${config.display}: ${causeLine(defect)}`
          })
        )
      )
    )
    const pragmas = ["PRAGMA busy_timeout = 30000"]
    if (config.filename !== ":memory:") pragmas.push("PRAGMA synchronous = NORMAL")
    for (const pragma of pragmas) {
      yield* client.unsafe(pragma).pipe(
        Effect.mapError((cause) =>
          new DbError({
            reason: "Connect",
            detail: `could not open SQLite database ${config.display}: ${causeLine(cause)}`,
            cause
          })
        )
      )
    }
    return client
  })

const openMysql = (config: MysqlConfig): Effect.Effect<SqlClient.SqlClient, DbError, Env> =>
  Effect.gen(function*() {
    const driver = yield* loadDriver("MySQL", () => import("./mysqlClient.js"))
    const ca = config.caCertPath !== undefined && config.tls === "verify"
      ? yield* readCa(config.caCertPath, config)
      : undefined
    const connectTimeoutMillis = config.connectTimeoutMillis ?? defaultConnectTimeoutMillis
    const attempt = (ssl: ConnectionOptions | undefined) =>
      driver.make({
        host: config.host,
        port: config.port,
        database: config.database,
        username: config.username,
        password: config.password,
        connectTimeoutMillis,
        statementTimeoutMillis: config.readTimeoutMillis ?? defaultQueryTimeoutMillis,
        timeoutParameter: "readTimeout",
        poolConfig: {
          // DATETIME has no zone; DevLake writes UTC wall-clock (loc=UTC, containers on UTC).
          timezone: "Z",
          // JSON columns come back as text on MariaDB anyway; make MySQL match so decoding is uniform.
          jsonStrings: true,
          charset: config.charset,
          // Bounds server-side prepared statements (max_prepared_stmt_count is global, 16382 by default).
          maxPreparedStatements: 256,
          connectTimeout: connectTimeoutMillis,
          // mysql2 turns keep-alive on with the system's initial delay (2 hours on Linux): a server that vanished
          // without closing the connection would hold a connection for hours. (A server that keeps the connection
          // but stops answering is the statement timeout's.)
          enableKeepAlive: true,
          keepAliveInitialDelay: 30_000,
          ...(ssl === undefined ? {} : { ssl: ssl as any })
        }
        // mysql2 throws synchronously from createPool on bad options (e.g. an unknown charset).
      }).pipe(Effect.catchAllDefect(Effect.fail))
    const open = config.tls === "off"
      ? attempt(undefined)
      : config.tls === "skip-verify"
      ? attempt({ rejectUnauthorized: false })
      : config.tls === "verify"
      ? attempt(ca === undefined ? {} : { ca })
      : attempt({ rejectUnauthorized: false }).pipe(
        Effect.catchAll((error) =>
          /does not support secure connection/i.test(causeLine(error)) ? attempt(undefined) : Effect.fail(error)
        )
      )
    return yield* Effect.mapError(open, connectError(config))
  })

/**
 * How long a connection may take to open, unless the URL says (`connect_timeout` for PostgreSQL, `timeout` for
 * MySQL): 10 s, Go's MySQL driver's own default. A server that accepts and never answers otherwise held the
 * PostgreSQL driver for minutes without a word.
 *
 * @internal
 */
export const defaultConnectTimeoutMillis = 10_000

/**
 * How long a statement may go unanswered before the run fails, unless the URL says (PostgreSQL's
 * `statement_timeout`, MySQL's `readTimeout`; 0: never). A server that stops answering mid-run otherwise blocks the
 * run forever, silently; 5 minutes is far above any statement of a plugin's run (a batch of rows, a keyset page, a
 * scope's delete) on a live server.
 *
 * @internal
 */
export const defaultQueryTimeoutMillis = 300_000

const openPostgres = (config: PostgresConfig): Effect.Effect<SqlClient.SqlClient, DbError, Env> =>
  Effect.gen(function*() {
    const driver = yield* loadDriver("PostgreSQL", () => import("@effect/sql-pg/PgClient"))
    const { pgPool } = yield* loadDriver("PostgreSQL", () => import("./pgPool.js"))
    const verify = config.sslMode === "verify-ca" || config.sslMode === "verify-full"
    const ca = verify && config.sslRootCertPath !== undefined
      ? yield* readCa(config.sslRootCertPath, config)
      : undefined
    const attempt = (ssl: boolean | ConnectionOptions) =>
      driver.fromPool({
        acquire: Effect.acquireRelease(
          pgPool(config, ssl, defaultConnectTimeoutMillis, defaultQueryTimeoutMillis),
          (pool) => Effect.promise(() => pool.end().catch(() => undefined)).pipe(Effect.timeoutOption(1000))
        ).pipe(Effect.mapError((cause) => new SqlError({ cause, message: "PgClient: Failed to connect" }))),
        applicationName: config.applicationName ?? "tsdevlake"
      })
    let open: ReturnType<typeof attempt>
    switch (config.sslMode) {
      case "disable":
      case "allow":
        open = attempt(false)
        break
      case "require":
        open = attempt({ rejectUnauthorized: false })
        break
      case "verify-ca":
        // Chain checked, host name not (libpq's verify-ca).
        open = attempt({ ...(ca === undefined ? {} : { ca }), checkServerIdentity: () => undefined })
        break
      case "verify-full":
        open = attempt(ca === undefined ? {} : { ca })
        break
      case "prefer":
        open = attempt({ rejectUnauthorized: false }).pipe(
          Effect.catchAll((error) =>
            /does not support SSL/i.test(causeLine(error)) ? attempt(false) : Effect.fail(error)
          )
        )
        break
    }
    return yield* Effect.mapError(open, connectError(config))
  })

/** @internal */
export const open = (config: DbConfig): Effect.Effect<SqlClient.SqlClient, DbError, Env> => {
  switch (config.dialect) {
    case "sqlite":
      return openSqlite(config)
    case "mysql":
      return openMysql(config)
    case "postgres":
      return openPostgres(config)
  }
}
