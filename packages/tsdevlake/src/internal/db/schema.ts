import { Effect, Either } from "effect"
import type { ColumnInfo, ColumnSpec, RawColumnSpec, TableSpec } from "../../Db.js"
import type { DbCore } from "./core.js"
import { columnType, createIndexStatement, createTableStatements, validateColumn, validateTable } from "./ddl.js"
import type { DbError } from "./errors.js"

/** Schema introspection and changes: the operations behind DevLake-style migrations. */

const isRawColumn = (column: ColumnSpec | RawColumnSpec): column is RawColumnSpec => "sqlType" in column

/** @internal */
export const makeSchemaOps = (core: DbCore) => {
  const { name, namesEqual, quote, run, runRaw, withTransaction } = core

  const tableExists = (table: string) =>
    Effect.map(
      name === "sqlite"
        ? run("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [table], `checking table ${table}`)
        : name === "mysql"
        ? run(
          "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
          [table],
          `checking table ${table}`
        )
        : run(
          "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
          [table],
          `checking table ${table}`
        ),
      (rows) => rows.length > 0
    )

  const columnsOf = (table: string): Effect.Effect<ReadonlyArray<ColumnInfo>, DbError> => {
    const what = `reading columns of ${table}`
    if (name === "sqlite") {
      return Effect.map(
        run("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?) ORDER BY cid", [table], what),
        (rows) =>
          rows.map((row) => ({
            name: String(row["name"]),
            type: String(row["type"]).toLowerCase(),
            nullable: Number(row["nn"]) === 0 && Number(row["pk"]) === 0,
            primaryKey: Number(row["pk"]) > 0
          }))
      )
    }
    if (name === "mysql") {
      return Effect.map(
        run(
          "SELECT column_name AS name, column_type AS type, is_nullable AS nullable, column_key AS ckey " +
            "FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
          [table],
          what
        ),
        (rows) =>
          rows.map((row) => ({
            name: String(row["name"]),
            type: String(row["type"]).toLowerCase(),
            nullable: row["nullable"] === "YES",
            primaryKey: row["ckey"] === "PRI"
          }))
      )
    }
    return Effect.map(
      run(
        "SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, " +
          "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS pk " +
          "FROM pg_attribute a WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped " +
          "ORDER BY a.attnum",
        [table],
        what
      ),
      (rows) =>
        rows.map((row) => ({
          name: String(row["name"]),
          type: String(row["type"]),
          nullable: row["nullable"] === true,
          primaryKey: row["pk"] === true
        }))
    )
  }

  const findColumn = (table: string, column: string) =>
    Effect.map(columnsOf(table), (columns) => columns.find((c) => namesEqual(c.name, column)))

  /**
   * Postgres' `CREATE … IF NOT EXISTS` races between sessions (unique violation on pg_type), and
   * DevLake runs the tasks of one stage in parallel; serialise schema changes per table.
   */
  const serialised = <A>(table: string, effect: Effect.Effect<A, DbError>): Effect.Effect<A, DbError> =>
    name === "postgres"
      ? withTransaction(
        Effect.zipRight(
          run("SELECT pg_advisory_xact_lock(hashtext($1)) AS locked", [`tsdevlake:ddl:${table}`], `locking ${table}`),
          effect
        )
      )
      : effect

  const createTableIfNotExists = (spec: TableSpec) =>
    Effect.suspend(() => {
      const valid = validateTable(spec)
      if (Either.isLeft(valid)) return Effect.fail(valid.left)
      return serialised(
        spec.name,
        Effect.gen(function*() {
          const existed = yield* tableExists(spec.name)
          const [create, ...indexes] = createTableStatements(name, spec)
          const result = yield* runRaw(create!, [], `creating table ${spec.name}`)
          for (const statement of indexes) yield* run(statement, [], `creating table ${spec.name}`)
          // MySQL answers a CREATE that lost a race with a "table exists" warning rather than an error.
          const lostRace = name === "mysql" && Number((result as { warningStatus?: unknown }).warningStatus ?? 0) > 0
          return !existed && !lostRace
        })
      )
    })

  const addColumnIfMissing = (table: string, column: ColumnSpec | RawColumnSpec) =>
    Effect.suspend(() => {
      if (!isRawColumn(column)) {
        const valid = validateColumn(table, column)
        if (Either.isLeft(valid)) return Effect.fail(valid.left)
      }
      const type = isRawColumn(column) ? column.sqlType : columnType(name, column)
      const notNull = !isRawColumn(column) && column.nullable === false ? " NOT NULL" : ""
      const add = Effect.gen(function*() {
        if ((yield* findColumn(table, column.name)) !== undefined) return false
        const added = yield* run(
          `ALTER TABLE ${quote(table)} ADD COLUMN ${quote(column.name)} ${type}${notNull}`,
          [],
          `adding column ${column.name} to ${table}`
        ).pipe(
          Effect.as(true),
          // Another process may have added it between the check and the ALTER.
          Effect.catchAll((error) =>
            Effect.flatMap(
              findColumn(table, column.name),
              (found) => found === undefined ? Effect.fail(error) : Effect.succeed(false)
            )
          )
        )
        if (added && !isRawColumn(column) && column.index === true) {
          yield* run(createIndexStatement(name, table, column), [], `indexing ${table}.${column.name}`)
        }
        return added
      })
      return serialised(table, add)
    })

  /** SQLite refuses to drop an indexed column; drop its explicit indexes first. */
  const dropSqliteIndexesOn = (table: string, column: string) =>
    Effect.flatMap(
      run(
        "SELECT DISTINCT il.name AS name FROM pragma_index_list(?) AS il, pragma_index_info(il.name) AS ii " +
          "WHERE il.origin = 'c' AND ii.name = ? COLLATE NOCASE",
        [table, column],
        `reading indexes of ${table}`
      ),
      (rows) =>
        Effect.forEach(
          rows,
          (row) => run(`DROP INDEX IF EXISTS ${quote(String(row["name"]))}`, [], `dropping index on ${table}.${column}`),
          { discard: true }
        )
    )

  const dropColumn = (table: string, column: string) =>
    serialised(
      table,
      Effect.gen(function*() {
        const found = yield* findColumn(table, column)
        if (found === undefined) return false
        if (name === "sqlite") yield* dropSqliteIndexesOn(table, found.name)
        yield* run(`ALTER TABLE ${quote(table)} DROP COLUMN ${quote(found.name)}`, [], `dropping column ${table}.${column}`)
        return true
      })
    )

  const dropTableIfExists = (table: string) =>
    Effect.gen(function*() {
      const existed = yield* tableExists(table)
      yield* run(`DROP TABLE IF EXISTS ${quote(table)}`, [], `dropping table ${table}`)
      return existed
    })

  const renameColumn = (table: string, from: string, to: string) =>
    serialised(
      table,
      Effect.gen(function*() {
        const source = yield* findColumn(table, from)
        if (source === undefined) return false
        if (namesEqual(from, to)) return false
        if ((yield* findColumn(table, to)) !== undefined) {
          if (name === "sqlite") yield* dropSqliteIndexesOn(table, to)
          yield* run(`ALTER TABLE ${quote(table)} DROP COLUMN ${quote(to)}`, [], `dropping column ${table}.${to}`)
        }
        yield* run(
          `ALTER TABLE ${quote(table)} RENAME COLUMN ${quote(source.name)} TO ${quote(to)}`,
          [],
          `renaming column ${table}.${from} to ${to}`
        )
        return true
      })
    )

  const renameTable = (from: string, to: string) =>
    Effect.gen(function*() {
      if (!(yield* tableExists(from))) return false
      yield* run(`ALTER TABLE ${quote(from)} RENAME TO ${quote(to)}`, [], `renaming table ${from} to ${to}`)
      return true
    })

  const indexExists = (table: string, index: string) =>
    Effect.map(
      name === "mysql"
        ? run(
          "SELECT 1 AS found FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ? LIMIT 1",
          [table, index],
          `reading the indexes of ${table}`
        )
        : name === "postgres"
        ? run(
          "SELECT 1 AS found FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2",
          [table, index],
          `reading the indexes of ${table}`
        )
        : run("SELECT 1 AS found FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?", [table, index], `reading the indexes of ${table}`),
      (rows) => rows.length > 0
    )

  /**
   * Creates an index on existing columns unless one of that name exists; `true` when this call created it.
   * MySQL has no `CREATE INDEX IF NOT EXISTS`; a create that loses a race there is ignored (error 1061).
   */
  const createIndexIfNotExists = (table: string, index: string, columns: ReadonlyArray<string>) =>
    serialised(
      table,
      Effect.gen(function*() {
        if (yield* indexExists(table, index)) return false
        const statement = `CREATE INDEX ${name === "mysql" ? "" : "IF NOT EXISTS "}${quote(index)} ON ${quote(table)} (${
          columns.map(quote).join(", ")
        })`
        return yield* run(statement, [], `creating index ${index} on ${table}`).pipe(
          Effect.as(true),
          Effect.catchIf((error) => name === "mysql" && /Duplicate key name/i.test(error.detail), () => Effect.succeed(false))
        )
      })
    )

  return {
    tableExists,
    columnsOf,
    createTableIfNotExists,
    createIndexIfNotExists,
    addColumnIfMissing,
    dropColumn,
    dropTableIfExists,
    renameColumn,
    renameTable
  }
}
