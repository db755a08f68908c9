import { assert, describe, it } from "@effect/vitest"
import { makeDialect } from "../../src/internal/db/dialect.js"
import { makeParams, whereClause } from "../../src/internal/db/params.js"

describe("whereClause", () => {
  it("binds equalities, IS NULL for null, IN for arrays, 1 = 0 for an empty one", () => {
    const dialect = makeDialect("postgres")
    const params = makeParams(dialect)
    const conditions = whereClause(dialect, { a: 1, b: null, c: ["x", "y"], d: [] }, params, undefined)
    assert.deepStrictEqual(conditions, ["\"a\" = $1", "\"b\" IS NULL", "\"c\" IN ($2, $3)", "1 = 0"])
    assert.deepStrictEqual(params.values, [1, "x", "y"])
  })

  it("encodes a value by its column spec when given, else by its JS type", () => {
    const dialect = makeDialect("sqlite")
    const params = makeParams(dialect)
    whereClause(dialect, { done: true, at: "2024-01-02T03:04:05Z" }, params, [{ name: "at", type: "datetime" }])
    assert.deepStrictEqual(params.values, [1, "2024-01-02T03:04:05.000Z"])
  })
})
