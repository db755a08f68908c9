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

const rawCount = (db: BenchDatabase) => db.counts().then((counts) => counts.raw)

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`resume on ${database.name}`, () => {
    let db: BenchDatabase
    beforeAll(async () => {
      db = await openDatabase(database, CONNECTION_ID)
    })
    afterAll(() => db?.dispose())

    it("resumes a SIGKILLed collect exactly after its last committed batch", async () => {
      const migrated = await migrate(db.url)
      expect(migrated.exitCode, describeRun(migrated)).toBe(0)
      const context = taskContext(db, mock.endpoint(N))

      let killedAt = -1
      let running = true
      const first = await subtask("collect", context, {
        onSpawn: (_pid, kill) => {
          // Poll the raw table from this process while the plugin writes it from its own.
          void (async () => {
            while (running) {
              await sleep(20)
              const n = await rawCount(db)
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
      const before = await rawCount(db)
      expect(before).toBeGreaterThanOrEqual(killedAt)
      expect(before).toBeLessThan(N)
      const mine = `FROM _raw_bench_users WHERE params = '${db.params}'`
      const maxIdBefore = await db.count(`SELECT MAX(id) ${mine}`)

      const second = await subtask("collect", taskContext(db, mock.endpoint(N), { incremental: true }))
      expect(second.exitCode, describeRun(second)).toBe(0)

      const ids = await db.run(Effect.gen(function*() {
        const dialect = yield* Db.Database
        const rows = yield* dialect.execute(`SELECT data ${mine}`)
        return rows.map((row) => rawJson(row["data"]).id as number)
      }))
      expect(ids).toHaveLength(N)
      expect(new Set(ids).size).toBe(N)
      expect(Math.min(...ids)).toBe(1)
      expect(Math.max(...ids)).toBe(N)
      // The rows committed before the kill were kept, not collected again.
      expect(await db.count(`SELECT COUNT(*) ${mine} AND id <= ${maxIdBefore}`)).toBe(before)
    }, 120_000)
  })
}
