/**
 * Defining a plugin and running it as the DevLake server does.
 *
 * @example
 * export const MyPlugin = Plugin.make({
 *   name: "myplugin",
 *   connection: MyConnection, scope: MyProject, scopeConfig: MyScopeConfig,
 *   streams: [Users],
 *   migrations,
 *   testConnection: (connection) => Effect.succeed({ success: true, message: "ok", status: 200 }),
 *   remoteScopeGroups: () => Effect.succeed([]),
 *   remoteScopes: () => Effect.succeed([]),
 *   domainScopes: (project) => [new Domain.Devops.CicdScope({ name: project.name })]
 * })
 * Plugin.main(MyPlugin) // in src/main.ts
 *
 * @since 0.1.0
 */
import type * as Model from "./Model.js"
import * as defining from "./internal/plugin/define.js"
import * as internal from "./internal/plugin/definition.js"
import * as identity from "./internal/plugin/identity.js"
import type * as messages from "./internal/plugin/messages.js"
import * as operations from "./internal/plugin/operations.js"
import * as pipelineTasks from "./internal/plugin/pipelineTasks.js"

export {
  /**
   * Runs the plugin's command line: `run.sh <command> <config> <args…>`.
   *
   * @since 0.1.0
   * @category runtime
   */
  main
} from "./Cli.js"

/** @since 0.1.0 @category models */
export type Plugin<
  Conn extends Model.Any = any,
  Scope extends Model.Any = any,
  ScopeConfig extends Model.Any = any,
  E = any,
  R = any
> = internal.Plugin<Conn, Scope, ScopeConfig, E, R>

/** @since 0.1.0 @category models */
export type Options<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any, E, R> =
  internal.PluginOptions<Conn, Scope, ScopeConfig, E, R>

/** @since 0.1.0 @category models */
export type RemoteScopeGroup = internal.RemoteScopeGroup

/**
 * What `testConnection` returns: `success: false` with the HTTP `status` is a failed test DevLake shows to the
 * user (the `test-connection` reply, `Message.TestConnectionResult`).
 *
 * @example
 * const result: Plugin.TestConnectionResult = { success: true, message: "ok", status: 200 }
 *
 * @since 0.1.0
 * @category models
 */
export type TestConnectionResult = messages.TestConnectionResult

/**
 * A task of a pipeline plan, as `extraTasks` and `extraStages` return and {@link gitextractor} and
 * {@link refdiff} make (`Message.PipelineTask`).
 *
 * @since 0.1.0
 * @category models
 */
export type PipelineTask = messages.PipelineTask

export {
  /**
   * What {@link make} throws for a definition DevLake could not load.
   *
   * @since 0.1.0
   * @category errors
   */
  PluginDefinitionError
} from "./internal/plugin/definition.js"

/**
 * Defines a plugin. Checks the definition at once, so a broken plugin fails at start-up (and `npm run build`
 * fails, with `run.sh` printing the reason in one line) rather than in a pipeline: it throws a
 * {@link PluginDefinitionError} naming the model, field or stream when
 * - the plugin name or folder is not lower-case letters and digits (the folder may also hold `_`);
 * - two streams share a name, or a substream comes before its parent in `streams`;
 * - the connection, scope, scope config or a stream's tool model is declared with the wrong `Model` constructor;
 * - the migration scripts are invalid (versions, names, order, `create_table` schemas Go rejects);
 * - a stream's tool model has no primary key of its own (`connection_id` alone: its rows would overwrite each
 *   other);
 * - no migration script creates the table of the connection, scope, scope config or a tool model, or adds the
 *   column of one of their fields (a table an `execute` statement names is left to that SQL).
 *
 * An invalid stream name is rejected earlier, by `DataStream.make`, with the same error.
 *
 * Operations of the migration scripts written without a folder (`Migration.createTable(Model)`,
 * `Migration.execute((t) => …)`) get the plugin's folder: the plugin's `migrations` are the scripts so bound,
 * which `plugin-info` sends and `migrate` applies. {@link define} gives the same plugin with less to write.
 *
 * `layer` builds, from the connection, the services the streams and callbacks need besides those the runtime
 * provides (the database, the state store, fd 3): typically `Api.layer(MyApi, …)`. Leaving it out when a stream
 * or callback needs such a service, or giving one that provides too little, is a compile error (naming
 * `MissingLayerFor<MyApi, …>` when it is missing).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internal.make

/**
 * Why DevLake would refuse `name` as a plugin name (it must be lower-case letters and digits, starting with a
 * letter), in one line, or `undefined` when it accepts it: the check {@link make} and {@link define} run, for
 * tools that name a plugin before it exists (`tsdevlake new`).
 *
 * @example
 * Plugin.nameProblem("my-plugin") // 'plugin name "my-plugin" must be lower-case letters and digits'
 * Plugin.nameProblem("myplugin") // undefined
 *
 * @since 0.1.0
 * @category validation
 */
