/**
 * Defining streams: what a plugin collects from its source (`collect`), how raw JSON becomes tool rows
 * (`extract`) and how tool rows become DevLake domain rows (`convert`). Named `DataStream` so that it does not
 * shadow Effect's `Stream`.
 *
 * @since 0.1.0
 */
import type { Effect, Schema, Stream } from "effect"
import type * as Api from "./Api.js"
import type * as Model from "./Model.js"
import * as internal from "./internal/plugin/dataStream.js"

export {
  /**
   * A collector's own failure (the API's failures are `Api.ApiError`s): what went wrong and for which input.
   *
   * @example
   * Stream.fail(new DataStream.CollectFailure({ stream: "users", detail: "project p1 was archived" }))
   *
   * @since 0.1.0
   * @category errors
   */
  CollectFailure
} from "./internal/plugin/dataStream.js"

/**
 * What a collector may fail with: the API layer's typed errors or its own {@link CollectFailure}. A stream may
 * also fail with its own `Schema.TaggedError` (in `collect`, `extract` or `convert`): it is in the stream's `E`,
 * reaches `Subtask.run`'s caller as itself, and the CLI reports it in one line with the subtask, its tag, its
 * message (or fields, `Redacted` ones as `<redacted>`) and the last record committed before it, e.g.
 * `error: collect: Collect Issues: JiraQuotaExhausted: { "project": "P1" } (after record 3, request <url>)`.
 * The records before the failure stay committed.
 *
 * @example
 * class JiraQuotaExhausted extends Schema.TaggedError<JiraQuotaExhausted>()("JiraQuotaExhausted", {
 *   project: Schema.String
 * }) {}
 *
 * const Issues = DataStream.make({
 *   name: "issues",
 *   toolModel: Issue,
 *   domainTypes: ["TICKET"],
 *   collect: (ctx: DataStream.CollectContext<JiraConnection, JiraProject>) =>
 *     Stream.concat(api.issues(ctx.scope.key), Stream.fail(new JiraQuotaExhausted({ project: ctx.scope.key }))),
 *   convert: () => Effect.succeed([])
 * }) // DataStream<typeof Issue, Api.ApiError | JiraQuotaExhausted, …>
 *
 * A collector is a `Stream<RawRecord, CollectError, Api>`: its resumable state is not a mutable service but comes in
 * as `ctx.state` and goes out on the records (`RawRecord.state`), because a checkpoint must describe exactly the
 * records of a committed batch for a killed run to resume with no duplicate and no gap.
 *
 * @since 0.1.0
 * @category errors
 */
export type CollectError = Api.ApiError | internal.CollectFailure

/**
 * What a subtask knows about the task it runs for: the decoded connection, scope, scope config (defaults
 * applied when DevLake sends `null`) and the task options; and the domain id of any row of the plugin's
 * models for this connection, so that a stream links to another model's rows without importing the plugin.
 *
 * @example
 * // A story's domain row pointing at its epic's, in a stream's convert:
 * convert: (story, ctx) =>
 *   Effect.succeed([
 *     new Domain.Ticket.Issue({
 *       id: ctx.domainId(Story, story),
 *       epicKey: story.epicKey,
 *       parentIssueId: ctx.domainId(Epic, { key: story.epicKey })
 *     })
 *   ])
 *
 * @since 0.1.0
 * @category models
 */
export interface TaskContext<Conn = any, Scope = any, ScopeConfig = any> {
  readonly connection: Conn
  readonly scope: Scope
  readonly scopeConfig: ScopeConfig
  readonly options: Readonly<Record<string, unknown>>
  /** Domain id of the scope (`<folder>:<ScopeClass>:<connectionId>:<id>`), e.g. for `cicdScopeId` or `repoId`. */
  readonly domainScopeId: string
  /** `options.incremental === true`: keep earlier rows and resume from the last completed run's state. */
  readonly incremental: boolean
  /**
   * Domain id of a row of any model (`<folder>:<ModelClass>:<connectionId>:<pk…>`), as `Plugin.domainId` gives
   * for this plugin and connection: the row needs only the model's primary key fields.
   */
  readonly domainId: <M extends Model.Any>(model: M, row: Partial<Schema.Schema.Type<M>>) => string
}

