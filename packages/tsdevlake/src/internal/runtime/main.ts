/**
 * The process: parse the command line, run the command, print one line on failure and exit with the verdict.
 *
 * @internal
 */
import { Command } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Console, Effect, Exit, Layer, LogLevel, Random } from "effect"
import type { MainOptions } from "../../Cli.js"
import type * as plugins from "../plugin/definition.js"
import * as logger from "../process/logger.js"
import * as replies from "../process/replies.js"
import { normalizeArgv, unknownCommand } from "./argv.js"
import { command, commandNames, type RootCommand } from "./commands.js"
import { describeFailure, exitCode, stripAnsi } from "./failure.js"

const defaultConsole = Effect.runSync(Console.consoleWith(Effect.succeed))

// @effect/cli prints its multi-line usage to stderr on a parse error; we print one line instead. Its help is
// coloured, which only a terminal shows as colours (a pipe or a file would get the escape codes).
const silentErrors: Console.Console = {
  ...defaultConsole,
  log: (...args) =>
    defaultConsole.log(...(process.stdout.isTTY ? args : args.map((a) => typeof a === "string" ? stripAnsi(a) : a))),
  error: () => Effect.void
}

/**
 * Runs `root` on `argv` (node's: the first two are node and the script) and exits the process.
 *
 * @internal
 */
export const runCommand = (
  plugin: plugins.Plugin,
  root: RootCommand,
  names: ReadonlyArray<string>,
  argv: ReadonlyArray<string>
): void => {
  const args = normalizeArgv(argv.slice(2), names)
  const program = Effect.suspend(() => {
    const wrong = unknownCommand(args, names)
    if (wrong !== undefined) return Effect.fail(wrong)
    return Command.run(root, { name: plugin.name, version: "0.1.0" })([
      argv[0] ?? "node",
      argv[1] ?? plugin.name,
      ...args
    ])
  }).pipe(
    // Only what @effect/cli needs: NodeContext (or the package's index) would also load child processes,
    // workers and the HTTP stack at every start.
    Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, replies.layer())),
    Effect.withConsole(silentErrors),
    // Effect seeds its default Random when its module loads, which a startup snapshot fixes at build time:
    // every process would retry with the same jitter.
    Effect.withRandom(Random.make(Math.random())),
    Effect.provide(logger.layer(LogLevel.Info))
  )
  Effect.runPromiseExit(program as Effect.Effect<void, unknown>).then((exit) => {
    if (Exit.isFailure(exit)) process.stderr.write(`error: ${args[0] ?? plugin.name}: ${describeFailure(exit.cause)}\n`)
    // The Go server waits for the process to exit; a driver's pool or a keep-alive socket left open must not
    // keep it waiting. fd 3, stdout and stderr are written synchronously, so nothing is lost here.
    process.exit(exitCode(exit))
  })
}

/**
 * Builds the command tree and runs it on `argv`, or, while the build evaluates the bundle into a V8 startup
 * snapshot, leaves the running to each process started from the snapshot.
 *
 * @internal
 */
export const main = (plugin: plugins.Plugin, options: MainOptions): void => {
  const root = command(plugin, options.pluginPath)
  const names = commandNames(plugin)
  // The build may evaluate the bundle into a V8 startup snapshot (scripts/build.mjs): module loading and the
  // command tree then happen once at build time, and each process started from the snapshot only runs this.
  // node:v8 costs every process ~6 ms to load, so it is loaded only under `node --build-snapshot`.
  const snapshot = process.execArgv.includes("--build-snapshot")
    ? process.getBuiltinModule("node:v8").startupSnapshot
    : undefined
  if (snapshot?.isBuildingSnapshot()) {
    snapshot.setDeserializeMainFunction(() => runCommand(plugin, root, names, options.argv ?? process.argv))
    return
  }
  runCommand(plugin, root, names, options.argv ?? process.argv)
}
