import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import type * as Db from "../../src/Db.js"
import { makeDialect } from "../../src/internal/db/dialect.js"
import { nextPageLimit, pageStatement, type ReadPlan, readPlan } from "../../src/internal/db/read.js"

const pg = makeDialect("postgres")
const mysql = makeDialect("mysql")

const planOf = (options: Db.StreamRowsOptions, dialect = pg, shape: "rows" | "tuples" = "rows"): ReadPlan => {
  const plan = readPlan(dialect, "items", options, shape)
  if (Either.isLeft(plan)) throw plan.left
  return plan.right
}

describe("readPlan", () => {
  it("selects the columns, then the orderBy ones not among them, bytesAsText ones converted", () => {
    const plan = planOf({
      orderBy: ["id"],
      columns: [{ name: "name", type: "string" }, { name: "data", type: "bytes" }],
      bytesAsText: ["data"]
    }, mysql)
    assert.deepStrictEqual(plan.names, ["name", "data", "id"])
    assert.strictEqual(plan.selected, "`name`, CONVERT(`data` USING utf8mb4) AS `data`, `id`")
    assert.deepStrictEqual(plan.decodeAs?.map((c) => c.type), ["string", "string"])
    assert.deepStrictEqual(plan.columns?.map((c) => c.type), ["string", "bytes"])
  })

  it("selects * without columns, and encodes the starting key", () => {
    const plan = planOf({ orderBy: ["at"], after: [new Date(0)] }, makeDialect("sqlite"))
    assert.strictEqual(plan.selected, "*")
    assert.deepStrictEqual(plan.start, ["1970-01-01T00:00:00.000Z"])
  })

  it("refuses an empty orderBy, a starting key of another length, tuples without columns", () => {
    const problem = (options: Db.StreamRowsOptions, shape: "rows" | "tuples" = "rows") => {
      const plan = readPlan(pg, "items", options, shape)
      return Either.isLeft(plan) ? plan.left.message : "no error"
    }
    assert.strictEqual(problem({ orderBy: [] }), "cannot stream items: orderBy is empty")
    assert.strictEqual(
      problem({ orderBy: ["a", "b"], after: [1] }),
      "cannot stream items: after has 1 values for 2 orderBy columns"
    )
    assert.strictEqual(problem({ orderBy: ["id"] }, "tuples"), "cannot stream items as tuples: no columns")
  })
})

describe("pageStatement", () => {
  it("reads through the named index on MySQL (FORCE INDEX), and leaves other planners alone", () => {
    const options: Db.StreamRowsOptions = { orderBy: ["a", "b"], where: { kind: "x" }, index: "idx_items_order" }
    assert.strictEqual(
      pageStatement(mysql, planOf(options, mysql), [1, 2], 5).statement,
      "SELECT * FROM `items` FORCE INDEX (`idx_items_order`) WHERE `kind` = ? AND `a` >= ? AND (`a` > ? OR (`a` = ? " +
        "AND `b` > ?)) ORDER BY `a`, `b` LIMIT 5"
    )
    assert.strictEqual(
      pageStatement(pg, planOf(options), undefined, 5).statement,
      "SELECT * FROM \"items\" WHERE \"kind\" = $1 ORDER BY \"a\", \"b\" LIMIT 5"
    )
  })

  it("reads the first page with the conditions only", () => {
    const page = pageStatement(pg, planOf({ orderBy: ["id"], where: { kind: "a" } }), undefined, 10)
    assert.strictEqual(page.statement, "SELECT * FROM \"items\" WHERE \"kind\" = $1 ORDER BY \"id\" LIMIT 10")
    assert.deepStrictEqual(page.values, ["a"])
  })

  it("seeks after the cursor with a keyset condition and a bound on the first column", () => {
    const page = pageStatement(mysql, planOf({ orderBy: ["a", "b"] }, mysql), [1, 2], 5)
    assert.strictEqual(
      page.statement,
      "SELECT * FROM `items` WHERE `a` >= ? AND (`a` > ? OR (`a` = ? AND `b` > ?)) ORDER BY `a`, `b` LIMIT 5"
    )
    assert.deepStrictEqual(page.values, [1, 1, 1, 2])
  })
})

describe("nextPageLimit", () => {
  const rows = (count: number, size: number) => Array.from({ length: count }, () => ["x".repeat(size)])

  it("is batchSize without a byte budget", () => {
    assert.strictEqual(nextPageLimit({ batchSize: 500, maxBytes: undefined }, rows(3, 10), 500), 500)
  })

  it("grows at most twofold, up to batchSize, within the budget", () => {
    assert.strictEqual(nextPageLimit({ batchSize: 500, maxBytes: 1_000_000 }, rows(16, 10), 16), 32)
    assert.strictEqual(nextPageLimit({ batchSize: 20, maxBytes: 1_000_000 }, rows(16, 10), 16), 20)
    assert.strictEqual(nextPageLimit({ batchSize: 500, maxBytes: 1000 }, rows(16, 100), 16), 10)
    assert.strictEqual(nextPageLimit({ batchSize: 500, maxBytes: 10 }, rows(16, 100), 16), 1)
  })

  it("keeps the limit after an empty page", () => {
    assert.strictEqual(nextPageLimit({ batchSize: 500, maxBytes: 1000 }, [], 16), 16)
  })
})
