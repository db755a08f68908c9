import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import { makeDialect } from "../../src/internal/db/dialect.js"

describe("Dialect", () => {
  it("upserts on SQLite and PostgreSQL with ON CONFLICT … DO UPDATE SET excluded", () => {
    for (const name of ["sqlite", "postgres"] as const) {
      assert.strictEqual(
        makeDialect(name).upsertClause(["id", "name", "size"], ["id"]),
        " ON CONFLICT (\"id\") DO UPDATE SET \"name\" = excluded.\"name\", \"size\" = excluded.\"size\""
      )
    }
  })

  it("upserts on MySQL with ON DUPLICATE KEY UPDATE … VALUES()", () => {
    assert.strictEqual(
      makeDialect("mysql").upsertClause(["id", "name"], ["id"]),
      " ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)"
    )
  })

  it("upserts rows of only key columns as no-ops", () => {
    assert.strictEqual(
      makeDialect("postgres").upsertClause(["a", "b"], ["a", "b"]),
      " ON CONFLICT (\"a\", \"b\") DO NOTHING"
    )
    assert.strictEqual(makeDialect("mysql").upsertClause(["a", "b"], ["a", "b"]), " ON DUPLICATE KEY UPDATE `a` = `a`")
  })

  it("quotes identifiers, doubling the quote character", () => {
    assert.strictEqual(makeDialect("mysql").quote("a`b"), "`a``b`")
    assert.strictEqual(makeDialect("postgres").quote("a\"b"), "\"a\"\"b\"")
    assert.strictEqual(makeDialect("sqlite").quote("select"), "\"select\"")
  })

  it("compares identifiers case-insensitively except on PostgreSQL", () => {
    assert.isTrue(makeDialect("mysql").namesEqual("Name", "name"))
    assert.isTrue(makeDialect("sqlite").namesEqual("Name", "name"))
    assert.isFalse(makeDialect("postgres").namesEqual("Name", "name"))
  })

  it("has placeholders, limits and bytes-as-text per dialect", () => {
    assert.deepStrictEqual([1, 2].map(makeDialect("postgres").placeholder), ["$1", "$2"])
    assert.deepStrictEqual([1, 2].map(makeDialect("mysql").placeholder), ["?", "?"])
    assert.strictEqual(makeDialect("sqlite").maxParameters, 32766)
    assert.strictEqual(makeDialect("postgres").maxParameters, 65535)
    assert.strictEqual(makeDialect("mysql", 1234).maxStatementBytes, 1234)
    assert.strictEqual(makeDialect("sqlite").maxStatementBytes, 32 * 1024 * 1024)
    assert.strictEqual(makeDialect("sqlite").bytesAsText("data"), "CAST(\"data\" AS TEXT)")
    assert.strictEqual(makeDialect("mysql").bytesAsText("data"), "CONVERT(`data` USING utf8mb4)")
    assert.strictEqual(makeDialect("postgres").bytesAsText("data"), "convert_from(\"data\", 'UTF8')")
  })

  it("encodes and decodes values for its driver", () => {
    assert.deepStrictEqual(makeDialect("sqlite").encodeValue("boolean", true), Either.right(1))
    assert.deepStrictEqual(makeDialect("postgres").encodeValue("boolean", true), Either.right(true))
    assert.deepStrictEqual(makeDialect("mysql").decodeValue("json", "{\"a\":1}"), Either.right({ a: 1 }))
    const id = { name: "id", type: "integer", autoIncrement: true } as const
    assert.strictEqual(makeDialect("postgres").columnType(id), "bigserial")
  })
})
