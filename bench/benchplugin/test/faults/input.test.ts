/**
 * Hostile input through run.sh (issue 13, point 5): each bad argument gets one line naming what was wrong,
 * exit 2 (README: 2 for a wrong command line or argument), no stack trace and no secret; an API body nested too
 * deep fails the collect naming the request. Those cases fail before or apart from the database: SQLite only.
 * Hostile but valid scope ids (SQL metacharacters, `<&>é`, NUL, U+2028, emoji) and a huge argument are collected
 * exactly, on every test database, with the Go-encoded params DevLake deletes a scope's rows by.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { taskContext } from "../../../taskContext.mjs"
import {
  type BenchDatabase,
  describeRun,
  invoke,
  migrate,
  type Mock,
  openDatabase,
  startMock,
  testDatabases
} from "../utils.js"
import { assertOneErrorLine } from "./harness.js"

const CONNECTION_ID = 320
const SECRET = "S3cretDbPassw0rd"
// Deeper than the framework's limit (512) and than what recursion survives: the probe's 5,000+.
const DEEP = 6000
const deepArray = "[".repeat(DEEP) + "]".repeat(DEEP)

let dir: string
let dbUrl: string
let deepApi: http.Server
let deepEndpoint: string
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "benchplugin-input-"))
  dbUrl = `sqlite://${path.join(dir, "bench.db")}`
  const migrated = await migrate(dbUrl)
  expect(migrated.exitCode, describeRun(migrated)).toBe(0)
  // An API whose one page holds a record nested DEEP levels: valid JSON, which JSON.parse reads at any depth.
  deepApi = http.createServer((_request, response) => {
    response.setHeader("content-type", "application/json")
    response.end(`{"results":[{"id":1,"name":"deep","nested":${deepArray}}],"nextPage":null}`)
  })
  await new Promise<void>((resolve) => deepApi.listen(0, "127.0.0.1", resolve))
  deepEndpoint = `http://127.0.0.1:${(deepApi.address() as AddressInfo).port}/datasets/1`
})
afterAll(async () => {
  await new Promise((resolve) => deepApi?.close(resolve))
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true })
})

/** The task context of this file's connection, on `url`, with `connection` fields overridden. */
const context = (url: string, connection: Record<string, unknown> = {}, endpoint = "http://127.0.0.1:9/none") =>
  taskContext({ dbUrl: url, endpoint, connectionId: CONNECTION_ID, connection })

/** argv exactly as given (no JSON encoding of the arguments), after the method. */
const raw = (method: string, ...args: ReadonlyArray<string>) => invoke(method, [], { config: null, rawArgs: args })

const everything = (result: { readonly stdout: ReadonlyArray<string>; readonly stderr: ReadonlyArray<string> }) =>
  [...result.stdout, ...result.stderr].join("\n")

describe("hostile input through run.sh", () => {
  it("finding 10: a db_url in Go's DSN form, without a scheme, is refused in one line without echoing it", async () => {
    const dsn = `tsdevlake:${SECRET}@tcp(127.0.0.1:3306)/lake?charset=utf8mb4`
    for (
      const [method, args] of [
        ["collect", [JSON.stringify(context(dsn)), "users"]],
        ["migrate", [JSON.stringify({ db_url: dsn })]]
      ] as const
    ) {
      const result = await raw(method, "{}", ...args)
      const line = assertOneErrorLine(result)
      expect(result.exitCode, describeRun(result)).toBe(2)
      expect(line).toBe(
        `error: ${method}: Invalid DB URL (value not shown): db_url has no scheme but is not a file path (it has a ` +
          "':' or '@'); expected mysql://…, postgres://…, sqlite://… or a SQLite file path"
      )
      expect(everything(result)).not.toContain(SECRET)
    }
  })

  it("finding 11: an argument nested 6,000 deep is refused naming the argument, exit 2", async () => {
    const valid = JSON.stringify(context(dbUrl))
    const cases = [
      { args: [deepArray, valid, "users"], argument: "config argument" },
      { args: ["{}", deepArray, "users"], argument: "task context" },
      { args: ["{}", valid, deepArray], argument: "stream argument" },
      // Deep inside an object the schema reads as unknown: no schema error would stop it first.
      {
        args: ["{}", JSON.stringify({ ...context(dbUrl), options: { x: 1 } }).replace("{\"x\":1}", deepArray), "users"],
        argument: "task context"
      }
    ]
    for (const { args, argument } of cases) {
      const result = await raw("collect", ...args)
      const line = assertOneErrorLine(result)
      expect(result.exitCode, describeRun(result)).toBe(2)
      expect(line).toBe(`error: collect: invalid ${argument}: JSON nested deeper than 512 levels`)
    }
    const connection = await raw("test-connection", "{}", deepArray)
    expect(assertOneErrorLine(connection)).toBe(
      "error: test-connection: invalid connection: JSON nested deeper than 512 levels"
    )
    expect(connection.exitCode).toBe(2)
  })

  it("finding 11: an API body nested 6,000 deep fails the collect in one line naming the request", async () => {
    const result = await invoke("collect", [context(dbUrl, {}, deepEndpoint), "users"])
    const line = assertOneErrorLine(result)
    expect(result.exitCode, describeRun(result)).toBe(1)
    expect(line).toContain(`GET ${deepEndpoint}/users?pageSize=100`)
    expect(line).toContain("JSON nested deeper than 512 levels")
    expect(line).not.toContain("call stack")
  })

  it("finding 12: an endpoint no request can use is bad input, exit 2, not an unexpected error", async () => {
    for (
      const [endpoint, why] of [
        ["not a url", "is not a valid absolute URL"],
        ["ftp://127.0.0.1/datasets/1", "is not an http(s):// URL"]
      ]
    ) {
      const result = await invoke("collect", [context(dbUrl, {}, endpoint), "users"])
      const line = assertOneErrorLine(result)
      expect(result.exitCode, describeRun(result)).toBe(2)
      expect(line).toBe(`error: collect: Api: the connection's base URL ${why}`)
    }
  })

  it("finding 12: connection.id -1 is an argument error, exit 2, not an unexpected error", async () => {
    for (const verb of ["collect", "extract", "convert"] as const) {
      const result = await invoke(verb, [context(dbUrl, { id: -1 }), "users"])
      const line = assertOneErrorLine(result)
      expect(result.exitCode, describeRun(result)).toBe(2)
      expect(line).toBe(
        `error: ${verb}: invalid task context: connection.id must be a whole number from 0 to 9007199254740991 ` +
          "(DevLake's connection id)"
      )
    }
  })
})

