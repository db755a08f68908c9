/**
 * `collect`, `extract` and `convert`: the commands a DevLake pipeline runs, one stream for one scope each.
 *
 * @internal
 */
import { Command } from "@effect/cli"
import { Effect, Layer, Schema } from "effect"
import type * as DataStream from "../../DataStream.js"
import * as dbLayer from "../db/layer.js"
import { verifySqliteFile } from "../db/sqlite/fileCheck.js"
import { parseDbUrl } from "../db/url.js"
import { apply } from "../migration/runner.js"
import type * as plugins from "../plugin/definition.js"
import * as operations from "../plugin/operations.js"
import { ArgumentError, decodeArgument } from "../process/arguments.js"
import * as subtask from "../subtask/run.js"
import * as state from "../subtask/state.js"
import { configArg, decodeJson, jsonArg, type PluginSchemas, withConfig } from "./commandArgs.js"

/**
 * The task context argument: where to write, and the connection, scope and options of the task.
 *
 * @internal
 */
export const taskContextSchema = (schemas: PluginSchemas) =>
  Schema.Struct({
    db_url: Schema.String,
    scope: schemas.scope,
    connection: schemas.connection,
    // Absent, like `null`, means "the scope config's defaults" (decoded on its own, so a failure names it).
    scope_config: Schema.optionalWith(Schema.Unknown, { default: () => null }),
    options: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), {
      default: () => ({}),
      nullable: true
    })
  })

const quotedNames = (plugin: plugins.Plugin, quote: (name: string) => string) =>
  plugin.streams.map((s) => quote(s.name)).join(", ")

/**
 * The plugin's stream named `name`; an `ArgumentError` naming the streams there are otherwise.
 *
 * @internal
 */
export const findStream = (
  plugin: plugins.Plugin,
  name: string
): Effect.Effect<DataStream.DataStream, ArgumentError> => {
  const definition = plugin.streams.find((s) => s.name === name)
  return definition === undefined
    ? Effect.fail(
      new ArgumentError({
        argument: "stream argument",
        detail: `unknown stream "${name}"; this plugin has ${quotedNames(plugin, (n) => `"${n}"`)}`
      })
    )
    : Effect.succeed(definition)
}

/**
 * An in-memory SQLite database (pydevlake's guide runs `collect` on `sqlite+pysqlite:///:memory:`) lives and dies
 * with this process, so no `migrate` can have prepared it: the plugin's migrations and domain tables come first.
 * Any other database is DevLake's (or `migrate`'s) to prepare, and is left alone.
 */
const prepareInMemory = (plugin: plugins.Plugin, dbUrl: string) =>
  Effect.flatMap(parseDbUrl(dbUrl), (config) =>
    config.dialect === "sqlite" && config.filename === ":memory:"
      ? apply(plugin.migrations, {
        domainModels: [...new Set(plugin.streams.flatMap((s) => s.domainModels))],
        comment: plugin.name
      })
      : Effect.void)

const runSubtask = (
  plugin: plugins.Plugin,
  schemas: PluginSchemas,
  verb: DataStream.Verb,
  args: { readonly context: string; readonly stream: string }
) =>
  Effect.gen(function*() {
    // A bare word is a stream name too (pydevlake's `… $CTX users`); findStream lists the streams otherwise.
    const name = yield* decodeJson(Schema.String, args.stream, "stream argument", true)
    const definition = yield* findStream(plugin, name)
    const task = yield* decodeJson(taskContextSchema(schemas), args.context, "task context")
    const scopeConfig = yield* decodeArgument(schemas.scopeConfig, "scope config")(task.scope_config)
    const ctx = subtask.taskContext(plugin, {
      connection: task.connection,
      scope: task.scope,
      scopeConfig,
      options: task.options
    })
    const layer = state.layerSql.pipe(Layer.provideMerge(dbLayer.layer(task.db_url)))
    yield* prepareInMemory(plugin, task.db_url).pipe(
      Effect.zipRight(operations.withPluginLayer(plugin, task.connection, subtask.run(plugin, verb, definition, ctx))),
      // Last, before the exit reports success: SQLite writes on into a file deleted under it (issue 13, finding 3).
      Effect.zipRight(verifySqliteFile),
      Effect.provide(layer)
    )
  })

/**
 * The command of `verb`: decodes the task context and the stream name, then runs the subtask on the database
 * of the task context.
 *
 * @internal
 */
export const subtaskCommand = (plugin: plugins.Plugin, schemas: PluginSchemas, verb: DataStream.Verb) =>
  Command.make(
    verb,
    {
      config: configArg,
      context: jsonArg("task-context", "JSON {db_url, scope, connection, scope_config, options}"),
      stream: jsonArg(
        "stream",
        `JSON string (quotes optional): one of ${quotedNames(plugin, (n) => JSON.stringify(n))}`
      )
    },
    ({ config, context, stream }) =>
      withConfig(plugin.name, verb, config, runSubtask(plugin, schemas, verb, { context, stream }))
  ).pipe(Command.withDescription(`${verb[0]!.toUpperCase()}${verb.slice(1)} a stream for a scope (a DevLake subtask)`))
