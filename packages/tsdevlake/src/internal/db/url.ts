import { Effect, Redacted } from "effect"
import { DbUrlError } from "./errors.js"

/**
 * Parsing DevLake's `db_url` (`mysql://`, `postgres://`, `sqlite://` or a file path) into a config per driver.
 * The plugin is given the URL DevLake's Go server uses, so it reads the parameters Go's drivers read (`charset`,
 * `tls` and `ca-cert`, `sslmode`, timeouts) the way they read them, and fails with a `DbUrlError` naming the
 * parameter otherwise; passwords are `Redacted` from the start, so no message or log can carry one.
 */

/**
 * Parsed `db_url`. Passwords are `Redacted`; `display` is the redacted URL, safe for messages.
 *
 * @internal
 */
export type DbConfig = SqliteConfig | MysqlConfig | PostgresConfig

/** @internal */
export interface SqliteConfig {
  readonly dialect: "sqlite"
  /** A file path, or `":memory:"`. */
  readonly filename: string
  readonly display: string
}

/**
 * TLS for MySQL, from Go's `tls` parameter. `verify`: TLS with certificate checks (`tls=true`, or a
 * named config such as DevLake's `custom` with `ca-cert`); `skip-verify`: TLS without checks;
 * `preferred`: TLS without checks when the server offers it, plain otherwise.
 *
 * @internal
 */
export type MysqlTls = "off" | "verify" | "skip-verify" | "preferred"

/** @internal */
export interface MysqlConfig {
  readonly dialect: "mysql"
  readonly host: string
  readonly port: number
  readonly database: string
  readonly username: string | undefined
  readonly password: Redacted.Redacted | undefined
  /** First entry of Go's comma-separated `charset` list; `utf8mb4` when absent. */
  readonly charset: string
  readonly tls: MysqlTls
  /** PEM file of the CA to trust (Go's `ca-cert`, used when TLS verifies). */
  readonly caCertPath: string | undefined
  /** Go's `timeout` (0: none). */
  readonly connectTimeoutMillis: number | undefined
  /**
   * Go's `readTimeout` (0: none): how long a statement may go unanswered; when absent, the driver's default
   * applies. Never sent to the server.
   */
  readonly readTimeoutMillis: number | undefined
  readonly display: string
}

/**
 * TLS for PostgreSQL, from libpq's `sslmode`. `prefer` (libpq's and pgx's default) tries TLS without
 * certificate checks and falls back to plain when the server has no TLS.
 *
 * @internal
 */
export type PostgresSslMode = "disable" | "allow" | "prefer" | "require" | "verify-ca" | "verify-full"

/** @internal */
export interface PostgresConfig {
  readonly dialect: "postgres"
  readonly host: string
  readonly port: number
  readonly database: string
  readonly username: string | undefined
  readonly password: Redacted.Redacted | undefined
  readonly sslMode: PostgresSslMode
  readonly sslRootCertPath: string | undefined
  readonly applicationName: string | undefined
  readonly connectTimeoutMillis: number | undefined
  /** `statement_timeout` (0: none); when absent, the driver's default applies without telling the server. */
  readonly statementTimeoutMillis: number | undefined
  readonly display: string
}

const schemePattern = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//

/**
 * Where the userinfo of `rest` (the text after `scheme://`) ends: the last `@` before the first `?`.
 * Taking the *last* `@` keeps a raw `@` or `/` inside a password out of the host part.
 */
const userInfoEnd = (rest: string): number => {
  const query = rest.indexOf("?")
  return rest.lastIndexOf("@", query < 0 ? rest.length : query)
}

/**
 * The URL with its password replaced by `***` (also a `password=` query parameter). Works on
 * malformed input too and errs on the side of hiding more: when in doubt, everything between the
 * first `:` of the userinfo and the last `@` is hidden.
 *
 * @internal
 */
