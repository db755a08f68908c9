import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Db from "../../src/Db.js"
import { collectRows, scopedTable, testDatabases } from "../utils/databases.js"
import { allTypes } from "./columnTypes.js"

// A batch writer on PostgreSQL binds one array per column (`unnest`), cast to the table's own column types; the
// other writes bind VALUES lists. Both must store the same values, whatever the text holds.

const rows: ReadonlyArray<Db.Row> = [
  {
    id: 1,
    big: 9223372036854775807n,
    unsigned_id: 9007199254740993n,
    ratio: 0.1 + 0.2,
    done: true,
    label: "héllo 🚀",
    body: "x".repeat(5000),
    at: new Date("2024-03-04T05:06:07.089Z"),
    payload: { nested: { list: [1, "two", null, true] }, quote: "a\"b\\c" },
    data: Buffer.from([0, 1, 2, 92, 34, 254, 255])
  },
  {
    id: 2,
    big: -42,
    unsigned_id: 0,
    ratio: -1e-7,
    done: false,
    label: "",
    body: "a\nb\"c'd\\e{f},g NULL \\\"",
    at: new Date("1999-12-31T23:59:59.999Z"),
    payload: "just a string",
    data: Buffer.from("{\"raw\":true}")
  },
  { id: 3, label: "NULL", body: "null", payload: null },
  { id: 4, big: 0, unsigned_id: 1, ratio: 0, done: false, label: "{}", body: " spaced ", payload: [1, 2], data: null }
]

const withoutBytes = allTypes.filter((column) => column.type !== "bytes")

const expected = (columns: ReadonlyArray<Db.ColumnSpec>) =>
  rows.map((row) => Object.fromEntries(columns.map((column) => [column.name, row[column.name] ?? null])))

const failed = <A>(exit: Exit.Exit<A, Db.DbError>): string =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error.message : "no failure"

const submitAll = (db: Db.Database, table: string, columns: ReadonlyArray<Db.ColumnSpec>, all: ReadonlyArray<Db.Row>) =>
  Effect.scoped(Effect.gen(function*() {
    const writer = yield* db.batchWriter()
    yield* writer.submit({ writes: [{ table, columns, keyColumns: ["id"], rows: all }] })
    yield* writer.flush
  }))

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`BatchWriter column types on ${database.name}`, () => {
    layer(Db.layer(database.url), { excludeTestServices: true })((it) => {
      // With a bytes column, PostgreSQL's batches are VALUES lists too (bytes as array text cost more than they save).
      for (const [label, columns] of [["", allTypes], [" (no bytes column)", withoutBytes]] as const) {
        it.scoped(`stores every column type as an upsert outside a batch writer does, inserted and updated${label}`, () =>
          Effect.gen(function*() {
            const db = yield* Db.Database
            const batched = yield* scopedTable("batchtypes", columns)
            const direct = yield* scopedTable("directtypes", columns)
            // Written twice: inserted, then every row updated by the conflict clause.
            const renamed = rows.map((row) => ({ ...row, label: `old ${String(row["label"])}`, done: true }))
            yield* submitAll(db, batched.name, columns, renamed)
            yield* submitAll(db, batched.name, columns, rows)
            yield* db.upsertBatch(direct.name, columns, ["id"], rows)
            const viaWriter = yield* collectRows(db.streamById(batched.name, { columns }))
            assert.deepStrictEqual(viaWriter, yield* collectRows(db.streamById(direct.name, { columns })))
            assert.deepStrictEqual(viaWriter, expected(columns))
          }))
      }

      // Not on SQLite, which converts by column affinity its own way (an integer into a text column reads back as
      // "12345.0"): a case that does not apply there, rather than a test skipped.
      if (database.name !== "sqlite") {
        it.scoped(
          "casts to the table's column types, not to the written spec's",
          () =>
            Effect.gen(function*() {
              const db = yield* Db.Database
              const stored: ReadonlyArray<Db.ColumnSpec> = [
                { name: "id", type: "integer", primaryKey: true },
                { name: "n", type: "string", maxLength: 10 },
                { name: "amount", type: "number" }
              ]
              const spec = yield* scopedTable("batchcast", stored)
              const written: ReadonlyArray<Db.ColumnSpec> = [
                { name: "id", type: "integer", primaryKey: true },
                { name: "n", type: "integer" },
                { name: "amount", type: "integer" }
              ]
              yield* submitAll(db, spec.name, written, [{ id: 1, n: 12345, amount: 7 }, {
                id: 2,
                n: null,
                amount: null
              }])
              const read = yield* collectRows(db.streamById(spec.name, { columns: stored }))
              assert.deepStrictEqual(read, [{ id: 1, n: "12345", amount: 7 }, { id: 2, n: null, amount: null }])
              if (db.dialect.name === "postgres") {
                // A cast would cut a text to its column's length: the array is cast without it, and the insert fails.
                const tooLong = yield* Effect.exit(submitAll(db, spec.name, stored, [{ id: 3, n: "x".repeat(11) }]))
                assert.include(failed(tooLong), "too long")
              }
            })
        )
      }

      if (database.name === "postgres") {
        it.scoped("dates PostgreSQL writes its own way: years past 9999 and before 1", () =>
          Effect.gen(function*() {
            const db = yield* Db.Database
            const columns: ReadonlyArray<Db.ColumnSpec> = [
              { name: "id", type: "integer", primaryKey: true },
              { name: "at", type: "datetime" }
            ]
            const spec = yield* scopedTable("batchdates", columns)
            const dates = [new Date("+010000-01-02T03:04:05.678Z"), new Date("-000001-06-07T08:09:10.000Z")]
            yield* submitAll(db, spec.name, columns, dates.map((at, i) => ({ id: i + 1, at })))
            const read = yield* collectRows(db.streamById(spec.name, { columns }))
            assert.deepStrictEqual(
              read.map((row) => (row["at"] as Date).toISOString()),
              dates.map((d) => d.toISOString())
            )
          }))
      }
    })
  })
}
