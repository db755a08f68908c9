/**
 * The plugin definition and the replies it gives the Go server: plugin-info, pipeline plans, remote scopes
 * and connection tests.
 *
 * @internal
 */
import { Effect, Either, Layer, Schema, Stream } from "effect"
import * as DataStream from "../../DataStream.js"
import type * as Message from "../../Message.js"
import * as Migration from "../../Migration.js"
import type * as Model from "../../Model.js"
import { domainScopeType, kindOf } from "../model/annotations.js"
import { allDomainTypes } from "../model/classes.js"
import { primaryKeyOf } from "../model/fields.js"
import * as ModelInfo from "../model/modelInfo.js"
import { rawDataParams } from "../process/goJson.js"
import { rawScopeTable, tableOf } from "../model/names.js"

/** @internal */
export type Instance<M extends Model.Any> = Schema.Schema.Type<M>

/** @internal */
export type Many<A, E, R> = Effect.Effect<Iterable<A>, E, R> | Stream.Stream<A, E, R>

/** A remote scope group shown in DevLake's scope picker. @internal */
export interface RemoteScopeGroup {
  readonly id: string
  readonly name: string
}

/** @internal */
export interface PluginOptions<
  Conn extends Model.Any,
  Scope extends Model.Any,
  ScopeConfig extends Model.Any,
  E,
  R
> {
  /** Plugin name: URL segment, raw table prefix (`_raw_<name>_…`), must be unique on the server. */
  readonly name: string
  /** Folder of the plugin: tool table and domain id prefix (pydevlake uses the project folder). Default: `name`. */
  readonly folder?: string
  readonly description?: string
  readonly connection: Conn
  readonly scope: Scope
  readonly scopeConfig: ScopeConfig
  readonly streams: ReadonlyArray<DataStream.DataStream<any, E, R>>
  readonly migrations: ReadonlyArray<Migration.Script>
  /** Services the plugin's functions need (typically its API client), built from the connection. */
  readonly layer?: (connection: Instance<Conn>) => Layer.Layer<R, E>
  readonly testConnection: (connection: Instance<Conn>) => Effect.Effect<Message.TestConnectionResult, E, R>
  readonly remoteScopeGroups: (connection: Instance<Conn>) => Many<RemoteScopeGroup, E, R>
  readonly remoteScopes: (connection: Instance<Conn>, groupId: string) => Many<Instance<Scope>, E, R>
  /** Domain scopes (Repo, CicdScope, Board, CqProject) of a tool scope; ids and raw-origin fields are set for you. */
  readonly domainScopes: (scope: Instance<Scope>, connection: Instance<Conn>) => ReadonlyArray<object>
  /** Extra tasks in a scope's stage (for example gitextractor). */
  readonly extraTasks?: (
    scope: Instance<Scope>,
    scopeConfig: Instance<ScopeConfig>,
    connection: Instance<Conn>
  ) => ReadonlyArray<Message.PipelineTask>
  /** Extra stages after the scopes' stages. */
  readonly extraStages?: (
    pairs: ReadonlyArray<readonly [Instance<Scope>, Instance<ScopeConfig>]>,
    connection: Instance<Conn>
  ) => ReadonlyArray<ReadonlyArray<Message.PipelineTask>>
}

/** @internal */
export interface Plugin<
  Conn extends Model.Any = Model.Any,
  Scope extends Model.Any = Model.Any,
  ScopeConfig extends Model.Any = Model.Any,
  E = any,
  R = any
> extends Omit<PluginOptions<Conn, Scope, ScopeConfig, E, R>, "layer"> {
  readonly _tag: "Plugin"
  readonly folder: string
  readonly description: string
  // Typed loosely: a Layer's output is contravariant, so a plugin that needs no services (R = never) could
  // not otherwise be passed where any plugin is accepted.
  readonly layer?: ((connection: any) => Layer.Layer<any, any, any> | Layer.Layer<never, any, any>) | undefined
}

/** A plugin definition is invalid (found when it is made, so at start-up). @internal */
export class PluginDefinitionError extends Error {
  override readonly name = "PluginDefinitionError"
}

/** @internal */
export const make = <
  Conn extends Model.Any,
  Scope extends Model.Any,
  ScopeConfig extends Model.Any,
  E = never,
  R = never
