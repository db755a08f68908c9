/**
 * `assertValidPlugin`, like pydevlake's `assert_valid_plugin`: what DevLake needs of a plugin before it runs
 * one of its subtasks.
 */
import { Either, ParseResult, Schema } from "effect"
import { Model, Plugin } from "tsdevlake"
import { Message, ModelInfo } from "tsdevlake/runtime"

/** A plugin, stream or model a kit assertion found wrong; the message names the plugin and what is wrong. */
export class AssertionError extends Error {
  override readonly name = "AssertionError"
}

const formatError = (error: ParseResult.ParseError): string => ParseResult.TreeFormatter.formatErrorSync(error)

const messageOf = (error: unknown): string => error instanceof Error ? error.message : String(error)

// The reply DevLake decodes, through JSON as it travels on fd 3.
const infoProblems = (
  plugin: Plugin.Plugin
): { readonly info?: Message.PluginInfo; readonly problems: Array<string> } => {
  let info: Message.PluginInfo
  try {
    info = Plugin.info(plugin, `/plugins/${plugin.name}/run.sh`)
  } catch (error) {
    const message = messageOf(error)
    return {
      problems: [`${streamsOf(plugin, /\bModel (\w+)/.exec(message)?.[1])}plugin-info cannot be made: ${message}`]
    }
  }
  const decoded = Schema.encodeEither(Message.PluginInfo)(info).pipe(
    Either.map((json) => JSON.parse(JSON.stringify(json)) as unknown),
    Either.flatMap(Schema.decodeUnknownEither(Message.PluginInfo))
  )
  return Either.isLeft(decoded)
    ? { problems: [`the plugin-info reply does not decode: ${formatError(decoded.left)}`] }
    : { info: decoded.right, problems: [] }
}

// The streams whose tool model is the model named `identifier`, as a problem's prefix.
const streamsOf = (plugin: Plugin.Plugin, identifier: string | undefined): string => {
  const names = plugin.streams.filter((stream) => stream.toolModel.identifier === identifier).map((s) => s.name)
  return names.length === 0 ? "" : `stream "${names.join("\", \"")}" (tool model ${identifier}): `
}

// The model a json_schema describes (its title is the model's identifier).
const titleOf = (modelInfo: ModelInfo.DynamicModelInfo): string | undefined => {
  const title = (modelInfo.json_schema as { readonly title?: unknown } | null)?.title
  return typeof title === "string" ? title : undefined
}

const schemaProblem = (
  plugin: Plugin.Plugin,
  what: string,
  modelInfo: ModelInfo.DynamicModelInfo,
  base: ModelInfo.Base | undefined
) => {
  const checked = ModelInfo.validate(modelInfo.json_schema, base)
  return Either.isLeft(checked)
    ? [`${streamsOf(plugin, titleOf(modelInfo))}${what} (table ${modelInfo.table_name}): ${checked.left.message}`]
    : []
}

interface EncodedOperation {
  readonly type: string
  readonly model_info?: ModelInfo.DynamicModelInfo
}

// Every json_schema as Go loads it: at plugin load with its kind's base struct, in a migration with NoPKModel.
const modelProblems = (plugin: Plugin.Plugin, info: Message.PluginInfo): Array<string> => [
  ...schemaProblem(plugin, "the connection model", info.connection_model_info, ModelInfo.baseOf("connection")),
  ...schemaProblem(plugin, "the scope model", info.scope_model_info, ModelInfo.baseOf("scope")),
  ...schemaProblem(plugin, "the scope config model", info.scope_config_model_info, ModelInfo.baseOf("scopeConfig")),
  ...info.tool_model_infos.flatMap((modelInfo) =>
    schemaProblem(plugin, "a tool model", modelInfo, ModelInfo.baseOf("tool"))
  ),
  ...info.migration_scripts.flatMap((script) => {
    const { name, operations } = script as { name: string; operations: ReadonlyArray<EncodedOperation> }
    return operations.flatMap((op) =>
      op.type === "create_table" && op.model_info !== undefined
        ? schemaProblem(plugin, `create_table of migration "${name}"`, op.model_info, "common.NoPKModel")
        : []
    )
  }),
  ...(plugin.name === info.name ? [] : [`plugin-info names the plugin "${info.name}"`])
]

// DevLake sends `{}` for a new scope's config and `null` once its config was deleted; the commands decode
// `null` as `{}`.
const scopeConfigProblems = (plugin: Plugin.Plugin): Array<string> =>
  [{}, null].flatMap((json) => {
    const decoded = Schema.decodeUnknownEither(plugin.scopeConfig as Schema.Schema<unknown, unknown>)(json ?? {})
    return Either.isLeft(decoded)
      ? [
        `the scope config ${plugin.scopeConfig.identifier} does not decode from ${
          JSON.stringify(json)
        } (every field needs a default): ${formatError(decoded.left)}`
      ]
      : []
  })

const streamProblems = (plugin: Plugin.Plugin): Array<string> => [
  ...(plugin.streams.length === 0 ? ["it has no streams"] : []),
  ...plugin.streams.flatMap((stream) => [
    ...(stream.domainTypes.length === 0 ? [`stream "${stream.name}" has no domain types`] : []),
    ...stream.domainTypes.filter((type) => !Model.allDomainTypes.includes(type)).map((type) =>
      `stream "${stream.name}" has the unknown domain type "${type}" (one of ${Model.allDomainTypes.join(", ")})`
    )
  ])
]

/**
 * What is wrong with a plugin for DevLake, one line per problem (empty when nothing): its `plugin-info` reply
 * does not decode, a json_schema Go would reject (connection, scope, scope config, tool models, every
 * `create_table`), a scope config that cannot be built from `{}` or `null`, no streams, a stream without
 * domain types.
 *
 * @example
 * expect(Testing.pluginProblems(MyPlugin)).toEqual([])
 */
export const pluginProblems = (plugin: Plugin.Plugin): ReadonlyArray<string> => {
  const { info, problems } = infoProblems(plugin)
  return [
    ...problems,
    ...(info === undefined ? [] : modelProblems(plugin, info)),
    ...scopeConfigProblems(plugin),
    ...streamProblems(plugin)
  ]
}

/**
 * Asserts that DevLake can load and run a plugin (see {@link pluginProblems}); throws an `AssertionError`
 * naming the plugin and every problem, one per line.
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * it("is a valid plugin", () => Testing.assertValidPlugin(MyPlugin))
 */
export const assertValidPlugin = (plugin: Plugin.Plugin): void => {
  const problems = pluginProblems(plugin)
  if (problems.length > 0) {
    throw new AssertionError(`plugin ${plugin.name} is not valid:\n- ${problems.join("\n- ")}`)
  }
}