export const nameProblem: (name: string) => string | undefined = internal.nameProblem

/**
 * Options of {@link define}: the plugin's name, folder and models, given once.
 *
 * @since 0.1.0
 * @category models
 */
export type DefineOptions<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any> =
  defining.DefineOptions<Conn, Scope, ScopeConfig>

/**
 * What {@link define} returns: `stream` (`DataStream.make` with typed contexts), `make` ({@link make} without
 * what the definition gave) and `tableName` (a model's table in the plugin's folder).
 *
 * @since 0.1.0
 * @category models
 */
export type Definition<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any> =
  defining.Definition<Conn, Scope, ScopeConfig>

/**
 * Defines a plugin in two steps, so that nothing is written twice: its name, folder and models first, then its
 * streams, whose `collect`, `extract` and `convert` get their context typed from the models (`ctx.connection`,
 * `ctx.scope`, `ctx.scopeConfig`; `ctx.state` from the stream's `state` schema; a substream's parent row from
 * `parent`) with no annotation, and last the plugin, by `make` with the remaining options of {@link make} (the
 * same checks, the same compile error for a missing `layer`). Migration scripts written without a folder
 * (`Migration.createTable(Model)`) get the plugin's.
 *
 * @example
 * const jira = Plugin.define({ name: "jiralite", connection: JiraConnection, scope: JiraProject, scopeConfig: JiraConfig })
 *
 * const Issues = jira.stream({
 *   name: "issues",
 *   toolModel: Issue,
 *   domainTypes: ["TICKET"],
 *   state: Schema.Struct({ since: Schema.DateFromString }),
 *   collect: (ctx) => api.issues(ctx.scope.key, ctx.state?.since), // ctx typed, no annotation
 *   convert: (issue, ctx) => Effect.succeed([new Domain.Ticket.Issue({ id: ctx.domainId(Issue, issue) })])
 * })
 *
 * export const JiraPlugin = jira.make({
 *   streams: [Issues],
 *   migrations: [Migration.script({ version: 20240101000001, name: "init", operations: [Migration.createTable(Issue)] })],
 *   layer: (connection) => Api.layer(JiraApi, { baseUrl: connection.url }),
 *   testConnection: (connection) => Effect.succeed({ success: true, message: "ok", status: 200 }),
 *   remoteScopeGroups: () => Effect.succeed([]),
 *   remoteScopes: () => Effect.succeed([]),
 *   domainScopes: (project) => [new Domain.Ticket.Board({ name: project.name })]
 * })
 * jira.tableName(Issue) // "_tool_jiralite_issues"
 *
 * @since 0.1.0
 * @category constructors
 */
export const define = defining.define

/**
 * The `plugin-info` reply of a plugin whose `run.sh` is at `pluginPath`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const info = operations.info

/**
 * The `make-pipeline` reply for decoded `[scope, scopeConfig]` pairs.
 *
 * @since 0.1.0
 * @category accessors
 */
export const makePipeline = operations.makePipeline

/**
 * Domain id of a tool row: `<folder>:<ToolClass>:<connectionId>:<pk…>`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const domainId = identity.domainId

/**
 * A `gitextractor` task (clones a repository and extracts commits), as pydevlake's `gitextractor` helper.
 *
 * @example
 * Plugin.gitextractor({ url: "https://git.example.com/r.git", repoName: "r", scopeId: "myplugin:Repo:1:r", proxy: null })
 *
 * @since 0.1.0
 * @category pipeline tasks
 */
export const gitextractor = pipelineTasks.gitextractor

/**
 * A `refdiff` task (commit differences between tags), with pydevlake's defaults.
 *
 * @example
 * Plugin.refdiff("myplugin:Repo:1:r", { tagsLimit: 5 })
 *
 * @since 0.1.0
 * @category pipeline tasks
 */
export const refdiff = pipelineTasks.refdiff
