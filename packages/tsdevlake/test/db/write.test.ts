import type * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, it, layer } from "@effect/vitest"
import { Chunk, Effect, Either, Exit, Stream } from "effect"
import * as Db from "../../src/Db.js"
import { makeDialect } from "../../src/internal/db/dialect.js"
import { makeEncoders } from "../../src/internal/db/rowEncoder.js"
import { lastRowPerKey, makeWriteContext, prepareWrite } from "../../src/internal/db/write.js"
import { collectRows, scopedTable, testDatabases } from "../utils/databases.js"
import { allTypes } from "./columnTypes.js"

/** A raw table's shape: auto-increment id, indexed params, payload. */
const rawColumns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
  { name: "params", type: "string", maxLength: 255, index: true },
  { name: "data", type: "bytes" }
]

const sampleRows: ReadonlyArray<Db.Row> = [
  {
    id: 1,
    big: 9223372036854775807n,
    unsigned_id: 9007199254740993n,
    ratio: 1.5,
    done: true,
    label: "héllo 🚀",
    body: "x".repeat(5000),
    at: new Date("2024-03-04T05:06:07.089Z"),
    payload: { nested: { list: [1, "two", null, true] }, emoji: "🚀" },
    data: Buffer.from([0, 1, 2, 254, 255])
  },
  {
    id: 2,
    big: -42,
    unsigned_id: 0,
    ratio: -0.25,
    done: false,
    label: "",
    body: "a\nb\"c'd\\e",
    at: new Date("1999-12-31T23:59:59.999Z"),
    payload: "just a string",
    data: Buffer.from("{\"raw\":true}")
  },
  {
    id: 3,
    big: null,
    unsigned_id: null,
    ratio: null,
    done: null,
    label: null,
    body: null,
    at: null,
    payload: null,
    data: null
  },
  { id: 4, big: 0, unsigned_id: 1, ratio: 0, done: false, label: "0", body: "", at: null, payload: [1, 2], data: null },
  { id: 5, payload: 123, ratio: 3, label: "missing keys become NULL" }
]

const expectedRows = sampleRows.map((row) => {
  const out: Record<string, unknown> = {}
  for (const column of allTypes) out[column.name] = row[column.name] ?? null
  // Safe integers come back as numbers, whatever was written.
  if (out["unsigned_id"] === 9007199254740993n) out["unsigned_id"] = 9007199254740993n
  return out
})

const toolColumns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "connection_id", type: "integer", primaryKey: true },
  { name: "id", type: "string", primaryKey: true },
  { name: "_raw_data_params", type: "string", maxLength: 255, index: true },
  { name: "title", type: "string" },
  { name: "count", type: "integer" }
]

