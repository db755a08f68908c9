import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as Db from "../../src/Db.js"
import { pageStatement, readPlan } from "../../src/internal/db/read.js"
import { collectRows, scopedTable, testDatabases } from "../utils/databases.js"

// Convert reads a scope's tool rows in (raw id, key) order through the framework's ordering index, naming it
// (`index`). On MySQL/MariaDB the page statement forces it: with the scope's equality on the index's first column,
// MariaDB looked pages up by that column alone (`ref`) and filtered out every row before the cursor, which at
// 1,000,000 rows made convert quadratic. Everywhere, the rows come back complete and in order.

const columns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "params", type: "string", maxLength: 255 },
  { name: "raw_id", type: "integer" },
  { name: "id", type: "integer", primaryKey: true }
]
const scopeRows = 3000
const rows: ReadonlyArray<Db.Row> = Array.from({ length: scopeRows + 1000 }, (_, i) => ({
  params: i < scopeRows ? "scope" : "other",
  // Raw ids out of key order, two rows for each, so the order is (raw_id, id) and not the key's.
  raw_id: Math.floor(((i * 7919) % scopeRows) / 2),
  id: i + 1
}))

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`reading through an index on ${database.name}`, () => {
    layer(Db.layer(database.url), { excludeTestServices: true })((it) => {
      it.scoped("reads every row of the scope, in order, page by page through the named index", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const table = yield* scopedTable("readindex", columns)
          const index = `idx_${table.name}_order`
          yield* db.createIndexIfNotExists(table.name, index, ["params", "raw_id", "id"])
          yield* db.upsertBatch(table.name, columns, ["id"], rows)
          const options: Db.StreamRowsOptions = {
            orderBy: ["raw_id", "id"],
            where: { params: "scope" },
            columns,
            batchSize: 128,
            index
          }
          const read = yield* collectRows(db.streamRows(table.name, options))
          const expected = rows.filter((row) => row["params"] === "scope")
            .sort((a, b) => Number(a["raw_id"]) - Number(b["raw_id"]) || Number(a["id"]) - Number(b["id"]))
          assert.deepStrictEqual(read.map((row) => row["id"]), expected.map((row) => row["id"]))
          if (db.dialect.name !== "mysql") return
          // Half-way through the scope, the page seeks the cursor in the index (`range`), not from its start.
          const plan = readPlan(db.dialect, table.name, options, "rows")
          assert.strictEqual(plan._tag, "Right")
          if (plan._tag !== "Right") return
          const middle = expected[scopeRows / 2]!
          const page = pageStatement(db.dialect, plan.right, [middle["raw_id"], middle["id"]], 128)
          assert.include(page.statement, `FORCE INDEX (\`${index}\`)`)
          const [explained] = yield* db.execute(`EXPLAIN ${page.statement}`, page.values)
          assert.strictEqual(explained?.["key"], index)
          assert.strictEqual(explained?.["type"], "range")
        }))
    })
  })
}
