/**
 * What every command shares: the config argument (log level), JSON arguments decoded with errors that name
 * them, and the plugin's connection, scope and scope config schemas.
 *
 * @internal
 */
import { Args } from "@effect/cli"
import { Effect, FiberRef, Schema } from "effect"
import type * as plugins from "../plugin/definition.js"
import { decodeArgument, parseJsonArgument, withConnectionId } from "../process/arguments.js"
import * as logger from "../process/logger.js"

/** A positional JSON argument of a command. @internal */
export const jsonArg = (name: string, description: string) =>
  Args.text({ name }).pipe(Args.withDescription(description))

/** The config argument every command takes first. @internal */
export const configArg = jsonArg("config", "JSON object from DevLake, e.g. {\"log_level\":\"info\"}")

const Config = Schema.Struct({ log_level: Schema.optional(Schema.Unknown) })

/**
 * Parses `text` as JSON and decodes it with `schema`; a failure is an `ArgumentError` naming `what`. With
 * `bareWordIsString` (a stream name), a word that is not JSON is taken as that string.
 *
 * @internal
 */
export const decodeJson = <A, I>(
  schema: Schema.Schema<A, I, never>,
  text: string,
  what: string,
  bareWordIsString = false
) => Effect.flatMap(parseJsonArgument(text, what, bareWordIsString), decodeArgument(schema, what))

/**
 * The level to log at: the command line's `--log-level` (@effect/cli runs the command under it) when it asks
 * for another level than the default info, otherwise the `config` argument's `log_level` (DevLake's).
 */
const logLevel = (config: { readonly log_level?: unknown }) =>
  Effect.map(
    FiberRef.get(FiberRef.currentMinimumLogLevel),
    (current) => current._tag !== "Info" ? current : logger.levelFromConfig(config.log_level)
  )

/**
 * Runs `body`, the command `name` of `pluginName`, logging at the level the `config` argument asks for (or the
 * command line's `--log-level`, which wins).
 *
 * @internal
 */
export const withConfig = <A, E, R>(pluginName: string, name: string, config: string, body: Effect.Effect<A, E, R>) =>
  Effect.flatMap(
    Effect.flatMap(decodeJson(Config, config, "config argument"), logLevel),
    (level) =>
      Effect.logDebug(`${pluginName} ${name}: started (pid ${process.pid})`).pipe(
        Effect.zipRight(body),
        Effect.tap(() =>
          Effect.logDebug(`${pluginName} ${name}: done in ${Math.round(performance.now())} ms since start`)
        ),
        Effect.provide(logger.layer(level))
      )
  )

/**
 * The schemas of a plugin's JSON arguments.
 *
 * @internal
 */
export interface PluginSchemas {
  readonly connection: Schema.Schema<any, any, never>
  readonly scope: Schema.Schema<any, any, never>
  /** `null` (DevLake sends it once a scope's config was deleted) decodes as the scope config's defaults. */
  readonly scopeConfig: Schema.Schema<any, any, never>
}

/** @internal */
export const pluginSchemas = (plugin: plugins.Plugin): PluginSchemas => ({
  connection: withConnectionId(plugin.connection as unknown as Schema.Schema<any, any, never>),
  scope: plugin.scope as unknown as Schema.Schema<any, any, never>,
  scopeConfig: Schema.transform(
    Schema.NullOr(Schema.Unknown),
    plugin.scopeConfig as unknown as Schema.Schema<any, any, never>,
    { strict: false, decode: (v) => v ?? {}, encode: (v) => v }
  )
})
