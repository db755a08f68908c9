import { assert, describe, it } from "@effect/vitest"
import { makeDialect } from "../../src/internal/db/dialect.js"
import { statementBounds, statementText } from "../../src/internal/db/statements.js"

describe("statementBounds", () => {
  it("keeps every row in one statement under both limits", () => {
    assert.deepStrictEqual(statementBounds([1, 2, 3, 4, 5, 6], 2, 100, 1000), [0, 3])
  })

  it("cuts at the bind-parameter limit, whole rows per statement", () => {
    // 3 values a row, 7 parameters: 2 rows a statement.
    assert.deepStrictEqual(statementBounds(new Array(15).fill(1), 3, 7, 1_000_000), [0, 2, 4, 5])
  })

  it("cuts at the byte budget, counting text by its UTF-8 length", () => {
    const big = "é".repeat(50) // 100 bytes, + 4 for the wire
    assert.deepStrictEqual(statementBounds([big, big, big, big], 1, 1000, 250), [0, 2, 4])
  })

  it("puts a row larger than the budget alone in its statement", () => {
    const huge = "x".repeat(1000)
    assert.deepStrictEqual(statementBounds([1, huge, 2], 1, 1000, 100), [0, 1, 2, 3])
  })

  it("answers no statement for no rows", () => {
    assert.deepStrictEqual(statementBounds([], 3, 1000, 1000), [0, 0])
    assert.deepStrictEqual(statementBounds([], 0, 1000, 1000), [0, 0])
  })
})

describe("statementText", () => {
  it("numbers Postgres placeholders across the value groups", () => {
    const text = statementText(makeDialect("postgres"), new Map(), "INSERT INTO \"t\" (\"a\", \"b\") VALUES ", "", 2, 2)
    assert.strictEqual(text, "INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1, $2), ($3, $4)")
  })

  it("uses ? on SQLite and MySQL, with the tail after the groups", () => {
    for (const name of ["sqlite", "mysql"] as const) {
      assert.strictEqual(statementText(makeDialect(name), new Map(), "H ", " T", 3, 1), "H (?, ?, ?) T")
    }
  })

  it("builds a text once per head, tail, width and row count", () => {
    const texts = new Map<string, string>()
    const dialect = makeDialect("sqlite")
    const first = statementText(dialect, texts, "H ", "", 2, 500)
    assert.strictEqual(statementText(dialect, texts, "H ", "", 2, 500), first)
    statementText(dialect, texts, "H ", "", 2, 499)
    statementText(dialect, texts, "H ", " T", 2, 500)
    assert.strictEqual(texts.size, 3)
  })

  it("stays bounded: the cache is cleared past 64 texts", () => {
    const texts = new Map<string, string>()
    const dialect = makeDialect("mysql")
    for (let rows = 1; rows <= 65; rows++) statementText(dialect, texts, "H ", "", 1, rows)
    assert.strictEqual(texts.size, 1)
  })
})
