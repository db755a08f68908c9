/**
 * Two different scopes collected, extracted and converted at the same time, in one database (issue 13, "What to
 * build" 6: "concurrent scopes"; point 3: "Different scopes stay fully parallel"). The same scope twice is
 * locks.test.ts's (finding 4).
 *
 * The two scopes belong to two connections of the same database (the bench plugin's users have the same ids in
 * every dataset, and its tool rows are keyed by connection and id, so two scopes of one connection would share
 * rows by design). Each reads its own dataset (4,000 and 5,000 users). The collects overlap by construction: the
 * mock holds the first scope's page at record 1,000 until the second scope's collect has reported progress past
 * record 1,000, so a run that waited for the other's (a lock too wide) would never end. Extract and convert run
 * in pairs too. Each scope must end with exactly its own users once in the raw, tool and domain tables, and raw
 * rows from its own dataset only.
 */
import { Effect } from "effect"
import { Db, type Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type BenchDatabase, type Mock, openDatabase, params, startMock, testDatabases } from "../utils.js"
import { assertExactlyOnce, describeRun, endpointOf, migrated, run, VERBS } from "./harness.js"

const SCOPES = [{ connectionId: 345, n: 4_000 }, { connectionId: 346, n: 5_000 }] as const
const HOLD_AT = 1_000

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const totals = { rows: 0, runs: 0 }
afterAll(() => {
  console.log(`concurrent scopes: ${totals.runs} subtask runs in pairs, ${totals.rows} rows checked`)
})

/** The raw rows of `bench`'s scope that came from another dataset than its own. */
const foreignRaw = (bench: BenchDatabase, n: number) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    const rows = yield* db.execute(`SELECT url FROM _raw_bench_users WHERE params = '${bench.params}'`)
    return rows.filter((row) => !String(row["url"]).includes(`/datasets/${n}/`)).length
  }))

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`two scopes at once on ${database.name}`, () => {
    const benches: Array<BenchDatabase> = []
    beforeAll(async () => {
      for (const scope of SCOPES) benches.push(await openDatabase(database, scope.connectionId))
      await migrated(benches[0]!)
    })
    afterAll(() => Promise.all(benches.map((bench) => bench.dispose())))

    it("both complete, the collects overlap, and each scope holds exactly its own users once", async () => {
      // One database for both: on SQLite, the first scope's file (openDatabase made one per connection).
      const second = SCOPES[1].connectionId
      const [a, b] = [benches[0]!, { ...benches[0]!, connectionId: second, params: params(second) }]
      const [na, nb] = [SCOPES[0].n, SCOPES[1].n]
      const spec = `hold@${HOLD_AT},~${database.name}`
      let released: Promise<Response> | undefined
      const release = (line: string) => {
        const current = (JSON.parse(line) as { readonly current?: unknown }).current
        if (released === undefined && typeof current === "number" && current > HOLD_AT) {
          released = fetch(`http://127.0.0.1:${mock.port}/release?spec=${encodeURIComponent(spec)}`)
        }
      }
      const pairs: Array<readonly [Invoker.Result, Invoker.Result]> = []
      pairs.push(
        await Promise.all([
          run(a, "collect", endpointOf(mock, na, spec)),
          run(b, "collect", endpointOf(mock, nb), {}, { onLine: release })
        ])
      )
      await released
      for (const verb of ["extract", "convert"] as const) {
        pairs.push(await Promise.all([run(a, verb, endpointOf(mock, na)), run(b, verb, endpointOf(mock, nb))]))
      }
      pairs.forEach(([ra, rb], index) => {
        const verb = VERBS[index]
        totals.runs += 2
        expect(ra.exitCode, `${verb} of the first scope: ${describeRun(ra)}`).toBe(0)
        expect(rb.exitCode, `${verb} of the second scope: ${describeRun(rb)}`).toBe(0)
      })
      totals.rows += await assertExactlyOnce(a, na, "first scope")
      totals.rows += await assertExactlyOnce(b, nb, "second scope")
      expect(await foreignRaw(a, na)).toBe(0)
      expect(await foreignRaw(b, nb)).toBe(0)
    }, 120_000)
  })
}
