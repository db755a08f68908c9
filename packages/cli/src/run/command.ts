/**
 * `tsdevlake run <plugin-dir>`: a local stand-in for the DevLake server, in the spirit of pydevlake's `run.go`.
 * It runs one scope's whole pipeline through the plugin's `run.sh` (see pipeline.ts), shows each subtask's
 * progress (bars on a terminal, plain lines otherwise) and ends with a summary table.
 *
 * @example
 * tsdevlake run plugins/fakeplugin --connection '{"token":"…"}' --scope '{"id":"p1","name":"Project 1"}'
 */
import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { databaseUrl, jsonObjectOption, RunInputError, runShOf } from "./input.js"
import { runPipeline } from "./pipeline.js"
import { reporterFor } from "./progress.js"

const write = (text: string) => void process.stdout.write(text)

const jsonOption = (name: string, what: string) =>
  Options.text(name).pipe(Options.withDescription(`${what}: JSON, or @file to read it from a file`))

/** Runs the pipeline; a failed subtask's last log lines go to stderr before the one-line failure. */
const handler = (input: {
  readonly pluginDir: string
  readonly connection: string
  readonly scope: string
  readonly scopeConfig: Option.Option<string>
  readonly dbUrl: Option.Option<string>
  readonly incremental: boolean
  readonly streams: ReadonlyArray<string>
}) =>
  Effect.gen(function*() {
    const runSh = yield* runShOf(input.pluginDir)
    const connection = yield* jsonObjectOption("connection", input.connection)
    const scope = yield* jsonObjectOption("scope", input.scope)
    if (scope["id"] === undefined) return yield* new RunInputError({ detail: "--scope: the scope has no \"id\"" })
    const scopeConfig = Option.isSome(input.scopeConfig)
      ? yield* jsonObjectOption("scope-config", input.scopeConfig.value)
      : undefined
    const db = yield* databaseUrl(input.pluginDir, Option.getOrUndefined(input.dbUrl))
    const result = yield* runPipeline({
      runSh,
      connection,
      scope,
      scopeConfig,
      dbUrl: db.url,
      dbDisplay: db.display,
      incremental: input.incremental,
      streams: input.streams,
      reporter: reporterFor(process.stdout),
      log: (line) => write(`${line}\n`)
    }).pipe(
      Effect.tapErrorTag("SubtaskFailedError", (error) =>
        Effect.sync(() => {
          const lines = error.lastLines.length === 0
            ? ["  (the plugin wrote no log line)"]
            : error.lastLines.map((l) => `  ${l}`)
          process.stderr.write(`subtask ${error.subtask} failed; its last log lines:\n${lines.join("\n")}\n`)
        }))
    )
    write(result.summary)
  })

/** The `run` subcommand of `tsdevlake`. */
export const run = Command.make(
  "run",
  {
    pluginDir: Args.text({ name: "plugin-dir" }).pipe(
      Args.withDescription("The plugin folder (with run.sh and dist/)")
    ),
    connection: jsonOption("connection", "The connection, as DevLake stores it (id 1 unless given)"),
    scope: jsonOption("scope", "The scope to collect (needs an \"id\")"),
    scopeConfig: jsonOption("scope-config", "The scope config (none by default: DevLake then sends null)").pipe(
      Options.optional
    ),
    dbUrl: Options.text("db-url").pipe(
      Options.withDescription(
        "The database (mysql://, postgres://, sqlite://); by default a SQLite file under <plugin-dir>/.tsdevlake/"
      ),
      Options.optional
    ),
    incremental: Options.boolean("incremental").pipe(
      Options.withDescription("Run incrementally: the task options get incremental: true")
    ),
    streams: Options.text("stream").pipe(
      Options.withDescription("Run only this stream's subtasks (repeat for several)"),
      Options.repeated
    )
  },
  handler
).pipe(Command.withDescription("Run a plugin's whole pipeline for one scope, as the DevLake server would"))
