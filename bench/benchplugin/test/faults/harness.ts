/**
 * The fault suite's helpers (issue 13, "What to build" point 6), over `../utils.ts`: run the bench plugin's
 * subtasks through run.sh against the mock API with injected faults, kill them at a point, and check that
 * every user ends up exactly once in the raw, tool and domain tables.
 */
import { Effect } from "effect"
import { Db, type Invoker } from "tsdevlake/runtime"
import { expect } from "vitest"
import {
  type BenchDatabase,
  describeRun,
  invoke,
  migrate,
  type Mock,
  rawJson,
  sleep,
  subtask,
  taskContext
} from "../utils.js"

export type Verb = "collect" | "extract" | "convert"
export const VERBS: ReadonlyArray<Verb> = ["collect", "extract", "convert"]
export type Table = "raw" | "tool" | "accounts"
/** The table each subtask writes, which a kill polls. */
export const TABLE_OF: Readonly<Record<Verb, Table>> = { collect: "raw", extract: "tool", convert: "accounts" }

/**
 * The mock API endpoint of a dataset of `n` users, with the faults of `spec` (`bench/mock-api.mjs`:
 * `<kind>@<record>[x<count>]`, comma-separated; `~label` items keep bursts of different runs apart).
 */
export const endpointOf = (mock: Mock, n: number, spec?: string) =>
  spec === undefined ? mock.endpoint(n) : `${mock.endpoint(n)}/faults/${encodeURIComponent(spec)}`

/** Runs `migrate` and asserts it succeeded. */
export const migrated = async (bench: BenchDatabase) => {
  const result = await migrate(bench.url)
  expect(result.exitCode, describeRun(result)).toBe(0)
  return result
}

/** One subtask through run.sh with the task context DevLake sends (`options` such as `{incremental: true}`). */
export const run = (
  bench: BenchDatabase,
  verb: Verb,
  endpoint: string,
  options: Record<string, unknown> = {},
  runOptions: Partial<Invoker.RunOptions> = {}
) => subtask(verb, taskContext(bench, endpoint, options), runOptions)

/** Runs `verbs` in order (collect, extract, convert by default), asserting each exits 0. */
export const pipeline = async (
  bench: BenchDatabase,
  endpoint: string,
  options: Record<string, unknown> = {},
  verbs: ReadonlyArray<Verb> = VERBS
) => {
  const results: Array<Invoker.Result> = []
  for (const verb of verbs) {
    const result = await run(bench, verb, endpoint, options)
    expect(result.exitCode, `${verb}: ${describeRun(result)}`).toBe(0)
    results.push(result)
  }
  return results
}

export { describeRun, invoke }

/** Rows of the scope in the raw, tool and domain (`accounts`) tables. */
export const counts = (bench: BenchDatabase) => bench.counts()

/**
 * The user ids of the scope in each table: raw from the JSON of `data`, tool from `id`, accounts from the
 * last part of the domain id (`benchplugin:BenchUser:<connection>:<id>`).
 */
export const idsOf = (bench: BenchDatabase) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    const select = (table: string, sql: string) =>
      Effect.flatMap(db.tableExists(table), (exists) => exists ? db.execute(sql) : Effect.succeed([]))
    const raw = yield* select("_raw_bench_users", `SELECT data FROM _raw_bench_users WHERE params = '${bench.params}'`)
    const tool = yield* select(
      "_tool_benchplugin_benchusers",
      `SELECT id FROM _tool_benchplugin_benchusers WHERE connection_id = ${bench.connectionId}`
    )
    const accounts = yield* select(
      "accounts",
      `SELECT id FROM accounts WHERE id LIKE 'benchplugin:BenchUser:${bench.connectionId}:%'`
    )
    return {
      raw: raw.map((row) => rawJson(row["data"]).id as unknown),
      tool: tool.map((row) => Number(row["id"])),
      accounts: accounts.map((row) => Number(String(row["id"]).split(":").pop()))
    }
  }))

export const TABLES: ReadonlyArray<Table> = ["raw", "tool", "accounts"]

