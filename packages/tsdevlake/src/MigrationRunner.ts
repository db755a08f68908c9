/**
 * Applies a plugin's migration scripts to a database the way the Go server does, and creates the domain
 * tables the plugin writes, so that a plugin runs end to end without DevLake (`run.sh migrate`, `npm start`,
 * tests, benchmarks). DevLake itself never calls this: it runs the scripts from `plugin-info`.
 *
 * Applied scripts are recorded in DevLake's own `_devlake_migration_history` (`script_version`,
 * `script_name`), so a database prepared locally and one prepared by DevLake agree on what ran.
 *
 * @since 0.1.0
 */
import { Effect, Either, Schema } from "effect"
import * as Db from "./Db.js"
import { causeLine } from "./internal/db/errors.js"
import * as go from "./internal/model/goRules.js"
import type * as Migration from "./Migration.js"
import type * as Model from "./Model.js"
import * as names from "./internal/model/names.js"
import * as tables from "./internal/model/tables.js"

/**
 * A migration could not be applied.
 *
 * @since 0.1.0
 * @category errors
 */
export class MigratorError extends Schema.TaggedError<MigratorError>()("MigratorError", {
  script: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `migration ${this.script}: ${this.detail}`
  }
}

/**
 * DevLake's migration history table (`backend/core/models/migration_history.go`).
 *
 * @since 0.1.0
 * @category constants
 */
export const historyTable: Db.TableSpec = names.historyTable

const goColumnType = (type: go.GoType): Db.ColumnType => {
  switch (type) {
    case "int64":
      return "integer"
    case "float64":
      return "number"
    case "bool":
      return "boolean"
    case "string":
      return "string"
    case "time.Time":
    case "*time.Time":
      return "datetime"
    case "datatypes.JSON":
    case "datatypes.JSONMap":
      return "json"
  }
}

/**
 * The table Go's `create_table` creates from a model info: `common.NoPKModel`'s columns plus one column
 * per property, typed as gorm types the generated struct (including gorm's rule that the prioritised
 * integer primary key — the one named `id`, or the only one — auto-increments unless told otherwise).
 *
 * @since 0.1.0
 * @category models
 */
export const tableSpecOf = (modelInfo: { readonly json_schema: unknown; readonly table_name: string }) =>
  Either.gen(function*() {
    const result = go.goStruct(modelInfo.json_schema, "common.NoPKModel")
    if ("problem" in result) {
      return yield* Either.left(`${modelInfo.table_name}: ${result.problem.property ?? ""} ${result.problem.reason}`)
    }
    const properties = (modelInfo.json_schema as { properties: Record<string, Record<string, unknown>> }).properties
    const fields = result.struct.fields
    const keys = fields.filter((f) => properties[f.property]!["primaryKey"] === true)
    const prioritized = keys.find((f) => f.column === "id") ?? (keys.length === 1 ? keys[0] : undefined)
    const columns: Array<Db.ColumnSpec> = fields.map((f) => {
      const spec = properties[f.property]!
      const type = goColumnType(f.type)
      const primaryKey = spec["primaryKey"] === true
      const explicit = typeof spec["autoIncrement"] === "boolean" ? spec["autoIncrement"] as boolean : undefined
      const maxLength = typeof spec["maxLength"] === "number" ? Math.trunc(spec["maxLength"] as number) : undefined
      return {
        name: f.column,
        type,
        ...(type === "string" && maxLength !== undefined ? { maxLength } : {}),
        ...(type === "string" && maxLength === undefined && primaryKey ? { maxLength: 255 } : {}),
        primaryKey,
        autoIncrement: explicit ?? (f === prioritized && type === "integer"),
        nullable: !primaryKey
      }
    })
    return { name: modelInfo.table_name, columns: [...names.noPKColumns, ...columns] } satisfies Db.TableSpec
  })

/**
 * The table of a domain model, with the columns of DevLake's Go domain model.
 *
 * @since 0.1.0
 * @category models
 */
export const domainTableSpec: (model: Model.Any) => Db.TableSpec = tables.domainTableSpec

const scriptId = (script: Migration.Script) => `${script.name}:${script.version}`

const applyOperation = (db: Db.Database, script: Migration.Script, op: Migration.Operation) => {
  const fail = (cause: unknown) => new MigratorError({ script: scriptId(script), detail: `${op.type}: ${causeLine(cause)}` })
  switch (op.type) {
    case "create_table":
      return Either.match(tableSpecOf(op.modelInfo), {
        onLeft: (detail) => Effect.fail(new MigratorError({ script: scriptId(script), detail })),
        onRight: (spec) => Effect.asVoid(db.createTableIfNotExists(spec))
      })
    case "add_column":
      return Effect.asVoid(db.addColumnIfMissing(op.table, { name: op.column, sqlType: op.columnType }))
    case "drop_column":
      return Effect.asVoid(db.dropColumn(op.table, op.column))
    case "drop_table":
      return Effect.asVoid(db.dropTableIfExists(op.table))
    case "rename_column":
      return Effect.asVoid(db.renameColumn(op.table, op.oldName, op.newName))
    case "rename_table":
      return Effect.asVoid(db.renameTable(op.oldName, op.newName))
    case "execute": {
      // Go compares `dialect` with gorm's dialector name; SQLite matches neither "mysql" nor "postgres".
      if (op.dialect !== undefined && op.dialect !== db.dialect.name) return Effect.void
      const statement = db.execute(op.sql)
      return op.ignoreError ? Effect.ignore(statement) : Effect.asVoid(Effect.mapError(statement, fail))
    }
  }
}

/**
 * What {@link apply} did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly applied: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
  readonly domainTables: ReadonlyArray<string>
}

/**
 * Applies the scripts not yet in the history, in version order, and creates the given domain tables if
 * missing.
 *
 * @example
 * Migrator.apply(MyPlugin.migrations, { domainModels: [Domain.Devops.CICDPipeline], comment: "myplugin" })
 *
 * @since 0.1.0
 * @category running
 */
export const apply = (
  scripts: ReadonlyArray<Migration.Script>,
  options: { readonly domainModels?: ReadonlyArray<Model.Any>; readonly comment?: string } = {}
) =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    yield* db.createTableIfNotExists(historyTable)
    const sql = db.sql
    const done = yield* sql<{ script_version: unknown; script_name: string }>`SELECT ${sql("script_version")}, ${
      sql("script_name")
    } FROM ${sql(historyTable.name)}`.pipe(
      Effect.mapError((cause) => new MigratorError({ script: "-", detail: `reading the history: ${causeLine(cause)}` }))
    )
    const seen = new Set(done.map((r) => `${r.script_name}:${Number(r.script_version)}`))
    const applied: Array<string> = []
    const skipped: Array<string> = []
    for (const script of [...scripts].sort((a, b) => a.version - b.version)) {
      if (seen.has(scriptId(script))) {
        skipped.push(scriptId(script))
        continue
      }
      for (const op of script.operations) yield* applyOperation(db, script, op)
      yield* db.insertBatch(historyTable.name, historyTable.columns, [{
        created_at: new Date(),
        script_version: script.version,
        script_name: script.name,
        comment: options.comment ?? ""
      }])
      applied.push(scriptId(script))
      yield* Effect.logInfo(`migration ${scriptId(script)} applied`)
    }
    const domainTables: Array<string> = []
    for (const model of options.domainModels ?? []) {
      const spec = domainTableSpec(model)
      if (yield* db.createTableIfNotExists(spec)) domainTables.push(spec.name)
    }
    return { applied, skipped, domainTables } satisfies Report
  })
