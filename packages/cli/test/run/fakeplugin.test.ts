/**
 * `tsdevlake run plugins/fakeplugin` with the e2e connection and scope writes what the e2e scenario writes:
 * 250 raw, 250 tool and 250 cicd_pipelines rows, on the default SQLite file and on MySQL and PostgreSQL through
 * `--db-url`. Needs the built plugin (`npm run build`).
 */
import { describe, expect, it } from "@effect/vitest"
import { isolatedDatabase, testDatabases } from "@tsdevlake/testing"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Db } from "tsdevlake/runtime"
import { fakeConnection, fakeScope, repoRoot, tsdevlake } from "./utils.js"

const PARAMS = "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"

const counts = (url: string) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const db = yield* Db.Database
      return {
        raw: yield* db.countWhere("_raw_fake_fakepipelinestream", { params: PARAMS }),
        tool: yield* db.countWhere("_tool_fakeplugin_fakepipelines", { _raw_data_params: PARAMS }),
        domain: yield* db.countWhere("cicd_pipelines", { _raw_data_params: PARAMS })
      }
    }).pipe(Effect.provide(Db.layer(url)))
  )

const runArgs = ["run", "plugins/fakeplugin", "--connection", JSON.stringify(fakeConnection), "--scope"]

describe("tsdevlake run plugins/fakeplugin", () => {
  it("writes 250 raw, 250 tool and 250 cicd_pipelines rows to the default SQLite file, and says so", async () => {
    const file = path.join(repoRoot, "plugins/fakeplugin/.tsdevlake/run.db")
    fs.rmSync(file, { force: true })
    // The scope from a file, as `@file`.
    const scopeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-run-")), "scope.json")
    fs.writeFileSync(scopeFile, JSON.stringify(fakeScope))
    const { status, stderr, stdout } = await tsdevlake([...runArgs, `@${scopeFile}`])
    expect(stderr).toBe("")
    expect(status).toBe(0)
    expect(await counts(`sqlite://${file}`)).toEqual({ raw: 250, tool: 250, domain: 250 })
    expect(stdout).toContain("[1/3] Collect Fakepipelinestream: started")
    expect(stdout).toContain("Convert Fakepipelinestream: done, 250 records in")
    expect(stdout).toMatch(/^Collect Fakepipelinestream +250 +\d/m)
    expect(stdout).toMatch(/^_raw_fake_fakepipelinestream +250$/m)
    expect(stdout).toMatch(/^cicd_pipelines +250$/m)
    expect(stdout).not.toContain("\u001b[")
  })

  it("takes --stream (the plugin's one stream here; subsets in pipeline.test.ts), --incremental and --db-url", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-run-"))
    const url = `sqlite://${path.join(dir, "lake.db")}`
    const args = [...runArgs, JSON.stringify(fakeScope), "--db-url", url, "--stream", "fakepipelinestream"]
    const { status, stderr, stdout } = await tsdevlake([...args, "--incremental"])
    expect(stderr).toBe("")
    expect(status).toBe(0)
    expect(await counts(url)).toEqual({ raw: 250, tool: 250, domain: 250 })
    expect(stdout).toContain("[3/3] Convert Fakepipelinestream: started")
  })
})

const databases = (await testDatabases()).filter((database) => database.name !== "sqlite")

for (const database of databases) {
  describe.skipIf(database.skip !== undefined)(`tsdevlake run plugins/fakeplugin --db-url ${database.name}`, () => {
    it("writes 250/250/250 rows, and never shows the password", async () => {
      const isolated = await isolatedDatabase(database, "clirun")
      try {
        const { status, stderr, stdout } = await tsdevlake([
          ...runArgs,
          JSON.stringify(fakeScope),
          "--db-url",
          isolated.url
        ])
        expect(stderr).toBe("")
        expect(status).toBe(0)
        expect(await counts(isolated.url)).toEqual({ raw: 250, tool: 250, domain: 250 })
        const password = new URL(isolated.url).password
        if (password !== "") expect(stdout).not.toContain(`:${password}@`)
      } finally {
        await isolated.drop()
      }
    })
  })
}
