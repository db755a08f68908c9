/**
 * State bound to its data, and progress bound to the commit (issue 13, findings 2, 5 and 13), through run.sh on
 * every database:
 * - after DevLake deletes a scope's data (protocol 4.3: `WHERE params = ?` on the raw tables, the tool and domain
 *   rows of the scope), an incremental run must not resume from the dead state;
 * - a state row that cannot be read is reported, and the run neither loses nor duplicates rows;
 * - a progress message on fd 3 never counts records that are not committed yet.
 */
import { Effect } from "effect"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type BenchDatabase, type Mock, openDatabase, startMock, testDatabases } from "../utils.js"
import { assertExactlyOnce, describeRun, killOnProgress, migrated, pipeline, run } from "./harness.js"

const N = 5_000
const CONNECTION_ID = 351

let mock: Mock
beforeAll(async () => {
  // 50 pages, 10 ms each: the collect lasts long enough for progress messages to arrive while it runs.
  mock = await startMock({ delayMs: 10 })
})
afterAll(() => mock?.stop())

/** What DevLake's scope deletion does (protocol 4.3), for the bench plugin's tables. */
const deleteScopeData = (bench: BenchDatabase) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    yield* db.deleteWhere("_raw_bench_users", { params: bench.params })
    yield* db.deleteWhere("_tool_benchplugin_benchusers", { _raw_data_params: bench.params })
    yield* db.deleteWhere("accounts", { _raw_data_params: bench.params })
  }))

/** A newest state row for the scope's collect holding `text`, as a broken or foreign writer would leave it. */
const saveBrokenState = (bench: BenchDatabase, text: string) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    yield* db.insertBatch("_pydevlake_subtask_runs", [
      { name: "subtask_name", type: "string" },
      { name: "connection_id", type: "integer" },
      { name: "params", type: "string" },
      { name: "started", type: "datetime" },
      { name: "completed", type: "datetime" },
      { name: "state", type: "string" }
    ], [{
      subtask_name: "Collect Users",
      connection_id: bench.connectionId,
      params: bench.params,
      started: new Date(),
      completed: new Date(),
      state: text
    }])
  }))

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`state and progress on ${database.name}`, () => {
    let bench: BenchDatabase
    beforeAll(async () => {
      bench = await openDatabase(database, CONNECTION_ID)
      await migrated(bench)
    }, 60_000)
    afterAll(() => bench?.dispose())

    it(
      "finding 2: after DevLake deleted the scope's data, an incremental run starts afresh in all three subtasks",
      async () => {
        await pipeline(bench, mock.endpoint(N))
        await deleteScopeData(bench)
        const results = await pipeline(bench, mock.endpoint(N), { incremental: true })
        for (const [i, name] of ["Collect Users", "Extract Users", "Convert Users"].entries()) {
          expect(results[i]!.stdout.join("\n"), describeRun(results[i]!)).toMatch(
            new RegExp(`${name}: .*(gone|deleted).*afresh`)
          )
        }
        await assertExactlyOnce(bench, N, "after the incremental rerun")
      },
      120_000
    )

    it(
      "finding 5: a state row holding {} or garbage is reported, and the incremental collect keeps every user once",
      async () => {
        await pipeline(bench, mock.endpoint(N))
        for (const broken of ["{}", "garbage"]) {
          await saveBrokenState(bench, broken)
          const again = await run(bench, "collect", mock.endpoint(N), { incremental: true })
          expect(again.exitCode, describeRun(again)).toBe(0)
          expect(again.stdout.join("\n"), broken).toMatch(
            /Collect Users: .*(not a collect checkpoint|not JSON).*afresh/
          )
          expect((await bench.counts()).raw, broken).toBe(N)
        }
        await pipeline(bench, mock.endpoint(N), { incremental: true }, ["extract", "convert"])
        await assertExactlyOnce(bench, N, "after states of {} and garbage")
      },
      120_000
    )

    it("finding 13: a progress message never counts records that are not committed", async () => {
      await deleteScopeData(bench)
      // At the second progress message (past 500 rows): batches are then being written in the background.
      const { killedAt, result } = await killOnProgress(bench, "collect", mock.endpoint(N), {
        signal: "SIGKILL",
        at: 501
      })
      expect(result.signal, describeRun(result)).toBe("SIGKILL")
      expect(killedAt).toBeGreaterThan(500)
      expect((await bench.counts()).raw).toBeGreaterThanOrEqual(killedAt!)
    }, 60_000)
  })
}
