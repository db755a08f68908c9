import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Db from "../../src/Db.js"
import { decoderFor, decodeValue, encoderFor, encodeValue } from "../../src/internal/db/codec.js"

const dialects: ReadonlyArray<Db.DialectName> = ["sqlite", "mysql", "postgres"]
const types: ReadonlyArray<Db.ColumnType> = [
  "integer",
  "unsignedInteger",
  "number",
  "boolean",
  "string",
  "datetime",
  "json",
  "bytes"
]

const samples: ReadonlyArray<unknown> = [
  null,
  undefined,
  0,
  -1,
  1.5,
  Number.NaN,
  Number.MAX_SAFE_INTEGER + 2,
  2n ** 63n - 1n,
  -5n,
  "12",
  " 7 ",
  "",
  "héllo",
  "2024-01-02T03:04:05.678Z",
  "2024-01-02 03:04:05",
  "not a date",
  true,
  false,
  new Date("2024-01-02T03:04:05.678Z"),
  new Date("0999-12-31T23:59:59.999Z"),
  new Date("+010000-01-01T00:00:00.000Z"),
  new Date(Number.NaN),
  Buffer.from("bytes"),
  new Uint8Array([1, 2, 3]),
  { a: [1, "b"] },
  ["x"]
]

/** What the hot-loop function does, as an Either, so it compares with the reference. */
const attempt = (f: (value: unknown) => unknown, value: unknown): Either.Either<unknown, string> => {
  try {
    return Either.right(f(value))
  } catch (error) {
    return Either.left((error as Db.DbError).detail)
  }
}

const reference = (result: Either.Either<unknown, Db.DbError>): Either.Either<unknown, string> =>
  Either.mapLeft(result, (error) => error.detail)

describe("compiled codecs agree with encodeValue / decodeValue", () => {
  for (const dialect of dialects) {
    for (const type of types) {
      it(`${dialect} ${type}`, () => {
        const encode = encoderFor(dialect, type)
        const decode = decoderFor(dialect, type)
        // Twice over, so that the per-column memo of the last date sees repeats and changes.
        for (const value of [...samples, ...samples]) {
          assert.deepStrictEqual(
            attempt(encode, value),
            reference(encodeValue(dialect, type, value)),
            `encode ${String(value)}`
          )
          assert.deepStrictEqual(
            attempt(decode, value),
            reference(decodeValue(dialect, type, value)),
            `decode ${String(value)}`
          )
        }
      })
    }
  }

  it("dates on MySQL: UTC wall-clock text within DATETIME's years, the Date itself outside them", () => {
    const encode = encoderFor("mysql", "datetime")
    const a = new Date("2024-01-02T03:04:05.678Z")
    assert.strictEqual(encode(a), "2024-01-02 03:04:05.678")
    assert.strictEqual(encode(new Date(a.getTime())), "2024-01-02 03:04:05.678")
    assert.strictEqual(encode("2024-01-02T03:04:05Z"), "2024-01-02 03:04:05.000")
    const early = new Date("0999-12-31T23:59:59.999Z")
    assert.strictEqual(encode(early), early)
    assert.strictEqual(encode(early), early)
  })

  it("dates: the same instant twice encodes the same text; a repeated text decodes to distinct Date objects", () => {
    const encode = encoderFor("sqlite", "datetime")
    const a = new Date("2024-01-02T03:04:05.678Z")
    assert.strictEqual(encode(a), "2024-01-02T03:04:05.678Z")
    assert.strictEqual(encode(new Date(a.getTime())), "2024-01-02T03:04:05.678Z")
    assert.strictEqual(encode(new Date(a.getTime() + 1)), "2024-01-02T03:04:05.679Z")
    const decode = decoderFor("sqlite", "datetime")
    const first = decode("2024-01-02T03:04:05.678Z") as Date
    const second = decode("2024-01-02T03:04:05.678Z") as Date
    assert.notStrictEqual(first, second)
    assert.strictEqual(second.toISOString(), "2024-01-02T03:04:05.678Z")
    first.setTime(0)
    assert.strictEqual((decode("2024-01-02T03:04:05.678Z") as Date).toISOString(), "2024-01-02T03:04:05.678Z")
  })
})

describe("Database.decodeRow", () => {
  it.effect("decodes the listed columns by type, keeps other keys as the driver gave them, names a bad column", () =>
    Effect.gen(function*() {
      const db = yield* Db.Database
      const columns: ReadonlyArray<Db.ColumnSpec> = [
        { name: "at", type: "datetime" },
        { name: "done", type: "boolean" },
        { name: "absent", type: "string" }
      ]
      const row = yield* db.decodeRow(columns, { at: "2024-01-02T03:04:05.678Z", done: 1, extra: 7n, big: 2n ** 60n })
      assert.deepStrictEqual(row, { at: new Date("2024-01-02T03:04:05.678Z"), done: true, extra: 7, big: 2n ** 60n })
      assert.deepStrictEqual(Object.keys(row), ["at", "done", "extra", "big"])
      const bad = yield* Effect.flip(db.decodeRow(columns, { at: "not a date" }))
      assert.include(bad.message, "cannot read column at")
    }).pipe(Effect.provide(Db.layerMemory)))
})