export const redactDbUrl = (url: string): string => {
  const scheme = schemePattern.exec(url)
  if (scheme === null) return url
  const prefix = scheme[0]
  const rest = url.slice(prefix.length)
  let at = userInfoEnd(rest)
  // A raw `?` inside the password pushes the `@` past the first `?`; hide that case as well.
  if (at < 0) at = rest.lastIndexOf("@")
  let redacted = rest
  if (at >= 0) {
    const userInfo = rest.slice(0, at)
    const colon = userInfo.indexOf(":")
    if (colon >= 0) redacted = `${userInfo.slice(0, colon)}:***${rest.slice(at)}`
  }
  return prefix + redacted.replace(/([?&]password=)[^&#]*/gi, "$1***")
}

const fail = (reason: DbUrlError["reason"], url: string, detail: string) =>
  Effect.fail(new DbUrlError({ reason, url: redactDbUrl(url), detail }))

const decode = (text: string, url: string, what: string): Effect.Effect<string, DbUrlError> =>
  Effect.try({
    try: () => decodeURIComponent(text),
    catch: () =>
      new DbUrlError({ reason: "Malformed", url: redactDbUrl(url), detail: `the ${what} has a bad %-escape` })
  })

interface NetworkParts {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly username: string | undefined
  readonly password: Redacted.Redacted | undefined
  readonly params: URLSearchParams
}

/** Splits `user:pass@host:port/db?query` the way Go's `net/url` does, with the userinfo rule above. */
const parseNetwork = (url: string, rest: string, defaultPort: number): Effect.Effect<NetworkParts, DbUrlError> =>
  Effect.gen(function*() {
    const at = userInfoEnd(rest)
    const userInfo = at >= 0 ? rest.slice(0, at) : undefined
    const afterUser = at >= 0 ? rest.slice(at + 1) : rest
    const queryStart = afterUser.indexOf("?")
    const beforeQuery = queryStart >= 0 ? afterUser.slice(0, queryStart) : afterUser
    const query = queryStart >= 0 ? afterUser.slice(queryStart + 1) : ""
    const slash = beforeQuery.indexOf("/")
    const authority = slash >= 0 ? beforeQuery.slice(0, slash) : beforeQuery
    const path = slash >= 0 ? beforeQuery.slice(slash + 1) : ""

    let username: string | undefined
    let password: Redacted.Redacted | undefined
    if (userInfo !== undefined) {
      const colon = userInfo.indexOf(":")
      const rawUser = colon >= 0 ? userInfo.slice(0, colon) : userInfo
      username = rawUser === "" ? undefined : yield* decode(rawUser, url, "user name")
      if (colon >= 0) password = Redacted.make(yield* decode(userInfo.slice(colon + 1), url, "password"))
    }

    let host: string
    let portText: string | undefined
    if (authority.startsWith("[")) {
      const close = authority.indexOf("]")
      if (close < 0) return yield* fail("Malformed", url, "an IPv6 host is missing its closing `]`")
      host = authority.slice(1, close)
      const tail = authority.slice(close + 1)
      if (tail !== "" && !tail.startsWith(":")) {
        return yield* fail("Malformed", url, "unexpected text after the IPv6 host")
      }
      portText = tail === "" ? undefined : tail.slice(1)
    } else {
      const colon = authority.lastIndexOf(":")
      host = colon >= 0 ? authority.slice(0, colon) : authority
      portText = colon >= 0 ? authority.slice(colon + 1) : undefined
    }
    if (host === "") return yield* fail("MissingHost", url, "the host is missing")

    let port = defaultPort
    if (portText !== undefined && portText !== "") {
      const parsed = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN
      if (!(parsed >= 1 && parsed <= 65535)) {
        return yield* fail("BadPort", url, "the port must be a number between 1 and 65535")
      }
      port = parsed
    }

    const database = yield* decode(path.replace(/\/+$/, ""), url, "database name")
    if (database === "") return yield* fail("MissingDatabase", url, "the database name (path) is missing")
    if (database.includes("/")) return yield* fail("Malformed", url, "the path must be a single database name")

    return { host, port, database, username, password, params: new URLSearchParams(query) }
  })

const parseSeconds = (
  url: string,
  name: string,
  value: string | null
): Effect.Effect<number | undefined, DbUrlError> => {
  if (value === null || value === "") return Effect.succeed(undefined)
  return /^\d+$/.test(value)
    ? Effect.succeed(Number(value) * 1000)
    : fail("BadParameter", url, `${name} must be a whole number of seconds`)
}

const goUnits: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000
}

/**
 * A duration as Go's `time.ParseDuration` reads it (`30s`, `1.5m`, `1m30s`, `500ms`, or `0`), in milliseconds; a
 * duration above 0 is at least 1 ms, so that it never reads as "no timeout". `undefined` when it is not one.
 *
 * @internal
 */
export const goDurationMillis = (value: string): number | undefined => {
  if (value === "0") return 0
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy
  let millis = 0
  let end = 0
  for (let match = part.exec(value); match !== null; match = part.exec(value)) {
    millis += Number(match[1]) * goUnits[match[2]!]!
    end = part.lastIndex
  }
  if (end === 0 || end !== value.length) return undefined
  return millis > 0 ? Math.max(1, Math.round(millis)) : 0
}

const parseGoDuration = (
  url: string,
  name: string,
  value: string | null
): Effect.Effect<number | undefined, DbUrlError> => {
  if (value === null || value === "") return Effect.succeed(undefined)
  const millis = goDurationMillis(value)
  return millis === undefined
    ? fail("BadParameter", url, `${name} must be a Go duration such as 30s, 5m or 1m30s, or 0 for none`)
    : Effect.succeed(millis)
}

const parseMysql = (url: string, rest: string): Effect.Effect<MysqlConfig, DbUrlError> =>
  Effect.gen(function*() {
    const parts = yield* parseNetwork(url, rest, 3306)
    const params = parts.params
    const tlsParam = params.get("tls")
    const caCert = params.get("ca-cert")
    let tls: MysqlTls
    switch (tlsParam?.toLowerCase()) {
      case undefined:
      case "":
      case "false":
        tls = "off"
        break
      case "true":
        tls = "verify"
        break
      case "skip-verify":
        tls = "skip-verify"
        break
      case "preferred":
        tls = "preferred"
        break
      default:
        // Any other value names a Go-registered TLS config; DevLake registers "custom" from ca-cert.
        if (caCert === null || caCert === "") {
          return yield* fail("BadParameter", url, `tls=${tlsParam} needs a ca-cert parameter`)
        }
        tls = "verify"
    }
    const charset = (params.get("charset") ?? "").split(",")[0]?.trim() || "utf8mb4"
    if (!/^[A-Za-z0-9_]+$/.test(charset)) {
      return yield* fail("BadParameter", url, "charset must be a MySQL charset name")
    }
    if (params.has("statement_timeout")) {
      // Go's MySQL driver, which reads the same URL in DevLake, would send it to the server as a session variable,
      // which neither MySQL nor MariaDB has.
      return yield* fail("BadParameter", url, "statement_timeout is PostgreSQL's; a MySQL URL takes readTimeout")
    }
    const connectTimeoutMillis = yield* parseGoDuration(url, "timeout", params.get("timeout"))
    const readTimeoutMillis = yield* parseGoDuration(url, "readTimeout", params.get("readTimeout"))
    return {
      dialect: "mysql",
      host: parts.host,
      port: parts.port,
      database: parts.database,
      username: parts.username,
      password: parts.password,
      charset,
      tls,
      caCertPath: caCert === null || caCert === "" ? undefined : caCert,
      connectTimeoutMillis,
      readTimeoutMillis,
      display: redactDbUrl(url)
    }
  })

const sslModes: ReadonlyArray<PostgresSslMode> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

const parsePostgres = (url: string, rest: string): Effect.Effect<PostgresConfig, DbUrlError> =>
  Effect.gen(function*() {
    const parts = yield* parseNetwork(url, rest, 5432)
    const params = parts.params
    const sslParam = params.get("sslmode")
    const sslMode = sslParam === null || sslParam === "" ? "prefer" : sslParam.toLowerCase() as PostgresSslMode
    if (!sslModes.includes(sslMode)) {
      return yield* fail("BadParameter", url, `sslmode must be one of ${sslModes.join(", ")}`)
    }
    const queryUser = params.get("user")
    const queryPassword = params.get("password")
    const connectTimeoutMillis = yield* parseSeconds(url, "connect_timeout", params.get("connect_timeout"))
    const statementTimeoutMillis = yield* parsePgDuration(url, "statement_timeout", params.get("statement_timeout"))
    return {
      dialect: "postgres",
      host: parts.host,
      port: parts.port,
      database: parts.database,
      username: parts.username ?? (queryUser === null || queryUser === "" ? undefined : queryUser),
      password: parts.password ?? (queryPassword === null ? undefined : Redacted.make(queryPassword)),
      sslMode,
      sslRootCertPath: params.get("sslrootcert") || undefined,
      applicationName: params.get("application_name") || undefined,
      connectTimeoutMillis,
      statementTimeoutMillis,
      display: redactDbUrl(url)
    }
  })

/** A PostgreSQL duration setting as the server reads it: millis, or a number with a unit (`30s`, `5min`). */
const parsePgDuration = (
  url: string,
  name: string,
  value: string | null
): Effect.Effect<number | undefined, DbUrlError> => {
  if (value === null || value === "") return Effect.succeed(undefined)
  const match = /^(\d+)\s*(ms|s|min|h)?$/.exec(value.trim())
  if (match === null) {
    return fail("BadParameter", url, `${name} must be a number of milliseconds, or one with a unit: 30s, 5min`)
  }
  const factor = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[(match[2] ?? "ms") as "ms" | "s" | "min" | "h"]
  return Effect.succeed(Number(match[1]) * factor)
}

/**
 * The SQLite file of `sqlite+<driver>://<rest>`, read as SQLAlchemy reads it (pydevlake's guide writes
 * `sqlite+pysqlite:///:memory:`): the third slash ends the empty host, so `///lake.db` is relative,
 * `////var/lake.db` absolute, and no path at all is an in-memory database.
 */
const sqlAlchemySqliteFile = (rest: string): string => {
  const path = (rest.split("?", 1)[0] ?? "").replace(/^\//, "")
  return path === "" ? ":memory:" : path
}

// SQLAlchemy's `dialect+driver` (`mysql+pymysql`, `postgresql+psycopg2`): the driver is Python's and means
// nothing here, so the URL is read as the plain dialect's.
const sqlAlchemyDriver = /\+[a-z0-9_]+$/

/**
 * Whether a `db_url` without a scheme reads as a SQLite file path: no `@` and no `:`, apart from `:memory:` and a
 * Windows drive (`C:\lake.db`, `C:/lake.db`). Anything else is more likely a URL or a Go DSN missing its scheme
 * (`user:password@tcp(host:3306)/lake`), which opened as a file would fail naming the file, password included.
 */
const looksLikeFilePath = (location: string): boolean => {
  if (location === ":memory:") return true
  const path = /^[A-Za-z]:[\\/]/.test(location) ? location.slice(2) : location
  return !path.includes(":") && !path.includes("@")
}

// Not echoed: the value may be a DSN with a password, and its shape is already described.
const notAFilePath = Effect.fail(
  new DbUrlError({
    reason: "Malformed",
    url: "(value not shown)",
    detail: "db_url has no scheme but is not a file path (it has a ':' or '@'); expected mysql://…, " +
      "postgres://…, sqlite://… or a SQLite file path"
  })
)

/**
 * Parses a DevLake `db_url` (or a local SQLite location).
 *
 * Accepted forms:
 * - `mysql://user:pass@host:port/db?charset=utf8mb4&parseTime=True&loc=UTC&tls=...&ca-cert=/path`
 *   (`timeout` and `readTimeout` are Go durations; Go-only `parseTime` and `loc` are dropped, datetimes are always
 *   read and written as UTC; PostgreSQL's `statement_timeout` is refused);
 * - `postgres://`, `postgresql://`, `pg://` (`sslmode`, `sslrootcert`, `connect_timeout`, `statement_timeout`,
 *   `application_name`, `user`, `password` query parameters are honoured);
 * - `sqlite://<path>`, `sqlite:<path>`, `sqlite::memory:`, `sqlite:///:memory:`, `:memory:`, or a bare file path
 *   (without `:` or `@`, apart from a Windows drive: anything else is refused, without echoing it);
 * - SQLAlchemy's `dialect+driver` spellings, as the plain dialect: `mysql+pymysql://`, `postgresql+psycopg2://`,
 *   and `sqlite+pysqlite:///<relative path>`, `sqlite+pysqlite:////<absolute path>`, `sqlite+pysqlite:///:memory:`.
 *
 * Schemes are case-insensitive; user and password are %-decoded. Other query parameters are ignored.
 *
 * @internal
 */
export const parseDbUrl = (url: string): Effect.Effect<DbConfig, DbUrlError> => {
  const trimmed = url.trim()
  if (trimmed === "") return fail("Empty", url, "the URL is empty")
  const scheme = schemePattern.exec(trimmed)
  if (scheme === null) {
    const sqlitePrefix = /^sqlite:/i.exec(trimmed)
    if (sqlitePrefix === null && !looksLikeFilePath(trimmed)) return notAFilePath
    const location = sqlitePrefix === null ? trimmed : trimmed.slice(sqlitePrefix[0].length)
    if (location === "") return fail("Malformed", url, "the SQLite file path is missing")
    return Effect.succeed({ dialect: "sqlite", filename: location, display: location })
  }
  const rest = trimmed.slice(scheme[0].length)
  const name = scheme[1]!.toLowerCase()
  const driver = sqlAlchemyDriver.exec(name)
  const dialect = driver === null ? name : name.slice(0, driver.index)
  if (driver !== null && dialect === "sqlite") {
    const filename = sqlAlchemySqliteFile(rest)
    return Effect.succeed({ dialect: "sqlite", filename, display: filename })
  }
  switch (dialect) {
    case "mysql":
      return parseMysql(trimmed, rest)
    case "postgres":
    case "postgresql":
    case "pg":
      return parsePostgres(trimmed, rest)
    case "sqlite": {
      const path = rest.split("?", 1)[0] ?? ""
      if (path === "") return fail("Malformed", url, "the SQLite file path is missing")
      // Not a file named ":memory:" at the root: SQLAlchemy's spelling of an in-memory database.
      const filename = path === "/:memory:" ? ":memory:" : path
      return Effect.succeed({ dialect: "sqlite", filename, display: filename })
    }
    default:
      return fail(
        "UnknownScheme",
        trimmed,
        `unsupported scheme "${
          scheme[1]
        }"; use mysql, postgres, postgresql, pg or sqlite (also as SQLAlchemy's dialect+driver)`
      )
  }
}
