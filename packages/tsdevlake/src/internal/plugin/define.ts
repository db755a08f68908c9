/**
 * `Plugin.define`: the plugin's identity and models given once, so that its streams' and callbacks' contexts
 * are typed from them (no `DataStream.CollectContext<Conn, Scope, Config>` annotations) and its folder is
 * written once. `stream` is `DataStream.make` and `make` is `Plugin.make`, with what the definition gave.
 *
 * @internal
 */
import type * as DataStream from "../../DataStream.js"
import type * as Model from "../../Model.js"
import { tableName } from "../model/names.js"
import { make as makeStream } from "./dataStream.js"
import {
  folderOf,
  type Instance,
  type LayerOption,
  make as makePlugin,
  type Needs,
  type Plugin,
  type PluginOptions
} from "./definition.js"

/** @internal */
export interface DefineOptions<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any> {
  /** Plugin name: URL segment, raw table prefix (`_raw_<name>_…`), must be unique on the server. */
  readonly name: string
  /** Folder of the plugin: tool table and domain id prefix (pydevlake uses the project folder). Default: `name`. */
  readonly folder?: string
  readonly connection: Conn
  readonly scope: Scope
  readonly scopeConfig: ScopeConfig
}

/**
 * The options of a defined plugin's `stream`: `DataStream.make`'s, with the contexts typed by the definition and
 * a substream's parent row typed by its `parent` stream.
 *
 * @internal
 */
export interface StreamOptions<
  Conn extends Model.Any,
  Scope extends Model.Any,
  ScopeConfig extends Model.Any,
  Tool extends Model.Any,
  ParentTool extends Model.Any,
  E,
  R,
  State,
  EExtract,
  EConvert
> extends
  Omit<
    DataStream.MakeOptions<
      Instance<Conn>,
      Instance<Scope>,
      Instance<ScopeConfig>,
      Tool,
      Instance<ParentTool>,
      E,
      R,
      State,
      EExtract,
      EConvert
    >,
    "parent"
  >
{
  /** The parent stream of a substream: `collect` gets each of its tool rows, typed, as its second argument. */
  readonly parent?: DataStream.DataStream<ParentTool, any, any>
}

type Given = "name" | "folder" | "connection" | "scope" | "scopeConfig" | "layer" | "streams"

/**
 * The options of a defined plugin's `make`: `Plugin.make`'s but those the definition gave, with the same check
 * that `layer` provides what the streams and callbacks need.
 *
 * @internal
 */
export type MakeOptions<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any, E, RS, RC> =
  & Omit<PluginOptions<Conn, Scope, ScopeConfig, E, RC>, Given>
  & { readonly streams: ReadonlyArray<DataStream.DataStream<any, E, RS>> }
  & LayerOption<Conn, E, Needs<RS, RC>>

/** @internal */
export interface Definition<Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any> {
  readonly name: string
  readonly folder: string
  readonly connection: Conn
  readonly scope: Scope
  readonly scopeConfig: ScopeConfig
  /** `DataStream.make`, with `ctx` typed by the definition (and `ctx.state` by `state`). */
  readonly stream: <
    Tool extends Model.Any,
    ParentTool extends Model.Any = never,
    E = never,
    R = never,
    State = unknown,
    EExtract = never,
    EConvert = never
  >(
    options: StreamOptions<Conn, Scope, ScopeConfig, Tool, ParentTool, E, R, State, EExtract, EConvert>
  ) => DataStream.DataStream<Tool, E | EExtract | EConvert, R>
  /** `Plugin.make`, with the definition's name, folder and models. */
  readonly make: <E = never, RS = never, RC = never>(
    options: MakeOptions<Conn, Scope, ScopeConfig, E, RS, RC>
  ) => Plugin<Conn, Scope, ScopeConfig, E, RS | RC>
  /** The table of a model in this plugin's folder (`_tool_<folder>_<plural>`, or the model's own name). */
  readonly tableName: (model: Model.Any) => string
}

/** @internal */
export const define = <Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any>(
  options: DefineOptions<Conn, Scope, ScopeConfig>
): Definition<Conn, Scope, ScopeConfig> => {
  const folder = folderOf(options)
  const given = {
    name: options.name,
    folder,
    connection: options.connection,
    scope: options.scope,
    scopeConfig: options.scopeConfig
  }
  return {
    ...given,
    // The definition only fixes the context's type parameters: the stream is DataStream.make's.
    stream: (streamOptions) => makeStream(streamOptions as DataStream.MakeOptions<any, any, any, any, any, any, any>),
    // `make`'s own check of the layer is in the type above; its values are Plugin.make's.
    make: (makeOptions) => makePlugin({ ...makeOptions, ...given } as Parameters<typeof makePlugin>[0]) as any,
    tableName: (model) => tableName(model, folder)
  }
}