/**
 * The context of a collector: the task context plus the state to resume from (the checkpoint of an
 * interrupted run, else, when incremental, the state of the last completed run), decoded with the stream's
 * `state` schema; `undefined` on a fresh start. Without a schema, `State` is `unknown` (the saved JSON as is).
 *
 * A substream's collect runs once per parent, and `state` is not per parent: every parent of an incremental
 * run gets the state the run started from, which is, by default, the state of the last record (in parent key
 * order) that carried one in the previous run: the last parent's state wins. (A resumed run's interrupted
 * parent goes on from its own checkpoint; the parents after it get the state the interrupted run started
 * from.) Parents run concurrently and none sees another's state during a run. Either emit a state every parent
 * emits alike, such as the time the run started, or keep a running value across parents (the latest `updated`
 * of all of them) with `combineState`: the run then saves every parent's final state combined, in parent
 * order, and checkpoints the combination so far with each batch.
 *
 * @example
 * const State = Schema.Struct({ since: Schema.DateFromString })
 * const Comments = DataStream.make({
 *   name: "comments",
 *   toolModel: Comment,
 *   domainTypes: ["TICKET"],
 *   parent: Issues,
 *   state: State,
 *   // The next run fetches what changed since the latest comment of all issues.
 *   combineState: (a, b) => a.since >= b.since ? a : b,
 *   collect: (ctx, issue: Issue) =>
 *     // ctx.state: { readonly since: Date } | undefined
 *     api.comments(issue.key, ctx.state?.since).pipe(
 *       Stream.map((comment) => DataStream.raw(comment, { state: { since: new Date(comment.updated) } }))
 *     ),
 *   convert: () => Effect.succeed([])
 * })
 *
 * @since 0.1.0
 * @category models
 */
export interface CollectContext<Conn = any, Scope = any, ScopeConfig = any, State = unknown>
  extends TaskContext<Conn, Scope, ScopeConfig>
{
  readonly state: State | undefined
}

/**
 * One collected record: the JSON `data` stored in the raw table, the request `url` and `input` that produced
 * it (pydevlake's `x_request_url` / `x_request_input`), and the collector `state` to resume from after it
 * (of the stream's `state` schema's type when it has one).
 *
 * @since 0.1.0
 * @category models
 */
export interface RawRecord<State = unknown> {
  readonly data: unknown
  readonly url?: string | undefined
  readonly input?: unknown
  readonly state?: State | undefined
}

/**
 * Options of {@link raw}: everything of a {@link RawRecord} but its data.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawOptions<State> {
  readonly url?: string | undefined
  readonly input?: unknown
  readonly state?: State | undefined
}

/**
 * Builds a {@link RawRecord}. Its state's type is the `state` given (a record without one fits any stream).
 *
 * @example
 * DataStream.raw({ id: 1 }, { url: "https://api.example.com/users?page=1", state: { page: 2 } })
 *
 * @since 0.1.0
 * @category constructors
 */
export const raw: <State = never>(data: unknown, options?: RawOptions<State>) => RawRecord<State> = internal.raw

/**
 * A stream definition. `E` and `R` are the errors and services its functions need; the plugin provides the
 * services (for example its API client) from the connection.
 *
 * @since 0.1.0
 * @category models
 */
