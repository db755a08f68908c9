/**
 * The bench plugin end to end through run.sh, as DevLake runs it: migrate, collect, extract, convert of
 * 1,000 users of the mock API, then the rows of every table.
 */
import { Effect, Either } from "effect"
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type BenchDatabase,
  describeRun,
  invoke,
  migrate,
  type Mock,
  openDatabase,
  runSh,
  startMock,
  subtask,
  taskContext,
  testDatabases
} from "./utils.js"

const N = 1000
const CONNECTION_ID = 11

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const decoded = (database: BenchDatabase, table: string, columns: ReadonlyArray<Db.ColumnSpec>, where: string) =>
  database.run(Effect.gen(function*() {
    const db = yield* Db.Database
    const rows = yield* db.execute(`SELECT * FROM ${table} WHERE ${where}`)
    expect(rows).toHaveLength(1)
    return yield* Either.match(db.decodeRow(columns, rows[0]!), { onLeft: Effect.fail, onRight: Effect.succeed })
  }))

describe("plugin-info", () => {
  it("names the plugin bench, in folder benchplugin, with create_table migrations for every table", async () => {
    const result = await invoke("plugin-info")
    expect(result.exitCode, describeRun(result)).toBe(0)
    const info = JSON.parse(result.lines.join(""))
    expect(info.name).toBe("bench")
    expect(info.tool_model_infos.map((m: any) => m.table_name)).toEqual(["_tool_benchplugin_benchusers"])
    expect(info.subtask_metas.map((m: any) => [m.name, m.arguments])).toEqual([
      ["Collect Users", ["users"]],
      ["Extract Users", ["users"]],
      ["Convert Users", ["users"]]
    ])
    const ops = info.migration_scripts.flatMap((s: any) => s.operations)
    expect(ops.map((op: any) => [op.type, op.model_info.table_name]).sort()).toEqual([
      ["create_table", "_tool_benchplugin_benchconnections"],
      ["create_table", "_tool_benchplugin_benchscopeconfigs"],
      ["create_table", "_tool_benchplugin_benchscopes"],
      ["create_table", "_tool_benchplugin_benchusers"]
    ])
    const user = info.tool_model_infos[0].json_schema.properties
    expect(user.title).toMatchObject({ type: "string", source: "/profile/title" })
    expect(user.country).toMatchObject({ type: "string", source: "/profile/location/country" })
    expect(user.joinedAt).toMatchObject({ type: "string", format: "date-time" })
    expect(user.id).toMatchObject({ type: "integer", primaryKey: true, autoIncrement: false })
    expect(info.connection_model_info.json_schema.properties.maxRequests).toMatchObject({
      type: "integer",
      default: 20000
    })
  })
})

