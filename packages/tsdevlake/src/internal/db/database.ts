import type * as SqlClient from "@effect/sql/SqlClient"
import { Context, Effect } from "effect"
import type { Database as DatabaseService, DialectName } from "../../Db.js"
import * as alter from "./alter.js"
import { makeBatchWriter } from "./batch.js"
import * as catalog from "./catalog.js"
import { type DbCore, makeCore, run, withTransaction } from "./core.js"
import { DbError } from "./errors.js"
import * as read from "./read.js"
import { decodeRow } from "./rowDecoder.js"
import type { Reader } from "./sqlite/reader.js"
import * as write from "./write.js"

/**
 * The `Database` service assembled: one record of operations over a core (client, dialect, SQLite reader), each
 * member a call into the module that implements it (catalog, alter, read, write, batch). Kept to assembly so the
 * service's shape is visible in one place and every operation stays a module-level function testable on its own.
 */

/**
 * The `Database` service tag, here so internal modules can use it without the public `Db` module.
 *
 * @internal
 */
export const Database: Context.Tag<DatabaseService, DatabaseService> = Context.GenericTag<DatabaseService>(
  "tsdevlake/Db/Database"
)

/**
 * The service's members over one core: each a module-level operation given the core.
 *
 * @internal
 */
export const assemble = (core: DbCore, sqliteFile: string | undefined): DatabaseService => {
  const writes = write.makeWriteContext(core)
  return {
    dialect: core.dialect,
    sql: core.sql,
    decodeRow: (columns, row) => decodeRow(core.dialect.name, columns, row),
    execute: (statement, params = []) => run(core, statement, params, "executing statement"),
    withTransaction: (self) => withTransaction(core, self),
    tableExists: (table) => catalog.tableExists(core, table),
    columnsOf: (table) => catalog.columnsOf(core, table),
    createTableIfNotExists: (spec) => alter.createTableIfNotExists(core, spec),
    createIndexIfNotExists: (table, index, columns) => alter.createIndexIfNotExists(core, table, index, columns),
    addColumnIfMissing: (table, column) => alter.addColumnIfMissing(core, table, column),
    dropColumn: (table, column) => alter.dropColumn(core, table, column),
    dropTableIfExists: (table) => alter.dropTableIfExists(core, table),
    renameColumn: (table, from, to) => alter.renameColumn(core, table, from, to),
    renameTable: (from, to) => alter.renameTable(core, from, to),
    insertBatch: (table, columns, rows) => write.writeTable(writes, table, columns, undefined, { rows }),
    upsertBatch: (table, columns, keyColumns, rows) => write.writeTable(writes, table, columns, keyColumns, { rows }),
    write: (tables) => write.writeTables(writes, tables),
    deleteWhere: (table, where) => write.deleteWhere(core, table, where),
    countWhere: (table, where) => write.countWhere(core, table, where),
    batchWriter: (options) => makeBatchWriter(writes, sqliteFile, options),
    streamRows: (table, options) => read.streamRows(core, table, options),
    streamTuples: (table, options) => read.streamTuples(core, table, options),
    streamById: (table, options) => read.streamById(core, table, options)
  }
}

/**
 * The `Database` service over a client whose dialect is known.
 *
 * @internal
 */
export const make = (
  name: DialectName,
  sql: SqlClient.SqlClient,
  options: { readonly sqliteFile?: string; readonly reader?: Reader } = {}
): Effect.Effect<DatabaseService, DbError> =>
  Effect.map(makeCore(name, sql, options.reader, options.sqliteFile), (core) => assemble(core, options.sqliteFile))

/**
 * The `Database` service over any `SqlClient`, detecting its dialect.
 *
 * @internal
 */
export const fromClient = (sql: SqlClient.SqlClient): Effect.Effect<DatabaseService, DbError> =>
  Effect.suspend(() => {
    const detected = sql.onDialectOrElse({
      sqlite: () => "sqlite" as const,
      mysql: () => "mysql" as const,
      pg: () => "postgres" as const,
      orElse: () => undefined
    })
    return detected === undefined
      ? Effect.fail(new DbError({ reason: "Driver", detail: "the SqlClient is neither SQLite, MySQL nor PostgreSQL" }))
      : make(detected, sql)
  })
