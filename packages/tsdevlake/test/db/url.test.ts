import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Redacted } from "effect"
import * as Db from "../../src/Db.js"

const parse = (url: string) => Effect.runSync(Db.parseUrl(url))

const parseError = (url: string): Db.DbUrlError => {
  const exit = Effect.runSyncExit(Db.parseUrl(url))
  if (Exit.isSuccess(exit)) assert.fail(`expected ${url} to be rejected`)
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (failure === undefined) assert.fail(`expected a DbUrlError for ${url}`)
  return failure
}

describe("Db.parseUrl", () => {
  it("parses DevLake's MySQL URL and drops Go-only parameters", () => {
    const config = parse("mysql://merico:merico@mysql:3306/lake?charset=utf8mb4&parseTime=True&loc=UTC")
    assert.strictEqual(config.dialect, "mysql")
    if (config.dialect !== "mysql") return
    assert.strictEqual(config.host, "mysql")
    assert.strictEqual(config.port, 3306)
    assert.strictEqual(config.database, "lake")
    assert.strictEqual(config.username, "merico")
    assert.strictEqual(config.password && Redacted.value(config.password), "merico")
    assert.strictEqual(config.charset, "utf8mb4")
    assert.strictEqual(config.tls, "off")
    assert.strictEqual(config.display, "mysql://merico:***@mysql:3306/lake?charset=utf8mb4&parseTime=True&loc=UTC")
  })

  it("defaults the MySQL port and charset, takes the first of Go's charset list", () => {
    const config = parse("MYSQL://root:root@db/lake?charset=latin1,utf8")
    assert.strictEqual(config.dialect, "mysql")
    if (config.dialect !== "mysql") return
    assert.strictEqual(config.port, 3306)
    assert.strictEqual(config.charset, "latin1")
    const plain = parse("mysql://root@db/lake")
    if (plain.dialect !== "mysql") return assert.fail("expected mysql")
    assert.strictEqual(plain.charset, "utf8mb4")
    assert.strictEqual(plain.password, undefined)
  })

  it("maps Go's tls values and ca-cert", () => {
    const tls = (query: string) => {
      const config = parse(`mysql://u:p@h:3306/d?${query}`)
      return config.dialect === "mysql" ? [config.tls, config.caCertPath] : undefined
    }
    assert.deepStrictEqual(tls("tls=true"), ["verify", undefined])
    assert.deepStrictEqual(tls("tls=skip-verify"), ["skip-verify", undefined])
    assert.deepStrictEqual(tls("tls=preferred"), ["preferred", undefined])
    assert.deepStrictEqual(tls("tls=false"), ["off", undefined])
    assert.deepStrictEqual(tls("tls=custom&ca-cert=/etc/ca.pem"), ["verify", "/etc/ca.pem"])
    assert.deepStrictEqual(tls("tls=true&ca-cert=%2Fetc%2Fca.pem"), ["verify", "/etc/ca.pem"])
    assert.deepStrictEqual(tls("ca-cert=/etc/ca.pem"), ["off", "/etc/ca.pem"])
    const error = parseError("mysql://u:secret@h/d?tls=custom")
    assert.strictEqual(error.reason, "BadParameter")
    assert.include(error.message, "ca-cert")
  })

  it("parses the Go timeout parameter", () => {
    const config = parse("mysql://u:p@h/d?timeout=1.5s")
    assert.strictEqual(config.dialect === "mysql" ? config.connectTimeoutMillis : -1, 1500)
    assert.strictEqual(parseError("mysql://u:p@h/d?timeout=soon").reason, "BadParameter")
  })

  it("accepts the four Postgres schemes case-insensitively", () => {
    for (const scheme of ["postgres", "postgresql", "pg", "PostgreSQL", "PG"]) {
      const config = parse(`${scheme}://merico:merico@db:5432/lake`)
      assert.strictEqual(config.dialect, "postgres", scheme)
      if (config.dialect !== "postgres") return
      assert.strictEqual(config.host, "db")
      assert.strictEqual(config.database, "lake")
      assert.strictEqual(config.sslMode, "prefer")
    }
  })

  it("reads Postgres query parameters", () => {
    const config = parse(
      "postgres://db/lake?user=me&password=s3cret&sslmode=verify-full&sslrootcert=/ca.pem&connect_timeout=7&application_name=x"
    )
    if (config.dialect !== "postgres") return assert.fail("expected postgres")
    assert.strictEqual(config.port, 5432)
    assert.strictEqual(config.username, "me")
    assert.strictEqual(config.password && Redacted.value(config.password), "s3cret")
    assert.strictEqual(config.sslMode, "verify-full")
    assert.strictEqual(config.sslRootCertPath, "/ca.pem")
    assert.strictEqual(config.connectTimeoutMillis, 7000)
    assert.strictEqual(config.applicationName, "x")
    assert.notInclude(config.display, "s3cret")
    assert.strictEqual(parseError("postgres://db/lake?sslmode=sometimes").reason, "BadParameter")
  })

  it("percent-decodes user and password, and survives raw @ and / in a password", () => {
    const encoded = parse("mysql://us%40er:p%40ss%2Fw%3Ard@h:1/d")
    if (encoded.dialect !== "mysql") return assert.fail("expected mysql")
    assert.strictEqual(encoded.username, "us@er")
    assert.strictEqual(encoded.password && Redacted.value(encoded.password), "p@ss/w:rd")
    const raw = parse("postgres://u:p@ss/w@h:5432/d")
    if (raw.dialect !== "postgres") return assert.fail("expected postgres")
    assert.strictEqual(raw.host, "h")
    assert.strictEqual(raw.password && Redacted.value(raw.password), "p@ss/w")
  })

  it("parses IPv6 hosts", () => {
    const config = parse("postgres://u:p@[::1]:6543/d")
    if (config.dialect !== "postgres") return assert.fail("expected postgres")
    assert.strictEqual(config.host, "::1")
    assert.strictEqual(config.port, 6543)
  })

  it("accepts SQLite locations", () => {
    const filename = (url: string) => {
      const config = parse(url)
      return config.dialect === "sqlite" ? config.filename : undefined
    }
    assert.strictEqual(filename("sqlite:///var/lib/lake.db"), "/var/lib/lake.db")
    assert.strictEqual(filename("sqlite://lake.db"), "lake.db")
    assert.strictEqual(filename("SQLITE://lake.db"), "lake.db")
    assert.strictEqual(filename("sqlite::memory:"), ":memory:")
    assert.strictEqual(filename(":memory:"), ":memory:")
    assert.strictEqual(filename("sqlite:data/lake.db"), "data/lake.db")
    assert.strictEqual(filename("./data/lake.db"), "./data/lake.db")
    assert.strictEqual(filename("/tmp/lake.sqlite"), "/tmp/lake.sqlite")
  })

  it("reads SQLAlchemy's dialect+driver URLs (pydevlake's habit) as the plain dialect's", () => {
    const filename = (url: string) => {
      const config = parse(url)
      return config.dialect === "sqlite" ? config.filename : undefined
    }
    assert.strictEqual(filename("sqlite+pysqlite:///:memory:"), ":memory:")
    assert.strictEqual(filename("sqlite+pysqlite://"), ":memory:")
    assert.strictEqual(filename("sqlite:///:memory:"), ":memory:")
    // SQLAlchemy's slashes: three for a relative path, four for an absolute one.
    assert.strictEqual(filename("sqlite+pysqlite:///lake.db"), "lake.db")
    assert.strictEqual(filename("sqlite+pysqlite:////var/lib/lake.db"), "/var/lib/lake.db")
    assert.strictEqual(filename("SQLite+PySQLite:///data/lake.db?timeout=5"), "data/lake.db")

    const mysql = parse("mysql+pymysql://merico:merico@db:3307/lake?charset=utf8mb4")
    assert.deepStrictEqual(
      mysql.dialect === "mysql" && [mysql.host, mysql.port, mysql.database, mysql.username, mysql.charset],
      ["db", 3307, "lake", "merico", "utf8mb4"]
    )
    assert.strictEqual(mysql.display, "mysql+pymysql://merico:***@db:3307/lake?charset=utf8mb4")
    const pg = parse("postgresql+psycopg2://u:p@db/lake?sslmode=disable")
    assert.deepStrictEqual(pg.dialect === "postgres" && [pg.host, pg.port, pg.database, pg.sslMode], [
      "db",
      5432,
      "lake",
      "disable"
    ])
    assert.strictEqual(parseError("mongodb+srv://u:hunter22@h/d").reason, "UnknownScheme")
    assert.strictEqual(parseError("mysql+pymysql://u:hunter22@h:3306").reason, "MissingDatabase")
  })

  it("rejects broken URLs with a reason and without the password", () => {
    const cases: Array<[string, Db.DbUrlError["reason"]]> = [
      ["", "Empty"],
      ["   ", "Empty"],
      ["mongodb://u:hunter22@h/d", "UnknownScheme"],
      ["mysql://u:hunter22@/lake", "MissingHost"],
      ["mysql://u:hunter22@h:3306", "MissingDatabase"],
      ["mysql://u:hunter22@h:3306/", "MissingDatabase"],
      ["postgres://u:hunter22@h:99999/d", "BadPort"],
      ["postgres://u:hunter22@h:0/d", "BadPort"],
      ["postgres://u:hunter22@h:port/d", "BadPort"],
      ["mysql://u:hunter22@h/a/b", "Malformed"],
      ["mysql://u:hunter22%zz@h/d", "Malformed"],
      ["postgres://u:hunter22@[::1/d", "Malformed"],
      ["sqlite://", "Malformed"],
      // Unencoded "?" in the password: Go cannot parse it either; it must still not leak.
      ["mysql://u:hun?ter22@h:3306/d", "BadPort"]
    ]
    for (const [url, reason] of cases) {
      const error = parseError(url)
      assert.strictEqual(error._tag, "DbUrlError")
      assert.strictEqual(error.reason, reason, url)
      assert.notInclude(error.message, "hunter22", url)
      assert.notInclude(error.message, "ter22", url)
      assert.notInclude(error.url, "ter22", url)
      assert.include(error.message, "Invalid DB URL", url)
    }
    assert.include(parseError("mongodb://u:hunter22@h/d").message, "mongodb://u:***@h/d")
  })

  it("refuses a value without a scheme that is not a file path, without echoing it (issue 13, finding 10)", () => {
    for (
      const url of [
        "tsdevlake:hunter22@tcp(127.0.0.1:3306)/lake?charset=utf8mb4",
        "root@tcp(db:3306)/lake",
        "tcp(db:3306)/lake",
        "db:3306/lake",
        "mysql//u:hunter22@h/lake",
        "mysql:/u:hunter22@h/lake",
        "lake@2.db"
      ]
    ) {
      const error = parseError(url)
      assert.strictEqual(error.reason, "Malformed", url)
      assert.notInclude(error.message, "hunter22", url)
      assert.notInclude(error.message, "127.0.0.1", url)
      assert.include(error.message, "expected mysql://…, postgres://…, sqlite://… or a SQLite file path", url)
    }
    const filename = (url: string) => {
      const config = parse(url)
      return config.dialect === "sqlite" ? config.filename : undefined
    }
    // A path with ":" or "@" is still a SQLite file when the scheme says so; Windows drives need none.
    assert.strictEqual(filename("sqlite:///tmp/a@b:c/lake.db"), "/tmp/a@b:c/lake.db")
    assert.strictEqual(filename("C:\\data\\lake.db"), "C:\\data\\lake.db")
    assert.strictEqual(filename("C:/data/lake.db"), "C:/data/lake.db")
  })
})

