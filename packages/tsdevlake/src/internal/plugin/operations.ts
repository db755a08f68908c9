/**
 * What a plugin answers to the CLI's commands: plugin-info, make-pipeline, remote-scopes and test-connection
 * replies, and running an effect with the plugin's services.
 *
 * @internal
 */
import { Duration, Effect, type Layer, Option, Schema, Stream } from "effect"
import type * as Model from "../../Model.js"
import { domainScopeType } from "../model/annotations.js"
import { allDomainTypes } from "../model/classes.js"
import * as ModelInfo from "../model/modelInfo.js"
import { rawScopeTable, tableOf } from "../model/names.js"
import { subtaskName, verbs } from "./dataStream.js"
import type { Many, Plugin } from "./definition.js"
import { domainId, rawDataParams } from "./identity.js"
import type * as Message from "./messages.js"
import { encode } from "./migrationScripts.js"
import { describeMissingService } from "./missingService.js"

/** The `subtask_metas` of a plugin, three per stream, in execution order. @internal */
export const subtaskMetas = (plugin: Plugin): Array<Message.SubtaskMeta> =>
  plugin.streams.flatMap((stream) =>
    verbs.map((verb) => ({
      name: subtaskName(stream, verb),
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
  migration_scripts: encode(plugin.migrations)
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
    .flatMap((s) => verbs.map((verb) => subtaskName(s, verb)))
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
    for (const [scope, scopeConfig] of pairs) {
      for (const domainScope of plugin.domainScopes(scope, connection, scopeConfig)) {
        const model = domainScope.constructor as unknown as Model.Any
        const typeName = domainScopeType(model)
        if (typeName === undefined) {
          return yield* Effect.dieMessage(
            `domainScopes returned a ${model.identifier ?? typeof domainScope}, not a domain scope`
          )
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
    ? Stream.map(
      toStream(plugin.remoteScopeGroups(connection)),
      (g) => ({ type: "group" as const, id: g.id, name: g.name })
    )
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

/** How long a plugin's connection test may take in all, before it is answered as failed. @internal */
export const testConnectionDeadline = Duration.seconds(15)

/**
 * The reply to `test-connection`. An expected failure of the plugin's test becomes `success: false` with the
 * error's HTTP status (400 when it has none), which DevLake shows to the user. So does a service the plugin's
 * `layer` does not provide (status 500: the plugin's bug, not the connection's), which would otherwise end the
 * process with no reply.
 *
 * @internal
 */
export const testConnection = <E, R>(plugin: Plugin<any, any, any, E, R>, connection: any) =>
  plugin.testConnection(connection).pipe(
    // Each request of a test gets one short attempt (the runtime's `connectionTest`); a test of many requests
    // must answer in time too, since DevLake's user waits on it.
    Effect.timeoutFail({
      duration: testConnectionDeadline,
      onTimeout: () => ({
        message: `the connection test did not finish within ${Duration.format(testConnectionDeadline)}`,
        status: 504
      })
    }),
    Effect.catchAll((error: any) =>
      Effect.succeed<Message.TestConnectionResult>({
        success: false,
        message: typeof error?.message === "string" && error.message !== "" ? error.message : String(error),
        status: typeof error?.status === "number" && error.status >= 400 ? error.status : 400
      })
    ),
    Effect.catchSomeDefect((defect) => {
      const message = describeMissingService(defect)
      return message === undefined
        ? Option.none()
        : Option.some(Effect.succeed<Message.TestConnectionResult>({ success: false, message, status: 500 }))
    })
  )