/** Go's `json.Marshal(ApiParams{ConnectionId, ScopeId})`: JSON.stringify, plus Go's escapes of `<>&` and U+2028/9. */
const goParams = (connectionId: number, scopeId: string) =>
  JSON.stringify({ ConnectionId: connectionId, ScopeId: scopeId }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

const HOSTILE_SCOPE_IDS = [
  "'; DROP TABLE _raw_bench_users; --",
  "<&>é \"quoted\" back\\slash",
  "line\u2028sep\u2029nul\u0000tab\t",
  "emoji 😀 𝄞"
]
const USERS = 200

let mock: Mock
for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`hostile but valid input through run.sh on ${database.name}`, () => {
    let bench: BenchDatabase
    beforeAll(async () => {
      mock ??= await startMock()
      bench = await openDatabase(database, CONNECTION_ID + 1)
      const migrated = await migrate(bench.url)
      expect(migrated.exitCode, describeRun(migrated)).toBe(0)
    })
    afterAll(() => bench?.dispose())

    /** Rows of `_raw_bench_users` whose params are exactly `params` (bound, so no quoting is involved). */
    const rawRows = (params: string, remove = false) =>
      bench.run(Effect.gen(function*() {
        const db = yield* Db.Database
        // On a new SQLite file the first collect creates the raw table.
        if (!(yield* db.tableExists("_raw_bench_users"))) return 0
        const placeholder = db.dialect.name === "postgres" ? "$1" : "?"
        if (remove) yield* db.execute(`DELETE FROM _raw_bench_users WHERE params = ${placeholder}`, [params])
        const rows = yield* db.execute(`SELECT COUNT(*) AS n FROM _raw_bench_users WHERE params = ${placeholder}`, [
          params
        ])
        return Number(rows[0]!["n"])
      }))

    it("collects a scope whose id holds SQL metacharacters, <&>é, NUL, U+2028 or emoji, under Go's params", async () => {
      for (const scopeId of HOSTILE_SCOPE_IDS) {
        const params = goParams(bench.connectionId, scopeId)
        expect(await rawRows(params, true)).toBe(0)
        const context = taskContext({
          dbUrl: bench.url,
          endpoint: mock.endpoint(USERS),
          connectionId: bench.connectionId
        })
        const result = await invoke("collect", [{ ...context, scope: { ...context.scope, id: scopeId } }, "users"])
        expect(result.exitCode, `${JSON.stringify(scopeId)}: ${describeRun(result)}`).toBe(0)
        expect(await rawRows(params), JSON.stringify(scopeId)).toBe(USERS)
        await rawRows(params, true)
      }
    })

    it("takes a 100 KB argument (under Linux's 128 KiB per argument) as any other", async () => {
      const context = taskContext({
        dbUrl: bench.url,
        endpoint: mock.endpoint(USERS),
        connectionId: bench.connectionId,
        options: { note: "x".repeat(100_000) }
      })
      const result = await invoke("collect", [context, "users"])
      expect(result.exitCode, describeRun(result)).toBe(0)
      expect((await bench.counts()).raw).toBe(USERS)
    })
  })
}
afterAll(() => mock?.stop())
