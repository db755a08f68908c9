import { SqliteClient } from "@effect/sql-sqlite-node"
import * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Db from "../../src/Db.js"
import { collectRows, isolatedDatabase, mysqlUrl, pgUrl, testDatabases, uniqueTableName } from "../utils/databases.js"

const packageDir = fileURLToPath(new URL("../..", import.meta.url))

/** Runs an ES module snippet under tsx with the package as cwd, so `effect` and `./src/*.ts` resolve. */
const runNode = (code: string, args: ReadonlyArray<string> = []) =>
  Effect.async<string, Error>((resume) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", code, "--", ...args],
      { cwd: packageDir, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) resume(Effect.fail(new Error(`${error.message}\n${stderr}`)))
        else resume(Effect.succeed(stdout))
      }
    )
  })

const connectFailure = (url: string) =>
  Effect.gen(function*() {
    const exit = yield* Effect.exit(Effect.provide(Db.Database, Db.layer(url)))
    if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") return assert.fail(`expected ${url} to fail to connect`)
    return exit.cause.error
  })

const withPassword = (url: string, password: string) => {
  const parsed = new URL(url)
  parsed.password = password
  return parsed.toString()
}

const databases = await testDatabases()
const reachable = (name: Db.DialectName) => databases.find((d) => d.name === name)?.skip === undefined