>(options: PluginOptions<Conn, Scope, ScopeConfig, E, R>): Plugin<Conn, Scope, ScopeConfig, E, R> => {
  if (!/^[a-z][a-z0-9]*$/.test(options.name)) {
    throw new PluginDefinitionError(`plugin name "${options.name}" must be lower-case letters and digits`)
  }
  const folder = options.folder ?? options.name
  if (!/^[a-z][a-z0-9_]*$/.test(folder)) {
    throw new PluginDefinitionError(`plugin folder "${folder}" must be lower-case letters, digits and "_"`)
  }
  const seen = new Set<string>()
  for (const stream of options.streams) {
    if (seen.has(stream.name)) throw new PluginDefinitionError(`two streams are named "${stream.name}"`)
    if (stream.parent !== undefined && !options.streams.slice(0, options.streams.indexOf(stream)).includes(stream.parent)) {
      throw new PluginDefinitionError(`substream "${stream.name}" must come after its parent stream in "streams"`)
    }
    seen.add(stream.name)
  }
  const expectations: Array<[Model.Any, Model.Kind]> = [
    [options.connection, "connection"],
    [options.scope, "scope"],
    [options.scopeConfig, "scopeConfig"],
    ...options.streams.map((s): [Model.Any, Model.Kind] => [s.toolModel, "tool"])
  ]
  for (const [model, kind] of expectations) {
    if (kindOf(model) !== kind) {
      throw new PluginDefinitionError(`${model.identifier} must be declared with Model.${constructorOf[kind]}`)
    }
  }
  const migrations = Migration.check(options.migrations)
  if (Either.isLeft(migrations)) throw new PluginDefinitionError(migrations.left.message)
  return { ...options, _tag: "Plugin", folder, description: options.description ?? `${options.name} plugin` }
}

const constructorOf: Record<Model.Kind, string> = {
  connection: "Connection",
  scope: "ToolScope",
  scopeConfig: "ScopeConfig",
  tool: "ToolModel",
  domain: "DomainModel",
  domainScope: "DomainScope"
}

/**
 * Domain id of a tool row: `<folder>:<ToolClass>:<connectionId>:<pk…>` (primary key values other than the
 * connection id, in declaration order).
 *
 * @internal
 */
export const domainId = (plugin: Plugin, model: Model.Any, connectionId: number, row: object) =>
  domainIdFromKeys(
    plugin,
    model,
    connectionId,
    primaryKeyOf(model).filter((f) => f.name !== "connectionId").map((f) => (row as Record<string, unknown>)[f.name])
  )

/** Domain id from the primary key values (other than the connection id), in declaration order. @internal */
export const domainIdFromKeys = (plugin: Plugin, model: Model.Any, connectionId: number, keys: ReadonlyArray<unknown>) =>
  [plugin.folder, model.identifier, String(connectionId), ...keys.map(formatKey)].join(":")

const formatKey = (value: unknown) => value instanceof Date ? value.toISOString() : String(value)

