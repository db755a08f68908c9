/**
 * THE RESUME TEST: a collect killed with SIGKILL half-way (no chance to clean up) and run again with
 * `incremental: true` continues exactly after the last batch it committed: every user once, the rows
 * written before the kill kept.
 */
import { Effect } from "effect"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type BenchDatabase,
  describeRun,
  migrate,
  type Mock,
  openDatabase,
  rawJson,
  sleep,
  startMock,
  subtask,
  taskContext,
  testDatabases
} from "./utils.js"

const N = 20_000
// 200 pages of 100: at 15 ms a page the collect takes over 3 s, long enough to be caught half-way.
const DELAY_MS = 15
const CONNECTION_ID = 12

let mock: Mock
beforeAll(async () => {
  mock = await startMock({ delayMs: DELAY_MS })
})
afterAll(() => mock?.stop())

const rawCount = (bench: BenchDatabase) => bench.counts().then((counts) => counts.raw)

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`resume on ${database.name}`, () => {
    let bench: BenchDatabase
    beforeAll(async () => {
      bench = await openDatabase(database, CONNECTION_ID)
    })
    afterAll(() => bench?.dispose())

    it("resumes a SIGKILLed collect exactly after its last committed batch", async () => {
      const migrated = await migrate(bench.url)
      expect(migrated.exitCode, describeRun(migrated)).toBe(0)
      const context = taskContext(bench, mock.endpoint(N))

      let killedAt = -1
      let running = true
      const first = await subtask("collect", context, {
        onSpawn: (_pid, kill) => {
          // Poll the raw table from this process while the plugin writes it from its own.
          void (async () => {
            while (running) {
              await sleep(20)
              const n = await rawCount(bench)
              if (n >= N / 2) {
                kill("SIGKILL")
                killedAt = n
                return
              }
            }
          })()
        }
      })
      running = false
      expect(first.signal, describeRun(first)).toBe("SIGKILL")
      expect(killedAt).toBeGreaterThanOrEqual(N / 2)
      const before = await rawCount(bench)
      expect(before).toBeGreaterThanOrEqual(killedAt)
      expect(before).toBeLessThan(N)
      const mine = `FROM _raw_bench_users WHERE params = '${bench.params}'`
      const maxIdBefore = await bench.count(`SELECT MAX(id) ${mine}`)

      const second = await subtask("collect", taskContext(bench, mock.endpoint(N), { incremental: true }))
      expect(second.exitCode, describeRun(second)).toBe(0)

      const ids = await bench.run(Effect.gen(function*() {
        const db = yield* Db.Database
        const rows = yield* db.execute(`SELECT data ${mine}`)
        return rows.map((row) => rawJson(row["data"]).id as number)
      }))
      expect(ids).toHaveLength(N)
      expect(new Set(ids).size).toBe(N)
      expect(Math.min(...ids)).toBe(1)
      expect(Math.max(...ids)).toBe(N)
      // The rows committed before the kill were kept, not collected again.
      expect(await bench.count(`SELECT COUNT(*) ${mine} AND id <= ${maxIdBefore}`)).toBe(before)
    }, 120_000)
  })
}
