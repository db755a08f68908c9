/**
 * The commands DevLake calls outside a pipeline run: plugin-info, test-connection, make-pipeline and
 * remote-scopes. Each replies on fd 3.
 *
 * @internal
 */
import { Args, Command } from "@effect/cli"
import { Effect, Option, Schema, Stream } from "effect"
import type * as plugins from "../plugin/definition.js"
import * as operations from "../plugin/operations.js"
import { Ipc } from "../process/replies.js"
import { configArg, decodeJson, jsonArg, type PluginSchemas, withConfig } from "./commandArgs.js"
import { pluginPathOf } from "./pluginPath.js"

const connectionArg = jsonArg("connection", "the connection JSON")

/** `plugin-info`: the plugin's description (DevLake calls it at start-up). @internal */
export const pluginInfoCommand = (plugin: plugins.Plugin, pluginPath: string | undefined) =>
  Command.make(
    "plugin-info",
    { config: Args.optional(configArg) },
    ({ config }) =>
      withConfig(
        plugin.name,
        "plugin-info",
        Option.getOrElse(config, () => "{}"),
        Effect.gen(function*() {
          const path = yield* pluginPathOf(pluginPath)
          const ipc = yield* Ipc
          yield* ipc.reply(operations.info(plugin, path))
        })
      )
  ).pipe(Command.withDescription("Describe the plugin: models, subtasks and migrations (DevLake calls it at start-up)"))

/** `test-connection`: replies `{success, message, status}`. @internal */
export const testConnectionCommand = (plugin: plugins.Plugin, schemas: PluginSchemas) =>
  Command.make(
    "test-connection",
    { config: configArg, connection: connectionArg },
    ({ config, connection }) =>
      withConfig(
        plugin.name,
        "test-connection",
        config,
        Effect.gen(function*() {
          const conn = yield* decodeJson(schemas.connection, connection, "connection")
          const result = yield* operations.withPluginLayer(plugin, conn, operations.testConnection(plugin, conn))
          const ipc = yield* Ipc
          yield* ipc.reply(result)
        })
      )
  ).pipe(Command.withDescription("Check that a connection works; replies {success, message, status}"))

/** `make-pipeline`: the plan for scopes, replies `{plan, scopes}`. @internal */
export const makePipelineCommand = (plugin: plugins.Plugin, schemas: PluginSchemas) =>
  Command.make(
    "make-pipeline",
    {
      config: configArg,
      scopes: jsonArg("scope-config-pairs", "JSON array of [scope, scopeConfig|null] pairs"),
      connection: connectionArg
    },
    ({ config, connection, scopes }) =>
      withConfig(
        plugin.name,
        "make-pipeline",
        config,
        Effect.gen(function*() {
          const conn = yield* decodeJson(schemas.connection, connection, "connection")
          const pairs = yield* decodeJson(
            Schema.Array(Schema.Tuple(schemas.scope, schemas.scopeConfig)),
            scopes,
            "scope/scope config pairs"
          )
          const data = yield* operations.makePipeline(plugin, pairs, conn)
          const ipc = yield* Ipc
          yield* ipc.reply(data)
        })
      )
  ).pipe(Command.withDescription("Plan a pipeline for scopes; replies {plan, scopes}"))

/** `remote-scopes`: the groups (group id `""`) or the scopes of a group, one line each. @internal */
export const remoteScopesCommand = (plugin: plugins.Plugin, schemas: PluginSchemas) =>
  Command.make(
    "remote-scopes",
    {
      config: configArg,
      connection: connectionArg,
      groupId: Args.optional(jsonArg("group-id", "JSON string: the group to list, \"\" for the groups"))
    },
    ({ config, connection, groupId }) =>
      withConfig(
        plugin.name,
        "remote-scopes",
        config,
        Effect.gen(function*() {
          const conn = yield* decodeJson(schemas.connection, connection, "connection")
          const group = Option.isSome(groupId)
            ? yield* decodeJson(Schema.NullOr(Schema.String), groupId.value, "group id")
            : null
          const ipc = yield* Ipc
          yield* operations.withPluginLayer(
            plugin,
            conn,
            Stream.runForEach(operations.remoteScopeNodes(plugin, conn, group ?? ""), ipc.send)
          )
        })
      )
  ).pipe(Command.withDescription("List remote scope groups (group id \"\") or the scopes of a group, one per line"))
