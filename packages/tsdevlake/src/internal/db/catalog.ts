/**
 * The database's catalog: which tables, columns and indexes exist, asked in each dialect's own way
 * (`pragma_table_info`, `information_schema`, `pg_attribute`). Migrations and subtasks check before they change
 * or read, and the schema changes in `alter.ts` use it to stay idempotent.
 */
import { Effect } from "effect"
import type { ColumnInfo, DialectName } from "../../Db.js"
import { type DbCore, run } from "./core.js"
import type { DbError } from "./errors.js"

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

/** @internal */
export const findColumn = (core: DbCore, table: string, column: string) =>
  Effect.map(columnsOf(core, table), (columns) => columns.find((c) => core.dialect.namesEqual(c.name, column)))

/** @internal */
export const indexExists = (core: DbCore, table: string, index: string) =>
  Effect.map(
    run(core, indexQueries[core.dialect.name], [table, index], `reading the indexes of ${table}`),
    (rows) => rows.length > 0
  )