describe("test-connection", () => {
  // A real plugin's test-connection calls its API: from the startup snapshot, undici is imported lazily at run
  // time through the bundle's require trampoline (scripts/build.mjs). `sh -x` shows which way node started.
  const testConnection = (endpoint: string) => {
    const connection = { id: 1, name: "bench", endpoint, maxRequests: 5, proxy: "" }
    const result = spawnSync("sh", [
      "-x",
      path.join(path.dirname(runSh), "dist/run"),
      "test-connection",
      "{}",
      JSON.stringify(connection)
    ], {
      env: { ...process.env, NODE_OPTIONS: "" },
      stdio: ["ignore", "ignore", "pipe", "pipe"],
      encoding: "utf8"
    })
    expect(result.stderr).toContain("--snapshot-blob dist/snapshot.blob")
    expect(result.status, result.stderr).toBe(0)
    return JSON.parse(String(result.output[3]))
  }

  it("reaches the API from a process started from the snapshot, and reports an API error", () => {
    expect(testConnection(mock.endpoint(10))).toMatchObject({ success: true, status: 200 })
    // A 404 is not retried, so the failure comes back at once.
    expect(testConnection(mock.endpoint(10).replace(/datasets\/10$/, "missing"))).toMatchObject({
      success: false,
      status: 404
    })
  })
})

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`end to end on ${database.name}`, () => {
    let db: BenchDatabase
    beforeAll(async () => {
      db = await openDatabase(database, CONNECTION_ID)
    })
    afterAll(() => db?.dispose())

    it(`migrates, collects, extracts and converts ${N} users`, async () => {
      const migrated = await migrate(db.url)
      expect(migrated.exitCode, describeRun(migrated)).toBe(0)
      const context = taskContext(db, mock.endpoint(N))
      for (const verb of ["collect", "extract", "convert"] as const) {
        const result = await subtask(verb, context)
        expect(result.exitCode, `${verb}: ${describeRun(result)}`).toBe(0)
        expect(result.stderr).toEqual([])
      }
      expect(await db.counts()).toEqual({ raw: N, tool: N, accounts: N })
      const mine = `FROM _tool_benchplugin_benchusers WHERE connection_id = ${CONNECTION_ID}`
      expect(await db.count(`SELECT COUNT(DISTINCT id) ${mine}`)).toBe(N)
      expect(await db.count(`SELECT MIN(id) ${mine}`)).toBe(1)
      expect(await db.count(`SELECT MAX(id) ${mine}`)).toBe(N)

      // User 7 of the mock: inactive (7 % 7 = 0), title 7 % 5, department 7 % 7, city 7 % 6.
      const user = await decoded(db, "_tool_benchplugin_benchusers", [
        { name: "id", type: "integer" },
        { name: "connection_id", type: "integer" },
        { name: "joined_at", type: "datetime" },
        { name: "active", type: "boolean" }
      ], `id = 7 AND connection_id = ${CONNECTION_ID}`)
      expect(user).toMatchObject({
        id: 7,
        connection_id: CONNECTION_ID,
        login: "user7",
        name: "User Number 7",
        email: "user7@example.com",
        avatar_url: "https://avatars.example.com/u/7.png",
        active: false,
        title: "Staff Engineer",
        department: "Platform",
        city: "Paris",
        country: "FR",
        _raw_data_table: "_raw_bench_users",
        _raw_data_params: db.params
      })
      expect((user["joined_at"] as Date).toISOString()).toBe("2020-01-01T00:07:00.000Z")

      const inactive = await decoded(db, "accounts", [
        { name: "created_date", type: "datetime" },
        { name: "status", type: "integer" }
      ], `id = 'benchplugin:BenchUser:${CONNECTION_ID}:7'`)
      expect(inactive).toMatchObject({
        email: "user7@example.com",
        full_name: "User Number 7",
        user_name: "user7",
        avatar_url: "https://avatars.example.com/u/7.png",
        organization: "Platform",
        status: 0
      })
      expect((inactive["created_date"] as Date).toISOString()).toBe("2020-01-01T00:07:00.000Z")

      const active = await decoded(db, "accounts", [
        { name: "created_date", type: "datetime" },
        { name: "status", type: "integer" }
      ], `id = 'benchplugin:BenchUser:${CONNECTION_ID}:1000'`)
      expect(active).toMatchObject({ user_name: "user1000", organization: "Infra", status: 1 })
      expect((active["created_date"] as Date).toISOString()).toBe(
        new Date(Date.UTC(2020, 0, 1) + 1000 * 60000).toISOString()
      )
      expect(
        await db.count(
          `SELECT COUNT(*) FROM accounts WHERE id LIKE 'benchplugin:BenchUser:${CONNECTION_ID}:%' AND status = 0`
        )
      )
        .toBe(Math.floor(N / 7))
    })

    it("sends no more than maxRequests requests", async () => {
      const context = taskContext(db, mock.endpoint(N), {}, { maxRequests: 3 })
      const result = await subtask("collect", context)
      expect(result.exitCode, describeRun(result)).toBe(0)
      expect((await db.counts()).raw).toBe(300)
    })
  })
}
