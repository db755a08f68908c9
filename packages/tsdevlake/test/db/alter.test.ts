import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as Db from "../../src/Db.js"
import { collectRows, scopedTable, testDatabases, uniqueTableName } from "../utils/databases.js"

const everyType: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
  { name: "key_str", type: "string", nullable: false },
  { name: "pk_str", type: "string", primaryKey: false, maxLength: 40 },
  { name: "raw_id", type: "unsignedInteger" },
  { name: "ratio", type: "number" },
  { name: "done", type: "boolean" },
  { name: "short_text", type: "string", maxLength: 20 },
  { name: "exact_255", type: "string", maxLength: 255 },
  { name: "long_text", type: "string", maxLength: 65536 },
  { name: "started_at", type: "datetime" },
  { name: "payload", type: "json" },
  { name: "data", type: "bytes" }
]

/** What each server reports for `everyType`, in order; MySQL entries accept MariaDB's spelling too. */
const expectedTypes: Record<Db.DialectName, ReadonlyArray<string | RegExp>> = {
  sqlite: [
    "integer",
    "text",
    "varchar(40)",
    "integer",
    "real",
    "boolean",
    "varchar(20)",
    "varchar(255)",
    "text",
    "datetime",
    "text",
    "blob"
  ],
  mysql: [
    /^bigint(\(20\))?$/,
    "text",
    "varchar(40)",
    /^bigint(\(20\))? unsigned$/,
    "double",
    "tinyint(1)",
    "varchar(20)",
    "varchar(255)",
    "text",
    "datetime(3)",
    /^(json|longtext)$/,
    "longblob"
  ],
  postgres: [
    "bigint",
    "text",
    "character varying(40)",
    "bigint",
    "numeric",
    "boolean",
    "character varying(20)",
    "character varying(255)",
    "text",
    "timestamp with time zone",
    "jsonb",
    "bytea"
  ]
}

const indexesOf = (table: string) =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const rows = db.dialect.name === "sqlite"
      ? yield* db.execute("SELECT name FROM pragma_index_list(?) WHERE origin = 'c'", [table])
      : db.dialect.name === "mysql"
      ? yield* db.execute(
        "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name <> 'PRIMARY'",
        [table]
      )
      : yield* db.execute(
        "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname NOT LIKE '%_pkey'",
        [table]
      )
    return rows.map((row) => String(row["name"])).sort()
  })

