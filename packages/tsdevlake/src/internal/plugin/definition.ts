/**
 * The plugin definition: its options, the checks `Plugin.make` runs at start-up (names, model kinds, substream
 * order, migrations, tool models' keys, every model's table and columns: `modelChecks.ts`), and the definition
 * itself.
 *
 * @internal
 */
import { type Effect, Either, type Layer, type Schema, type Scope, type Stream } from "effect"
import type * as DataStream from "../../DataStream.js"
import type * as Migration from "../../Migration.js"
import type * as Model from "../../Model.js"
import { kindOf } from "../model/annotations.js"
import type { Ipc } from "../process/replies.js"
import type { RunRequirements } from "../subtask/run.js"
import { bindScripts } from "./folderBinding.js"
import type * as Message from "./messages.js"
import { check, schemaAfter } from "./migrationScripts.js"
import { frameworkFieldProblem, migrationProblem, ownKeyProblem } from "./modelChecks.js"

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
  /**
   * Domain scopes (Repo, CicdScope, Board, CqProject) of a tool scope; ids and raw-origin fields are set for you.
   * The scope config says which domain types are on (`entities`), as Go plugins add a Board only for TICKET.
   */
  readonly domainScopes: (
    scope: Instance<Scope>,
    connection: Instance<Conn>,
    scopeConfig: Instance<ScopeConfig>
  ) => ReadonlyArray<object>
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

/**
 * What the runtime provides to every subtask (the database, the state store, fd 3 and a scope): a stream needing
 * only these needs no `layer`. The callbacks (`testConnection`, `remoteScopeGroups`, `remoteScopes`) get fd 3
 * alone.
 *
 * @internal
 */
export type ProvidedToStreams = RunRequirements | Scope.Scope

/**
 * What the plugin's `layer` must provide: what its streams (`RS`) and callbacks (`RC`) need beyond the runtime's.
 *
 * @internal
 */
export type Needs<RS, RC> = Exclude<RS, ProvidedToStreams> | Exclude<RC, Ipc>

/**
 * The `layer` option of `Plugin.make`: optional when nothing beyond what the runtime provides is `Needed`,
 * required (and checked to provide all of it) otherwise. `Needed` comes from the streams and callbacks only
 * (`NoInfer`): a layer providing more does not widen what the plugin needs.
 *
 * @internal
 */
export type LayerOption<Conn extends Model.Any, E, Needed> =
  // `any` (streams typed loosely) is not checked: any layer, or none, is accepted.
  [Needed] extends [never] ? { readonly layer?: (connection: Instance<Conn>) => Layer.Layer<never, E> }
    : 0 extends (1 & Needed) ? { readonly layer?: (connection: Instance<Conn>) => Layer.Layer<never, E> }
    : MissingLayerFor<Needed, Conn, E>

/**
 * The plugin's streams or callbacks need `Services` (typically an `Api` client tag), which only the plugin's
 * `layer` can provide: a `Plugin.make` with no `layer` fails to compile naming this type.
 *
 * @internal
 */
export interface MissingLayerFor<Services, Conn extends Model.Any, E> {
  /** Services the plugin's functions need (typically its API client), built from the connection. */
  readonly layer: (connection: Instance<Conn>) => Layer.Layer<NoInfer<Services>, E>
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
  RS = never,
  RC = never
>(
  options:
    & Omit<PluginOptions<Conn, Scope, ScopeConfig, E, RC>, "layer" | "streams">
    & { readonly streams: ReadonlyArray<DataStream.DataStream<any, E, RS>> }
    & LayerOption<Conn, E, Needs<RS, RC>>
): Plugin<Conn, Scope, ScopeConfig, E, RS | RC> => {
  const folder = folderOf(options)
  const seen = new Set<string>()
  for (const stream of options.streams) {
    if (seen.has(stream.name)) throw new PluginDefinitionError(`two streams are named "${stream.name}"`)
    if (
      stream.parent !== undefined && !options.streams.slice(0, options.streams.indexOf(stream)).includes(stream.parent)
    ) {
      throw new PluginDefinitionError(
        `substream "${stream.name}" must come after its parent stream "${stream.parent.name}" in "streams"`
      )
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
  // Operations written without a folder (`Migration.createTable(Model)`) get the plugin's here, before the checks.
  const migrations = check(bindScripts(options.migrations, folder))
  if (Either.isLeft(migrations)) throw new PluginDefinitionError(migrations.left.message)
  checkModels({ ...options, migrations: migrations.right }, folder)
  return {
    ...options,
    _tag: "Plugin",
    folder,
    description: options.description ?? `${options.name} plugin`,
    migrations: migrations.right
  }
}

/**
 * Why DevLake would refuse `name` as a plugin name, or `undefined` when it accepts it.
 *
 * @internal
 */
export const nameProblem = (name: string): string | undefined =>
  /^[a-z][a-z0-9]*$/.test(name) ? undefined : `plugin name "${name}" must be lower-case letters and digits`

/**
 * The plugin's folder (`folder`, else `name`), once both are checked.
 *
 * @internal
 */
export const folderOf = (options: { readonly name: string; readonly folder?: string | undefined }): string => {
  const problem = nameProblem(options.name)
  if (problem !== undefined) throw new PluginDefinitionError(problem)
  const folder = options.folder ?? options.name
  if (!/^[a-z][a-z0-9_]*$/.test(folder)) {
    throw new PluginDefinitionError(`plugin folder "${folder}" must be lower-case letters, digits and "_"`)
  }
  return folder
}

// Each stream's tool model has a key of its own, no model re-declares a column the framework or DevLake fills
// in, and the scripts create every model's table and columns.
const checkModels = (
  options: Pick<PluginOptions<any, any, any, unknown, unknown>, "streams" | "migrations" | ModelOption>,
  folder: string
): void => {
  const toolModels = new Set(options.streams.map((stream) => stream.toolModel))
  for (const model of toolModels) {
    const problem = ownKeyProblem(model)
    if (problem !== undefined) throw new PluginDefinitionError(problem)
  }
  const models = new Set([options.connection, options.scope, options.scopeConfig, ...toolModels])
  for (const model of models) {
    const problem = frameworkFieldProblem(model)
    if (problem !== undefined) throw new PluginDefinitionError(problem)
  }
  const schema = schemaAfter(options.migrations)
  for (const model of models) {
    const problem = migrationProblem(model, folder, schema)
    if (problem !== undefined) throw new PluginDefinitionError(problem)
  }
}

type ModelOption = "connection" | "scope" | "scopeConfig"

const constructorOf: Record<Model.Kind, string> = {
  connection: "Connection",
  scope: "ToolScope",
  scopeConfig: "ScopeConfig",
  tool: "ToolModel",
  domain: "DomainModel",
  domainScope: "DomainScope"
}
