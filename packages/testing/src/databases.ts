import { Chunk, Effect, Stream } from "effect"
import type * as Scope from "effect/Scope"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import * as net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Db } from "tsdevlake/runtime"

/**
 * The databases every Db test runs against: SQLite always, MySQL/MariaDB and PostgreSQL when their
 * servers answer (URLs from `TSDEVLAKE_TEST_MYSQL_URL` / `TSDEVLAKE_TEST_PG_URL`, defaults matching
 * `.ci/setup-databases.sh`). Outside CI an absent server is skipped with a printed reason; with
 * `CI=true` it is kept, so its tests fail.
 *
 * ```ts
 * for (const database of await testDatabases()) {
 *   describe.skipIf(database.skip !== undefined)(database.name, () => { ... })
 * }
 * ```
 */

export type TestDatabaseName = "sqlite" | "mysql" | "postgres"

export interface TestDatabase {
  readonly name: TestDatabaseName
  readonly url: string
  /** Why this database's tests are skipped; `undefined` when they run. */
  readonly skip: string | undefined
}

export const mysqlUrl = process.env["TSDEVLAKE_TEST_MYSQL_URL"] ||
  "mysql://tsdevlake:tsdevlake@127.0.0.1:3306/tsdevlake_test"
export const pgUrl = process.env["TSDEVLAKE_TEST_PG_URL"] ||
  "postgres://tsdevlake:tsdevlake@127.0.0.1:5432/tsdevlake_test"

export const isCi = process.env["CI"] === "true"

const hostPort = (url: string, defaultPort: number): { readonly host: string; readonly port: number } => {
  const parsed = new URL(url)
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? defaultPort : Number(parsed.port)
  }
}

const tcpReachable = (host: string, port: number, timeoutMillis = 1500): Promise<string | undefined> =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (problem: string | undefined) => {
      socket.destroy()
      resolve(problem)
    }
    socket.setTimeout(timeoutMillis, () => done("timed out"))
    socket.once("connect", () => done(undefined))
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message))
  })

const probe = async (label: string, url: string, defaultPort: number): Promise<string | undefined> => {
  const { host, port } = hostPort(url, defaultPort)
  const problem = await tcpReachable(host, port)
  if (problem === undefined) return undefined
  const reason = `${label} not reachable at ${host}:${port} (${problem})`
  if (isCi) {
    console.error(`${reason} — CI=true, so its tests will fail (${Db.redactDbUrl(url)})`)
    return undefined
  }
  console.warn(`${reason} — skipping`)
  return reason
}

let cached: Promise<ReadonlyArray<TestDatabase>> | undefined

/** Probes each server once per test file (module instance) and returns the list. */
export const testDatabases = (): Promise<ReadonlyArray<TestDatabase>> => {
  cached ??= (async () => {
    const [mysqlSkip, pgSkip] = await Promise.all([probe("MySQL", mysqlUrl, 3306), probe("PostgreSQL", pgUrl, 5432)])
    return [
      { name: "sqlite", url: "sqlite::memory:", skip: undefined },
      { name: "mysql", url: mysqlUrl, skip: mysqlSkip },
      { name: "postgres", url: pgUrl, skip: pgSkip }
    ]
  })()
  return cached
}

/**
 * A table name no other test (file, process, run) uses, so test files can share one database.
 * Lower case and at most 40 characters, leaving room for gorm-style index names.
 */
export const uniqueTableName = (prefix: string): string =>
  `t_${prefix.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 16)}_${Date.now().toString(36)}${
    randomBytes(4).toString("hex")
  }`

/** Creates a uniquely named table for the scope of a test and drops it afterwards. */
export const scopedTable = (
  prefix: string,
  columns: ReadonlyArray<Db.ColumnSpec>
): Effect.Effect<Db.TableSpec, Db.DbError, Db.Database | Scope.Scope> =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const spec: Db.TableSpec = { name: uniqueTableName(prefix), columns }
    yield* Effect.acquireRelease(
      db.createTableIfNotExists(spec),
      () => Effect.orDie(db.dropTableIfExists(spec.name))
    )
    return spec
  })

/** Runs a stream of row pages and returns all rows. */
export const collectRows = <E>(
  stream: Stream.Stream<Chunk.Chunk<Db.Row>, E>
): Effect.Effect<ReadonlyArray<Db.Row>, E> =>
  Effect.map(Stream.runCollect(stream), (pages) => Chunk.toReadonlyArray(Chunk.flatten(pages)))

/** A database of its own for one test file; `drop` removes it (and every table in it). */
export interface IsolatedDatabase {
  readonly name: TestDatabaseName
  readonly url: string
  readonly drop: () => Promise<void>
}

/**
 * A fresh, empty database on the same server as `database`, for tests whose table names are fixed
 * (a plugin's `_raw_*`/`_tool_*` tables, `_pydevlake_subtask_runs`, domain tables) and would
 * otherwise collide with other test files running at the same time. SQLite: a file in a temporary
 * directory. MySQL/PostgreSQL: `<test database>_<label>_<random>`, which `.ci/setup-databases.sh`
 * lets the test user create (MySQL: grant on `tsdevlake_test\_%`; PostgreSQL: CREATEDB).
 *
 * ```ts
 * const isolated = await isolatedDatabase(database, "fakeplugin")
 * afterAll(() => isolated.drop())
 * ```
 */
export const isolatedDatabase = async (database: TestDatabase, label: string): Promise<IsolatedDatabase> => {
  if (database.name === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `tsdevlake-${label.replace(/[^A-Za-z0-9_-]/g, "")}-`))
    return {
      name: "sqlite",
      url: `sqlite://${join(dir, "lake.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true })
    }
  }
  const parsed = new URL(database.url)
  const base = decodeURIComponent(parsed.pathname.replace(/^\//, ""))
  const suffix = `${label.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 16)}_${randomBytes(4).toString("hex")}`
  const name = `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`
  const onServer = (statement: (db: Db.Database) => string, params: ReadonlyArray<unknown> = []) =>
    Effect.runPromise(
      Effect.flatMap(Db.Database, (db) => db.execute(statement(db), params)).pipe(
        Effect.provide(Db.layer(database.url))
      )
    )
  await onServer((db) => `CREATE DATABASE ${db.dialect.quote(name)}`)
  parsed.pathname = `/${encodeURIComponent(name)}`
  return {
    name: database.name,
    url: parsed.toString(),
    drop: async () => {
      if (database.name === "postgres") {
        // The test's own connections may still be open. `WITH (FORCE)` would also try to end the server's
        // autovacuum worker when one is on the database, which only a superuser may: the drop then failed now and
        // then. So this role's sessions are ended here, and the plain DROP stops autovacuum itself (and waits a few
        // seconds for the ended sessions to go).
        await onServer(
          () =>
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
            "WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()",
          [name]
        )
      }
      await onServer((db) => `DROP DATABASE IF EXISTS ${db.dialect.quote(name)}`)
    }
  }
}