const names = (columns: ReadonlyArray<Db.ColumnInfo>) => columns.map((column) => column.name)

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`Db schema on ${database.name}`, () => {
    layer(Db.layer(database.url), { excludeTestServices: true })((it) => {
      it.scoped("creates every column type as gorm would", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("types", everyType)
          const columns = yield* db.columnsOf(spec.name)
          assert.deepStrictEqual(names(columns), everyType.map((c) => c.name))
          const expected = expectedTypes[db.dialect.name]
          columns.forEach((column, i) => {
            const want = expected[i]!
            if (typeof want === "string") assert.strictEqual(column.type, want, column.name)
            else assert.match(column.type, want, column.name)
          })
          assert.deepStrictEqual(columns.filter((c) => c.primaryKey).map((c) => c.name), ["id"])
          assert.deepStrictEqual(columns.filter((c) => !c.nullable).map((c) => c.name), ["id", "key_str"])
        }))

      it.effect("maps column specs to DDL types without touching the database", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const type = (column: Omit<Db.ColumnSpec, "name">) => db.dialect.columnType({ name: "c", ...column })
          assert.strictEqual(type({ type: "string", primaryKey: true }), "varchar(255)")
          assert.strictEqual(type({ type: "string", primaryKey: true, maxLength: 100 }), "varchar(100)")
          assert.strictEqual(type({ type: "string", maxLength: 256 }), "text")
          assert.strictEqual(type({ type: "string" }), "text")
          const autoIncrement = type({ type: "integer", primaryKey: true, autoIncrement: true })
          assert.strictEqual(
            autoIncrement,
            { sqlite: "integer", mysql: "bigint AUTO_INCREMENT", postgres: "bigserial" }[db.dialect.name]
          )
          assert.strictEqual(
            type({ type: "number" }),
            { sqlite: "real", mysql: "double", postgres: "decimal" }[db.dialect.name]
          )
          assert.strictEqual(
            type({ type: "datetime" }),
            { sqlite: "datetime", mysql: "datetime(3)", postgres: "timestamptz" }[db.dialect.name]
          )
          assert.strictEqual(
            type({ type: "json" }),
            { sqlite: "text", mysql: "json", postgres: "jsonb" }[db.dialect.name]
          )
          assert.strictEqual(
            type({ type: "bytes" }),
            { sqlite: "blob", mysql: "longblob", postgres: "bytea" }[db.dialect.name]
          )
        }))

      it.scoped("creates composite primary keys and gorm-named indexes, idempotently", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("tool", [
            { name: "connection_id", type: "integer", primaryKey: true },
            { name: "id", type: "string", primaryKey: true },
            { name: "_raw_data_params", type: "string", maxLength: 255, index: true },
            { name: "title", type: "string", index: true },
            { name: "created_at", type: "datetime" }
          ])
          assert.isTrue(yield* db.tableExists(spec.name))
          assert.isFalse(yield* db.createTableIfNotExists(spec))
          const columns = yield* db.columnsOf(spec.name)
          assert.deepStrictEqual(columns.filter((c) => c.primaryKey).map((c) => c.name), ["connection_id", "id"])
          assert.deepStrictEqual(
            yield* indexesOf(spec.name),
            [`idx_${spec.name}__raw_data_params`, `idx_${spec.name}_title`].sort()
          )
        }))

      it.scoped("shortens index names past the identifier limit", () =>
        Effect.gen(function*() {
          const longColumn = "a_column_name_that_is_rather_long_indeed"
          const spec = yield* scopedTable("longindex", [
            { name: "id", type: "integer", primaryKey: true },
            { name: longColumn, type: "string", maxLength: 50, index: true }
          ])
          const indexes = yield* indexesOf(spec.name)
          assert.strictEqual(indexes.length, 1)
          assert.isAtMost(indexes[0]!.length, 60)
          assert.isTrue(indexes[0]!.startsWith(`idx_${spec.name}_`))
        }))

      it.effect("reports whether it created or dropped a table", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec: Db.TableSpec = { name: uniqueTableName("lifecycle"), columns: [{ name: "x", type: "integer" }] }
          assert.isFalse(yield* db.tableExists(spec.name))
          assert.deepStrictEqual(yield* db.columnsOf(spec.name), [])
          assert.isTrue(yield* db.createTableIfNotExists(spec))
          assert.isFalse(yield* db.createTableIfNotExists(spec))
          assert.isTrue(yield* db.dropTableIfExists(spec.name))
          assert.isFalse(yield* db.dropTableIfExists(spec.name))
          assert.isFalse(yield* db.tableExists(spec.name))
        }))

      it.effect("creates a table exactly once when many sessions race (parallel DevLake tasks)", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec: Db.TableSpec = {
            name: uniqueTableName("race"),
            columns: [
              { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
              { name: "params", type: "string", maxLength: 255, index: true }
            ]
          }
          const results = yield* Effect.all(Array.from({ length: 8 }, () => db.createTableIfNotExists(spec)), {
            concurrency: "unbounded"
          }).pipe(Effect.ensuring(Effect.orDie(db.dropTableIfExists(spec.name))))
          assert.strictEqual(results.filter((created) => created).length, 1)
        }))

      it.scoped("adds missing columns once, from a spec or a raw SQL type", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const spec = yield* scopedTable("addcol", [{ name: "id", type: "integer", primaryKey: true }])
          assert.isTrue(
            yield* db.addColumnIfMissing(spec.name, { name: "owner", type: "string", maxLength: 100, index: true })
          )
          assert.isFalse(yield* db.addColumnIfMissing(spec.name, { name: "owner", type: "string", maxLength: 100 }))
          assert.isTrue(yield* db.addColumnIfMissing(spec.name, { name: "notes", sqlType: "varchar(500)" }))
          assert.isFalse(
            yield* db.addColumnIfMissing(spec.name, { name: "NOTES", sqlType: "varchar(500)" }).pipe(
              Effect.map((added) => db.dialect.name === "postgres" ? !added : added)
            )
          )
          const columns = yield* db.columnsOf(spec.name)
          assert.includeMembers(names(columns), ["id", "owner", "notes"])
          assert.include(yield* indexesOf(spec.name), `idx_${spec.name}_owner`)
        }))

      it.scoped("renames and drops columns with DevLake's migration semantics", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "id", type: "integer", primaryKey: true },
            { name: "old_name", type: "string", maxLength: 50, index: true },
            { name: "taken", type: "string", maxLength: 50, index: true }
          ]
          const spec = yield* scopedTable("rename", columns)
          yield* db.insertBatch(spec.name, columns, [{ id: 1, old_name: "keep me", taken: "overwritten" }])

          assert.isFalse(yield* db.renameColumn(spec.name, "missing", "whatever"))
          // An existing target is dropped first, as Go's rename_column does.
          assert.isTrue(yield* db.renameColumn(spec.name, "old_name", "taken"))
          assert.deepStrictEqual(names(yield* db.columnsOf(spec.name)), ["id", "taken"])
          const rows = yield* db.execute(`SELECT ${db.dialect.quote("taken")} AS v FROM ${db.dialect.quote(spec.name)}`)
          assert.strictEqual(rows[0]?.["v"], "keep me")

          assert.isFalse(yield* db.dropColumn(spec.name, "missing"))
          assert.isTrue(yield* db.dropColumn(spec.name, "taken"))
          assert.deepStrictEqual(names(yield* db.columnsOf(spec.name)), ["id"])
        }))

      it.effect("renames tables, doing nothing when the source is missing", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const from = uniqueTableName("renfrom")
          const to = uniqueTableName("rento")
          assert.isFalse(yield* db.renameTable(from, to))
          yield* db.createTableIfNotExists({ name: from, columns: [{ name: "x", type: "integer" }] })
          const renamed = yield* db.renameTable(from, to).pipe(
            Effect.ensuring(Effect.orDie(db.dropTableIfExists(from)))
          )
          const existence = yield* Effect.all([db.tableExists(from), db.tableExists(to)]).pipe(
            Effect.ensuring(Effect.orDie(db.dropTableIfExists(to)))
          )
          assert.isTrue(renamed)
          assert.deepStrictEqual(existence, [false, true])
        }))

      it.scoped("quotes identifiers: reserved words, spaces and quote characters", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const columns: ReadonlyArray<Db.ColumnSpec> = [
            { name: "order", type: "integer", primaryKey: true },
            { name: "select", type: "string", maxLength: 20 },
            { name: "with space", type: "string", maxLength: 20 },
            { name: "quote\"d", type: "string", maxLength: 20 },
            { name: "back`tick", type: "string", maxLength: 20 }
          ]
          const spec = yield* scopedTable("quoting", columns)
          const row = { "order": 1, "select": "a", "with space": "b", "quote\"d": "c", "back`tick": "d" }
          yield* db.upsertBatch(spec.name, columns, ["order"], [row])
          const read = yield* collectRows(db.streamRows(spec.name, { orderBy: ["order"], columns }))
          assert.deepStrictEqual(read, [row])
        }))

      it.effect("rejects specs no dialect can create", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const attempt = (columns: ReadonlyArray<Db.ColumnSpec>) =>
            Effect.exit(db.createTableIfNotExists({ name: uniqueTableName("invalid"), columns }))
          const cases: Array<[ReadonlyArray<Db.ColumnSpec>, string]> = [
            [[], "no columns"],
            [[{ name: "id", type: "string", primaryKey: true, autoIncrement: true }], "must be an integer"],
            [[{ name: "id", type: "integer", autoIncrement: true }], "must be the primary key"],
            [[
              { name: "a", type: "integer", primaryKey: true, autoIncrement: true },
              { name: "b", type: "integer", primaryKey: true }
            ], "only primary key"],
            [[{ name: "a", type: "integer" }, { name: "A", type: "integer" }], "declared twice"],
            [[{ name: "j", type: "json", index: true }], "cannot be indexed"]
          ]
          for (const [columns, text] of cases) {
            const exit = yield* attempt(columns)
            assert.isTrue(Exit.isFailure(exit))
            if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
              assert.strictEqual(exit.cause.error.reason, "InvalidSpec")
              assert.include(exit.cause.error.message, text)
            } else {
              assert.fail(`expected an InvalidSpec failure for ${text}`)
            }
          }
        }))
    })
  })
}
