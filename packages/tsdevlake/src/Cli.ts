/**
 * The process entry point the Go server spawns through `run.sh`: `./run.sh <command> <config JSON> <JSON
 * args…>`. Replies go to fd 3, logs to stdout/stderr, and the exit code is the verdict.
 *
 * @since 0.1.0
 */
import type { Cause } from "effect"
import type * as Model from "./Model.js"
import type * as plugins from "./internal/plugin/definition.js"
import * as missingService from "./internal/plugin/missingService.js"
import * as argv from "./internal/runtime/argv.js"
import * as commands from "./internal/runtime/commands.js"
import * as failure from "./internal/runtime/failure.js"
import * as runtimeMain from "./internal/runtime/main.js"

/**
 * Options of {@link main}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MainOptions {
  /** Absolute path of the plugin's `run.sh`; found next to or above the entry script by default. */
  readonly pluginPath?: string
  /** Command-line arguments; `process.argv` by default. */
  readonly argv?: ReadonlyArray<string>
}

/**
 * The commands DevLake sends, with the number of JSON arguments each takes after the config (for detecting
 * servers older than v1.0.0-beta4, which send no config argument).
 *
 * @since 0.1.0
 * @category constants
 */
export const protocolCommands: Record<string, { readonly min: number; readonly max: number }> = argv.protocolCommands

/**
 * Builds the command tree of a plugin (an @effect/cli `Command`): plugin-info, test-connection, make-pipeline,
 * remote-scopes, collect, extract, convert and migrate.
 *
 * @example
 * const cli = Command.run(Cli.command(MyPlugin), { name: "myplugin", version: "0" })
 * cli(["node", "main.js", "plugin-info", "{}"]).pipe(Effect.provide(Layer.merge(NodeContext.layer, Ipc.layer())))
 *
 * @since 0.1.0
 * @category constructors
 */
export const command = <Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any, E, R>(
  definition: plugins.Plugin<Conn, Scope, ScopeConfig, E, R>,
  options: MainOptions = {}
): commands.RootCommand => commands.command(definition as unknown as plugins.Plugin, options.pluginPath)

/**
 * Normalises argv as the Go server and older servers send it: `plugin_info` → `plugin-info`, and a missing
 * config argument (servers before v1.0.0-beta4) → `{}`.
 *
 * @example
 * Cli.normalizeArgv(["plugin_info"], ["plugin-info"]) // ["plugin-info", "{}"]
 *
 * @since 0.1.0
 * @category internals
 */
export const normalizeArgv: (args: ReadonlyArray<string>, commands: ReadonlyArray<string>) => Array<string> =
  argv.normalizeArgv

/**
 * Runs a plugin as the Go server drives it, and exits: 0 on success, 1 when the command failed, 2 when the
 * command line itself is wrong. Failures print one line on stderr; replies go to fd 3 only.
 *
 * @example
 * // src/main.ts of a plugin; the build bundles it into dist/, which run.sh runs
 * Plugin.main(MyPlugin)
 *
 * @since 0.1.0
 * @category runtime
 */
export const main = <Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any, E, R>(
  definition: plugins.Plugin<Conn, Scope, ScopeConfig, E, R>,
  options: MainOptions = {}
): void => runtimeMain.main(definition as unknown as plugins.Plugin, options)

/**
 * One line describing why a command failed, without stack traces (those go to the debug log).
 *
 * @example
 * Cli.describeFailure(Cause.fail(new Error("first\nsecond"))) // "first"
 *
 * @since 0.1.0
 * @category internals
 */
export const describeFailure: (cause: Cause.Cause<unknown>) => string = failure.describeFailure

/**
 * One line for a defect that is Effect's `Service not found` (a plugin built without type-checking whose
 * `layer` lacks a service its code uses), without Effect's `defined at` path; `undefined` for any other
 * defect. `describeFailure` and `test-connection` say the same; test kits use it to say it too.
 *
 * @example
 * Cli.describeMissingService(new Error("Service not found: acme/AcmeApi (defined at dist/plugin.cjs:1:2)"))
 * // "the plugin's layer does not provide acme/AcmeApi: add it to the layer of Plugin.make (npm run check …)"
 *
 * @since 0.1.0
 * @category internals
 */
export const describeMissingService: (defect: unknown) => string | undefined = missingService.describeMissingService

export {
  /**
   * A JSON argument is not what the command expects (it names the argument and the field, never the value).
   * Exits with code 2.
   * @since 0.1.0
   * @category errors
   */
  ArgumentError
} from "./internal/process/arguments.js"

export {
  /**
   * The command line is wrong (a missing or unknown command), or the plugin's `run.sh` cannot be found next to
   * its entry script. Exits with code 2.
   * @since 0.1.0
   * @category errors
   */
  UsageError
} from "./internal/runtime/failure.js"
