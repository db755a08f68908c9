/**
 * The fault suite's timeouts and liveness (issue 13, "What to build" point 4), through run.sh: a paginator that
 * loops (finding 6), a database server that never answers (finding 7) or stops answering mid-run (finding 8), a
 * silent or failing API (finding 9) and an endpoint no request can use (finding 12). Each ends in one line, or for
 * test-connection in a `{"success": false}` reply, instead of hanging, looping or exiting with `unexpected error`.
 * Connection ids 310–319.
 */
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type BenchDatabase,
  describeRun,
  invoke,
  migrate,
  type Mock,
  openDatabase,
  rawJson,
  startMock,
  subtask,
  taskContext,
  testDatabases
} from "../utils.js"
import { freezableProxy, silentServer } from "./tcp.js"

let mock: Mock
beforeAll(async () => {
  mock = await startMock({ delayMs: 5 })
})
afterAll(() => mock?.stop())

/** The mock API's endpoint of `n` users with the faults of `spec` (bench/mock-api.mjs). */
const faulty = (n: number, spec: string) => `${mock.endpoint(n)}/faults/${encodeURIComponent(spec)}`

/** The one non-empty stderr line of a failed run, which must hold no stack frame. */
const oneErrorLine = (result: Awaited<ReturnType<typeof invoke>>) => {
  const errors = result.stderr.filter((line) => line.trim() !== "")
  expect(errors, describeRun(result)).toHaveLength(1)
  expect([...result.stdout, ...result.stderr].some((line) => /^\s+at /.test(line)), describeRun(result)).toBe(false)
  return errors[0]!
}

/** The user ids of the scope's raw rows. */
const rawIds = (bench: BenchDatabase) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    const rows = yield* db.execute(`SELECT data FROM _raw_bench_users WHERE params = '${bench.params}'`)
    return rows.map((row) => rawJson(row["data"]).id as number)
  }))

const testConnection = (endpoint: string) =>
  invoke("test-connection", [{ id: 310, name: "bench", endpoint, maxRequests: 5, proxy: "" }])

