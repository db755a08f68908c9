/**
 * The command table of a plugin: the commands DevLake sends and `migrate`, as one @effect/cli command tree.
 *
 * @internal
 */
import { Command } from "@effect/cli"
import { verbs } from "../plugin/dataStream.js"
import type * as plugins from "../plugin/definition.js"
import { makePipelineCommand, pluginInfoCommand, remoteScopesCommand, testConnectionCommand } from "./callCommands.js"
import { pluginSchemas } from "./commandArgs.js"
import { migrateCommand } from "./migrateCommand.js"
import { subtaskCommand } from "./subtaskCommand.js"

/**
 * The names of the commands of `command`, in the order of its help.
 *
 * @internal
 */
export const commandNames = (_plugin: plugins.Plugin): Array<string> => [
  "plugin-info",
  "test-connection",
  "make-pipeline",
  "remote-scopes",
  ...verbs,
  "migrate"
]

/**
 * The command tree of a plugin; `pluginPath` is the `run.sh` plugin-info reports (found when absent).
 *
 * @internal
 */
export const command = (plugin: plugins.Plugin, pluginPath: string | undefined) => {
  const schemas = pluginSchemas(plugin)
  return Command.make(plugin.name).pipe(
    Command.withDescription(`${plugin.description} (a DevLake remote plugin; replies on fd 3)`),
    Command.withSubcommands([
      pluginInfoCommand(plugin, pluginPath),
      testConnectionCommand(plugin, schemas),
      makePipelineCommand(plugin, schemas),
      remoteScopesCommand(plugin, schemas),
      subtaskCommand(plugin, schemas, "collect"),
      subtaskCommand(plugin, schemas, "extract"),
      subtaskCommand(plugin, schemas, "convert"),
      migrateCommand(plugin)
    ])
  )
}

/** @internal */
export type RootCommand = ReturnType<typeof command>
