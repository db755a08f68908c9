/**
 * Schema changes (CREATE, ALTER, DROP, RENAME): the operations behind DevLake-style migrations. Each one is
 * idempotent, answering whether it changed anything, because DevLake reruns migrations and runs the tasks of a
 * stage in parallel.
 */
import { Effect, Either } from "effect"
import type { ColumnSpec, RawColumnSpec, TableSpec } from "../../Db.js"
import { findColumn, indexExists, tableExists } from "./catalog.js"
import { type DbCore, run, runRaw, withTransaction } from "./core.js"
import { createIndexStatement, createTableStatements, validateColumn, validateTable } from "./ddl.js"
import type { DbError } from "./errors.js"

const isRawColumn = (column: ColumnSpec | RawColumnSpec): column is RawColumnSpec => "sqlType" in column

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