describe("Db layers", () => {
  // The certificate is read before any connection is tried, so no server is needed.
  it.live("names a CA certificate it cannot read, and never the password", () =>
    Effect.gen(function*() {
      const missing = join(tmpdir(), `tsdevlake-no-such-ca-${process.pid}.pem`)
      for (
        const url of [
          `mysql://devlake:ca-secret-4321@127.0.0.1:1/lake?tls=custom&ca-cert=${encodeURIComponent(missing)}`,
          `postgres://devlake:ca-secret-4321@127.0.0.1:1/lake?sslmode=verify-full&sslrootcert=${
            encodeURIComponent(missing)
          }`
        ]
      ) {
        const error = yield* connectFailure(url)
        if (error._tag !== "DbError") return assert.fail("expected a DbError")
        assert.strictEqual(error.reason, "Connect")
        assert.include(error.message, `cannot read CA certificate ${missing}: `)
        assert.include(error.message, "ENOENT")
        assert.notInclude(error.message, "ca-secret-4321")
      }
    }))

  it.effect("layerMemory gives every provide its own database", () =>
    Effect.gen(function*() {
      const name = uniqueTableName("memory")
      const first = yield* Effect.provide(
        Effect.flatMap(Db.Database, (db) =>
          Effect.zipRight(
            db.createTableIfNotExists({ name, columns: [{ name: "x", type: "integer" }] }),
            db.tableExists(name)
          )),
        Db.layerMemory
      )
      const second = yield* Effect.provide(Effect.flatMap(Db.Database, (db) => db.tableExists(name)), Db.layerMemory)
      assert.isTrue(first)
      assert.isFalse(second)
    }))

  it.effect("layerFromClient builds the service over an existing SqlClient", () =>
    Effect.gen(function*() {
      const db = yield* Db.Database
      const sql = yield* SqlClient.SqlClient
      assert.strictEqual(db.dialect.name, "sqlite")
      assert.strictEqual(db.sql, sql)
    }).pipe(Effect.provide(Db.layerFromClient.pipe(Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" }))))))

  it.effect("a broken URL fails the layer with DbUrlError", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.provide(Db.Database, Db.layer("oracle://scott:tiger@db/orcl")))
      if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") return assert.fail("expected a DbUrlError")
      assert.strictEqual(exit.cause.error._tag, "DbUrlError")
      assert.notInclude(exit.cause.error.message, "tiger")
    }))

  it.live("an unreachable server is a one-line Connect error naming host and database", () =>
    Effect.gen(function*() {
      for (
        const [url, where] of [
          ["mysql://lake:s3cr3t-pw@127.0.0.1:1/lake", "MySQL database lake at 127.0.0.1:1 as lake"],
          ["postgres://lake:s3cr3t-pw@127.0.0.1:1/lake", "PostgreSQL database lake at 127.0.0.1:1 as lake"]
        ] as const
      ) {
        const error = yield* connectFailure(url)
        assert.strictEqual(error._tag, "DbError")
        if (error._tag !== "DbError") return
        assert.strictEqual(error.reason, "Connect")
        assert.include(error.message, where)
        assert.match(error.message, /ECONNREFUSED/)
        assert.notInclude(error.message, "s3cr3t")
        assert.notInclude(error.message, "\n")
      }
    }))

  it.effect("a SQLite file in a missing directory is a Connect error", () =>
    Effect.gen(function*() {
      const error = yield* connectFailure("sqlite:///nonexistent-dir-for-tsdevlake/x.db")
      if (error._tag !== "DbError") return assert.fail("expected a DbError")
      assert.strictEqual(error.reason, "Connect")
      assert.include(error.message, "/nonexistent-dir-for-tsdevlake/x.db")
    }))

  it.live("loads a driver only when its layer is built", () =>
    Effect.gen(function*() {
      const out = yield* runNode(`
        import { createRequire } from "node:module"
        import { Effect } from "effect"
        const require = createRequire(process.cwd() + "/")
        const drivers = () => [...new Set(Object.keys(require.cache)
          .map((k) => /[\\\\/]node_modules[\\\\/](mysql2|pg|better-sqlite3)[\\\\/]/.exec(k)?.[1]).filter(Boolean))].sort()
        const Db = await import("./src/Db.ts")
        const before = drivers()
        await Effect.runPromise(Effect.provide(Effect.void, Db.layerMemory))
        console.log(JSON.stringify({ before, after: drivers() }))
      `)
      assert.deepStrictEqual(JSON.parse(out), { before: [], after: ["better-sqlite3"] })
    }), 60_000)
})

describe("Db on a SQLite file", () => {
  it.scopedLive(
    "uses WAL and a busy timeout, and takes concurrent writers from several processes",
    () =>
      Effect.gen(function*() {
        const dir = mkdtempSync(join(tmpdir(), "tsdevlake-db-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        const file = join(dir, "lake.db")
        const pragmas = yield* Effect.provide(
          Effect.flatMap(
            Db.Database,
            (db) => Effect.all([db.execute("PRAGMA journal_mode"), db.execute("PRAGMA busy_timeout")])
          ),
          Db.layer(`sqlite://${file}`)
        )
        assert.strictEqual(pragmas[0][0]?.["journal_mode"], "wal")
        assert.strictEqual(pragmas[1][0]?.["timeout"], 30000)

        const writer = `
        import { Effect } from "effect"
        const Db = await import("./src/Db.ts")
        const [file, worker] = process.argv.slice(-2)
        const raw = [{ name: "id", type: "integer", primaryKey: true, autoIncrement: true }, { name: "params", type: "string", maxLength: 255, index: true }, { name: "data", type: "bytes" }]
        const state = [{ name: "worker", type: "string", primaryKey: true }, { name: "n", type: "integer" }]
        const program = Effect.gen(function*() {
          const db = yield* Db.Database
          yield* db.createTableIfNotExists({ name: "_raw_concurrent", columns: raw })
          yield* db.createTableIfNotExists({ name: "_state_concurrent", columns: state })
          for (let n = 1; n <= 20; n++) {
            const rows = Array.from({ length: 50 }, (_, i) => ({ params: worker, data: "x".repeat(200) + i }))
            // Read before writing inside the transaction, as a resumable collector would.
            yield* db.withTransaction(Effect.zipRight(
              db.countWhere("_raw_concurrent", { params: worker }),
              Effect.zipRight(
                db.insertBatch("_raw_concurrent", raw, rows),
                db.upsertBatch("_state_concurrent", state, ["worker"], [{ worker, n }])
              )
            ))
          }
        })
        await Effect.runPromise(Effect.provide(program, Db.layer("sqlite://" + file)))
      `
        yield* Effect.all(["a", "b", "c"].map((worker) => runNode(writer, [file, worker])), {
          concurrency: "unbounded"
        })
        const [rows, state] = yield* Effect.provide(
          Effect.flatMap(Db.Database, (db) =>
            Effect.all([
              db.countWhere("_raw_concurrent", {}),
              collectRows(db.streamRows("_state_concurrent", { orderBy: ["worker"] }))
            ])),
          Db.layer(`sqlite://${file}`)
        )
        assert.strictEqual(rows, 3 * 20 * 50)
        assert.deepStrictEqual(state.map((row) => [row["worker"], row["n"]]), [["a", 20], ["b", 20], ["c", 20]])
      }),
    120_000
  )
})

describe("Isolated test databases", () => {
  for (const database of databases) {
    it.live.skipIf(database.skip !== undefined)(
      `gives a test file its own ${database.name} database`,
      () =>
        Effect.gen(function*() {
          const isolated = yield* Effect.promise(() => isolatedDatabase(database, "isolation"))
          const table = "_pydevlake_subtask_runs_probe"
          const spec: Db.TableSpec = { name: table, columns: [{ name: "id", type: "integer", primaryKey: true }] }
          const [inside, outside] = yield* Effect.all([
            Effect.provide(
              Effect.flatMap(
                Db.Database,
                (db) => Effect.zipRight(db.createTableIfNotExists(spec), db.tableExists(table))
              ),
              Db.layer(isolated.url)
            ),
            Effect.provide(Effect.flatMap(Db.Database, (db) => db.tableExists(table)), Db.layer(database.url))
          ]).pipe(Effect.ensuring(Effect.promise(() => isolated.drop())))
          assert.isTrue(inside)
          assert.isFalse(outside)
          if (database.name !== "sqlite") {
            const gone = yield* Effect.exit(Effect.provide(Db.Database, Db.layer(isolated.url)))
            assert.isTrue(Exit.isFailure(gone))
          }
        })
    )
  }
})

describe.skipIf(!reachable("mysql"))("Db on MySQL", () => {
  it.live("rejects a wrong password without revealing it", () =>
    Effect.gen(function*() {
      const error = yield* connectFailure(withPassword(mysqlUrl, "wrong-pass-9876"))
      if (error._tag !== "DbError") return assert.fail("expected a DbError")
      assert.strictEqual(error.reason, "Connect")
      assert.include(error.message, "could not connect to MySQL database")
      assert.match(error.message, /Access denied/)
      assert.notInclude(error.message, "wrong-pass-9876")
    }))

  it.live("connects with DevLake's URL parameters and any scheme case", () =>
    Effect.gen(function*() {
      const url = `${mysqlUrl.replace(/^mysql:/i, "MySQL:")}${
        mysqlUrl.includes("?") ? "&" : "?"
      }charset=utf8mb4&parseTime=True&loc=UTC`
      const rows = yield* Effect.provide(
        Effect.flatMap(Db.Database, (db) => db.execute("SELECT @@character_set_client AS cs")),
        Db.layer(url)
      )
      assert.strictEqual(rows[0]?.["cs"], "utf8mb4")
    }))

  it.live("reports an unknown charset as a Connect error", () =>
    Effect.gen(function*() {
      const error = yield* connectFailure(`${mysqlUrl}${mysqlUrl.includes("?") ? "&" : "?"}charset=klingon`)
      if (error._tag !== "DbError") return assert.fail("expected a DbError")
      assert.strictEqual(error.reason, "Connect")
      assert.include(error.message, "Unknown charset")
    }))

  it.scopedLive("stores datetimes as UTC wall-clock whatever the process time zone", () =>
    Effect.gen(function*() {
      const previous = process.env["TZ"]
      process.env["TZ"] = "America/New_York"
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          if (previous === undefined) delete process.env["TZ"]
          else process.env["TZ"] = previous
        })
      )
      const columns: ReadonlyArray<Db.ColumnSpec> = [
        { name: "id", type: "integer", primaryKey: true },
        { name: "at", type: "datetime" }
      ]
      const name = uniqueTableName("utc")
      const [stored, read] = yield* Effect.gen(function*() {
        const db = yield* Db.Database
        yield* db.createTableIfNotExists({ name, columns })
        yield* db.insertBatch(name, columns, [{ id: 1, at: new Date("2024-03-04T05:06:07.089Z") }])
        return yield* Effect.all([
          db.execute(`SELECT CAST(at AS CHAR) AS text FROM ${db.dialect.quote(name)}`),
          collectRows(db.streamById(name, { columns }))
        ]).pipe(Effect.ensuring(Effect.orDie(db.dropTableIfExists(name))))
      }).pipe(Effect.provide(Db.layer(`${mysqlUrl}${mysqlUrl.includes("?") ? "&" : "?"}parseTime=True&loc=Local`)))
      assert.strictEqual(stored[0]?.["text"], "2024-03-04 05:06:07.089")
      assert.deepStrictEqual(read[0]?.["at"], new Date("2024-03-04T05:06:07.089Z"))
    }))

  it.live("tls=preferred falls back to plain; skip-verify needs a TLS server", () =>
    Effect.gen(function*() {
      const join = (query: string) => `${mysqlUrl}${mysqlUrl.includes("?") ? "&" : "?"}${query}`
      const serverTls = yield* Effect.provide(
        Effect.flatMap(Db.Database, (db) => db.execute("SHOW VARIABLES LIKE 'have_ssl'")),
        Db.layer(mysqlUrl)
      ).pipe(Effect.map((rows) => rows[0]?.["Value"] === "YES"))
      const preferred = yield* Effect.provide(
        Effect.flatMap(Db.Database, (db) => db.execute("SELECT 1 AS x")),
        Db.layer(join("tls=preferred"))
      )
      assert.strictEqual(Number(preferred[0]?.["x"]), 1)
      const skipVerify = yield* Effect.exit(Effect.provide(Db.Database, Db.layer(join("tls=skip-verify"))))
      if (serverTls) {
        assert.isTrue(Exit.isSuccess(skipVerify))
      } else {
        const error = Exit.isFailure(skipVerify) && skipVerify.cause._tag === "Fail"
          ? skipVerify.cause.error
          : undefined
        assert.strictEqual(error?._tag === "DbError" ? error.reason : undefined, "Connect")
        assert.match(error?.message ?? "", /secure connection/)
      }
    }))
})