/**
 * Asserts that each of `tables` (raw, tool and domain by default) holds every user 1..n exactly once for this
 * scope (count = distinct ids = n), and answers the number of rows checked.
 */
export const assertExactlyOnce = async (
  bench: BenchDatabase,
  n: number,
  what = "",
  tables: ReadonlyArray<Table> = TABLES
) => {
  const ids = await idsOf(bench)
  let checked = 0
  for (const table of tables) {
    const list = ids[table]
    const label = `${what} ${table} on ${bench.name}`
    expect(list.length, `${label}: rows`).toBe(n)
    expect(new Set(list).size, `${label}: distinct ids`).toBe(n)
    expect(list.every((id) => typeof id === "number" && Number.isInteger(id) && id >= 1 && id <= n), label).toBe(
      true
    )
    checked += list.length
  }
  return checked
}

/** The one error line a failed run prints: exactly one non-empty stderr line, no stack frame. */
export const assertOneErrorLine = (result: Invoker.Result) => {
  expect(result.exitCode, describeRun(result)).not.toBe(0)
  expect(result.signal, describeRun(result)).toBeNull()
  const lines = [...result.stdout, ...result.stderr]
  expect(lines.some((line) => /^\s+at /.test(line)), `stack trace:\n${lines.join("\n")}`).toBe(false)
  const errors = result.stderr.filter((line) => line.trim() !== "")
  expect(errors, describeRun(result)).toHaveLength(1)
  return errors[0]!
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same kill points. */
export const seeded = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Killed {
  readonly result: Invoker.Result
  /** The table's count seen when the signal was sent, or undefined if the subtask ended first. */
  readonly killedAt: number | undefined
}

/**
 * Runs `verb` and sends `signal` once the scope's rows in the table it writes reach `threshold` (polled from
 * this process while the plugin writes from its own, as resume.test.ts does). A subtask that ends before
 * answers `killedAt: undefined`.
 */
export const killAt = async (
  bench: BenchDatabase,
  verb: Verb,
  endpoint: string,
  kill: { readonly signal: NodeJS.Signals; readonly threshold: number; readonly options?: Record<string, unknown> }
): Promise<Killed> => {
  let killedAt: number | undefined
  let running = true
  const table = TABLE_OF[verb]
  const result = await run(bench, verb, endpoint, kill.options ?? {}, {
    onSpawn: (_pid, send) => {
      void (async () => {
        while (running) {
          const n = (await bench.counts())[table]
          if (n >= kill.threshold && running) {
            killedAt = n
            send(kill.signal)
            return
          }
          await sleep(10)
        }
      })()
    }
  })
  running = false
  return { result, killedAt }
}

/**
 * Runs `verb` and sends `signal` at the first fd 3 progress reply whose `current` is at least `at` (0: the first
 * reply). Progress is reported after each commit, so this kills at a point of the subtask whatever tables a
 * full run stages its rows in. A subtask that ends before answers `killedAt: undefined`.
 */
export const killOnProgress = async (
  bench: BenchDatabase,
  verb: Verb,
  endpoint: string,
  kill: { readonly signal: NodeJS.Signals; readonly at: number; readonly options?: Record<string, unknown> }
): Promise<Killed> => {
  let killedAt: number | undefined
  let send: ((signal: NodeJS.Signals) => void) | undefined
  const result = await run(bench, verb, endpoint, kill.options ?? {}, {
    onSpawn: (_pid, kill) => {
      send = kill
    },
    onLine: (line) => {
      if (killedAt !== undefined) return
      const current = (JSON.parse(line) as { readonly current?: unknown }).current
      if (typeof current === "number" && current >= kill.at) {
        killedAt = current
        send?.(kill.signal)
      }
    }
  })
  return { result, killedAt }
}

/** Wall time of `f` in seconds. */
export const timed = async <A>(f: () => Promise<A>): Promise<readonly [A, number]> => {
  const start = performance.now()
  const value = await f()
  return [value, (performance.now() - start) / 1000]
}
