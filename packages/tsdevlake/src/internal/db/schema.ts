import { Effect, Either } from "effect"
import type { ColumnInfo, ColumnSpec, DialectName, RawColumnSpec, TableSpec } from "../../Db.js"
import { type DbCore, run, runRaw, withTransaction } from "./core.js"
import { createIndexStatement, createTableStatements, validateColumn, validateTable } from "./ddl.js"
import type { DbError } from "./errors.js"

/** Schema introspection and changes: the operations behind DevLake-style migrations. */

const isRawColumn = (column: ColumnSpec | RawColumnSpec): column is RawColumnSpec => "sqlType" in column

type Fields = Record<string, unknown>

/** Each dialect's catalog query for one table's columns, and its rows as `ColumnInfo`. */
const columnQueries: Record<DialectName, { readonly sql: string; readonly info: (row: Fields) => ColumnInfo }> = {
  sqlite: {
    sql: "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info(?) ORDER BY cid",
    info: (row) => ({
      name: String(row["name"]),
      type: String(row["type"]).toLowerCase(),
      nullable: Number(row["nn"]) === 0 && Number(row["pk"]) === 0,
      primaryKey: Number(row["pk"]) > 0
    })
  },
  mysql: {
    sql: "SELECT column_name AS name, column_type AS type, is_nullable AS nullable, column_key AS ckey " +
      "FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
    info: (row) => ({
      name: String(row["name"]),
      type: String(row["type"]).toLowerCase(),
      nullable: row["nullable"] === "YES",
      primaryKey: row["ckey"] === "PRI"
    })
  },
  postgres: {
    sql: "SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, " +
      "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) AS pk " +
      "FROM pg_attribute a WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped " +
      "ORDER BY a.attnum",
    info: (row) => ({
      name: String(row["name"]),
      type: String(row["type"]),
      nullable: row["nullable"] === true,
      primaryKey: row["pk"] === true
    })
  }
}

/** Each dialect's query for a table by name (one parameter). */
const tableQueries: Record<DialectName, string> = {
  sqlite: "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?",
  mysql: "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
  postgres: "SELECT 1 AS x FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
}

/** Each dialect's query for an index by table and name (two parameters). */
const indexQueries: Record<DialectName, string> = {
  sqlite: "SELECT 1 AS found FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?",
  mysql: "SELECT 1 AS found FROM information_schema.statistics " +
    "WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ? LIMIT 1",
  postgres:
    "SELECT 1 AS found FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname = $2"
}

/** @internal */
export const tableExists = (core: DbCore, table: string): Effect.Effect<boolean, DbError> =>
  Effect.map(run(core, tableQueries[core.dialect.name], [table], `checking table ${table}`), (rows) => rows.length > 0)

/** @internal */
export const columnsOf = (core: DbCore, table: string): Effect.Effect<ReadonlyArray<ColumnInfo>, DbError> => {
  const query = columnQueries[core.dialect.name]
  return Effect.map(run(core, query.sql, [table], `reading columns of ${table}`), (rows) => rows.map(query.info))
}

const findColumn = (core: DbCore, table: string, column: string) =>
  Effect.map(columnsOf(core, table), (columns) => columns.find((c) => core.dialect.namesEqual(c.name, column)))

const indexExists = (core: DbCore, table: string, index: string) =>
  Effect.map(
    run(core, indexQueries[core.dialect.name], [table, index], `reading the indexes of ${table}`),
    (rows) => rows.length > 0
  )

/**
 * Postgres' `CREATE … IF NOT EXISTS` races between sessions (unique violation on pg_type), and DevLake runs
 * the tasks of one stage in parallel; serialise schema changes per table.
 */
const serialised = <A>(core: DbCore, table: string, effect: Effect.Effect<A, DbError>): Effect.Effect<A, DbError> =>
  core.dialect.name === "postgres"
    ? withTransaction(
      core,
      Effect.zipRight(
        run(
          core,
          "SELECT pg_advisory_xact_lock(hashtext($1)) AS locked",
          [`tsdevlake:ddl:${table}`],
          `locking ${table}`
        ),
        effect
      )
    )
    : effect

/** @internal */
export const createTableIfNotExists = (core: DbCore, spec: TableSpec): Effect.Effect<boolean, DbError> =>
  Effect.suspend(() => {
    const valid = validateTable(spec)
    if (Either.isLeft(valid)) return Effect.fail(valid.left)
    const what = `creating table ${spec.name}`
    return serialised(
      core,
      spec.name,
      Effect.gen(function*() {
        const existed = yield* tableExists(core, spec.name)
        const [create, ...indexes] = createTableStatements(core.dialect.name, spec)
        const result = yield* runRaw(core, create!, [], what)
        for (const statement of indexes) yield* run(core, statement, [], what)
        // MySQL answers a CREATE that lost a race with a "table exists" warning rather than an error.
        const lostRace = core.dialect.name === "mysql" &&
          Number((result as { warningStatus?: unknown }).warningStatus ?? 0) > 0
        return !existed && !lostRace
      })
    )
  })

