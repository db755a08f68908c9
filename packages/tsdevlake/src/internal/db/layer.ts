import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import { Context, Effect, Layer } from "effect"
import type { Database as DatabaseService } from "../../Db.js"
import { Database, fromClient, make } from "./database.js"
import type { DbError, DbUrlError } from "./errors.js"
import { open } from "./open.js"
import * as fileCheck from "./sqlite/fileCheck.js"
import * as sqliteReader from "./sqlite/reader.js"
import { type DbConfig, parseDbUrl } from "./url.js"

/**
 * The layers behind `Db.layer*` (documented there): a `Database` over a client the caller provides, or over one
 * opened from a `db_url` (with, on a SQLite file, the second connection streams read from). Apart from
 * `database.ts`, which assembles the service over any client whoever opened it; this module owns the clients it
 * opens, closing them with the layer's scope.
 */

/** @internal */
export const layerFromClient: Layer.Layer<DatabaseService, DbError, SqlClient.SqlClient> = Layer.effect(
  Database,
  Effect.flatMap(SqlClient.SqlClient, fromClient)
)

/** @internal */
export const layerFromConfig = (config: DbConfig): Layer.Layer<SqlClient.SqlClient | DatabaseService, DbError> =>
  Layer.scopedContext(
    Effect.gen(function*() {
      const sql = yield* open(config)
      const sqliteFile = config.dialect === "sqlite" && config.filename !== ":memory:" ? config.filename : undefined
      const service = yield* make(
        config.dialect,
        sql,
        sqliteFile === undefined ? {} : { sqliteFile, reader: yield* sqliteReader.make(sqliteFile, 30000) }
      )
      const context = Context.make(SqlClient.SqlClient, sql).pipe(Context.add(Database, service))
      // Not in the layer's type: an optional service, which commands check with verifySqliteFile.
      return sqliteFile === undefined
        ? context
        : Context.add(context, fileCheck.SqliteFile, yield* fileCheck.watch(sqliteFile, config.display))
    })
  ).pipe(Layer.provide(Reactivity.layer))

/** @internal */
export const layer = (url: string): Layer.Layer<SqlClient.SqlClient | DatabaseService, DbError | DbUrlError> =>
  Layer.unwrapEffect(Effect.map(parseDbUrl(url), layerFromConfig))

/** @internal */
export const layerMemory: Layer.Layer<SqlClient.SqlClient | DatabaseService, DbError> = layerFromConfig({
  dialect: "sqlite",
  filename: ":memory:",
  display: ":memory:"
})
