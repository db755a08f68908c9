/**
 * The subcommands of `tsdevlake`. A new command lives in its own folder (`src/<command>/`) and is added here, in
 * one line; main.ts registers them all under the root command.
 */
import { buildCommand } from "./builder/command.js"
import { checkCommand } from "./check/command.js"
import { newCommand } from "./new/command.js"
import { run } from "./run/command.js"

export const commands = [buildCommand, checkCommand, newCommand, run] as const