/** `ALTER TABLE … ADD COLUMN` and its index; `false` when another process added the column first. */
const addColumn = (core: DbCore, table: string, column: ColumnSpec | RawColumnSpec) =>
  Effect.gen(function*() {
    const { columnType, quote } = core.dialect
    const type = isRawColumn(column) ? column.sqlType : columnType(column)
    const notNull = !isRawColumn(column) && column.nullable === false ? " NOT NULL" : ""
    const statement = `ALTER TABLE ${quote(table)} ADD COLUMN ${quote(column.name)} ${type}${notNull}`
    const added = yield* run(core, statement, [], `adding column ${column.name} to ${table}`).pipe(
      Effect.as(true),
      // Another process may have added it between the check and the ALTER.
      Effect.catchAll((error) =>
        Effect.flatMap(
          findColumn(core, table, column.name),
          (found) => found === undefined ? Effect.fail(error) : Effect.succeed(false)
        )
      )
    )
    if (added && !isRawColumn(column) && column.index === true) {
      yield* run(core, createIndexStatement(core.dialect.name, table, column), [], `indexing ${table}.${column.name}`)
    }
    return added
  })

/** @internal */
export const addColumnIfMissing = (
  core: DbCore,
  table: string,
  column: ColumnSpec | RawColumnSpec
): Effect.Effect<boolean, DbError> =>
  Effect.suspend(() => {
    if (!isRawColumn(column)) {
      const valid = validateColumn(table, column)
      if (Either.isLeft(valid)) return Effect.fail(valid.left)
    }
    return serialised(
      core,
      table,
      Effect.flatMap(
        findColumn(core, table, column.name),
        (found) => found !== undefined ? Effect.succeed(false) : addColumn(core, table, column)
      )
    )
  })

/** SQLite refuses to drop an indexed column; drop its explicit indexes first. */
const dropSqliteIndexesOn = (core: DbCore, table: string, column: string) =>
  Effect.flatMap(
    run(
      core,
      "SELECT DISTINCT il.name AS name FROM pragma_index_list(?) AS il, pragma_index_info(il.name) AS ii " +
        "WHERE il.origin = 'c' AND ii.name = ? COLLATE NOCASE",
      [table, column],
      `reading indexes of ${table}`
    ),
    (rows) =>
      Effect.forEach(
        rows,
        (row) => {
          const statement = `DROP INDEX IF EXISTS ${core.dialect.quote(String(row["name"]))}`
          return run(core, statement, [], `dropping index on ${table}.${column}`)
        },
        { discard: true }
      )
  )

/** Drops an existing column (on SQLite, its indexes first); `spelled` is the name the caller gave. */
const dropExistingColumn = (core: DbCore, table: string, column: string, spelled: string) =>
  Effect.zipRight(
    core.dialect.name === "sqlite" ? dropSqliteIndexesOn(core, table, column) : Effect.void,
    run(
      core,
      `ALTER TABLE ${core.dialect.quote(table)} DROP COLUMN ${core.dialect.quote(column)}`,
      [],
      `dropping column ${table}.${spelled}`
    )
  )

/** @internal */
export const dropColumn = (core: DbCore, table: string, column: string): Effect.Effect<boolean, DbError> =>
  serialised(
    core,
    table,
    Effect.gen(function*() {
      const found = yield* findColumn(core, table, column)
      if (found === undefined) return false
      yield* dropExistingColumn(core, table, found.name, column)
      return true
    })
  )

/** @internal */
export const dropTableIfExists = (core: DbCore, table: string): Effect.Effect<boolean, DbError> =>
  Effect.gen(function*() {
    const existed = yield* tableExists(core, table)
    yield* run(core, `DROP TABLE IF EXISTS ${core.dialect.quote(table)}`, [], `dropping table ${table}`)
    return existed
  })

/** @internal */
export const renameColumn = (core: DbCore, table: string, from: string, to: string): Effect.Effect<boolean, DbError> =>
  serialised(
    core,
    table,
    Effect.gen(function*() {
      const { namesEqual, quote } = core.dialect
      const source = yield* findColumn(core, table, from)
      if (source === undefined) return false
      if (namesEqual(from, to)) return false
      if ((yield* findColumn(core, table, to)) !== undefined) yield* dropExistingColumn(core, table, to, to)
      yield* run(
        core,
        `ALTER TABLE ${quote(table)} RENAME COLUMN ${quote(source.name)} TO ${quote(to)}`,
        [],
        `renaming column ${table}.${from} to ${to}`
      )
      return true
    })
  )

/** @internal */
export const renameTable = (core: DbCore, from: string, to: string): Effect.Effect<boolean, DbError> =>
  Effect.gen(function*() {
    if (!(yield* tableExists(core, from))) return false
    const { quote } = core.dialect
    yield* run(core, `ALTER TABLE ${quote(from)} RENAME TO ${quote(to)}`, [], `renaming table ${from} to ${to}`)
    return true
  })

/**
 * Creates an index on existing columns unless one of that name exists; `true` when this call created it.
 * MySQL has no `CREATE INDEX IF NOT EXISTS`; a create that loses a race there is ignored (error 1061).
 *
 * @internal
 */
export const createIndexIfNotExists = (
  core: DbCore,
  table: string,
  index: string,
  columns: ReadonlyArray<string>
): Effect.Effect<boolean, DbError> =>
  serialised(
    core,
    table,
    Effect.gen(function*() {
      if (yield* indexExists(core, table, index)) return false
      const { name, quote } = core.dialect
      const statement = `CREATE INDEX ${name === "mysql" ? "" : "IF NOT EXISTS "}${quote(index)} ON ${quote(table)} (${
        columns.map(quote).join(", ")
      })`
      return yield* run(core, statement, [], `creating index ${index} on ${table}`).pipe(
        Effect.as(true),
        Effect.catchIf(
          (error) => name === "mysql" && /Duplicate key name/i.test(error.detail),
          () => Effect.succeed(false)
        )
      )
    })
  )
