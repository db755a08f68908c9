import { afterAll, assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, Option, Stream } from "effect"
import * as Db from "../../src/Db.js"
import { type IsolatedDatabase, isolatedDatabase, testDatabases } from "../utils/databases.js"

const columns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true },
  { name: "name", type: "string", maxLength: 255 },
  { name: "at", type: "datetime" },
  { name: "done", type: "boolean" },
  { name: "data", type: "bytes" }
]
const items: Db.TableSpec = { name: "batch_items", columns }
const marks: Db.TableSpec = {
  name: "batch_marks",
  columns: [{ name: "id", type: "integer", primaryKey: true }, { name: "batch", type: "integer" }]
}

const row = (id: number, name = `item ${id}`): Db.Row => ({
  id,
  name,
  at: new Date(Date.UTC(2024, 0, 1, 0, 0, id)),
  done: id % 2 === 0,
  data: Buffer.from(`payload ${id}`)
})

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i)

const failureOf = <A>(exit: Exit.Exit<A, Db.DbError>): Db.DbError => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  return Exit.isFailure(exit) ? Option.getOrThrow(Cause.failureOption(exit.cause)) : (undefined as never)
}

// Every database, SQLite as a file: that is where the writer thread runs (an in-memory one below).
// On a SQLite file, batches go to the writer thread from the first one, or commit inline until it has
// started (the default): both paths, and the switch from one to the other, must keep the same guarantees.
const modes = [
  { inlineWhileStarting: false, label: "" },
  { inlineWhileStarting: true, label: ", inline while the thread starts" }
]
for (const database of await testDatabases()) {
  for (const mode of database.name === "sqlite" ? modes : modes.slice(0, 1)) {
    describe.skipIf(database.skip !== undefined)(
      `BatchWriter on ${database.name}${database.name === "sqlite" ? " (file)" : ""}${mode.label}`,
      () => {
        const batchWriter = (db: Db.Database, options: { readonly depth?: number } = {}) =>
          db.batchWriter({ ...options, inlineWhileStarting: mode.inlineWhileStarting })
        let isolated: IsolatedDatabase | undefined
        const inDb = <A, E>(self: Effect.Effect<A, E, Db.Database>) =>
          Effect.gen(function*() {
            isolated ??= yield* Effect.promise(() => isolatedDatabase(database, "batch"))
            return yield* Effect.provide(
              Effect.gen(function*() {
                const db = yield* Db.Database
                for (const spec of [items, marks]) {
                  yield* db.dropTableIfExists(spec.name)
                  yield* db.createTableIfNotExists(spec)
                }
                return yield* self
              }),
              Db.layer(isolated.url)
            )
          })
        afterAll(() => isolated?.drop())
        const markStatement = (db: Db.Database, id: number, batch: number): Db.Statement => ({
          sql: `INSERT INTO ${db.dialect.quote(marks.name)} (${db.dialect.quote("id")}, ${
            db.dialect.quote("batch")
          }) VALUES (${db.dialect.name === "postgres" ? "$1, $2" : "?, ?"})`,
          params: [id, batch]
        })
        const read = (db: Db.Database, table: string) =>
          db.execute(`SELECT * FROM ${db.dialect.quote(table)} ORDER BY ${db.dialect.quote("id")}`)

        it.live("commits every batch in order, rows and statements, and upserts by key", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            const concurrent = yield* Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db, { depth: 2 })
              for (let batch = 0; batch < 10; batch++) {
                yield* writer.submit({
                  writes: [{
                    table: items.name,
                    columns,
                    keyColumns: ["id"],
                    rows: ids(50, batch * 50 + 1).map((id) => row(id))
                  }],
                  statements: [markStatement(db, batch, batch)]
                })
              }
              // A second write of ids 1..5 replaces them (upsert), in the same order as submitted.
              yield* writer.submit({
                writes: [{
                  table: items.name,
                  columns,
                  keyColumns: ["id"],
                  rows: ids(5).map((id) => row(id, `renamed ${id}`))
                }]
              })
              yield* writer.flush
              return writer.concurrent
            }))
            assert.isTrue(concurrent, "SQLite files, MySQL and PostgreSQL prepare the next batch while one is written")
            const stored = yield* read(db, items.name)
            assert.strictEqual(stored.length, 500)
            assert.deepStrictEqual(stored.slice(0, 6).map((r) => r["name"]), [
              "renamed 1",
              "renamed 2",
              "renamed 3",
              "renamed 4",
              "renamed 5",
              "item 6"
            ])
            const decoded = Option.getOrThrow(Option.fromNullable(stored[9]))
            const at = yield* Effect.orDie(db.dialect.decodeValue("datetime", decoded["at"]))
            assert.strictEqual((at as Date).toISOString(), "2024-01-01T00:00:10.000Z")
            const data = yield* Effect.orDie(db.dialect.decodeValue("bytes", decoded["data"]))
            assert.strictEqual(Buffer.from(data as Uint8Array).toString(), "payload 10")
            assert.deepStrictEqual((yield* read(db, marks.name)).map((r) => Number(r["batch"])), ids(10, 0))
          })))

        it.live("tuples in column order write what the same rows as objects write", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            yield* Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db)
              yield* writer.submit({
                writes: [{
                  table: items.name,
                  columns,
                  keyColumns: ["id"],
                  tuples: [1, 2].map((id) => columns.map((c) => row(id)[c.name]))
                }]
              })
              yield* writer.submit({ writes: [{ table: items.name, columns, keyColumns: ["id"], rows: [row(3)] }] })
              // A key twice in one batch (PostgreSQL refuses that in one statement): the last row wins.
              const tuple = (id: number, name: string) => columns.map((c) => row(id, name)[c.name])
              yield* writer.submit({
                writes: [{
                  table: items.name,
                  columns,
                  keyColumns: ["id"],
                  tuples: [tuple(4, "first"), tuple(5, "five"), tuple(4, "last")]
                }]
              })
              yield* writer.flush
            }))
            const stored = yield* read(db, items.name)
            assert.deepStrictEqual(stored.map((r) => [Number(r["id"]), r["name"]]), [
              [1, "item 1"],
              [2, "item 2"],
              [3, "item 3"],
              [4, "last"],
              [5, "five"]
            ])
            const data = yield* Effect.orDie(db.dialect.decodeValue("bytes", stored[1]!["data"]))
            assert.strictEqual(Buffer.from(data as Uint8Array).toString(), "payload 2")
          })))

        it.live("a string for a bytes column is stored as its UTF-8 bytes", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            yield* Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db)
              yield* writer.submit({
                writes: [{ table: items.name, columns, rows: [{ ...row(1), data: "{\"é\":\"🚀\"}" }] }]
              })
            }))
            const [stored] = yield* read(db, items.name)
            const data = yield* Effect.orDie(db.dialect.decodeValue("bytes", stored!["data"]))
            assert.isTrue(Buffer.isBuffer(data))
            assert.strictEqual((data as Buffer).toString("utf8"), "{\"é\":\"🚀\"}")
            if (db.dialect.name === "sqlite") {
              const [typed] = yield* db.execute(
                `SELECT typeof(${db.dialect.quote("data")}) AS t FROM ${db.dialect.quote(items.name)}`
              )
              assert.strictEqual(typed!["t"], "blob")
            }
          })))

        it.live("a failing batch commits nothing of itself and nothing after it; earlier batches stay", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            const exit = yield* Effect.exit(Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db, { depth: 3 })
              for (let batch = 0; batch < 6; batch++) {
                // Batch 2 inserts (no key columns) an id batch 0 already holds: a primary-key violation.
                const rows = batch === 2 ? [row(1000), row(1)] : ids(10, batch * 10 + 1).map((id) => row(id))
                yield* writer.submit({
                  writes: [{ table: items.name, columns, ...(batch === 2 ? {} : { keyColumns: ["id"] }), rows }],
                  statements: [markStatement(db, batch, batch)]
                })
              }
              yield* writer.flush
            })))
            const error = failureOf(exit)
            assert.instanceOf(error, Db.DbError)
            assert.include(error.message, items.name)
            assert.notInclude(error.message, "payload")
            const stored = (yield* read(db, items.name)).map((r) => Number(r["id"]))
            assert.deepStrictEqual(stored, ids(20), "batches 0 and 1 only")
            assert.deepStrictEqual((yield* read(db, marks.name)).map((r) => Number(r["batch"])), [0, 1])
          })))

        it.live("a failing statement rolls its batch back, rows included", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            const exit = yield* Effect.exit(Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db)
              yield* writer.submit({ writes: [{ table: items.name, columns, keyColumns: ["id"], rows: [row(1)] }] })
              yield* writer.submit({
                writes: [{ table: items.name, columns, keyColumns: ["id"], rows: [row(2)] }],
                statements: [{
                  sql: `UPDATE ${db.dialect.quote(marks.name)} SET ${db.dialect.quote("no_such_column")} = 1`,
                  params: []
                }]
              })
              yield* writer.flush
            })))
            assert.include(failureOf(exit).message, "no_such_column")
            assert.deepStrictEqual((yield* read(db, items.name)).map((r) => Number(r["id"])), [1])
          })))

        it.live("an encoding error fails the submit that carries it, or the flush, naming table, column and row", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            const exit = yield* Effect.exit(Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db)
              yield* writer.submit({
                writes: [{ table: items.name, columns, keyColumns: ["id"], rows: [{ ...row(1), at: "not a date" }] }]
              })
              yield* writer.flush
            })))
            const error = failureOf(exit)
            assert.strictEqual(error.reason, "Encode")
            assert.include(error.message, `${items.name}.at (row 0)`)
          })))

        if (mode.inlineWhileStarting) {
          it.live("a batch submitted while the thread starts is committed when submit returns", () =>
            inDb(Effect.gen(function*() {
              const db = yield* Db.Database
              yield* Effect.scoped(Effect.gen(function*() {
                const writer = yield* batchWriter(db)
                yield* writer.submit({ writes: [{ table: items.name, columns, rows: ids(3).map((id) => row(id)) }] })
                // No flush: the thread, still starting, has not seen this batch; this connection committed it.
                assert.deepStrictEqual((yield* read(db, items.name)).map((r) => r["id"]), [1, 2, 3])
              }))
            })))
        }

        it.live("the scope's end commits what was submitted without an explicit flush", () =>
          inDb(Effect.gen(function*() {
            const db = yield* Db.Database
            yield* Effect.scoped(Effect.gen(function*() {
              const writer = yield* batchWriter(db, { depth: 4 })
              for (let batch = 0; batch < 4; batch++) {
                yield* writer.submit({
                  writes: [{
                    table: items.name,
                    columns,
                    keyColumns: ["id"],
                    rows: ids(25, batch * 25 + 1).map((id) => row(id))
                  }]
                })
              }
            }))
            assert.strictEqual((yield* read(db, items.name)).length, 100)
          })))
      }
    )
  }
}

