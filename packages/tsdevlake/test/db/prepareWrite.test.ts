import type * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import type * as Db from "../../src/Db.js"
import { makeDialect } from "../../src/internal/db/dialect.js"
import { makeEncoders } from "../../src/internal/db/rowEncoder.js"
import { lastRowPerKey, makeWriteContext, prepareWrite } from "../../src/internal/db/write.js"

// prepareWrite builds text and values only: no client is used.
const contextOf = (name: Db.DialectName) =>
  makeWriteContext({ dialect: makeDialect(name), sql: undefined as unknown as SqlClient.SqlClient, reader: undefined })

const columns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true },
  { name: "name", type: "string" }
]

describe("prepareWrite", () => {
  it("builds an insert's head and no tail", () => {
    const prepared = prepareWrite(contextOf("mysql"), "t", columns, undefined, { rows: [{ id: 1, name: "a" }] })
    assert.deepStrictEqual(
      prepared,
      Either.right({
        what: "inserting into t",
        head: "INSERT INTO `t` (`id`, `name`) VALUES ",
        tail: "",
        used: columns,
        values: [1, "a"]
      })
    )
  })

  it("builds an upsert's conflict clause per dialect", () => {
    const tail = (name: Db.DialectName) => {
      const prepared = prepareWrite(contextOf(name), "t", columns, ["id"], { tuples: [[1, "a"]] })
      return Either.isRight(prepared) ? prepared.right.tail : prepared.left.message
    }
    assert.strictEqual(tail("mysql"), " ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)")
    assert.strictEqual(tail("postgres"), " ON CONFLICT (\"id\") DO UPDATE SET \"name\" = excluded.\"name\"")
  })

  it("refuses no key columns, a key column not written, and no columns", () => {
    const problem = (keys: ReadonlyArray<string> | undefined, cols = columns) => {
      const prepared = prepareWrite(contextOf("sqlite"), "t", cols, keys, { rows: [{ id: 1 }] })
      return Either.isLeft(prepared) ? prepared.left.message : "no error"
    }
    assert.strictEqual(problem([]), "cannot upsert into t: no key columns given")
    assert.strictEqual(problem(["key"]), "cannot upsert into t: key column key is not among the written columns")
    assert.strictEqual(problem(undefined, []), "cannot write t: no columns to write")
  })
})

describe("lastRowPerKey", () => {
  it("keeps the last row per key in first-seen order, keys compared as encoded", () => {
    const specs: ReadonlyArray<Db.ColumnSpec> = [{ name: "at", type: "datetime" }, { name: "n", type: "integer" }]
    const rows = {
      tuples: [[new Date(0), 1], ["1970-01-01T00:00:00.000Z", 2], [new Date(1), 3], [new Date(0), 4]]
    }
    assert.deepStrictEqual([...lastRowPerKey(makeEncoders("postgres"), specs, [0], rows).values()], [3, 2])
    assert.deepStrictEqual([...lastRowPerKey(makeEncoders("postgres"), specs, [0, 1], rows).values()], [0, 1, 2, 3])
  })
})
