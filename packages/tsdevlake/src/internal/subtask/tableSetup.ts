/**
 * What a subtask needs of the tables it reads: that they exist, convert's ordering index, fresh statistics.
 *
 * @internal
 */
import { Effect } from "effect"
import { Database } from "../db/database.js"
import { indexName } from "../db/ddl.js"
import { SubtaskError } from "./errors.js"
import { type Plan, subtaskName } from "./plan.js"

/**
 * Fails the subtask when a table the plugin's migrations create is missing.
 *
 * @internal
 */
export const requireTable = (plan: Plan, table: string, what: string) =>
  Effect.flatMap(Database, (db) =>
    Effect.flatMap(db.tableExists(table), (exists) =>
      exists ? Effect.void : Effect.fail(
        new SubtaskError({
          subtask: subtaskName(plan),
          detail:
            `${what} table ${table} does not exist; DevLake creates it from the plugin's migrations (locally: run.sh migrate)`
        })
      )))

/**
 * The tool table's order for convert: `(_raw_data_id, primary key)`.
 *
 * @internal
 */
export const convertOrder = (plan: Plan) => [
  "_raw_data_id",
  ...plan.tool.keyColumns.filter((c) => c !== "_raw_data_id")
]

/**
 * PostgreSQL plans from statistics; right after the previous subtask filled a table they still describe it as
 * nearly empty, and the planner then sorts the whole scope for every page instead of walking the index.
 *
 * @internal
 */
export const refreshStatistics = (table: string) =>
  Effect.flatMap(
    Database,
    (db) =>
      db.dialect.name === "postgres" ? Effect.ignore(db.execute(`ANALYZE ${db.dialect.quote(table)}`)) : Effect.void
  )

/**
 * Convert reads a scope's tool rows in `(_raw_data_id, primary key)` order, page by page. Without an index in
 * that order every page would scan and sort the scope's remaining rows (quadratic in the scope's size), so
 * the framework adds one to the tool table, named for itself: the extractor before writing, the convertor in
 * case it is missing. If the database refuses it (a key too long for MySQL), a shorter one still serves the
 * equality and the raw-id range.
 *
 * @internal
 */
export const ensureOrderIndex = (table: string, orderBy: ReadonlyArray<string>, analyze: boolean) =>
  Effect.flatMap(
    Database,
    (db) =>
      db.createIndexIfNotExists(table, indexName(table, "tsdevlake_order"), ["_raw_data_params", ...orderBy]).pipe(
        Effect.orElse(() =>
          db.createIndexIfNotExists(table, indexName(table, "tsdevlake_rawid"), ["_raw_data_params", "_raw_data_id"])
        ),
        Effect.catchAll((error) =>
          Effect.logWarning(`no ordering index on ${table}, convert will be slower: ${error.message}`)
        ),
        Effect.zipRight(analyze ? refreshStatistics(table) : Effect.void),
        Effect.asVoid
      )
  )