describe("keyset streams on a SQLite file (read through a connection of their own)", () => {
  const wide: Db.TableSpec = {
    name: "wide_items",
    columns: [
      { name: "id", type: "integer", primaryKey: true },
      { name: "big", type: "integer" },
      { name: "at", type: "datetime" },
      { name: "label", type: "string" }
    ]
  }
  let isolated: IsolatedDatabase | undefined
  afterAll(() => isolated?.drop())
  const rowsOf = (db: Db.Database, options: Partial<Db.StreamRowsOptions> = {}) =>
    Effect.map(
      Stream.runCollect(db.streamRows(wide.name, { orderBy: ["id"], columns: wide.columns, batchSize: 2, ...options })),
      (pages) => Chunk.toReadonlyArray(Chunk.flatten(pages))
    )

  it.live("exact 64-bit integers, decoded values, pages in key order; inside a transaction, its own writes", () =>
    Effect.gen(function*() {
      isolated ??= yield* Effect.promise(async () => isolatedDatabase((await testDatabases())[0]!, "reader"))
      yield* Effect.gen(function*() {
        const db = yield* Db.Database
        yield* db.createTableIfNotExists(wide)
        const at = new Date("2024-05-06T07:08:09.010Z")
        yield* db.insertBatch(wide.name, wide.columns, [
          { id: 3, big: 9223372036854775807n, at, label: "c" },
          { id: 1, big: -9007199254740993n, at: null, label: "a" },
          { id: 2, big: 42, at, label: "b" }
        ])
        const rows = yield* rowsOf(db)
        assert.deepStrictEqual(rows, [
          { id: 1, big: -9007199254740993n, at: null, label: "a" },
          { id: 2, big: 42, at, label: "b" },
          { id: 3, big: 9223372036854775807n, at, label: "c" }
        ])
        assert.deepStrictEqual((yield* rowsOf(db, { after: [2] })).map((r) => r["id"]), [3])
        // Uncommitted rows exist only on the transaction's connection: the stream must read there.
        const inside = yield* db.withTransaction(
          Effect.zipRight(db.insertBatch(wide.name, wide.columns, [{ id: 4, big: 4, at, label: "d" }]), rowsOf(db))
        )
        assert.deepStrictEqual(inside.map((r) => r["id"]), [1, 2, 3, 4])
      }).pipe(Effect.provide(Db.layer(isolated.url)))
    }))
})

describe("BatchWriter on an in-memory SQLite database", () => {
  it.effect("commits inline: every submit returns after its commit", () =>
    Effect.gen(function*() {
      const db = yield* Db.Database
      yield* db.createTableIfNotExists(items)
      yield* Effect.scoped(Effect.gen(function*() {
        const writer = yield* db.batchWriter()
        assert.isFalse(writer.concurrent)
        yield* writer.submit({ writes: [{ table: items.name, columns, rows: [row(1), row(2)] }] })
        assert.strictEqual(yield* db.countWhere(items.name, {}), 2)
      }))
    }).pipe(Effect.provide(Db.layerMemory)))
})
