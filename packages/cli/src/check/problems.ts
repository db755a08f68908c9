/**
 * What DevLake would fail on in a plugin-info reply, at start-up or at the first pipeline, one line per problem:
 * Go's rules on the reply (the `run` command's `checkPluginInfo`, on the framework's `Message.PluginInfo`,
 * `ModelInfo.validate` and `Migration.decode`), plus the tables the models use that no migration script creates
 * (the first subtask would find no table) and domain types DevLake does not know (no blueprint would enable the
 * subtask).
 */
import { Either, Schema } from "effect"
import { Migration, Model } from "tsdevlake"
import { Message, type ModelInfo } from "tsdevlake/runtime"
import { checkPluginInfo } from "../run/pluginInfo.js"

// The model a json_schema describes (its title is the model's identifier), for the problem's wording.
const titleOf = (info: ModelInfo.DynamicModelInfo): string => {
  const title = (info.json_schema as { readonly title?: unknown } | null)?.title
  return typeof title === "string" ? ` ${title}` : ""
}

const tableProblems = (info: Message.PluginInfo): Array<string> => {
  const scripts = Migration.decode(info.migration_scripts)
  // Scripts that do not decode are checkPluginInfo's problem.
  if (Either.isLeft(scripts)) return []
  const created = Migration.tablesAfter(scripts.right)
  const models: Array<[string, ModelInfo.DynamicModelInfo]> = [
    ["the connection model", info.connection_model_info],
    ["the scope model", info.scope_model_info],
    ["the scope config model", info.scope_config_model_info],
    ...info.tool_model_infos.map((model): [string, ModelInfo.DynamicModelInfo] => ["the tool model", model])
  ]
  return models.filter(([, model]) => !created.has(model.table_name)).map(([what, model]) =>
    `${what}${titleOf(model)} uses table ${model.table_name}, which no migration script creates ` +
    `(add a script with Migration.createTable for it)`
  )
}

const domainTypeProblems = (info: Message.PluginInfo): Array<string> =>
  info.subtask_metas.flatMap((meta) =>
    meta.domain_types.filter((type) => !(Model.allDomainTypes as ReadonlyArray<string>).includes(type)).map((type) =>
      `subtask "${meta.name}" has the unknown domain type "${type}" (DevLake knows ${Model.allDomainTypes.join(", ")})`
    )
  )

/**
 * Every problem DevLake would find in a plugin-info reply (the JSON value read from fd 3), one line each; empty
 * when none.
 *
 * @example
 * pluginInfoProblems(JSON.parse(reply)) // ['subtask "collectUsers" has the unknown domain type "SCM" (…)']
 */
export const pluginInfoProblems = (json: unknown): ReadonlyArray<string> => {
  const goProblems = Either.match(checkPluginInfo(json), { onLeft: (problems) => problems, onRight: () => [] })
  const decoded = Schema.decodeUnknownEither(Message.PluginInfo)(json)
  const problems = Either.isLeft(decoded)
    ? goProblems
    : [...goProblems, ...tableProblems(decoded.right), ...domainTypeProblems(decoded.right)]
  // A decoding error's tree spans lines; a problem is one line.
  return problems.map((problem) => problem.replace(/\s*\n\s*/g, " "))
}
