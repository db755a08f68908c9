/**
 * The process entry point the Go server spawns through `run.sh`: `./run.sh <command> <config JSON> <JSON
 * args…>`. Replies go to fd 3, logs to stdout/stderr, and the exit code is the verdict.
 *
 * @since 0.1.0
 */
import { Args, Command, HelpDoc, ValidationError } from "@effect/cli"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import { Cause, Console, Effect, Exit, Layer, LogLevel, Option, ParseResult, Random, Schema, Stream } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as DataStream from "./DataStream.js"
import * as Db from "./Db.js"
import * as Ipc from "./Ipc.js"
import * as Migrator from "./Migrator.js"
import * as State from "./State.js"
import * as Subtask from "./Subtask.js"
import { ArgumentError, decodeArgument, describeParseError, parseJsonArgument } from "./internal/process/arguments.js"
import * as logger from "./internal/process/logger.js"
import * as plugins from "./internal/plugin/plugin.js"
import type * as Model from "./Model.js"

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
export const protocolCommands: Record<string, { readonly min: number; readonly max: number }> = {
  "plugin-info": { min: 0, max: 0 },
  "collect": { min: 2, max: 2 },
  "extract": { min: 2, max: 2 },
  "convert": { min: 2, max: 2 },
  "test-connection": { min: 1, max: 1 },
  "make-pipeline": { min: 2, max: 2 },
  "remote-scopes": { min: 1, max: 2 }
}

const Config = Schema.Struct({ log_level: Schema.optional(Schema.Unknown) })

/** A command failed because of its input; exits with code 2. */
class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { detail: Schema.String }) {
  override get message() {
    return this.detail
  }
}

const findRunSh = (entry: string | undefined): string | undefined => {
  let dir = entry === undefined ? process.cwd() : path.dirname(path.resolve(entry))
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, "run.sh")
    if (fs.existsSync(candidate)) return candidate
    dir = path.dirname(dir)
  }
  return undefined
}

const pluginPathOf = (options: MainOptions) =>
  Effect.suspend(() => {
    const found = options.pluginPath ?? findRunSh(process.argv[1])
    if (found === undefined) {
      return Effect.fail(new UsageError({ detail: "run.sh not found next to the plugin's entry script" }))
    }
    try {
      fs.accessSync(found, fs.constants.X_OK)
    } catch {
      return Effect.fail(new UsageError({ detail: `${found} is not executable` }))
    }
    return Effect.succeed(found)
  })

const jsonArg = (name: string, description: string) => Args.text({ name }).pipe(Args.withDescription(description))

const configArg = jsonArg("config", "JSON object from DevLake, e.g. {\"log_level\":\"info\"}")

/**
 * Builds the command tree of a plugin.
 *
 * @since 0.1.0
 * @category constructors
 */
