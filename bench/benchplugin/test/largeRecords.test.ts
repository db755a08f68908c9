/**
 * Records of a megabyte each, through run.sh as DevLake runs it (heap limit included): extract and convert read
 * and write them in batches their heap can hold. With pages of a fixed 500 rows, extract ran out of memory
 * (300 records of 1 MB: 300 MB of JSON text and as much again parsed).
 */
import { Effect } from "effect"
import { Db } from "tsdevlake/runtime"
import { Subtask } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type BenchDatabase, describeRun, migrate, openDatabase, subtask, taskContext, testDatabases } from "./utils.js"

const N = 300
const SIZE = 1_000_000
const CONNECTION_ID = 13

const sqlite = (await testDatabases()).find((database) => database.name === "sqlite")!

describe("records of a megabyte each, on SQLite", () => {
  let bench: BenchDatabase
  beforeAll(async () => {
    bench = await openDatabase(sqlite, CONNECTION_ID)
  })
  afterAll(() => bench?.dispose())

  it(`extracts and converts ${N} of them within run.sh's heap`, async () => {
    const migrated = await migrate(bench.url)
    expect(migrated.exitCode, describeRun(migrated)).toBe(0)
    // The raw rows as a collect would have written them; the megabyte is a field the tool model keeps (title).
    const title = "t".repeat(SIZE)
    await bench.run(Effect.gen(function*() {
      const db = yield* Db.Database
      yield* db.createTableIfNotExists(Subtask.rawTableSpec("_raw_bench_users"))
      for (let start = 0; start < N; start += 20) {
        yield* db.insertBatch(
          "_raw_bench_users",
          [{ name: "params", type: "string" }, { name: "data", type: "bytes" }, { name: "url", type: "string" }],
          Array.from({ length: 20 }, (_, k) => {
            const id = start + k + 1
            const user = {
              id,
              login: `user${id}`,
              name: `User ${id}`,
              email: `user${id}@example.com`,
              avatarUrl: "https://avatars.example.com/u.png",
              joinedAt: "2020-01-01T00:00:00Z",
              active: true,
              profile: { title, department: "Platform", location: { city: "Paris", country: "FR" }, tags: [] }
            }
            return { params: bench.params, data: new TextEncoder().encode(JSON.stringify(user)), url: "" }
          })
        )
      }
    }))
    const context = taskContext(bench, "http://127.0.0.1:1/datasets/1")
    for (const verb of ["extract", "convert"] as const) {
      const result = await subtask(verb, context)
      expect(result.exitCode, `${verb}: ${describeRun(result)}`).toBe(0)
    }
    expect(await bench.counts()).toEqual({ raw: N, tool: N, accounts: N })
    expect(
      await bench.count(
        `SELECT MIN(LENGTH(title)) FROM _tool_benchplugin_benchusers WHERE connection_id = ${CONNECTION_ID}`
      )
    )
      .toBe(SIZE)
  }, 120_000)
})