describe.skipIf(!reachable("postgres"))("Db on PostgreSQL", () => {
  it.live("rejects a wrong password without revealing it", () =>
    Effect.gen(function*() {
      const error = yield* connectFailure(withPassword(pgUrl, "wrong-pass-9876"))
      if (error._tag !== "DbError") return assert.fail("expected a DbError")
      assert.strictEqual(error.reason, "Connect")
      assert.include(error.message, "could not connect to PostgreSQL database")
      assert.match(error.message, /password authentication failed/)
      assert.notInclude(error.message, "wrong-pass-9876")
    }))

  it.live("connects through every scheme spelling DevLake accepts", () =>
    Effect.gen(function*() {
      const rest = pgUrl.replace(/^[a-z]+:\/\//i, "")
      for (const scheme of ["postgres", "postgresql", "pg", "PostgreSQL"]) {
        const name = yield* Effect.provide(
          Effect.map(Db.Database, (db) => db.dialect.name),
          Db.layer(`${scheme}://${rest}`)
        )
        assert.strictEqual(name, "postgres", scheme)
      }
    }))

  it.live("sslmode prefer and disable connect; require needs a TLS server", () =>
    Effect.gen(function*() {
      const join = (query: string) => `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}${query}`
      const select = (url: string) =>
        Effect.provide(Effect.flatMap(Db.Database, (db) => db.execute("SHOW ssl")), Db.layer(url))
      const serverTls = (yield* select(join("sslmode=disable")))[0]?.["ssl"] === "on"
      yield* select(join("sslmode=prefer"))
      yield* select(pgUrl)
      const required = yield* Effect.exit(select(join("sslmode=require")))
      if (serverTls) {
        assert.isTrue(Exit.isSuccess(required))
      } else {
        const error = Exit.isFailure(required) && required.cause._tag === "Fail" ? required.cause.error : undefined
        assert.strictEqual(error?._tag === "DbError" ? error.reason : undefined, "Connect")
        assert.match(error?.message ?? "", /does not support SSL/)
      }
    }))
})