/** The `subtask_metas` of a plugin, three per stream, in execution order. @internal */
export const subtaskMetas = (plugin: Plugin): Array<Message.SubtaskMeta> =>
  plugin.streams.flatMap((stream) =>
    DataStream.verbs.map((verb) => ({
      name: DataStream.subtaskName(stream, verb),
      entry_point_name: verb,
      arguments: [stream.name],
      required: false,
      enabled_by_default: false,
      description: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${plugin.name} ${stream.name}`,
      domain_types: [...stream.domainTypes]
    }))
  )

/** The reply to `plugin-info`. @internal */
export const info = (plugin: Plugin, pluginPath: string): Message.PluginInfo => ({
  name: plugin.name,
  description: plugin.description,
  plugin_path: pluginPath,
  extension: "datasource",
  connection_model_info: ModelInfo.make(plugin.connection, { tableName: tableOf(plugin, plugin.connection) }),
  scope_model_info: ModelInfo.make(plugin.scope, { tableName: tableOf(plugin, plugin.scope) }),
  scope_config_model_info: ModelInfo.make(plugin.scopeConfig, { tableName: tableOf(plugin, plugin.scopeConfig) }),
  tool_model_infos: uniqueModels(plugin.streams.map((s) => s.toolModel)).map((m) =>
    ModelInfo.make(m, { tableName: tableOf(plugin, m) })
  ),
  subtask_metas: subtaskMetas(plugin),
  migration_scripts: Migration.encode(plugin.migrations)
})

const uniqueModels = (models: ReadonlyArray<Model.Any>) => models.filter((m, i) => models.indexOf(m) === i)

/** Runs an effect with the plugin's services built from the connection. @internal */
export const withPluginLayer = <A, E, R>(plugin: Plugin, connection: unknown, effect: Effect.Effect<A, E, R>) =>
  plugin.layer === undefined ? effect : Effect.provide(effect, plugin.layer(connection) as Layer.Layer<R, any>)

const toStream = <A, E, R>(many: Many<A, E, R>): Stream.Stream<A, E, R> =>
  Stream.StreamTypeId in many
    ? many as Stream.Stream<A, E, R>
    : Stream.flattenIterables(Stream.fromEffect(many as Effect.Effect<Iterable<A>, E, R>))

const encodeModel = (model: Model.Any, value: unknown) =>
  Effect.map(Schema.encode(model as Schema.Schema<unknown, Record<string, unknown>>)(value), dropUndefined)

const dropUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))

/** Options pydevlake puts on every task of a scope: Go requires a numeric connectionId and a string scopeId. @internal */
export const taskOptions = (scope: { id: string; name: string }, connectionId: number) => ({
  scopeId: scope.id,
  scopeName: scope.name,
  connectionId,
  fullName: scope.name
})

/** Subtasks of the streams enabled by the scope config's entities and applicable to the scope. @internal */
export const selectSubtasks = (plugin: Plugin, scope: unknown, scopeConfig: { entities?: ReadonlyArray<string> }) => {
  const entities = new Set(scopeConfig.entities ?? allDomainTypes)
  return plugin.streams
    .filter((s) => s.domainTypes.some((t) => entities.has(t)) && s.shouldRunOn(scope))
    .flatMap((s) => DataStream.verbs.map((verb) => DataStream.subtaskName(s, verb)))
}

/** The reply to `make-pipeline`. @internal */
export const makePipeline = (
  plugin: Plugin,
  pairs: ReadonlyArray<readonly [any, any]>,
  connection: any
) =>
  Effect.gen(function*() {
    const plan: Array<Array<Message.PipelineTask>> = pairs.map(([scope, scopeConfig]) => [
      {
        plugin: plugin.name,
        skipOnFail: false,
        subtasks: selectSubtasks(plugin, scope, scopeConfig),
        options: taskOptions(scope, connection.id)
      },
      ...(plugin.extraTasks?.(scope, scopeConfig, connection) ?? [])
    ])
    plan.push(...(plugin.extraStages?.(pairs, connection) ?? []).map((stage) => [...stage]))
    const scopes: Array<Message.DynamicDomainScope> = []
    for (const [scope] of pairs) {
      for (const domainScope of plugin.domainScopes(scope, connection)) {
        const model = domainScope.constructor as unknown as Model.Any
        const typeName = domainScopeType(model)
        if (typeName === undefined) {
          return yield* Effect.dieMessage(`domainScopes returned a ${model.identifier ?? typeof domainScope}, not a domain scope`)
        }
        const withOrigin = new (model as any)({
          ...domainScope,
          id: domainId(plugin, plugin.scope, connection.id, scope),
          rawDataParams: rawDataParams(connection.id, scope.id),
          rawDataTable: rawScopeTable(plugin)
        })
        const data = yield* encodeModel(model, withOrigin).pipe(Effect.orDie)
        scopes.push({ type_name: typeName as Message.DynamicDomainScope["type_name"], data: JSON.stringify(data) })
      }
    }
    return { plan, scopes } satisfies Message.PipelineData
  })

/** The nodes of `remote-scopes`: groups when `groupId` is empty, else the scopes of that group. @internal */
export const remoteScopeNodes = <E, R>(
  plugin: Plugin<any, any, any, E, R>,
  connection: any,
  groupId: string
): Stream.Stream<Message.RemoteScopeNode, E, R> =>
  groupId === ""
    ? Stream.map(toStream(plugin.remoteScopeGroups(connection)), (g) => ({ type: "group" as const, id: g.id, name: g.name }))
    : Stream.mapEffect(toStream(plugin.remoteScopes(connection, groupId)), (scope: any) =>
      Effect.map(
        encodeModel(
          plugin.scope,
          new (plugin.scope as any)({
            ...scope,
            connectionId: connection.id,
            rawDataParams: rawDataParams(connection.id, scope.id),
            rawDataTable: rawScopeTable(plugin)
          })
        ).pipe(Effect.orDie),
        (data) => ({ type: "scope" as const, id: String(scope.id), name: String(scope.name), parentId: groupId, data })
      ))

/**
 * The reply to `test-connection`. An expected failure of the plugin's test becomes `success: false` with the
 * error's HTTP status (400 when it has none), which DevLake shows to the user.
 *
 * @internal
 */
export const testConnection = <E, R>(plugin: Plugin<any, any, any, E, R>, connection: any) =>
  plugin.testConnection(connection).pipe(
    Effect.catchAll((error: any) =>
      Effect.succeed<Message.TestConnectionResult>({
        success: false,
        message: typeof error?.message === "string" && error.message !== "" ? error.message : String(error),
        status: typeof error?.status === "number" && error.status >= 400 ? error.status : 400
      })
    )
  )
