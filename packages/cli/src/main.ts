/**
 * The `tsdevlake` command: its root, with the subcommands of commands.ts, run on the process's arguments. A
 * failure prints one line, `tsdevlake: <why>`, and exits with 2 for a wrong command line, 1 otherwise.
 */
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect, Exit } from "effect"
import { commands } from "./commands.js"
import { describeFailure, exitCode } from "./failure.js"

/** The root command: `tsdevlake <command> …`. */
export const root = Command.make("tsdevlake").pipe(
  Command.withDescription("Build, check and run tsdevlake plugins (Apache DevLake remote plugins in TypeScript)"),
  Command.withSubcommands(commands)
)

const defaultConsole = Effect.runSync(Console.consoleWith(Effect.succeed))

// @effect/cli prints a multi-line usage to stderr on a parse error; main prints one line instead. Its help is
// coloured, which only a terminal shows as colours.
// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const plain = (a: unknown) => typeof a === "string" ? a.replace(/\u001b\[[0-9;]*m/g, "") : a
const quietConsole: Console.Console = {
  ...defaultConsole,
  log: (...args) => defaultConsole.log(...(process.stdout.isTTY ? args : args.map(plain))),
  error: () => Effect.void
}

const program = Command.run(root, { name: "tsdevlake", version: "0.1.0" })(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  Effect.withConsole(quietConsole)
)

Effect.runPromiseExit(program).then((exit) => {
  if (Exit.isFailure(exit)) process.stderr.write(`tsdevlake: ${describeFailure(exit.cause)}\n`)
  process.exit(exitCode(exit))
})