export const command = <Conn extends Model.Any, Scope extends Model.Any, ScopeConfig extends Model.Any, E, R>(
  definition: plugins.Plugin<Conn, Scope, ScopeConfig, E, R>,
  options: MainOptions = {}
) => {
  const plugin = definition as unknown as plugins.Plugin
  const withConfig = <A, E, R>(name: string, config: string, body: Effect.Effect<A, E, R>) =>
    Effect.flatMap(
      Effect.flatMap(parseJsonArgument(config, "config argument"), decodeArgument(Config, "config argument")),
      (cfg) =>
        Effect.logDebug(`${plugin.name} ${name}: started (pid ${process.pid})`).pipe(
          Effect.zipRight(body),
          Effect.tap(() => Effect.logDebug(`${plugin.name} ${name}: done in ${Math.round(performance.now())} ms since start`)),
          Effect.provide(logger.layer(logger.levelFromConfig(cfg.log_level)))
        )
    )
  const decodeJson = <A, I>(schema: Schema.Schema<A, I, never>, text: string, what: string) =>
    Effect.flatMap(parseJsonArgument(text, what), decodeArgument(schema, what))
  const connectionSchema = plugin.connection as unknown as Schema.Schema<any, any, never>
  const scopeSchema = plugin.scope as unknown as Schema.Schema<any, any, never>
  // `null` scope config: DevLake sends it once a scope's config was deleted; the config's defaults apply.
  const scopeConfigSchema = Schema.transform(
    Schema.NullOr(Schema.Unknown),
    plugin.scopeConfig as unknown as Schema.Schema<any, any, never>,
    { strict: false, decode: (v) => v ?? {}, encode: (v) => v }
  )

  const pluginInfo = Command.make(
    "plugin-info",
    { config: Args.optional(configArg) },
    ({ config }) =>
      withConfig(
        "plugin-info",
        Option.getOrElse(config, () => "{}"),
        Effect.gen(function*() {
          const pluginPath = yield* pluginPathOf(options)
          const ipc = yield* Ipc.Ipc
          yield* ipc.reply(plugins.info(plugin, pluginPath))
        })
      )
  ).pipe(Command.withDescription("Describe the plugin: models, subtasks and migrations (DevLake calls it at start-up)"))

  const testConnection = Command.make(
    "test-connection",
    { config: configArg, connection: jsonArg("connection", "the connection JSON") },
    ({ config, connection }) =>
      withConfig(
        "test-connection",
        config,
        Effect.gen(function*() {
          const conn = yield* decodeJson(connectionSchema, connection, "connection")
          const result = yield* plugins.withPluginLayer(plugin, conn, plugins.testConnection(plugin, conn))
          const ipc = yield* Ipc.Ipc
          yield* ipc.reply(result)
        })
      )
  ).pipe(Command.withDescription("Check that a connection works; replies {success, message, status}"))

  const makePipeline = Command.make(
    "make-pipeline",
    {
      config: configArg,
      scopes: jsonArg("scope-config-pairs", "JSON array of [scope, scopeConfig|null] pairs"),
      connection: jsonArg("connection", "the connection JSON")
    },
    ({ config, connection, scopes }) =>
      withConfig(
        "make-pipeline",
        config,
        Effect.gen(function*() {
          const conn = yield* decodeJson(connectionSchema, connection, "connection")
          const pairs = yield* decodeJson(
            Schema.Array(Schema.Tuple(scopeSchema, scopeConfigSchema)),
            scopes,
            "scope/scope config pairs"
          )
          const data = yield* plugins.makePipeline(plugin, pairs, conn)
          const ipc = yield* Ipc.Ipc
          yield* ipc.reply(data)
        })
      )
  ).pipe(Command.withDescription("Plan a pipeline for scopes; replies {plan, scopes}"))

  const remoteScopes = Command.make(
    "remote-scopes",
    {
      config: configArg,
      connection: jsonArg("connection", "the connection JSON"),
      groupId: Args.optional(jsonArg("group-id", "JSON string: the group to list, \"\" for the groups"))
    },
    ({ config, connection, groupId }) =>
      withConfig(
        "remote-scopes",
        config,
        Effect.gen(function*() {
          const conn = yield* decodeJson(connectionSchema, connection, "connection")
          const group = Option.isSome(groupId)
            ? yield* decodeJson(Schema.NullOr(Schema.String), groupId.value, "group id")
            : null
          const ipc = yield* Ipc.Ipc
          yield* plugins.withPluginLayer(
            plugin,
            conn,
            Stream.runForEach(plugins.remoteScopeNodes(plugin, conn, group ?? ""), ipc.send)
          )
        })
      )
  ).pipe(Command.withDescription("List remote scope groups (group id \"\") or the scopes of a group, one per line"))

  const TaskContextArg = Schema.Struct({
    db_url: Schema.String,
    scope: scopeSchema,
    connection: connectionSchema,
    // Absent, like `null`, means "the scope config's defaults" (decoded below, so a failure names it).
    scope_config: Schema.optionalWith(Schema.Unknown, { default: () => null }),
    options: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), {
      default: () => ({}),
      nullable: true
    })
  })

  const subtaskCommand = (verb: DataStream.Verb) =>
    Command.make(
      verb,
      {
        config: configArg,
        context: jsonArg("task-context", "JSON {db_url, scope, connection, scope_config, options}"),
        stream: jsonArg("stream", `JSON string: one of ${plugin.streams.map((s) => JSON.stringify(s.name)).join(", ")}`)
      },
      ({ config, context, stream }) =>
        withConfig(
          verb,
          config,
          Effect.gen(function*() {
            const name = yield* decodeJson(Schema.String, stream, "stream argument")
            const definition = plugin.streams.find((s) => s.name === name)
            if (definition === undefined) {
              return yield* new ArgumentError({
                argument: "stream argument",
                detail: `unknown stream "${name}"; this plugin has ${plugin.streams.map((s) => `"${s.name}"`).join(", ")}`
              })
            }
            const task = yield* decodeJson(TaskContextArg, context, "task context")
            const scopeConfig = yield* decodeArgument(scopeConfigSchema, "scope config")(task.scope_config)
            const ctx = Subtask.taskContext(plugin, {
              connection: task.connection,
              scope: task.scope,
              scopeConfig,
              options: task.options
            })
            const layer = State.layerSql.pipe(Layer.provideMerge(Db.layer(task.db_url)))
            yield* plugins.withPluginLayer(plugin, task.connection, Subtask.run(plugin, verb, definition, ctx)).pipe(
              Effect.provide(layer)
            )
          })
        )
    ).pipe(Command.withDescription(`${verb[0]!.toUpperCase()}${verb.slice(1)} a stream for a scope (a DevLake subtask)`))

  const migrate = Command.make(
    "migrate",
    { config: configArg, target: jsonArg("target", "JSON {\"db_url\": \"sqlite:///path/to/file.db\"}") },
    ({ config, target }) =>
      withConfig(
        "migrate",
        config,
        Effect.gen(function*() {
          const { db_url } = yield* decodeJson(Schema.Struct({ db_url: Schema.String }), target, "migrate target")
          const report = yield* Migrator.apply(plugin.migrations, {
            domainModels: [...new Set(plugin.streams.flatMap((s) => s.domainModels))],
            comment: plugin.name
          }).pipe(Effect.provide(Db.layer(db_url)))
          yield* Effect.logInfo(
            `migrate: ${report.applied.length} script(s) applied, ${report.skipped.length} already applied, ${report.domainTables.length} domain table(s) created`
          )
        })
      )
  ).pipe(Command.withDescription("Apply the plugin's migrations and create its domain tables locally (DevLake does this itself)"))

  return Command.make(plugin.name).pipe(
    Command.withDescription(`${plugin.description} (a DevLake remote plugin; replies on fd 3)`),
    Command.withSubcommands([
      pluginInfo,
      testConnection,
      makePipeline,
      remoteScopes,
      subtaskCommand("collect"),
      subtaskCommand("extract"),
      subtaskCommand("convert"),
      migrate
    ])
  )
}