/** The users API of the mock, except that page 50 (users 5,001 to 5,100) names page 49 as its next: a cycle. */
const cyclingApi = async () => {
  const server = http.createServer((req, res) => {
    const page = Number(new URL(req.url ?? "/", "http://x").searchParams.get("pageToken") ?? "0")
    const results = Array.from({ length: 100 }, (_, i) => ({ id: page * 100 + i + 1, login: `user${page}` }))
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify({ results, nextPage: String(page < 50 ? page + 1 : 49) }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

describe("finding 9: a silent or failing API", () => {
  it("test-connection to an API that never answers replies success: false within about 15 s", async () => {
    const result = await testConnection(faulty(100, "stall@0"))
    expect(result.exitCode, describeRun(result)).toBe(0)
    const reply = JSON.parse(result.lines.join(""))
    expect(reply).toMatchObject({ success: false })
    expect(reply.message).toMatch(/timed out.*after 1 attempt/)
    // Before: 5 attempts of 30 s. The bound is far above the 10 s timeout, for slow machines.
    expect(result.seconds).toBeLessThan(30)
  }, 60_000)

  it("a collect logs each retry at info level, with the request, the reason and the delay", async () => {
    const database = (await testDatabases()).find((d) => d.name === "sqlite")!
    const bench = await openDatabase(database, 311)
    try {
      expect((await migrate(bench.url)).exitCode).toBe(0)
      const result = await subtask("collect", taskContext(bench, faulty(300, "503@100x2,~retries")))
      expect(result.exitCode, describeRun(result)).toBe(0)
      const retries = result.stdout.filter((line) => line.includes("retrying in"))
      expect(retries, describeRun(result)).toHaveLength(2)
      expect(retries[0]).toMatch(
        /GET http:\/\/127\.0\.0\.1:\d+\/.*\/users\?.*pageToken=.* failed with HTTP 503; retrying in [\d.]+ s \(attempt 2 of 5\)/
      )
      expect(retries[1]).toMatch(/failed with HTTP 503; retrying in [\d.]+ s \(attempt 3 of 5\)/)
      expect((await bench.counts()).raw).toBe(300)
    } finally {
      await bench.dispose()
    }
  })
})

describe("finding 12: an endpoint no request can use", () => {
  it("test-connection replies success: false and exits 0, instead of exit 1 with unexpected error", async () => {
    for (const endpoint of ["javascript:alert(1)", "ftp://127.0.0.1/x", "not a url"]) {
      const result = await testConnection(endpoint)
      expect(result.exitCode, `${endpoint}: ${describeRun(result)}`).toBe(0)
      expect(result.stderr.filter((line) => line.trim() !== ""), endpoint).toEqual([])
      const reply = JSON.parse(result.lines.join(""))
      expect(reply, endpoint).toMatchObject({ success: false, status: 500 })
      expect(reply.message, endpoint).toContain("base URL")
    }
  }, 60_000)
})

describe("finding 7: a database server that accepts and never answers", () => {
  it("fails the connect at the default 10 s, in one line naming the host and not the password", async () => {
    const silent = await silentServer()
    try {
      const urls = [
        `postgres://lake:s3cretpw@127.0.0.1:${silent.port}/lake`,
        `mysql://lake:s3cretpw@127.0.0.1:${silent.port}/lake`
      ]
      const results = await Promise.all(urls.map((url) => migrate(url)))
      for (const [i, result] of results.entries()) {
        expect(result.exitCode, `${urls[i]}: ${describeRun(result)}`).toBe(1)
        const line = oneErrorLine(result)
        expect(line).toContain(`at 127.0.0.1:${silent.port} as lake`)
        expect(line).not.toContain("s3cretpw")
        // Before: PostgreSQL gave no output for 300 s. The bound is far above 10 s, for slow machines.
        expect(result.seconds, urls[i]).toBeLessThan(45)
      }
      expect(silent.accepted()).toBeGreaterThanOrEqual(2)
    } finally {
      await silent.close()
    }
  }, 60_000)
})

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`on ${database.name}`, () => {
    let bench: BenchDatabase
    beforeAll(async () => {
      bench = await openDatabase(database, database.name === "sqlite" ? 312 : database.name === "mysql" ? 313 : 314)
      expect((await migrate(bench.url)).exitCode).toBe(0)
    })
    afterAll(() => bench?.dispose())

    it("finding 6: a server whose page tokens cycle fails the collect, naming the repeated token", async () => {
      const api = await cyclingApi()
      try {
        // maxRequests bounds the loop before the fix (it wrote 100 users per request up to the bound, exit 0).
        const context = taskContext(bench, api.endpoint, {}, { maxRequests: 300 })
        const result = await subtask("collect", context)
        expect(result.exitCode, describeRun(result)).toBe(1)
        const line = oneErrorLine(result)
        expect(line).toContain(`paginator "token" asked again for a page it already requested`)
        expect(line).toContain("pageToken=49)")
        // Whatever the run kept (nothing, or a resumable prefix), no user is there twice.
        const ids = await rawIds(bench)
        expect(ids.length).toBeLessThanOrEqual(5100)
        expect(new Set(ids).size).toBe(ids.length)
      } finally {
        await api.close()
      }
    }, 60_000)

    // The timeout's parameter is each driver's own in DevLake's URL: libpq's and pgx's `statement_timeout`, Go's
    // MySQL driver's `readTimeout` (which would send `statement_timeout` to the server as a session variable).
    const timeoutParameter = { postgres: "statement_timeout", mysql: "readTimeout" }[database.name as string]
    const server = database.name === "postgres" ? "PostgreSQL" : "MySQL"
    if (timeoutParameter !== undefined) {
      it(
        `finding 8: a server that stops answering mid-run fails the collect at the URL's ${timeoutParameter}`,
        async () => {
          // A scope of its own: finding 6's failed run left a position of its cycling API to resume from.
          const own = await openDatabase(database, 315)
          const target = new URL(own.url)
          const proxy = await freezableProxy(
            target.hostname,
            Number(target.port || (database.name === "postgres" ? 5432 : 3306))
          )
          try {
            const url = new URL(own.url)
            url.host = `127.0.0.1:${proxy.port}`
            url.searchParams.set(timeoutParameter, "3s")
            // Frozen at the first progress line: the run is connected and writing, with most of its pages to come.
            const result = await subtask(
              "collect",
              taskContext({ ...own, url: url.toString() }, mock.endpoint(20000)),
              {
                onLine: () => proxy.freeze()
              }
            )
            expect(result.exitCode, describeRun(result)).toBe(1)
            expect(oneErrorLine(result)).toContain(
              `${server} at 127.0.0.1:${proxy.port} did not answer within 3s (${timeoutParameter})`
            )
            expect(proxy.frozen()).toBe(true)
          } finally {
            await proxy.close()
            await own.dispose()
          }
        },
        60_000
      )
    }
  })
}
