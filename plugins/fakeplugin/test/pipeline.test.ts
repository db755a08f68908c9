/**
 * The fake plugin's whole pipeline through run.sh, as the Go server runs it, on SQLite, MySQL and
 * PostgreSQL: 250 raw, 250 tool and 250 cicd_pipelines rows with DevLake's params, then the scope's data
 * deleted the way DevLake deletes it (devlake-protocol.md section 4.3) leaves nothing behind.
 */
import { isolatedDatabase, testDatabases } from "@tsdevlake/testing"
import { Effect } from "effect"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { goConnection, goScope, goScopeConfig, invoke } from "./utils.js"

const PARAMS = "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"
const RAW = "_raw_fake_fakepipelinestream"
const TOOL = "_tool_fakeplugin_fakepipelines"

const query = (url: string, statement: string, params: ReadonlyArray<unknown> = []) =>
  Effect.runPromise(
    Effect.flatMap(Db.Database, (db) => db.execute(statement, params)).pipe(Effect.provide(Db.layer(url)))
  )

const databases = await testDatabases()

for (const database of databases) {
  // The fake plugin's tables have fixed names: each database gets a fresh database of its own.
  let url = ""
  const placeholder = database.name === "postgres" ? (i: number) => `$${i}` : () => "?"
  const count = async (table: string, where = "", params: ReadonlyArray<unknown> = []) => {
    const rows = await query(url, `SELECT COUNT(*) AS n FROM ${table}${where === "" ? "" : ` WHERE ${where}`}`, params)
    return Number(rows[0]!["n"])
  }
  const context = (options: Record<string, unknown> = {}, scopeConfig: unknown = goScopeConfig()) => ({
    db_url: url,
    scope: goScope(),
    connection: goConnection(),
    scope_config: scopeConfig,
    options
  })
  const subtask = async (verb: string, options: Record<string, unknown> = {}, scopeConfig?: unknown) => {
    const result = await invoke(verb, [context(options, scopeConfig), "fakepipelinestream"])
    expect(result.stderr, result.stderr.join("\n")).toEqual([])
    expect(result.exitCode).toBe(0)
    return result
  }

  describe.skipIf(database.skip !== undefined)(`fake pipeline on ${database.name}`, () => {
    let drop = async () => {}
    afterAll(() => drop())
    beforeAll(async () => {
      const isolated = await isolatedDatabase(database, "fakeplugin")
      url = isolated.url
      drop = isolated.drop
      const migrate = await invoke("migrate", [{ db_url: url }])
      expect(migrate.stderr, migrate.stderr.join("\n")).toEqual([])
      expect(migrate.exitCode).toBe(0)
    }, 120_000)

    it("migrate is idempotent", async () => {
      const again = await invoke("migrate", [{ db_url: url }])
      expect(again.exitCode).toBe(0)
      expect(again.stdout.join("\n")).toContain("0 script(s) applied, 2 already applied")
    })

    it("collect, extract and convert write 250 rows each with DevLake's params", async () => {
      const collect = await subtask("collect")
      const progress = collect.lines.map((l) => JSON.parse(l))
      expect(progress.at(-1)).toMatchObject({ current: 250 })
      for (const message of progress) expect(Object.keys(message).sort()).toEqual(["current", "increment", "total"])
      await subtask("extract")
      await subtask("convert")
      expect(await count(RAW)).toBe(250)
      expect(await count(TOOL)).toBe(250)
      expect(await count("cicd_pipelines")).toBe(250)
      const params = await query(url, `SELECT DISTINCT params FROM ${RAW}`)
      expect(params.map((r) => r["params"])).toEqual([PARAMS])
      for (const table of [TOOL, "cicd_pipelines"]) {
        const origin = await query(url, `SELECT DISTINCT _raw_data_params, _raw_data_table FROM ${table}`)
        expect(origin).toEqual([{ _raw_data_params: PARAMS, _raw_data_table: RAW }])
      }
      const pipeline = await query(
        url,
        `SELECT id, name, status, result, type, duration_sec, environment, cicd_scope_id FROM cicd_pipelines WHERE id = ${
          placeholder(1)
        }`,
        ["fakeplugin:FakePipeline:1:3"]
      )
      expect(pipeline).toHaveLength(1)
      expect({ ...pipeline[0], duration_sec: Number(pipeline[0]!["duration_sec"]) }).toEqual({
        id: "fakeplugin:FakePipeline:1:3",
        name: "3",
        status: "DONE",
        result: "SUCCESS",
        type: "BUILD",
        duration_sec: 180,
        environment: "PRODUCTION",
        cicd_scope_id: "fakeplugin:FakeProject:1:p1"
      })
      const pending = await query(url, `SELECT status, result FROM cicd_pipelines WHERE id = ${placeholder(1)}`, [
        "fakeplugin:FakePipeline:1:2"
      ])
      expect(pending).toEqual([{ status: "IN_PROGRESS", result: "" }])
    })

    it("convert added its ordering index to the tool table", async () => {
      // createIndexIfNotExists answers false when an index of that name is already there.
      const created = await Effect.runPromise(
        Effect.flatMap(
          Db.Database,
          (db) => db.createIndexIfNotExists(TOOL, `idx_${TOOL}_tsdevlake_order`, ["_raw_data_params"])
        ).pipe(
          Effect.provide(Db.layer(url))
        )
      )
      expect(created).toBe(false)
    })

    it("a second full run replaces the scope's rows instead of duplicating them", async () => {
      await subtask("collect")
      await subtask("extract")
      await subtask("convert")
      expect(await count(RAW)).toBe(250)
      expect(await count(TOOL)).toBe(250)
      expect(await count("cicd_pipelines")).toBe(250)
    })

    it("converts with the scope config's defaults when DevLake sends a null scope config", async () => {
      await subtask("convert", {}, null)
      const env = await query(url, "SELECT DISTINCT environment FROM cicd_pipelines")
      expect(env).toEqual([{ environment: "" }])
    })

    it("an incremental extract and convert process only what is new", async () => {
      const extract = await subtask("extract", { incremental: true })
      expect(extract.stdout.join("\n")).toContain(": 0 raw records extracted")
      const convert = await subtask("convert", { incremental: true })
      expect(convert.stdout.join("\n")).toContain(": 0 tool rows converted")
      expect(await count("cicd_pipelines")).toBe(250)
    })

    it("deleting the scope's data as DevLake does leaves none behind", async () => {
      // scope_generic_helper.go deleteScopeData: raw tables by prefix `_raw_<name>`, tool tables and every
      // domain table with raw-origin columns by `_raw_data_params`.
      await query(url, `DELETE FROM ${RAW} WHERE params = ${placeholder(1)}`, [PARAMS])
      await query(url, `DELETE FROM ${TOOL} WHERE _raw_data_params = ${placeholder(1)}`, [PARAMS])
      await query(
        url,
        `DELETE FROM cicd_pipelines WHERE _raw_data_table LIKE ${placeholder(1)} AND _raw_data_params = ${
          placeholder(2)
        }`,
        ["_raw_fake%", PARAMS]
      )
      expect(await count(RAW)).toBe(0)
      expect(await count(TOOL)).toBe(0)
      expect(await count("cicd_pipelines")).toBe(0)
    })

    it("names an unknown stream and a broken database URL in one line, without the password", async () => {
      const unknown = await invoke("collect", [context(), "nope"])
      expect(unknown.exitCode).not.toBe(0)
      expect(unknown.stderr).toHaveLength(1)
      expect(unknown.stderr[0]).toMatch(/unknown stream "nope"/)
      const broken = await invoke("collect", [
        { ...context(), db_url: "mysql://admin:hunter2-secret@127.0.0.1:1/lake" },
        "fakepipelinestream"
      ])
      expect(broken.exitCode).not.toBe(0)
      expect(broken.stderr).toHaveLength(1)
      expect(broken.stderr[0]).toMatch(/127\.0\.0\.1/)
      expect([...broken.stdout, ...broken.stderr].join("\n")).not.toContain("hunter2-secret")
    })
  })
}