const knownFlags = new Set(["--help", "-h", "--version", "--wizard", "--completions"])

/**
 * Normalises argv as the Go server and older servers send it: `plugin_info` → `plugin-info`, and a missing
 * config argument (servers before v1.0.0-beta4) → `{}`.
 *
 * @since 0.1.0
 * @category internals
 */
export const normalizeArgv = (args: ReadonlyArray<string>, commands: ReadonlyArray<string>): Array<string> => {
  if (args.length === 0) return []
  const [first, ...rest] = args
  const name = first!.replace(/_/g, "-")
  if (!commands.includes(name)) return [first!, ...rest]
  const arity = protocolCommands[name]
  const looksLikeConfig = (text: string | undefined) => {
    try {
      const value = JSON.parse(text ?? "")
      return typeof value === "object" && value !== null && !Array.isArray(value) &&
        Object.keys(value).every((k) => k === "log_level")
    } catch {
      return false
    }
  }
  if (arity !== undefined && rest.length >= arity.min && rest.length <= arity.max && !looksLikeConfig(rest[0])) {
    return [name, "{}", ...rest]
  }
  return [name, ...rest]
}

const firstLine = (doc: HelpDoc.HelpDoc) =>
  HelpDoc.toAnsiText(doc).replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).find((l) => l !== "") ??
    "invalid arguments"

// @effect/cli prints its multi-line usage to stderr on a parse error; we print one line instead.
const silentErrors: Console.Console = {
  ...Effect.runSync(Console.consoleWith(Effect.succeed)),
  error: () => Effect.void
}

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
): void => {
  const plugin = definition as unknown as plugins.Plugin
  const root = command(plugin, options)
  const names = ["plugin-info", "test-connection", "make-pipeline", "remote-scopes", ...extraCommandNames(plugin)]
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

const runCommand = (
  plugin: plugins.Plugin,
  root: ReturnType<typeof command>,
  names: ReadonlyArray<string>,
  argv: ReadonlyArray<string>
): void => {
  const args = normalizeArgv(argv.slice(2), names)
  const program = Effect.suspend(() => {
    const first = args[0]
    if (first === undefined) {
      return Effect.fail(new UsageError({ detail: `missing command; expected one of ${names.join(", ")}` }))
    }
    if (!names.includes(first) && !knownFlags.has(first)) {
      return Effect.fail(new UsageError({ detail: `unknown command "${first}"; expected one of ${names.join(", ")}` }))
    }
    return Command.run(root, { name: plugin.name, version: "0.1.0" })([argv[0] ?? "node", argv[1] ?? plugin.name, ...args])
  }).pipe(
    // Only what @effect/cli needs: NodeContext (or the package's index) would also load child processes,
    // workers and the HTTP stack at every start.
    Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, Ipc.layer())),
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

const extraCommandNames = (_plugin: plugins.Plugin): Array<string> => [...DataStream.verbs, "migrate"]

const exitCode = (exit: Exit.Exit<unknown, unknown>) => {
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (ValidationError.isValidationError(error) || error instanceof UsageError || error instanceof ArgumentError) return 2
  }
  return 1
}

/**
 * One line describing why a command failed, without stack traces (those go to the debug log).
 *
 * @since 0.1.0
 * @category internals
 */
export const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value as any
    if (ValidationError.isValidationError(error)) return firstLine((error as any).error)
    // A ParseError's message is a tree whose first line names only the schema ("Struct (Type side)").
    if (ParseResult.isParseError(error)) return oneLine(describeParseError(error))
    if (typeof error?.message === "string" && error.message !== "") return oneLine(error.message)
    return oneLine(String(error))
  }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const d = defect.value as any
    if (ParseResult.isParseError(d)) return oneLine(`unexpected error: ${describeParseError(d)}`)
    return oneLine(typeof d?.message === "string" ? `unexpected error: ${d.message}` : `unexpected error: ${String(d)}`)
  }
  if (Cause.isInterruptedOnly(cause)) return "interrupted"
  return "failed"
}

const oneLine = (s: string) => s.split("\n")[0]!.slice(0, 2000)
