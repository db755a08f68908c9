import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"
import type { Dialect, DialectName } from "../Db.js"
import { makeBatchWriter } from "./dbBatch.js"
import { makeCore } from "./dbCore.js"
import { columnType } from "./dbDdl.js"
import { DbError } from "./dbError.js"
import { makeReadOps } from "./dbRead.js"
import { makeSchemaOps } from "./dbSchema.js"
import { makeWriteOps } from "./dbWrite.js"
import type { Reader } from "./sqliteReader.js"

/**
 * The `Dialect` service over a client whose dialect is known.
 *
 * @internal
 */
export const make = (
  name: DialectName,
  sql: SqlClient.SqlClient,
  options: { readonly sqliteFile?: string; readonly reader?: Reader } = {}
): Effect.Effect<Dialect, DbError> =>
  Effect.map(makeCore(name, sql, options.reader), (core): Dialect => {
    const writes = makeWriteOps(core)
    return {
    name,
    sql,
    maxParameters: core.maxParameters,
    maxStatementBytes: core.maxStatementBytes,
    quote: core.quote,
    columnType: (column) => columnType(name, column),
    encodeValue: core.encode,
    decodeValue: core.decode,
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
 * The `Dialect` service over any `SqlClient`, detecting its dialect.
 *
 * @internal
 */
export const fromClient = (sql: SqlClient.SqlClient): Effect.Effect<Dialect, DbError> =>
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
