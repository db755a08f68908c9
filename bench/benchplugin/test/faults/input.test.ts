/**
 * Hostile input through run.sh (issue 13, point 5): each bad argument gets one line naming what was wrong,
 * exit 2 (README: 2 for a wrong command line or argument), no stack trace and no secret; an API body nested too
 * deep fails the collect naming the request. SQLite only: every case fails before or apart from the database.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import type { Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { taskContext } from "../../../taskContext.mjs"
import { describeRun, invoke, migrate } from "../utils.js"

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

/** The one error line of a failed run: exactly one non-empty stderr line, no stack frame. */
const assertOneErrorLine = (result: Invoker.Result) => {
  expect(result.exitCode, describeRun(result)).not.toBe(0)
  expect(result.signal, describeRun(result)).toBeNull()
  const lines = [...result.stdout, ...result.stderr]
  expect(lines.some((line) => /^\s+at /.test(line)), `stack trace:\n${lines.join("\n")}`).toBe(false)
  const errors = result.stderr.filter((line) => line.trim() !== "")
  expect(errors, describeRun(result)).toHaveLength(1)
  return errors[0]!
}

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