describe("Db.redactDbUrl", () => {
  it("replaces passwords and leaves the rest readable", () => {
    assert.strictEqual(Db.redactDbUrl("mysql://merico:merico@db:3306/lake?x=1"), "mysql://merico:***@db:3306/lake?x=1")
    assert.strictEqual(Db.redactDbUrl("postgres://u:p%40ss@db/lake"), "postgres://u:***@db/lake")
    assert.strictEqual(Db.redactDbUrl("postgres://u:p@ss/x@db/lake"), "postgres://u:***@db/lake")
    assert.strictEqual(Db.redactDbUrl("mysql://u:pa?ss@h/d"), "mysql://u:***@h/d")
    assert.strictEqual(
      Db.redactDbUrl("postgres://db/lake?user=me&password=s3cret&sslmode=require"),
      "postgres://db/lake?user=me&password=***&sslmode=require"
    )
    assert.strictEqual(Db.redactDbUrl("mysql://root@db/lake"), "mysql://root@db/lake")
    assert.strictEqual(
      Db.redactDbUrl("mysql://db/lake?ca-cert=/certs/a@b.pem"),
      "mysql://db/lake?ca-cert=/certs/a@b.pem"
    )
    assert.strictEqual(Db.redactDbUrl("./local.db"), "./local.db")
  })
})
