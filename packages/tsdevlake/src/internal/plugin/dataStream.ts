/**
 * DataStream's values: a stream definition's constructor and checks, the collector's own failure, raw records,
 * and the names of its three subtasks.
 *
 * @internal
 */
import { Schema } from "effect"
import type * as DataStream from "../../DataStream.js"
import type * as Model from "../../Model.js"
import { PluginDefinitionError } from "./definition.js"

/** A collector's own failure: what went wrong and for which input. @internal */
export class CollectFailure extends Schema.TaggedError<CollectFailure>("tsdevlake/DataStream/CollectFailure")(
  "CollectFailure",
  {
    stream: Schema.String,
    detail: Schema.String
  }
) {
  override get message() {
    return `collecting ${this.stream}: ${this.detail}`
  }
}

/** @internal */
export const raw = <State = never>(
  data: unknown,
  options: DataStream.RawOptions<State> = {}
): DataStream.RawRecord<State> => ({ ...options, data })

/** @internal */
export const make = <
  Tool extends Model.Any,
  Conn = any,
  Scope = any,
  ScopeConfig = any,
  Parent = never,
  E = never,
  R = never,
  State = unknown,
  EExtract = never,
  EConvert = never
>(
  options: DataStream.MakeOptions<Conn, Scope, ScopeConfig, Tool, Parent, E, R, State, EExtract, EConvert>
): DataStream.DataStream<Tool, E | EExtract | EConvert, R> => {
  if (!/^[a-z0-9_]+$/.test(options.name)) {
    throw new PluginDefinitionError(
      `DataStream name "${options.name}" must be lower-case letters, digits and "_" (it names a table)`
    )
  }
  if (options.combineState !== undefined && options.parent === undefined) {
    throw new PluginDefinitionError(
      `DataStream "${options.name}" has combineState but no parent: it combines the states of a substream's parents`
    )
  }
  return {
    _tag: "DataStream",
    name: options.name,
    toolModel: options.toolModel,
    domainTypes: options.domainTypes,
    domainModels: options.domainModels ?? [],
    parent: options.parent,
    concurrency: options.concurrency ?? 4,
    state: options.state,
    combineState: options.combineState as DataStream.DataStream<Tool, E | EExtract | EConvert, R>["combineState"],
    collect: options.collect as DataStream.DataStream<Tool, E | EExtract | EConvert, R>["collect"],
    extract: options.extract as DataStream.DataStream<Tool, E | EExtract | EConvert, R>["extract"],
    convert: options.convert as DataStream.DataStream<Tool, E | EExtract | EConvert, R>["convert"],
    shouldRunOn: (options.shouldRunOn as ((scope: any) => boolean) | undefined) ?? (() => true)
  }
}

/** The three subtask verbs, in execution order. @internal */
export const verbs = ["collect", "extract", "convert"] as const

/** @internal */
export type Verb = typeof verbs[number]

const capitalize = (s: string) => s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1).toLowerCase()

/** The subtask name pydevlake gives a stream's subtask (`Collect Fakepipelinestream`). @internal */
export const subtaskName = (stream: { readonly name: string }, verb: Verb): string =>
  `${capitalize(verb)} ${capitalize(stream.name)}`
