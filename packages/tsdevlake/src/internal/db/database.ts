import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"
import type { Database, DialectName } from "../../Db.js"
import { makeBatchWriter } from "./batch.js"
import { makeCore } from "./core.js"
import { DbError } from "./errors.js"
import { makeReadOps } from "./read.js"
import { makeSchemaOps } from "./schema.js"
import { makeWriteOps } from "./write.js"
import type { Reader } from "./sqlite/reader.js"

/**
 * The `Database` service over a client whose dialect is known.
 *
 * @internal
 */
export const make = (
  name: DialectName,
  sql: SqlClient.SqlClient,
  options: { readonly sqliteFile?: string; readonly reader?: Reader } = {}
): Effect.Effect<Database, DbError> =>
  Effect.map(makeCore(name, sql, options.reader), (core): Database => {
    const writes = makeWriteOps(core)
    return {
    dialect: core.dialect,
    sql,
    decodeRow: core.decodeRow,
    execute: (statement, params = []) => core.run(statement, params, "executing statement"),
    withTransaction: core.withTransaction,
    ...makeSchemaOps(core),
    insertBatch: writes.insertBatch,
    upsertBatch: writes.upsertBatch,
    write: writes.write,
    deleteWhere: writes.deleteWhere,
    countWhere: writes.countWhere,
    batchWriter: makeBatchWriter(core, writes, options.sqliteFile),
    ...makeReadOps(core)
  }
  })

/**
 * The `Database` service over any `SqlClient`, detecting its dialect.
 *
 * @internal
 */
export const fromClient = (sql: SqlClient.SqlClient): Effect.Effect<Database, DbError> =>
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
