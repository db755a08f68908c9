/**
 * The benchmark commands bench/README.md documents, run small: `bench/run.mjs` (its own mock API, every phase a
 * `run.sh` process, row counts checked, figures as JSON) and `bench/floor.cjs` on the SQLite file it kept.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { repoRoot } from "./utils.js"

const N = 300

interface Figures {
  readonly databases: {
    readonly sqlite: ReadonlyArray<{
      readonly n: number
      readonly counts: { readonly raw: number; readonly tool: number; readonly accounts: number }
      readonly rows: ReadonlyArray<
        { readonly phase: string; readonly n: number; readonly seconds: number; readonly peakRss: number }
      >
      readonly file?: string
    }>
  }
  readonly startup: { readonly median: number; readonly runs: ReadonlyArray<number> }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-bench-"))
const kept: Array<string> = []
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true })
  for (const file of kept) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true })
})

const node = (args: ReadonlyArray<string>) =>
  spawnSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8", timeout: 120_000 })

describe("benchmark commands", () => {
  it(`run.mjs measures every phase of N = ${N} on SQLite, and floor.cjs the floor on the file it kept`, () => {
    const json = path.join(scratch, "figures.json")
    const run = node(["bench/run.mjs", String(N), "--startup-runs", "1", "--keep", "--json", json])
    expect(run.status, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toMatch(/plugin-info: median of 1 cold starts/)
    expect(run.stdout).toMatch(new RegExp(`rows: raw ${N}, tool ${N}, accounts ${N} \\(all N: ok\\)`))
    expect(run.stdout).toMatch(/\| extract +\| +300 \| +[\d.]+ \| +[\d,]+ \|/)

    const figures = JSON.parse(fs.readFileSync(json, "utf8")) as Figures
    expect(figures.startup.runs).toHaveLength(1)
    const [sqlite] = figures.databases.sqlite
    expect(sqlite?.counts).toEqual({ raw: N, tool: N, accounts: N })
    expect(sqlite?.rows.map((row) => row.phase)).toEqual(["migrate", "collect", "extract", "convert"])
    for (const row of sqlite?.rows ?? []) {
      expect(row.seconds).toBeGreaterThan(0)
      expect(row.peakRss).toBeGreaterThan(0)
    }
    const file = sqlite?.file
    expect(file).toBeDefined()
    kept.push(file!)
    expect(fs.existsSync(file!)).toBe(true)

    const floor = node(["bench/floor.cjs", file!, "1"])
    expect(floor.status, floor.stdout + floor.stderr).toBe(0)
    const lines = floor.stdout.trim().split("\n")
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^extract +${N} rows in [\\d.]+ s: \\d+ rows/s`))
    expect(lines[1]).toMatch(new RegExp(`^convert +${N} rows in [\\d.]+ s: \\d+ rows/s`))
    // The floor works on a copy: the kept file still holds what the bench wrote.
    expect(fs.existsSync(`${file}.floor`)).toBe(false)
  }, 180_000)

  it("floor.cjs names its usage when the file is missing", () => {
    const floor = node(["bench/floor.cjs", path.join(scratch, "absent.db")])
    expect(floor.status).toBe(2)
    expect(floor.stderr.trim()).toBe("usage: node bench/floor.cjs <bench SQLite file kept with --keep> [runs]")
  })
})
