// Issue 13 (staged full runs): the stamp a staged run writes, and which tables its completion has to sweep. A
// scope with no rows at the start has nothing to sweep (a first run skips a pass over the rows it wrote), but rows
// whose updated_at is NULL are rows all the same: MAX ignores them, the run must not.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Db from "../../src/Db.js"
import { runStamp, sweepOlder } from "../../src/internal/subtask/staging.js"
import { isolatedDatabase, testDatabases } from "../utils/databases.js"

const table = "_tool_staging_rows"
const scope = { table, where: { _raw_data_params: "scope-a" } }

const setUp = Effect.gen(function*() {
  const db = yield* Db.Database
  const q = db.dialect.quote
  yield* db.execute(
    `CREATE TABLE ${q(table)} (${q("id")} INTEGER PRIMARY KEY, ${q("_raw_data_params")} VARCHAR(255), ${
      q("updated_at")
    } ${db.dialect.name === "postgres" ? "TIMESTAMPTZ" : db.dialect.name === "mysql" ? "DATETIME(3)" : "DATETIME"})`
  )
  return db
})

const insert = (db: Db.Database, id: number, params: string, updatedAt: Date | null) =>
  db.execute(
    `INSERT INTO ${db.dialect.quote(table)} VALUES (${db.dialect.placeholder(1)}, ${db.dialect.placeholder(2)}, ${
      db.dialect.placeholder(3)
    })`,
    [id, params, updatedAt === null ? null : Either.getOrThrow(db.dialect.encodeValue("datetime", updatedAt))]
  )

const idsOf = (db: Db.Database) =>
  Effect.map(
    db.execute(`SELECT ${db.dialect.quote("id")} AS ${db.dialect.quote("id")} FROM ${db.dialect.quote(table)}`),
    (rows) => rows.map((r) => Number(r["id"])).sort((a, b) => a - b)
  )

const cases = Effect.gen(function*() {
  const db = yield* setUp
  const before = Date.now()

  // Another scope's rows do not count: this scope has nothing stale.
  yield* insert(db, 1, "scope-b", new Date("2099-01-01T00:00:00Z"))
  const empty = yield* runStamp([scope])
  assert.strictEqual(empty.stale.size, 0)
  assert.isAtLeast(empty.stamp.getTime(), Math.floor(before / 1000) * 1000)
  assert.strictEqual(empty.stamp.getMilliseconds(), 0, "whole seconds")

  // A row without updated_at is stale, and swept.
  yield* insert(db, 2, "scope-a", null)
  const nulls = yield* runStamp([scope])
  assert.deepStrictEqual([...nulls.stale], [table])

  // The stamp is above the scope's newest row, even one from the future, so that every old row is older.
  const future = new Date("2098-05-06T07:08:09.500Z")
  yield* insert(db, 3, "scope-a", future)
  const staged = yield* runStamp([scope])
  assert.isAbove(staged.stamp.getTime(), future.getTime())
  yield* insert(db, 4, "scope-a", staged.stamp)
  yield* sweepOlder(scope, staged.stamp)
  assert.deepStrictEqual(yield* idsOf(db), [1, 4], "the scope's older rows and its NULL row swept, scope-b kept")
})

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`staged runs' stamp on ${database.name}`, () => {
    it.live(
      "is above the scope's rows and says which tables had any (NULL updated_at included)",
      () =>
        Effect.acquireUseRelease(
          Effect.promise(() => isolatedDatabase(database, "staging")),
          (isolated) => Effect.provide(cases, Db.layer(isolated.url)),
          (isolated) => Effect.promise(() => isolated.drop())
        ),
      60_000
    )
  })
}