const failureOf = <A>(exit: Exit.Exit<A, Db.DbError>): Db.DbError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") return assert.fail("expected a DbError failure")
  return exit.cause.error
}

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`Db writes and reads on ${database.name}`, () => {
    layer(Db.layer(database.url), { excludeTestServices: true })((it) => {
      it.scoped("round-trips every column type to the same JS values", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("roundtrip", allTypes)
          yield* db.insertBatch(spec.name, allTypes, sampleRows)
          const rows = yield* collectRows(db.streamById(spec.name, { columns: allTypes }))
          assert.deepStrictEqual(rows, expectedRows)
          assert.instanceOf(rows[0]!["data"], Uint8Array)
          assert.instanceOf(rows[0]!["at"], Date)
        }))

      it.effect("encodes and decodes single values", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const encoded = db.dialect.encodeValue("boolean", true)
          assert.deepStrictEqual(encoded, Either.right(db.dialect.name === "sqlite" ? 1 : true))
          const date = new Date("2024-01-02T03:04:05.006Z")
          assert.deepStrictEqual(
            db.dialect.encodeValue("datetime", "2024-01-02T03:04:05.006Z"),
            Either.right(
              db.dialect.name === "sqlite"
                ? date.toISOString()
                : db.dialect.name === "mysql"
                ? "2024-01-02 03:04:05.006"
                : date
            )
          )
          assert.deepStrictEqual(db.dialect.encodeValue("json", ["a"]), Either.right("[\"a\"]"))
          assert.deepStrictEqual(db.dialect.decodeValue("integer", "9007199254740993"), Either.right(9007199254740993n))
          assert.deepStrictEqual(db.dialect.decodeValue("integer", 7n), Either.right(7))
          assert.deepStrictEqual(db.dialect.decodeValue("number", "1.25"), Either.right(1.25))
          assert.deepStrictEqual(db.dialect.decodeValue("boolean", 0), Either.right(false))
          assert.deepStrictEqual(
            db.dialect.decodeValue("datetime", "2024-01-02 03:04:05"),
            Either.right(new Date("2024-01-02T03:04:05Z"))
          )
          for (
            const [type, value] of [
              ["integer", "12a"],
              ["integer", 1.5],
              ["unsignedInteger", -1],
              ["number", Number.NaN],
              ["boolean", "yes"],
              ["datetime", "not a date"],
              ["json", { big: 1n }],
              ["bytes", 42],
              ["string", { a: 1 }]
            ] as const
          ) {
            const result = db.dialect.encodeValue(type, value)
            assert.isTrue(Either.isLeft(result), `${type} ${String(value)}`)
            if (Either.isLeft(result)) assert.strictEqual(result.left.reason, "Encode")
          }
        }))

      it.scoped("fails a batch with a typed error naming table, column and row", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("encodeerr", allTypes)
          const exit = yield* Effect.exit(
            db.insertBatch(spec.name, allTypes, [{ id: 1 }, { id: 2, at: "yesterday-ish" }])
          )
          const error = failureOf(exit)
          assert.strictEqual(error.reason, "Encode")
          assert.include(error.message, `${spec.name}.at (row 1)`)
          assert.strictEqual(yield* db.countWhere(spec.name, {}), 0)
        }))

      it.effect("treats an empty batch as a no-op (the table need not exist)", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          yield* db.insertBatch("no_such_table_ever", allTypes, [])
          yield* db.upsertBatch("no_such_table_ever", allTypes, ["id"], [])
        }))

      it.scoped("splits batches over the bind-parameter limit", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "id", type: "integer", primaryKey: true },
            ...Array.from({ length: 8 }, (_, i): Db.ColumnSpec => ({ name: `c${i}`, type: "integer" }))
          ]
          const spec = yield* scopedTable("params", columns)
          const count = 8000 // 72,000 parameters: over SQLite's 32,766 and the 65,535 of MySQL and Postgres
          const rows = Array.from({ length: count }, (_, id) => {
            const row: Record<string, unknown> = { id }
            for (let i = 0; i < 8; i++) row[`c${i}`] = id * 10 + i
            return row
          })
          yield* db.insertBatch(spec.name, columns, rows)
          assert.strictEqual(yield* db.countWhere(spec.name, {}), count)
          yield* db.upsertBatch(spec.name, columns, ["id"], rows.map((row) => ({ ...row, c0: -1 })))
          assert.strictEqual(yield* db.countWhere(spec.name, { c0: -1 }), count)
        }), 120_000)

      it.scoped(
        "splits batches over the statement size budget (MySQL max_allowed_packet)",
        () =>
          Effect.gen(function*() {
            const db = yield* Db.Database
            const columns: ReadonlyArray<Db.ColumnSpec> = [
              { name: "id", type: "integer", primaryKey: true },
              { name: "data", type: "bytes" }
            ]
            const spec = yield* scopedTable("bytes", columns)
            const rowBytes = 1024 * 1024
            const count = Math.ceil((db.dialect.maxStatementBytes * 1.5) / rowBytes) + 1
            const rows = Array.from({ length: count }, (_, id) => ({ id, data: Buffer.alloc(rowBytes, id % 256) }))
            yield* db.insertBatch(spec.name, columns, rows)
            const read = yield* collectRows(db.streamById(spec.name, { columns, batchSize: 4 }))
            assert.strictEqual(read.length, count)
            assert.strictEqual((read[count - 1]!["data"] as Buffer).length, rowBytes)
            assert.strictEqual((read[count - 1]!["data"] as Buffer)[0], (count - 1) % 256)
          }),
        120_000
      )

      it.scoped("write: tuples and rows, inserted or upserted by key, in one transaction", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "id", type: "integer", primaryKey: true },
            { name: "name", type: "string", maxLength: 255 },
            { name: "data", type: "bytes" }
          ]
          const spec = yield* scopedTable("write", columns)
          yield* db.withTransaction(db.write([
            { table: spec.name, columns, tuples: [[1, "a", "x"], [2, "b", "y"]] },
            { table: spec.name, columns, keyColumns: ["id"], rows: [{ id: 2, name: "B", data: Buffer.from("z") }] },
            { table: spec.name, columns, keyColumns: ["id"], tuples: [[3, "c", "w"], [1, "A", "v"]] }
          ]))
          const read = yield* collectRows(db.streamById(spec.name, { columns, bytesAsText: ["data"] }))
          assert.deepStrictEqual(read.map((r) => [r["id"], r["name"], r["data"]]), [[1, "A", "v"], [2, "B", "z"], [
            3,
            "c",
            "w"
          ]])
          const failed = yield* Effect.exit(db.withTransaction(db.write([
            { table: spec.name, columns, tuples: [[4, "d", "u"]] },
            { table: spec.name, columns, tuples: [[1, "duplicate key", "t"]] }
          ])))
          assert.isTrue(Exit.isFailure(failed))
          assert.strictEqual(yield* db.countWhere(spec.name, {}), 3, "the failed transaction wrote nothing")
        }))

      it.scoped("reads bytes columns as UTF-8 text when asked (bytesAsText)", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "id", type: "integer", primaryKey: true },
            { name: "data", type: "bytes" },
            { name: "other", type: "bytes" }
          ]
          const spec = yield* scopedTable("bytes_text", columns)
          const texts = ["{\"a\":1}", "ünïcødé \u20ac 😀 <&>", ""]
          yield* db.insertBatch(
            spec.name,
            columns,
            texts.map((text, id) => ({ id, data: text, other: Buffer.from(text) }))
          )
          const read = yield* collectRows(db.streamById(spec.name, { columns, bytesAsText: ["data"], batchSize: 2 }))
          assert.deepStrictEqual(read.map((row) => row["data"]), texts)
          assert.isTrue(read.every((row) => Buffer.isBuffer(row["other"])))
          assert.deepStrictEqual(read.map((row) => (row["other"] as Buffer).toString("utf8")), texts)
          // A string written to a bytes column is stored as its UTF-8 bytes (mysql2 is given the string itself).
          const raw = yield* collectRows(db.streamById(spec.name, { columns, batchSize: 2 }))
          assert.deepStrictEqual(
            raw.map((row) => Buffer.from(row["data"] as Uint8Array)),
            texts.map((t) => Buffer.from(t))
          )
        }))

      it.scoped("upserts by primary key: updates, inserts, last duplicate wins", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("upsert", toolColumns)
          const params = "{\"ConnectionId\":1,\"ScopeId\":\"s\"}"
          yield* db.upsertBatch(spec.name, toolColumns, ["connection_id", "id"], [
            { connection_id: 1, id: "a", _raw_data_params: params, title: "A", count: 1 },
            { connection_id: 1, id: "b", _raw_data_params: params, title: "B", count: 1 }
          ])
          yield* db.upsertBatch(spec.name, toolColumns, ["connection_id", "id"], [
            { connection_id: 1, id: "b", _raw_data_params: params, title: "B2", count: 2 },
            { connection_id: 2, id: "a", _raw_data_params: params, title: "other connection", count: 1 },
            { connection_id: 1, id: "c", _raw_data_params: params, title: "C", count: 1 },
            { connection_id: 1, id: "b", _raw_data_params: params, title: "B3", count: 3 }
          ])
          const rows = yield* collectRows(
            db.streamRows(spec.name, { orderBy: ["connection_id", "id"], columns: toolColumns })
          )
          assert.deepStrictEqual(
            rows.map((row) => [row["connection_id"], row["id"], row["title"], row["count"]]),
            [[1, "a", "A", 1], [1, "b", "B3", 3], [1, "c", "C", 1], [2, "a", "other connection", 1]]
          )
        }))

      it.scoped("upserts by a single key: duplicates as the database sees them (Date or ISO text), last wins", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "at", type: "datetime", primaryKey: true },
            { name: "v", type: "integer" }
          ]
          const spec = yield* scopedTable("datekey", columns)
          const at = new Date("2024-05-06T07:08:09.000Z")
          yield* db.upsertBatch(spec.name, columns, ["at"], [{ at, v: 1 }, { at: new Date(at.getTime()), v: 2 }])
          yield* db.write([{
            table: spec.name,
            columns,
            keyColumns: ["at"],
            tuples: [[at, 3], [new Date(0), 4], [at, 5]]
          }])
          const rows = yield* collectRows(db.streamRows(spec.name, { orderBy: ["at"], columns }))
          assert.deepStrictEqual(rows.map((row) => [(row["at"] as Date).toISOString(), row["v"]]), [
            ["1970-01-01T00:00:00.000Z", 4],
            ["2024-05-06T07:08:09.000Z", 5]
          ])
        }))

      it.scoped("upserts rows made only of key columns without duplicating them", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "a", type: "integer", primaryKey: true },
            { name: "b", type: "string", primaryKey: true }
          ]
          const spec = yield* scopedTable("keysonly", columns)
          const rows = [{ a: 1, b: "x" }, { a: 1, b: "y" }]
          yield* db.upsertBatch(spec.name, columns, ["a", "b"], rows)
          yield* db.upsertBatch(spec.name, columns, ["a", "b"], rows)
          assert.strictEqual(yield* db.countWhere(spec.name, {}), 2)
        }))

      it.scoped("rejects upserts whose keys are not written", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("badkeys", toolColumns)
          const error = failureOf(
            yield* Effect.exit(db.upsertBatch(spec.name, toolColumns, ["nope"], [{ connection_id: 1, id: "a" }]))
          )
          assert.strictEqual(error.reason, "InvalidSpec")
          assert.include(error.message, "nope")
        }))

      it.scoped("lets the database number auto-increment ids when rows leave them out", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns = rawColumns
          const spec = yield* scopedTable("raw", columns)
          yield* db.insertBatch(spec.name, columns, [{ params: "p", data: "1" }, { params: "p", data: "2" }])
          yield* db.insertBatch(spec.name, columns, [{ params: "p", data: "3" }])
          const rows = yield* collectRows(db.streamById(spec.name, { columns }))
          assert.deepStrictEqual(rows.map((row) => row["id"]), [1, 2, 3])
          assert.deepStrictEqual(rows.map((row) => (row["data"] as Buffer).toString()), ["1", "2", "3"])
          const error = failureOf(
            yield* Effect.exit(db.insertBatch(spec.name, columns, [{ id: 10, params: "p" }, { params: "p" }]))
          )
          assert.strictEqual(error.reason, "Encode")
        }))

      it.scoped("deletes and counts by equality, IN and IS NULL conditions", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("delete", toolColumns)
          yield* db.insertBatch(
            spec.name,
            toolColumns,
            Array.from({ length: 10 }, (_, i) => ({
              connection_id: i % 2,
              id: `r${i}`,
              _raw_data_params: i < 8 ? `p${i % 3}` : null
            }))
          )
          assert.strictEqual(yield* db.countWhere(spec.name, { _raw_data_params: "p0" }), 3)
          assert.strictEqual(yield* db.countWhere(spec.name, { _raw_data_params: ["p1", "p2"], connection_id: 1 }), 3)
          assert.strictEqual(yield* db.countWhere(spec.name, { _raw_data_params: [] }), 0)
          assert.strictEqual(yield* db.deleteWhere(spec.name, { _raw_data_params: null }), 2)
          assert.strictEqual(yield* db.deleteWhere(spec.name, { _raw_data_params: "p0", connection_id: 0 }), 2)
          assert.strictEqual(yield* db.deleteWhere(spec.name, { _raw_data_params: "nothing" }), 0)
          assert.strictEqual(yield* db.countWhere(spec.name, {}), 6)
          const error = failureOf(yield* Effect.exit(db.deleteWhere(spec.name, {})))
          assert.strictEqual(error.reason, "InvalidSpec")
          assert.strictEqual(yield* db.countWhere(spec.name, {}), 6)
        }))

      it.scoped("names the table and the server's reason in query errors", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("dupe", toolColumns)
          const row = { connection_id: 1, id: "same" }
          yield* db.insertBatch(spec.name, toolColumns, [row])
          const error = failureOf(yield* Effect.exit(db.insertBatch(spec.name, toolColumns, [row])))
          assert.strictEqual(error.reason, "Query")
          assert.include(error.message, `inserting into ${spec.name}`)
          assert.match(error.message, /unique|duplicate/i)
          assert.notInclude(error.message, "\n")
        }))

      it.scoped("commits a batch insert and a state upsert together, or neither", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const raw = yield* scopedTable("txraw", [
            { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
            { name: "params", type: "string", maxLength: 255 }
          ])
          const state = yield* scopedTable("txstate", [
            { name: "subtask_name", type: "string", primaryKey: true },
            { name: "state", type: "json" }
          ])
          const write = (n: number) =>
            Effect.zipRight(
              db.insertBatch(raw.name, raw.columns, Array.from({ length: n }, () => ({ params: "p" }))),
              db.upsertBatch(state.name, state.columns, ["subtask_name"], [{ subtask_name: "collect", state: { n } }])
            )
          yield* db.withTransaction(write(3))
          const failed = yield* Effect.exit(
            db.withTransaction(Effect.zipRight(write(5), Effect.fail("interrupted" as const)))
          )
          assert.deepStrictEqual(failed, Exit.fail("interrupted"))
          assert.strictEqual(yield* db.countWhere(raw.name, {}), 3)
          const stored = yield* collectRows(
            db.streamRows(state.name, { orderBy: ["subtask_name"], columns: state.columns })
          )
          assert.deepStrictEqual(stored, [{ subtask_name: "collect", state: { n: 3 } }])

          // A failed nested transaction rolls back to its savepoint only.
          yield* db.withTransaction(
            Effect.gen(function*() {
              yield* write(1)
              yield* Effect.ignore(db.withTransaction(Effect.zipRight(write(100), Effect.fail("inner"))))
            })
          )
          assert.strictEqual(yield* db.countWhere(raw.name, {}), 4)
        }))

      it.scoped("streams by id in pages without reading the whole table", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns = rawColumns
          const spec = yield* scopedTable("stream", columns)
          yield* db.insertBatch(
            spec.name,
            columns,
            Array.from({ length: 1000 }, (_, i) => ({ params: i % 4 === 0 ? "mine" : "other", data: `${i}` }))
          )
          const pages = yield* Stream.runCollect(
            db.streamById(spec.name, { where: { params: "mine" }, batchSize: 60, columns })
          ).pipe(Effect.map(Chunk.toReadonlyArray))
          assert.deepStrictEqual(pages.map(Chunk.size), [60, 60, 60, 60, 10])
          const ids = pages.flatMap((page) => Chunk.toReadonlyArray(page).map((row) => row["id"] as number))
          assert.strictEqual(ids.length, 250)
          assert.deepStrictEqual(ids, [...ids].sort((a, b) => a - b))
          assert.deepStrictEqual(ids.slice(0, 3), [1, 5, 9])

          const resumed = yield* collectRows(
            db.streamById(spec.name, { where: { params: "mine" }, afterId: 993, columns })
          )
          assert.deepStrictEqual(resumed.map((row) => row["id"]), [997])

          // Stopping early stops querying: take(1) of a 1000-row table with pages of 10 reads one page.
          const first = yield* Stream.runCollect(Stream.take(db.streamById(spec.name, { batchSize: 10 }), 1))
          assert.strictEqual(Chunk.size(Chunk.unsafeGet(first, 0)), 10)

          const empty = yield* Stream.runCollect(db.streamById(spec.name, { where: { params: "nobody" } }))
          assert.strictEqual(Chunk.size(empty), 0)
        }))

      it.scoped("streams tool rows by their composite primary key", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("keyset", toolColumns)
          const rows = []
          for (const connection_id of [2, 1]) {
            for (let i = 0; i < 50; i++) {
              rows.push({ connection_id, id: `id-${String(i).padStart(3, "0")}`, _raw_data_params: "p", count: i })
            }
          }
          yield* db.insertBatch(spec.name, toolColumns, rows)
          const read = yield* collectRows(
            db.streamRows(spec.name, {
              orderBy: ["connection_id", "id"],
              where: { _raw_data_params: "p" },
              batchSize: 7,
              columns: toolColumns
            })
          )
          assert.strictEqual(read.length, 100)
          const keys = read.map((row) => `${row["connection_id"]}/${row["id"]}`)
          assert.strictEqual(new Set(keys).size, 100)
          assert.deepStrictEqual(keys.slice(0, 2), ["1/id-000", "1/id-001"])
          assert.deepStrictEqual(keys.slice(49, 51), ["1/id-049", "2/id-000"])

          const after = yield* collectRows(
            db.streamRows(spec.name, { orderBy: ["connection_id", "id"], after: [1, "id-048"], columns: toolColumns })
          )
          assert.strictEqual(after.length, 51)
          assert.strictEqual(after[0]!["id"], "id-049")

          // Without column specs, rows come as the driver returns them.
          const rawRows = yield* collectRows(
            db.streamRows(spec.name, { orderBy: ["connection_id", "id"], batchSize: 30 })
          )
          assert.strictEqual(rawRows.length, 100)
          assert.includeMembers(Object.keys(rawRows[0]!), toolColumns.map((c) => c.name))

          const bad = yield* Effect.exit(Stream.runDrain(db.streamRows(spec.name, { orderBy: [] })))
          assert.strictEqual(failureOf(bad).reason, "InvalidSpec")
        }))

      it.scoped("with maxBytes, pages start at 16 rows and then hold what the budget does, batchSize at most", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "id", type: "integer", primaryKey: true },
            { name: "body", type: "string" }
          ]
          const spec = yield* scopedTable("budget", columns)
          // Rows 1-40 carry 1,000 characters, rows 41-100 one.
          yield* db.insertBatch(
            spec.name,
            columns,
            Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: i < 40 ? "b".repeat(1000) : "s" }))
          )
          const pages = (stream: Stream.Stream<Chunk.Chunk<unknown>, Db.DbError>) =>
            Effect.map(Stream.runCollect(stream), (all) => Chunk.toArray(all).map(Chunk.size))
          const unbudgeted = { orderBy: ["id"], columns, batchSize: 20 }
          const options = { ...unbudgeted, maxBytes: 3500 }
          // 16 rows first; 1,008 bytes a row then fits 3 a page until row 40; the small rows after let pages
          // double from there, up to batchSize.
          const expected = [16, 3, 3, 3, 3, 3, 3, 3, 3, 3, 6, 12, 20, 19]
          assert.deepStrictEqual(yield* pages(db.streamTuples(spec.name, options)), expected)
          assert.deepStrictEqual(yield* pages(db.streamRows(spec.name, options)), expected)
          const ids = yield* collectRows(db.streamRows(spec.name, options))
          assert.deepStrictEqual(ids.map((row) => row["id"]), Array.from({ length: 100 }, (_, i) => i + 1))
          // Without a budget, pages are batchSize rows.
          assert.deepStrictEqual(yield* pages(db.streamTuples(spec.name, unbudgeted)), [20, 20, 20, 20, 20])
        }))

      it.scoped("streams rows as tuples: decoded as streamRows decodes them, in columns order, orderBy after", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "connection_id", type: "integer", primaryKey: true },
            { name: "id", type: "string", primaryKey: true },
            { name: "at", type: "datetime" },
            { name: "done", type: "boolean" },
            { name: "big", type: "integer" },
            { name: "doc", type: "json" }
          ]
          const spec = yield* scopedTable("tuples", columns)
          const rows = Array.from({ length: 25 }, (_, i) => ({
            connection_id: 1,
            id: `t-${String(i).padStart(2, "0")}`,
            at: new Date(Date.UTC(2024, 0, 1, 0, i)),
            done: i % 2 === 0,
            big: i === 3 ? 9007199254740993n : i === 4 ? null : i,
            doc: { n: i }
          }))
          yield* db.insertBatch(spec.name, columns, rows)
          const orderBy = ["connection_id", "id"]
          const asRows = yield* collectRows(db.streamRows(spec.name, { orderBy, columns, batchSize: 4 }))
          const pages = yield* Stream.runCollect(db.streamTuples(spec.name, { orderBy, columns, batchSize: 4 }))
          const tuples = Chunk.toArray(pages).flatMap((page) => Chunk.toArray(page))
          assert.deepStrictEqual(Chunk.toArray(pages).map(Chunk.size), [4, 4, 4, 4, 4, 4, 1])
          assert.deepStrictEqual(tuples, asRows.map((row) => columns.map((c) => row[c.name])))
          assert.deepStrictEqual(tuples[3], [
            1,
            "t-03",
            new Date(Date.UTC(2024, 0, 1, 0, 3)),
            false,
            9007199254740993n,
            { n: 3 }
          ])
          assert.deepStrictEqual(tuples[4]![4], null)

          // An orderBy column not among columns comes after them; `after` starts past a key.
          const narrow = yield* Stream.runCollect(
            db.streamTuples(spec.name, { orderBy, columns: [columns[2]!], after: [1, "t-22"], batchSize: 2 })
          )
          // (Columns without a spec are read as the driver returns them: PostgreSQL's bigint as text.)
          assert.deepStrictEqual(
            Chunk.toArray(narrow).flatMap((page) => Chunk.toArray(page)).map((
              [at, connection, id]
            ) => [at, Number(connection), id]),
            [[new Date(Date.UTC(2024, 0, 1, 0, 23)), 1, "t-23"], [new Date(Date.UTC(2024, 0, 1, 0, 24)), 1, "t-24"]]
          )

          const noColumns = yield* Effect.exit(
            Stream.runDrain(db.streamTuples(spec.name, { orderBy } as unknown as Db.StreamTuplesOptions))
          )
          assert.strictEqual(failureOf(noColumns).reason, "InvalidSpec")
        }))
    })
  })
}

// The statement text and values of a write, without a database.

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
        into: "INSERT INTO `t` (`id`, `name`)",
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
