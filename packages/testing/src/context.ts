/**
 * A task context for a plugin's tests, like pydevlake's `ContextBuilder`: the connection, scope and scope
 * config as DevLake sends them (JSON, ids 1), decoded with the plugin's models.
 */
import { Either, Layer, ParseResult, Schema } from "effect"
import type { DataStream, Model, Plugin } from "tsdevlake"
import { Subtask } from "tsdevlake/runtime"

type Encoded<M extends Model.Any> = Partial<Schema.Schema.Encoded<M>> & Readonly<Record<string, unknown>>

/**
 * What to build a context from. Each of `connection`, `scope` and `scopeConfig` is JSON as DevLake sends it,
 * merged over DevLake's defaults; `scopeConfig: null` is a scope whose config was deleted (it decodes to the
 * scope config's defaults, as the plugin's commands do).
 */
export interface ContextInput<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any> {
  readonly connection?: Encoded<Conn>
  readonly scope?: Encoded<Scope>
  readonly scopeConfig?: Encoded<ScopeConfig> | null
  /** The task's options (`{ incremental: true }`, ...). Default: none. */
  readonly options?: Readonly<Record<string, unknown>>
}

/** The context of a plugin's streams, typed with its models. */
export type PluginContext<P> = P extends Plugin.Plugin<infer Conn, infer Scope, infer ScopeConfig, any, any>
  ? DataStream.TaskContext<Schema.Schema.Type<Conn>, Schema.Schema.Type<Scope>, Schema.Schema.Type<ScopeConfig>>
  : never

/** The connection DevLake sends when none is given: id 1 (the connection's own fields come from `connection`). */
export const defaultConnection = { id: 1, name: "test connection" } as const

/** The scope DevLake sends when none is given: id "1" of connection 1, with scope config 1. */
export const defaultScope = { id: "1", name: "test scope", connectionId: 1, scopeConfigId: 1 } as const

/** The scope config DevLake sends when none is given: id 1 of connection 1. */
export const defaultScopeConfig = { id: 1, name: "test scope config", connectionId: 1 } as const

/**
 * Decodes `json` with `model`, or throws an error naming the plugin, the model and what does not decode.
 *
 * @example
 * decodeModel(FakePlugin, FakePlugin.connection, { id: 1, name: "c", token: "t" })
 */
export const decodeModel = <M extends Model.Any>(
  plugin: Plugin.Plugin,
  model: M,
  json: unknown
): Schema.Schema.Type<M> => {
  const decoded = Schema.decodeUnknownEither(model as unknown as Schema.Schema<Schema.Schema.Type<M>, unknown>)(json)
  if (Either.isRight(decoded)) return decoded.right
  throw new Error(
    `plugin ${plugin.name}: ${model.identifier} does not decode from ${JSON.stringify(json)}: ${
      ParseResult.TreeFormatter.formatErrorSync(decoded.left)
    }`
  )
}

/**
 * The task context of a plugin's streams (what `collect`, `extract` and `convert` receive), from JSON merged
 * over the defaults DevLake sends (ids 1). Throws, naming the model, when the JSON does not decode.
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * const ctx = Testing.context(FakePlugin, { connection: { token: "t" }, scopeConfig: { env: "production" } })
 * ctx.domainScopeId // "fakeplugin:FakeProject:1:1"
 * const noConfig = Testing.context(FakePlugin, { connection: { token: "t" }, scopeConfig: null })
 */
export const context = <
  Conn extends Model.Any,
  Scope extends Model.Any,
  ScopeConfig extends Model.Any,
  E,
  R
>(
  plugin: Plugin.Plugin<Conn, Scope, ScopeConfig, E, R>,
  input: ContextInput<Conn, Scope, ScopeConfig> = {}
): PluginContext<Plugin.Plugin<Conn, Scope, ScopeConfig, E, R>> =>
  Subtask.taskContext(plugin, {
    connection: decodeModel(plugin, plugin.connection, { ...defaultConnection, ...input.connection }),
    scope: decodeModel(plugin, plugin.scope, { ...defaultScope, ...input.scope }),
    scopeConfig: decodeModel(
      plugin,
      plugin.scopeConfig,
      input.scopeConfig === null ? {} : { ...defaultScopeConfig, ...input.scopeConfig }
    ),
    options: input.options ?? {}
  }) as PluginContext<Plugin.Plugin<Conn, Scope, ScopeConfig, E, R>>

/**
 * The plugin's services for a context's connection (its `layer`, typically the API client), or no services
 * when the plugin has no `layer`: provide it to run a stream's callbacks, or swap it for a mock.
 *
 * @example
 * const ctx = Testing.context(MyPlugin, { connection: { token: "t", endpoint: server.url } })
 * const user = yield* Effect.flatMap(MyApi, (api) => api.user(1)).pipe(Effect.provide(Testing.layer(MyPlugin, ctx)))
 */
export const layer = <Conn extends Model.Any, E, R>(
  plugin: Plugin.Plugin<Conn, any, any, E, R>,
  ctx: { readonly connection: Schema.Schema.Type<Conn> }
): Layer.Layer<R, E> =>
  plugin.layer === undefined
    ? Layer.empty as unknown as Layer.Layer<R, E>
    : plugin.layer(ctx.connection) as Layer.Layer<R, E>
