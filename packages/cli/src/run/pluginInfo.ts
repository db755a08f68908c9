/**
 * The `plugin-info` reply checked as the Go server checks it when it loads a remote plugin (protocol section 3.6):
 * the message decodes, every json_schema converts with its base struct (and every `create_table` with
 * `common.NoPKModel`), the migration scripts decode, subtask names are unique. The rules are the framework's
 * (`Message.PluginInfo`, `ModelInfo.validate`, `Migration.decode`); this only applies them to
 * a reply read from `run.sh`, where the kit's `pluginProblems` needs the plugin's definition.
 */
import { Either, ParseResult, Schema } from "effect"
import { Migration } from "tsdevlake"
import { Message, ModelInfo } from "tsdevlake/runtime"

const modelProblem = (what: string, info: ModelInfo.DynamicModelInfo, base: ModelInfo.Base | undefined) => {
  const checked = ModelInfo.validate(info.json_schema, base)
  return Either.isLeft(checked) ? [`${what} (table ${info.table_name}): ${checked.left.message}`] : []
}

const duplicates = (names: ReadonlyArray<string>) => names.filter((name, i) => names.indexOf(name) !== i)

/** What the Go server would refuse in a decoded reply, one line per problem. */
const replyProblems = (info: Message.PluginInfo): Array<string> => {
  const scripts = Migration.decode(info.migration_scripts)
  // Go sorts the scripts of all plugins by version and runs each `name:version` once: order and repeats are
  // not errors there. Checked: the decoding (Go's operation types; pydevlake's 14-digit versions, which
  // Migration.script also requires) and each create_table's conversion.
  const scriptProblems = Either.isLeft(scripts)
    ? [`migration_scripts do not decode: ${ParseResult.TreeFormatter.formatErrorSync(scripts.left)}`]
    : scripts.right.flatMap((script) =>
      script.operations.flatMap((op) =>
        op.type === "create_table"
          ? modelProblem(`create_table of migration "${script.name}"`, op.modelInfo, "common.NoPKModel")
          : []
      )
    )
  return [
    ...modelProblem("the connection model", info.connection_model_info, ModelInfo.baseOf("connection")),
    ...modelProblem("the scope model", info.scope_model_info, ModelInfo.baseOf("scope")),
    ...modelProblem("the scope config model", info.scope_config_model_info, ModelInfo.baseOf("scopeConfig")),
    ...info.tool_model_infos.flatMap((model) => modelProblem("a tool model", model, ModelInfo.baseOf("tool"))),
    ...scriptProblems,
    ...[...new Set(duplicates(info.subtask_metas.map((meta) => meta.name)))].map((name) =>
      `two subtasks are named "${name}"`
    )
  ]
}

/** The decoded reply, or every problem Go would find in it. */
export const checkPluginInfo = (json: unknown): Either.Either<Message.PluginInfo, ReadonlyArray<string>> => {
  const decoded = Schema.decodeUnknownEither(Message.PluginInfo)(json)
  if (Either.isLeft(decoded)) {
    return Either.left([`the reply does not decode: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`])
  }
  const problems = replyProblems(decoded.right)
  return problems.length === 0 ? Either.right(decoded.right) : Either.left(problems)
}
