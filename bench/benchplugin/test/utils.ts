import { Effect, ManagedRuntime } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Db from "tsdevlake/Db"
import { Invoker } from "tsdevlake"
import { type TestDatabase, testDatabases } from "../../../packages/tsdevlake/test/utils/databases.js"

export const pluginDir = path.resolve(import.meta.dirname, "..")
export const runSh = path.join(pluginDir, "run.sh")
export const repoRoot = path.resolve(pluginDir, "../..")
const mockScript = path.join(repoRoot, "bench", "mock-api.mjs")

export const SCOPE_ID = "bench-users"
export const PARAMS = `{"ConnectionId":1,"ScopeId":"${SCOPE_ID}"}`

/** The plugin's own tables (dropped for a fresh start on a shared server). */
export const OWN_TABLES = [
  "_raw_bench_users",
  "_tool_benchplugin_benchconnections",
  "_tool_benchplugin_benchscopes",
  "_tool_benchplugin_benchscopeconfigs",
  "_tool_benchplugin_benchusers"
]

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

/** The task context DevLake sends with a subtask; connection and scope as Go serialises them. */
export const taskContext = (
  dbUrl: string,
  endpoint: string,
  options: Record<string, unknown> = {},
  connection: Record<string, unknown> = {}
) => ({
  db_url: dbUrl,
  scope: {
    id: SCOPE_ID,
    connectionId: 1,
    name: "bench users",
    scopeConfigId: 0,
    createdAt: "2026-11-27T09:00:00Z",
    updatedAt: "2026-11-27T09:00:00Z",
    _raw_data_params: "",
    _raw_data_table: "",
    _raw_data_id: 0,
    _raw_data_remark: ""
  },
  connection: {
    id: 1,
    name: "bench",
    endpoint,
    maxRequests: 20000,
    proxy: "",
    createdAt: "2026-11-27T09:00:00Z",
    updatedAt: "2026-11-27T09:00:00Z",
    ...connection
  },
  scope_config: null,
  options
})

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
 * One test database with a fresh set of the plugin's tables: a new SQLite file, or on a shared server
 * the plugin's own tables dropped and its rows deleted from the shared ones (`accounts`, the state table).
 */
export interface BenchDatabase {
  readonly name: TestDatabase["name"]
  readonly url: string
  readonly run: <A, E>(effect: Effect.Effect<A, E, Db.Dialect>) => Promise<A>
  readonly count: (sql: string) => Promise<number>
  readonly dispose: () => Promise<void>
}

export const openDatabase = async (database: TestDatabase): Promise<BenchDatabase> => {
  let url = database.url
  let file: string | undefined
  if (database.name === "sqlite") {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "benchplugin-")), "bench.db")
    url = `sqlite://${file}`
  }
  const runtime = ManagedRuntime.make(Db.layer(url))
  const run = <A, E>(effect: Effect.Effect<A, E, Db.Dialect>) => runtime.runPromise(effect)
  const count = (sql: string) =>
    run(Effect.flatMap(Db.Dialect, (db) => db.execute(sql))).then((rows) => Number(Object.values(rows[0]!)[0]))
  if (database.name !== "sqlite") {
    await run(Effect.gen(function*() {
      const db = yield* Db.Dialect
      for (const table of OWN_TABLES) yield* db.dropTableIfExists(table)
      if (yield* db.tableExists("accounts")) yield* db.execute(`DELETE FROM accounts WHERE id LIKE 'benchplugin:%'`)
      if (yield* db.tableExists("_pydevlake_subtask_runs")) {
        yield* db.deleteWhere("_pydevlake_subtask_runs", { params: PARAMS })
      }
    }))
  }
  return {
    name: database.name,
    url,
    run,
    count,
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
    Buffer.isBuffer(value) ? value.toString("utf8") : value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : String(value)
  )

export const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))