export interface DataStream<Tool extends Model.Any = Model.Any, E = any, R = any> {
  readonly _tag: "DataStream"
  /** Stream name: the subtask argument and the raw table suffix (`_raw_<plugin>_<name>`). */
  readonly name: string
  readonly toolModel: Tool
  readonly domainTypes: ReadonlyArray<Model.DomainType>
  /** Domain models the convertor writes: their rows of the scope are deleted before a full convert. */
  readonly domainModels: ReadonlyArray<Model.Any>
  /** The parent stream of a substream: `collect` then runs once per parent tool row of the scope. */
  readonly parent: DataStream<any, any, any> | undefined
  /** How many parents a substream collects at once (their records still come out in parent order). */
  readonly concurrency: number
  /**
   * The schema of the collector's state, when it declared one: the state is stored as the JSON of its encoded
   * side and decoded for `ctx.state`.
   */
  readonly state: Schema.Schema<any, any, never> | undefined
  /** A substream's states of two parents as one: the saved state combines every parent's final state. */
  readonly combineState: ((a: any, b: any) => unknown) | undefined
  readonly collect: (ctx: CollectContext, parent?: any) => Stream.Stream<RawRecord, E, R>
  /** Raw JSON to tool rows; `undefined` means the default extractor (by field name, alias or `source`). */
  readonly extract: ((data: any, ctx: TaskContext) => Effect.Effect<ToolRows<Tool>, E, R>) | undefined
  readonly convert: (tool: Schema.Schema.Type<Tool>, ctx: TaskContext) => Effect.Effect<ReadonlyArray<any>, E, R>
  readonly shouldRunOn: (scope: any) => boolean
}

type ToolRows<Tool extends Model.Any> = Schema.Schema.Type<Tool> | ReadonlyArray<Schema.Schema.Type<Tool>>

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions<
  Conn,
  Scope,
  ScopeConfig,
  Tool extends Model.Any,
  Parent,
  E,
  R,
  State = unknown,
  EExtract = E,
  EConvert = E
> {
  readonly name: string
  readonly toolModel: Tool
  readonly domainTypes: ReadonlyArray<Model.DomainType>
  readonly domainModels?: ReadonlyArray<Model.Any>
  readonly parent?: DataStream<Model.Any, any, any>
  /** Parents a substream collects at once; 4 by default. */
  readonly concurrency?: number
  /**
   * The collector's state as a Schema: `ctx.state` and the records' `state` get its type, and it is stored
   * encoded (JSON of the encoded side). A saved state that no longer decodes (written by an older version) is
   * logged as a warning, and the run starts afresh as a full collect. Without it the state is `unknown`.
   */
  readonly state?: Schema.Schema<State, any, never>
  /**
   * A substream's states of two parents (in parent order) as one, e.g. the later of two `updated`: the state a
   * run saves, and the next incremental run gives every parent, is then every parent's final state combined,
   * instead of the last parent's. Substreams only.
   */
  readonly combineState?: (a: NoInfer<State>, b: NoInfer<State>) => NoInfer<State>
  readonly collect: (
    ctx: CollectContext<Conn, Scope, ScopeConfig, NoInfer<State>>,
    parent: Parent
  ) => Stream.Stream<RawRecord<NoInfer<State>>, E, R>
  readonly extract?: (
    data: any,
    ctx: TaskContext<Conn, Scope, ScopeConfig>
  ) => Effect.Effect<ToolRows<Tool>, EExtract, R>
  readonly convert: (
    tool: Schema.Schema.Type<Tool>,
    ctx: TaskContext<Conn, Scope, ScopeConfig>
  ) => Effect.Effect<ReadonlyArray<any>, EConvert, R>
  readonly shouldRunOn?: (scope: Scope) => boolean
}

/**
 * Defines a stream. A plugin's `Plugin.define(…).stream` is this with `ctx` typed by the plugin's models, so that
 * its callbacks need no `CollectContext<…>` annotation.
 *
 * @example
 * const Users = DataStream.make({
 *   name: "users",
 *   toolModel: User,
 *   domainTypes: ["CROSS"],
 *   domainModels: [Domain.Crossdomain.Account],
 *   collect: (ctx: DataStream.CollectContext<MyConnection>) =>
 *     Stream.fromIterable([DataStream.raw({ id: "u1", name: "Ada" })]),
 *   convert: (user) => Effect.succeed([new Domain.Crossdomain.Account({ userName: user.name })])
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internal.make

/**
 * The three subtask verbs, in execution order.
 *
 * @since 0.1.0
 * @category models
 */
export const verbs = internal.verbs

/** @since 0.1.0 @category models */
export type Verb = internal.Verb

/**
 * The subtask name pydevlake gives a stream's subtask (`Collect Fakepipelinestream`): what pipeline plans list
 * and what DevLake shows.
 *
 * @since 0.1.0
 * @category accessors
 */
export const subtaskName: (stream: DataStream, verb: Verb) => string = internal.subtaskName
