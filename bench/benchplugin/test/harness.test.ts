/**
 * The benchmark command bench/README.md documents, run small: `bench/run.mjs --floor` (its own mock API, every
 * phase a `run.sh` process and then its framework-free floor process, row counts checked, figures and ratios as
 * JSON) on SQLite, and on MySQL and PostgreSQL in a database of its own (run.mjs drops the plugin's tables, which
 * the other test files of this plugin use at the same time).
 */
import { isolatedDatabase, testDatabases } from "@tsdevlake/testing"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { repoRoot } from "./utils.js"

const N = 300
const PHASES = ["collect", "extract", "convert"]

interface Measured {
  readonly n: number
  readonly seconds: number
  readonly peakRss: number
  readonly cpuSeconds: number
}

interface Row extends Measured {
  readonly phase: string
  readonly floor?: Measured
  readonly ratio?: number
  readonly cpuRatio?: number
  readonly floorVerdict?: string
}

interface Figures {
  readonly databases: Record<
    string,
    ReadonlyArray<{
      readonly n: number
      readonly counts: { readonly raw: number; readonly tool: number; readonly accounts: number }
      readonly rows: ReadonlyArray<Row>
      readonly file?: string
    }>
  >
  readonly startup: { readonly median: number; readonly runs: ReadonlyArray<number> }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-bench-"))
const kept: Array<string> = []
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true })
  for (const file of kept) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true })
})

/** `run.mjs --floor` at N on one database; its figures, after checking what every run must show. */
const runWithFloors = (db: string, env: Record<string, string>, extra: ReadonlyArray<string> = []) => {
  const json = path.join(scratch, `${db}.json`)
  const run = spawnSync(
    process.execPath,
    ["bench/run.mjs", String(N), "--db", db, "--startup-runs", "1", "--floor", "--json", json, ...extra],
    { cwd: repoRoot, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } }
  )
  const output = run.stdout + run.stderr
  expect(run.status, output).toBe(0)
  expect(output).toMatch(new RegExp(`rows: raw ${N}, tool ${N}, accounts ${N} \\(all N: ok\\)`))
  // Each phase's line ends with the floor's figures and the ratio to it.
  for (const phase of PHASES) {
    expect(output).toMatch(
      new RegExp(
        `\\| ${phase} +\\| +${N} \\|.*\\| +[\\d.]+ \\| +[\\d,]+ \\| +[\\d.]+ \\| +[\\d.]+ \\| [\\d.]+ (ok|MISS) +\\|`
      )
    )
  }
  const figures = JSON.parse(fs.readFileSync(json, "utf8")) as Figures
  const [entry] = figures.databases[db] ?? []
  expect(entry?.counts).toEqual({ raw: N, tool: N, accounts: N })
  const rows = entry?.rows ?? []
  expect(rows.map((row) => row.phase)).toEqual(["migrate", ...PHASES])
  for (const row of rows.filter((r) => r.phase !== "migrate")) {
    expect(row.seconds).toBeGreaterThan(0)
    expect(row.peakRss).toBeGreaterThan(0)
    // The floor process counted its own rows: N of them, or run.mjs would have failed.
    expect(row.floor?.n).toBe(N)
    expect(row.floor?.seconds).toBeGreaterThan(0)
    expect(row.floor?.peakRss).toBeGreaterThan(0)
    expect(row.ratio).toBeCloseTo(row.seconds / row.floor!.seconds, 10)
    expect(row.floorVerdict).toBe(row.ratio! <= 1.3 ? "ok" : "MISS")
    expect(row.cpuRatio).toBeCloseTo(row.cpuSeconds / row.floor!.cpuSeconds, 10)
  }
  return { figures, entry }
}

describe("benchmark command", () => {
  it(`run.mjs --floor measures every phase of N = ${N} on SQLite and its floor, and leaves no floor table`, () => {
    const { entry, figures } = runWithFloors("sqlite", {}, ["--keep"])
    expect(figures.startup.runs).toHaveLength(1)
    const file = entry?.file
    expect(file).toBeDefined()
    kept.push(file!)
    const tables = spawnSync(
      process.execPath,
      [
        "-e",
        "const D = require('better-sqlite3'); const db = new D(process.argv[1], { readonly: true }); " +
        "console.log(db.prepare(\"SELECT name FROM sqlite_master WHERE type = 'table'\").pluck().all().join(' '))",
        file!
      ],
      { cwd: repoRoot, encoding: "utf8" }
    )
    expect(tables.stdout).toMatch(/_raw_bench_users/)
    expect(tables.stdout).not.toMatch(/_floor/)
  }, 60_000)
})

for (const database of (await testDatabases()).filter((d) => d.name !== "sqlite")) {
  describe.skipIf(database.skip !== undefined)(`benchmark command on ${database.name}`, () => {
    it(`run.mjs --floor measures every phase of N = ${N} and its floor`, async () => {
      const isolated = await isolatedDatabase(database, "benchfloor")
      try {
        const variable = database.name === "mysql" ? "TSDEVLAKE_TEST_MYSQL_URL" : "TSDEVLAKE_TEST_PG_URL"
        runWithFloors(database.name, { [variable]: isolated.url })
      } finally {
        await isolated.drop()
      }
    }, 60_000)
  })
}
