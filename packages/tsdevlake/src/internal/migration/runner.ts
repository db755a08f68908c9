/**
 * Applying a plugin's migration scripts to a database the way the Go server does, recording them in
 * DevLake's `_devlake_migration_history`, and creating the domain tables the plugin writes.
 *
 * @internal
 */
import { Effect, Either, Schema } from "effect"
import type * as Db from "../../Db.js"
import type * as Migration from "../../Migration.js"
import type * as Model from "../../Model.js"
import { Database } from "../db/database.js"
import { causeLine } from "../db/errors.js"
import { tableSpecOf } from "../model/createTable.js"
import { historyTable, namesPlaceholder, placeholderFolder } from "../model/names.js"
import { domainTableSpec } from "../model/tables.js"

/** A migration could not be applied. @internal */
export class MigrationRunnerError extends Schema.TaggedError<MigrationRunnerError>(
  "tsdevlake/MigrationRunner/MigrationRunnerError"
)("MigrationRunnerError", {
  script: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `migration ${this.script}: ${this.detail}`
  }
}

const scriptId = (script: Migration.Script) => `${script.name}:${script.version}`

const applyOperation = (db: Db.Database, script: Migration.Script, op: Migration.Operation) => {
  const fail = (cause: unknown) =>
    new MigrationRunnerError({ script: scriptId(script), detail: `${op.type}: ${causeLine(cause)}` })
  if (namesPlaceholder(op)) {
    // Written without a folder (`Migration.createTable(Model)`), the operation is bound in `plugin.migrations`.
    const detail = `${op.type} names a table in no plugin folder (${placeholderFolder}): apply the plugin's ` +
      `migrations (plugin.migrations), which Plugin.make binds to its folder`
    return Effect.fail(new MigrationRunnerError({ script: scriptId(script), detail }))
  }
  switch (op.type) {
    case "create_table":
      return Either.match(tableSpecOf(op.modelInfo), {
        onLeft: (detail) => Effect.fail(new MigrationRunnerError({ script: scriptId(script), detail })),
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

/** What {@link apply} did. @internal */
export interface Report {
  readonly applied: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<string>
  readonly domainTables: ReadonlyArray<string>
}

/** @internal */
export interface ApplyOptions {
  readonly domainModels?: ReadonlyArray<Model.Any>
  readonly comment?: string
}

// The `name:version` of every script the history records as applied.
const appliedScripts = (db: Db.Database) => {
  const sql = db.sql
  return sql<{ script_version: unknown; script_name: string }>`SELECT ${sql("script_version")}, ${
    sql("script_name")
  } FROM ${sql(historyTable.name)}`.pipe(
    Effect.map((rows) => new Set(rows.map((r) => `${r.script_name}:${Number(r.script_version)}`))),
    Effect.mapError((cause) =>
      new MigrationRunnerError({ script: "-", detail: `reading the history: ${causeLine(cause)}` })
    )
  )
}

const applyScript = (db: Db.Database, script: Migration.Script, comment: string) =>
  Effect.gen(function*() {
    for (const op of script.operations) yield* applyOperation(db, script, op)
    yield* db.insertBatch(historyTable.name, historyTable.columns, [{
      created_at: new Date(),
      script_version: script.version,
      script_name: script.name,
      comment
    }])
    yield* Effect.logInfo(`migration ${scriptId(script)} applied`)
  })

const createDomainTables = (db: Db.Database, models: ReadonlyArray<Model.Any>) =>
  Effect.gen(function*() {
    const created: Array<string> = []
    for (const model of models) {
      const spec = domainTableSpec(model)
      if (yield* db.createTableIfNotExists(spec)) created.push(spec.name)
    }
    return created
  })

/**
 * Applies the scripts not yet in the history, in version order, and creates the given domain tables if
 * missing.
 *
 * @internal
 */
export const apply = (scripts: ReadonlyArray<Migration.Script>, options: ApplyOptions = {}) =>
  Effect.gen(function*() {
    const db = yield* Database
    yield* db.createTableIfNotExists(historyTable)
    const seen = yield* appliedScripts(db)
    const applied: Array<string> = []
    const skipped: Array<string> = []
    for (const script of [...scripts].sort((a, b) => a.version - b.version)) {
      if (seen.has(scriptId(script))) {
        skipped.push(scriptId(script))
        continue
      }
      yield* applyScript(db, script, options.comment ?? "")
      applied.push(scriptId(script))
    }
    const domainTables = yield* createDomainTables(db, options.domainModels ?? [])
    return { applied, skipped, domainTables } satisfies Report
  })
