import { assert, describe, it } from "@effect/vitest"
import { Either } from "effect"
import type * as Db from "../../src/Db.js"
import { encoderOf, encodeRows, makeEncoders } from "../../src/internal/db/rowEncoder.js"

const columns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
  { name: "name", type: "string" },
  { name: "done", type: "boolean" },
  { name: "data", type: "bytes" }
]

describe("encodeRows", () => {
  it("encodes rows and tuples alike, leaving out an auto-increment column no row sets", () => {
    const encoders = makeEncoders("sqlite")
    const rows = { rows: [{ name: "a", done: true }, { name: "b", data: "x" }] }
    const tuples = { tuples: [[null, "a", true], [undefined, "b", undefined, "x"]] }
    const expected = {
      used: columns.slice(1),
      values: ["a", 1, null, "b", null, Buffer.from("x")]
    }
    assert.deepStrictEqual(encodeRows(encoders, "t", columns, rows, false), Either.right(expected))
    assert.deepStrictEqual(encodeRows(encoders, "t", columns, tuples, false), Either.right(expected))
  })

  it("keeps an auto-increment column some row sets, and fails for a row that lacks it", () => {
    const encoders = makeEncoders("postgres")
    const set = encodeRows(encoders, "t", columns.slice(0, 2), { rows: [{ id: 1, name: "a" }] }, false)
    assert.deepStrictEqual(set, Either.right({ used: columns.slice(0, 2), values: [1, "a"] }))
    const rows = { rows: [{ id: 1, name: "a" }, { name: "b" }] }
    const partial = encodeRows(encoders, "t", columns.slice(0, 2), rows, false)
    assert.isTrue(Either.isLeft(partial))
    assert.include(Either.isLeft(partial) ? partial.left.message : "", "row 1 lacks auto-increment column id")
  })

  it("names the table, column and row of a value it cannot encode", () => {
    const result = encodeRows(makeEncoders("mysql"), "t", columns, { rows: [{ name: "a" }, { name: {} }] }, false)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left.reason, "Encode")
      assert.include(result.left.message, "cannot write t.name (row 1)")
    }
  })

  it("with textBytes, passes text for bytes columns as it is", () => {
    const tuples = { tuples: [["x"], [Buffer.from("y")]] }
    const result = encodeRows(makeEncoders("sqlite"), "t", columns.slice(3), tuples, true)
    assert.deepStrictEqual(result, Either.right({ used: columns.slice(3), values: ["x", Buffer.from("y")] }))
  })
})

describe("encoderOf", () => {
  it("compiles one encoder per column spec", () => {
    const encoders = makeEncoders("sqlite")
    assert.strictEqual(encoderOf(encoders, columns[2]!), encoderOf(encoders, columns[2]!))
    assert.strictEqual(encoderOf(encoders, columns[2]!)(false), 0)
    assert.strictEqual(encoderOf(makeEncoders("mysql"), columns[2]!)(false), false)
  })
})
