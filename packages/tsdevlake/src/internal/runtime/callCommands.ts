/**
 * The commands DevLake calls outside a pipeline run: plugin-info, test-connection, make-pipeline and
 * remote-scopes. Each replies on fd 3.
 *
 * @internal
 */
import { Args, Command } from "@effect/cli"
import { Cause, Effect, Layer, Option, Redacted, Schema, Stream } from "effect"
import { makeScrubber } from "../api/scrub.js"
import { connectionTest } from "../api/settings.js"
import type * as plugins from "../plugin/definition.js"
import type * as Message from "../plugin/messages.js"
import * as operations from "../plugin/operations.js"
import { Ipc } from "../process/replies.js"
import { configArg, decodeJson, jsonArg, type PluginSchemas, withConfig } from "./commandArgs.js"
import { oneLine } from "./failure.js"
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

/** The secret values of a decoded connection (its `Model.Secret` fields), to keep them out of a reply. */
const secretsOf = (connection: unknown): Array<string> =>
  typeof connection === "object" && connection !== null
    ? Object.values(connection).flatMap((v) => Redacted.isRedacted(v) ? [String(Redacted.value(v))] : [])
    : []

/** What went wrong, in one line: the error's tag or class (unless a plain `Error`), then its message. */
const describeError = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return String(error)
  const { _tag, message, name } = error as { _tag?: unknown; message?: unknown; name?: unknown }
  const kind = typeof _tag === "string" ? _tag : typeof name === "string" && name !== "Error" ? name : undefined
  const text = typeof message === "string" && message !== "" ? message : kind === undefined ? String(error) : ""
  return kind === undefined || text.startsWith(kind) ? text : text === "" ? kind : `${kind}: ${text}`
}

/**
 * The `test-connection` reply when the plugin's layer fails to build from the connection (a typed error, or a
 * defect such as an invalid base URL): `success: false`, status 500 (the plugin's or its configuration's fault,
 * not a rejected credential), and one line naming the failure with the connection's secrets masked.
 *
 * @internal
 */
export const layerFailureResult = (cause: Cause.Cause<unknown>, connection: unknown): Message.TestConnectionResult => {
  const failure = Cause.failureOption(cause)
  const error = Option.isSome(failure) ? failure.value : Option.getOrUndefined(Cause.dieOption(cause))
  return {
    success: false,
    message: oneLine(
      makeScrubber(secretsOf(connection))(`the plugin's layer failed to build: ${describeError(error)}`)
    ),
    status: 500
  }
}

/**
 * The reply to `test-connection`, with the services of the plugin's layer: what `operations.testConnection`
 * replies, or {@link layerFailureResult} when the layer fails to build. DevLake expects a reply either way (an
 * exit 1 becomes an HTTP 500 whose message is our stderr).
 *
 * @internal
 */
export const testConnectionReply = (
  plugin: plugins.Plugin,
  connection: unknown
): Effect.Effect<Message.TestConnectionResult, never, any> => {
  const layer = plugin.layer
  if (layer === undefined) return operations.testConnection(plugin, connection)
  // `suspend`: a layer function that throws (`new URL` of a bad endpoint) is a defect of the build, not of ours.
  const built = Effect.suspend(() => Layer.build(layer(connection) as Layer.Layer<unknown, unknown>))
  return Effect.scoped(
    Effect.matchCauseEffect(built, {
      onFailure: (cause) =>
        Cause.isInterruptedOnly(cause) ? Effect.failCause(cause as Cause.Cause<never>) : Effect.succeed(
          layerFailureResult(cause, connection)
        ),
      onSuccess: (services) => Effect.provide(operations.testConnection(plugin, connection), services)
    })
  )
}

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
          // One attempt per request and a short timeout: DevLake's user waits on the answer.
          const result = yield* connectionTest(testConnectionReply(plugin, conn))
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
