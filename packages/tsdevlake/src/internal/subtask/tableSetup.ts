/**
 * What a subtask needs of the tables it reads: that they exist with a column for every field of their model,
 * convert's ordering index, fresh statistics.
 *
 * @internal
 */
import { Effect } from "effect"
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { Database } from "../db/database.js"
import { indexName } from "../db/ddl.js"
import { explicitTableName } from "../model/annotations.js"
import { columnProblem } from "../plugin/modelChecks.js"
import { SubtaskError } from "./errors.js"
import { type Plan, subtaskName } from "./plan.js"

/**
 * Why `table` cannot take the rows of `model`: it does not exist, or lacks the column of one of its fields (a
 * table created before the field existed: `Migration.createTable(Model)` reads the class as it is now, so no
 * definition check can see it). One catalog query, whose empty answer means no table.
 *
 * @internal
 */
export const tableProblem = (
  db: Db.Database,
  model: Model.Any,
  table: string
): Effect.Effect<{ readonly missing: boolean; readonly problem: string } | undefined, Db.DbError> =>
  Effect.map(db.columnsOf(table), (columns) => {
    if (columns.length === 0) return { missing: true, problem: `table ${table} does not exist` }
    const problem = columnProblem(model, table, columns.map((c) => c.name), db.dialect.namesEqual)
    return problem === undefined ? undefined : { missing: false, problem }
  })

// The model whose rows the plan writes to `table`: the tool model's, else one of the stream's domain models.
const modelOf = (plan: Plan, table: string): Model.Any | undefined =>
  table === plan.tool.table
    ? plan.tool.model
    : plan.stream.domainModels.find((model) => explicitTableName(model) === table)

/**
 * Fails the subtask, before it reads or calls anything, when a table the plugin's migrations (or DevLake, for a
 * domain table) create is missing, or lacks a column of its model.
 *
 * @internal
 */
export const requireTable = (plan: Plan, table: string, what: string) =>
  Effect.flatMap(Database, (db) => {
    const model = modelOf(plan, table)
    const checked = model === undefined
      ? Effect.map(db.tableExists(table), (exists) => exists ? undefined : { missing: true, problem: "" })
      : tableProblem(db, model, table)
    return Effect.flatMap(checked, (found) =>
      found === undefined ? Effect.void : Effect.fail(
        new SubtaskError({
          subtask: subtaskName(plan),
          detail: found.missing
            ? `${what} table ${table} does not exist; DevLake creates it from the plugin's migrations (locally: run.sh migrate)`
            : found.problem
        })
      ))
  })

/**
 * Before collect calls the API: the tool table extract will write, so that a missing migration fails the
 * pipeline before its first request rather than after the whole collection.
 *
 * @internal
 */
export const requireToolTable = (plan: Plan) => requireTable(plan, plan.tool.table, "tool")

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
 * equality and the raw-id range. Returns the index's name (convert reads through it), `undefined` without one.
 *
 * @internal
 */
export const ensureOrderIndex = (table: string, orderBy: ReadonlyArray<string>, analyze: boolean) =>
  Effect.flatMap(Database, (db) => {
    const order = indexName(table, "tsdevlake_order")
    const rawId = indexName(table, "tsdevlake_rawid")
    return db.createIndexIfNotExists(table, order, ["_raw_data_params", ...orderBy]).pipe(
      Effect.as<string | undefined>(order),
      Effect.orElse(() =>
        db.createIndexIfNotExists(table, rawId, ["_raw_data_params", "_raw_data_id"]).pipe(Effect.as(rawId))
      ),
      Effect.catchAll((error) =>
        Effect.as(
          Effect.logWarning(`no ordering index on ${table}, convert will be slower: ${error.message}`),
          undefined
        )
      ),
      Effect.tap(analyze ? refreshStatistics(table) : Effect.void)
    )
  })
