/**
 * A secrets scan over everything a run with known secrets produced (issue 13, "What to build" 6: "a secrets
 * scan over everything a full run with known secrets produced").
 *
 * The secrets: a connection token (the bench connection has no token field of its own, so it is a field the
 * plugin receives and must not echo), and the password of the database URL where there is one (the MySQL and
 * PostgreSQL test URLs). test-connection, collect, extract and convert run, then a collect that fails on a 401
 * and a test-connection against it. Scanned: stdout, stderr and fd 3 of every run, and every column of every row
 * the runs wrote (raw `data`/`url`/`input`/`params`, tool, domain, `_pydevlake_subtask_runs`; on SQLite every
 * table of the file).
 */
import { Effect } from "effect"
import { Db, type Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type BenchDatabase,
  invoke,
  type Mock,
  openDatabase,
  startMock,
  subtask,
  taskContext,
  testDatabases
} from "../utils.js"
import { describeRun, endpointOf, migrated, VERBS } from "./harness.js"

const N = 2_000
const CONNECTION_ID = 344
const TOKEN = `tok${Math.random().toString(36).slice(2)}S3CR3T`

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const totals = { bytes: 0, rows: 0, runs: 0 }
afterAll(() => {
  console.log(`secrets: ${totals.runs} runs and ${totals.rows} rows scanned, ${totals.bytes} bytes, no secret found`)
})

/**
 * The strings that must appear nowhere: the token, and for a database URL with a password the password as it
 * stands in the URL (`:<password>@`), and the bare password when it is not also the user or database name.
 */
const secretsOf = (dbUrl: string) => {
  const secrets = [TOKEN]
  if (!dbUrl.startsWith("sqlite:")) {
    const url = new URL(dbUrl)
    const password = decodeURIComponent(url.password)
    if (password !== "") {
      secrets.push(`:${url.password}@`, `:${password}@`)
      const others = [decodeURIComponent(url.username), url.pathname, url.hostname].join(" ")
      if (!others.includes(password)) secrets.push(password)
    }
  }
  return [...new Set(secrets)]
}

const text = (value: unknown): string =>
  value instanceof Uint8Array
    ? Buffer.from(value).toString("utf8")
    : typeof value === "object" && value !== null && !(value instanceof Date)
    ? JSON.stringify(value)
    : String(value)

/** Every row the runs wrote: the scope's rows of the tables the plugin writes, or the whole SQLite file. */
const writtenRows = (bench: BenchDatabase) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    const where: Record<string, string> = {
      _raw_bench_users: `params = '${bench.params}'`,
      _tool_benchplugin_benchusers: `connection_id = ${bench.connectionId}`,
      accounts: `id LIKE 'benchplugin:BenchUser:${bench.connectionId}:%'`,
      _pydevlake_subtask_runs: `params = '${bench.params}'`
    }
    let tables = Object.keys(where)
    if (db.dialect.name === "sqlite") {
      const rows = yield* db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
      tables = rows.map((row) => String(row["name"]))
    }
    const result: Array<{ readonly table: string; readonly rows: ReadonlyArray<Db.Row> }> = []
    for (const table of tables) {
      if (!(yield* db.tableExists(table))) continue
      const condition = db.dialect.name === "sqlite" ? "" : ` WHERE ${where[table]}`
      result.push({ table, rows: yield* db.execute(`SELECT * FROM ${db.dialect.quote(table)}${condition}`) })
    }
    return result
  }))

/** Scans every cell of `writtenRows` for the secrets; answers the rows scanned and the cells naming the dataset. */
const scanRows = async (bench: BenchDatabase, secrets: ReadonlyArray<string>) => {
  let rows = 0
  let urls = 0
  for (const { rows: tableRows, table } of await writtenRows(bench)) {
    for (const row of tableRows) {
      rows++
      for (const [column, value] of Object.entries(row)) {
        const cell = text(value)
        if (cell.includes(`/datasets/${N}/users`)) urls++
        totals.bytes += Buffer.byteLength(cell)
        for (const secret of secrets) expect(cell.includes(secret), `${secret} in ${table}.${column}`).toBe(false)
      }
    }
  }
  totals.rows += rows
  return { rows, urls }
}

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`secrets on ${database.name}`, () => {
    let bench: BenchDatabase
    beforeAll(async () => {
      bench = await openDatabase(database, CONNECTION_ID)
      await migrated(bench)
    })
    afterAll(() => bench?.dispose())

    it("no secret in any output of a full pipeline and a failing one, nor in any row they wrote", async () => {
      const secrets = secretsOf(bench.url)
      const runs: Array<{ readonly what: string; readonly result: Invoker.Result }> = []
      const healthy = taskContext(bench, endpointOf(mock, N), {}, { token: TOKEN })
      const refused = taskContext(bench, endpointOf(mock, N, `401@1000,~${database.name}`), {}, { token: TOKEN })
      const testConnection = (context: typeof healthy) => invoke("test-connection", [context.connection])

      runs.push({ what: "test-connection", result: await testConnection(healthy) })
      for (const verb of VERBS) runs.push({ what: verb, result: await subtask(verb, healthy) })
      for (const { result, what } of runs) expect(result.exitCode, `${what}: ${describeRun(result)}`).toBe(0)
      expect((await bench.counts()).accounts).toBe(N)
      // Scanned now, with the pipeline's rows complete, and again after the failing runs (whatever they left).
      const scanned = await scanRows(bench, secrets)
      // Raw, tool and accounts rows of the scope at least; a control that the scan reads the real cells.
      expect(scanned.rows).toBeGreaterThan(3 * N)
      expect(scanned.urls).toBeGreaterThan(0)

      const failing = await subtask("collect", refused)
      expect(failing.exitCode, describeRun(failing)).toBe(1)
      expect(failing.stderr.join("\n")).toMatch(/HTTP 401/)
      runs.push({ what: "collect against a 401", result: failing })
      // The 401 at the first page: test-connection replies so, still without a secret.
      const refusedAtOnce = taskContext(bench, endpointOf(mock, N, `401@0,~${database.name}`), {}, { token: TOKEN })
      const testFailing = await testConnection(refusedAtOnce)
      expect(JSON.parse(testFailing.lines.join("")), describeRun(testFailing)).toMatchObject({
        success: false,
        status: 401
      })
      runs.push({ what: "test-connection against a 401", result: testFailing })

      await scanRows(bench, secrets)
      for (const { result, what } of runs) {
        totals.runs++
        for (const [stream, lines] of [["stdout", result.stdout], ["stderr", result.stderr], ["fd 3", result.lines]]) {
          const all = (lines as ReadonlyArray<string>).join("\n")
          totals.bytes += Buffer.byteLength(all)
          for (const secret of secrets) expect(all.includes(secret), `${secret} in ${what}'s ${stream}`).toBe(false)
        }
      }
    }, 120_000)
  })
}
