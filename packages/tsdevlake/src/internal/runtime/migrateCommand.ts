/**
 * `migrate`: applies the plugin's migrations and creates its domain tables on a local database (DevLake
 * does this itself; this is for local runs, tests and benchmarks).
 *
 * @internal
 */
import { Command } from "@effect/cli"
import { Effect, Schema } from "effect"
import * as dbLayer from "../db/layer.js"
import { apply } from "../migration/runner.js"
import type * as plugins from "../plugin/definition.js"
import { configArg, decodeJson, jsonArg, withConfig } from "./commandArgs.js"

const Target = Schema.Struct({ db_url: Schema.String })

const migrate = (plugin: plugins.Plugin, target: string) =>
  Effect.gen(function*() {
    const { db_url } = yield* decodeJson(Target, target, "migrate target")
    const report = yield* apply(plugin.migrations, {
      domainModels: [...new Set(plugin.streams.flatMap((s) => s.domainModels))],
      comment: plugin.name
    }).pipe(Effect.provide(dbLayer.layer(db_url)))
    yield* Effect.logInfo(
      `migrate: ${report.applied.length} script(s) applied, ${report.skipped.length} already applied, ${report.domainTables.length} domain table(s) created`
    )
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
