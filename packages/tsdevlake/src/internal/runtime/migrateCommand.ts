/**
 * `migrate`: applies the plugin's migrations and creates its domain tables on a local database (DevLake
 * does this itself; this is for local runs, tests and benchmarks), then checks that every table has a column for
 * each field of its model: a field added after the release of the script that created its table
 * (`Migration.createTable(Model)` reads the class as it is now) is reported here, not at the first extract.
 *
 * @internal
 */
import { Command } from "@effect/cli"
import { Effect, Schema } from "effect"
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { Database } from "../db/database.js"
import * as dbLayer from "../db/layer.js"
import { verifySqliteFile } from "../db/sqlite/fileCheck.js"
import { apply } from "../migration/runner.js"
import { tableOf } from "../model/names.js"
import type * as plugins from "../plugin/definition.js"
import { tableProblem } from "../subtask/tableSetup.js"
import { configArg, decodeJson, jsonArg, withConfig } from "./commandArgs.js"

const Target = Schema.Struct({ db_url: Schema.String })

/** After the migrations, a table lacks a column of its model (or the table itself). @internal */
export class SchemaDriftError extends Schema.TaggedError<SchemaDriftError>("tsdevlake/Cli/SchemaDriftError")(
  "SchemaDriftError",
  { detail: Schema.String }
) {
  override get message() {
    return this.detail
  }
}

/**
 * The first table of the plugin (its models' and its streams' domain tables) that, once migrated, is missing or
 * lacks a column of its model: one catalog query per table.
 *
 * @internal
 */
export const schemaDrift = (
  plugin: plugins.Plugin,
  domainModels: ReadonlyArray<Model.Any>
): Effect.Effect<void, SchemaDriftError | Db.DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Database
    const toolModels = plugin.streams.map((stream) => stream.toolModel)
    // A domain model's table is its own name; the plugin's models' are in the plugin's folder.
    const models = new Set([plugin.connection, plugin.scope, plugin.scopeConfig, ...toolModels, ...domainModels])
    for (const model of models) {
      const table = tableOf(plugin, model)
      const found = yield* tableProblem(db, model, table)
      if (found === undefined) continue
      const detail = found.missing ? `model ${model.identifier}: ${found.problem} after the migrations` : found.problem
      return yield* new SchemaDriftError({ detail })
    }
  })

const migrate = (plugin: plugins.Plugin, target: string) =>
  Effect.gen(function*() {
    const { db_url } = yield* decodeJson(Target, target, "migrate target")
    const domainModels = [...new Set(plugin.streams.flatMap((s) => s.domainModels))]
    yield* Effect.gen(function*() {
      const report = yield* apply(plugin.migrations, { domainModels, comment: plugin.name })
      yield* Effect.logInfo(
        `migrate: ${report.applied.length} script(s) applied, ${report.skipped.length} already applied, ${report.domainTables.length} domain table(s) created`
      )
      yield* schemaDrift(plugin, domainModels)
      yield* verifySqliteFile
    }).pipe(Effect.provide(dbLayer.layer(db_url)))
  })

/** @internal */
export const migrateCommand = (plugin: plugins.Plugin) =>
  Command.make(
    "migrate",
    { config: configArg, target: jsonArg("target", "JSON {\"db_url\": \"sqlite:///path/to/file.db\"}") },
    ({ config, target }) => withConfig(plugin.name, "migrate", config, migrate(plugin, target))
  ).pipe(
    Command.withDescription(
      "Apply the plugin's migrations and create its domain tables locally (DevLake does this itself)"
    )
  )
