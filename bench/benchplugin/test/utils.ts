import { type TestDatabase, testDatabases } from "@tsdevlake/testing"
import { Effect, ManagedRuntime } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Db } from "tsdevlake/runtime"
import { Invoker } from "tsdevlake/runtime"
import { SCOPE_ID, taskContext as sharedTaskContext } from "../../taskContext.mjs"
import { migrations } from "../src/migrations.js"

export const pluginDir = path.resolve(import.meta.dirname, "..")
export const runSh = path.join(pluginDir, "run.sh")
export const repoRoot = path.resolve(pluginDir, "../..")
const mockScript = path.join(repoRoot, "bench", "mock-api.mjs")

export { SCOPE_ID }
const TOOL_TABLE = "_tool_benchplugin_benchusers"

/**
 * Each test file uses its own connection id: every row the plugin writes (raw params, tool
 * `connection_id`, account ids, state params) carries it, so test files sharing a MySQL or PostgreSQL
 * database (they run in parallel) never see each other's rows.
 */
export const params = (connectionId: number) => `{"ConnectionId":${connectionId},"ScopeId":"${SCOPE_ID}"}`

export interface Mock {
  readonly port: number
  readonly endpoint: (n: number) => string
  readonly stop: () => Promise<void>
}

/** Starts `bench/mock-api.mjs` in its own process, as the benchmark does; `delayMs` slows every page. */
export const startMock = (options: { readonly delayMs?: number } = {}): Promise<Mock> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mockScript, "0", "--delay-ms", String(options.delayMs ?? 0)], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let buffered = ""
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    child.once("error", reject)
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = /^listening (\d+)\n/.exec(buffered)
      if (match) {
        const port = Number(match[1])
        resolve({
          port,
          endpoint: (n) => `http://127.0.0.1:${port}/datasets/${n}`,
          stop: () => {
            child.kill("SIGTERM")
            return exited
          }
        })
      }
    })
    void exited.then(() => reject(new Error(`mock API exited before listening: ${buffered}`)))
  })

/** The task context DevLake sends with a subtask (bench/taskContext.mjs), for this test database's connection. */
export const taskContext = (
  db: BenchDatabase,
  endpoint: string,
  options: Record<string, unknown> = {},
  connection: Record<string, unknown> = {}
) => sharedTaskContext({ dbUrl: db.url, endpoint, connectionId: db.connectionId, options, connection })

export const invoke = (method: string, args: ReadonlyArray<unknown> = [], options: Partial<Invoker.RunOptions> = {}) =>
  Effect.runPromise(Invoker.run({ runSh, method, args, ...options }))

/** A failure message with the plugin's own output, so a broken run says why. */
export const describeRun = (result: Invoker.Result) =>
  `exit ${result.exitCode ?? result.signal}\n${[...result.stdout, ...result.stderr].slice(-20).join("\n")}`

export const migrate = (dbUrl: string) => invoke("migrate", [{ db_url: dbUrl }])

export const subtask = (
  verb: "collect" | "extract" | "convert",
  context: ReturnType<typeof taskContext>,
  options: Partial<Invoker.RunOptions> = {}
) => invoke(verb, [context, "users"], options)

/**
 * One test database without rows of `connectionId`: a new SQLite file, or on a shared server the
 * existing tables with that connection's rows deleted.
 */
export interface BenchDatabase {
  readonly name: TestDatabase["name"]
  readonly url: string
  readonly connectionId: number
  readonly params: string
  readonly run: <A, E>(effect: Effect.Effect<A, E, Db.Database>) => Promise<A>
  readonly count: (sql: string) => Promise<number>
  /** Rows of this connection: raw, tool and accounts (0 for a table that does not exist yet). */
  readonly counts: () => Promise<{ readonly raw: number; readonly tool: number; readonly accounts: number }>
  readonly dispose: () => Promise<void>
}

export const openDatabase = async (database: TestDatabase, connectionId: number): Promise<BenchDatabase> => {
  let url = database.url
  let file: string | undefined
  if (database.name === "sqlite") {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "benchplugin-")), "bench.db")
    url = `sqlite://${file}`
  }
  const runtime = ManagedRuntime.make(Db.layer(url))
  const run = <A, E>(effect: Effect.Effect<A, E, Db.Database>) => runtime.runPromise(effect)
  const count = (sql: string) =>
    run(Effect.flatMap(Db.Database, (db) => db.execute(sql))).then((rows) => Number(Object.values(rows[0]!)[0]))
  const scopeParams = params(connectionId)
  const accountIds = `benchplugin:BenchUser:${connectionId}:%`
  // Checked before each query: @effect/sql-sqlite-node caches a statement that failed to prepare ("no
  // such table") for 10 minutes, so querying a table before another process creates it would keep failing.
  // Literals of this file only (no quote inside), so inlining them is safe on every dialect.
  const where = {
    _raw_bench_users: `params = '${scopeParams}'`,
    _tool_benchplugin_benchusers: `connection_id = ${connectionId}`,
    accounts: `id LIKE '${accountIds}'`,
    _pydevlake_subtask_runs: `params = '${scopeParams}'`
  } as const
  const countOf = (table: keyof typeof where) =>
    run(Effect.gen(function*() {
      const db = yield* Db.Database
      if (!(yield* db.tableExists(table))) return 0
      const rows = yield* db.execute(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where[table]}`)
      return Number(rows[0]!["n"])
    }))
  if (database.name !== "sqlite") {
    await run(Effect.gen(function*() {
      const db = yield* Db.Database
      for (const [table, condition] of Object.entries(where)) {
        if (yield* db.tableExists(table)) yield* db.execute(`DELETE FROM ${table} WHERE ${condition}`)
      }
      // Tables dropped by hand (or by the benchmark) while the history still lists the plugin's scripts would
      // make `migrate` skip them: forget the scripts so that it creates the tables again.
      if ((yield* db.tableExists("_devlake_migration_history")) && !(yield* db.tableExists(TOOL_TABLE))) {
        for (const script of migrations) {
          yield* db.deleteWhere("_devlake_migration_history", {
            script_version: script.version,
            script_name: script.name
          })
        }
      }
    }))
  }
  return {
    name: database.name,
    url,
    connectionId,
    params: scopeParams,
    run,
    count,
    counts: async () => ({
      raw: await countOf("_raw_bench_users"),
      tool: await countOf("_tool_benchplugin_benchusers"),
      accounts: await countOf("accounts")
    }),
    dispose: async () => {
      await runtime.dispose()
      if (file !== undefined) fs.rmSync(path.dirname(file), { recursive: true, force: true })
    }
  }
}

export { testDatabases }

/** The `data` column of a raw row (bytes) as the JSON it holds. */
export const rawJson = (value: unknown): any =>
  JSON.parse(
    Buffer.isBuffer(value)
      ? value.toString("utf8")
      : value instanceof Uint8Array
      ? Buffer.from(value).toString("utf8")
      : String(value)
  )

export const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))
