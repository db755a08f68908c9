/**
 * `tsdevlake run` without the command line: what the DevLake server does with a remote plugin for one scope,
 * every step through the plugin's `run.sh` with replies on fd 3 (`Invoker`): `plugin-info` checked against Go's
 * rules, `migrate` (the plugin's scripts applied as Go applies them, plus the domain tables), `make-pipeline`,
 * then each subtask of the plan in the order of `subtask_metas`, as Go's `RunPluginSubTasks` runs them.
 *
 * Differences from the server, on purpose: the tasks of one stage run one after the other, not in parallel; the
 * domain scopes of `make-pipeline` are not written to `repos`/`cicd_scopes`/… (the plugin never reads them).
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { Db, Invoker, Message } from "tsdevlake/runtime"
import { RunInputError } from "./input.js"
import { checkPluginInfo } from "./pluginInfo.js"
import { advance, type Progress, type ProgressMessage, type Reporter } from "./progress.js"
import { apiStatsOf, rawDataParams, rowsPerTable, type SubtaskReport, summary } from "./summary.js"

/** A step before the subtasks failed: the plugin's reply is refused, or the plugin exited non-zero. */
export class PipelineError extends Schema.TaggedError<PipelineError>("@tsdevlake/cli/run/PipelineError")(
  "PipelineError",
  { step: Schema.String, detail: Schema.String }
) {
  override get message() {
    return `${this.step}: ${this.detail}`
  }
}

/** A subtask ended with a non-zero exit (or sent a line that is not JSON), as DevLake reports it. */
export class SubtaskFailedError extends Schema.TaggedError<SubtaskFailedError>("@tsdevlake/cli/run/SubtaskFailedError")(
  "SubtaskFailedError",
  { subtask: Schema.String, exit: Schema.String, lastLines: Schema.Array(Schema.String) }
) {
  override get message() {
    return `subtask ${this.subtask} ended unexpectedly (${this.exit})`
  }
}

/** What `tsdevlake run` was given, once checked (see `input.ts`). */
export interface PipelineOptions {
  readonly runSh: string
  readonly connection: Readonly<Record<string, unknown>>
  readonly scope: Readonly<Record<string, unknown>>
  readonly scopeConfig: Readonly<Record<string, unknown>> | undefined
  readonly dbUrl: string
  /** The database as shown to the user (a password redacted). */
  readonly dbDisplay: string
  readonly incremental: boolean
  /** Streams to run (their subtasks only); all when empty. */
  readonly streams: ReadonlyArray<string>
  readonly reporter: Reporter
  /** Informational lines (each without its newline). */
  readonly log: (line: string) => void
}

/** What a run did. */
export interface PipelineResult {
  readonly subtasks: ReadonlyArray<SubtaskReport>
  readonly rows: ReadonlyArray<readonly [string, number]>
  readonly summary: string
}

const lastLines = 20

const failed = (step: string, result: Invoker.Result) =>
  new PipelineError({
    step,
    detail: `exit ${result.exitCode ?? result.signal}: ${
      result.stderr.slice(-lastLines).join(" | ") || "(no output on stderr)"
    }`
  })

const decodeReply = <A, I>(step: string, schema: Schema.Schema<A, I>, json: unknown) =>
  Either.match(Schema.decodeUnknownEither(schema)(json), {
    onLeft: (error) =>
      Effect.fail(
        new PipelineError({ step, detail: `reply refused: ${ParseResult.TreeFormatter.formatErrorSync(error)}` })
      ),
    onRight: Effect.succeed
  })

const goTimestamp = "0001-01-01T00:00:00Z"

/**
 * The rows the Go server would send: the user gives the fields of their models, the server adds the columns of
 * its base structs (`common.Model`, `ScopeModel`, `ScopeConfigModel`) with their zero values.
 */
export const serverRows = (input: Pick<PipelineOptions, "connection" | "scope" | "scopeConfig">) => {
  const connection = { id: 1, name: "local", createdAt: goTimestamp, updatedAt: goTimestamp, ...input.connection }
  const scopeConfig = input.scopeConfig === undefined ? null : {
    id: 1,
    name: "local",
    connectionId: connection.id,
    createdAt: goTimestamp,
    updatedAt: goTimestamp,
    ...input.scopeConfig
  }
  const scope: Record<string, unknown> = {
    connectionId: connection.id,
    scopeConfigId: scopeConfig?.id ?? 0,
    createdAt: goTimestamp,
    updatedAt: goTimestamp,
    _raw_data_params: "",
    _raw_data_table: "",
    _raw_data_id: 0,
    _raw_data_remark: "",
    ...input.scope
  }
  return { connection, scope, scopeConfig }
}

const pluginInfo = (runSh: string) =>
  Effect.gen(function*() {
    const reply = yield* Invoker.call({ runSh, method: "plugin-info" }).pipe(
      Effect.mapError((error) => new PipelineError({ step: "plugin-info", detail: error.detail }))
    )
    return yield* Either.match(checkPluginInfo(reply), {
      onLeft: (problems) =>
        Effect.fail(
          new PipelineError({ step: "plugin-info", detail: `DevLake would refuse it: ${problems.join("; ")}` })
        ),
      onRight: Effect.succeed
    })
  })

/** Refuses a stream the plugin does not have, before anything runs. */
export const checkStreams = (
  info: Message.PluginInfo,
  streams: ReadonlyArray<string>
): Effect.Effect<void, RunInputError> => {
  const known = [...new Set(info.subtask_metas.flatMap((meta) => meta.arguments.slice(0, 1)))]
  const unknown = streams.find((stream) => !known.includes(stream))
  return unknown === undefined ? Effect.void : new RunInputError({
    detail: `--stream ${unknown}: plugin ${info.name} has no such stream (its streams: ${known.join(", ")})`
  })
}

/** The subtasks of the plan to run, in `subtask_metas` order (Go's), limited to `streams` when given. */
export const subtasksToRun = (
  info: Message.PluginInfo,
  plan: Message.PipelineData["plan"],
  streams: ReadonlyArray<string>
): Effect.Effect<
  ReadonlyArray<{ readonly meta: Message.SubtaskMeta; readonly options: Record<string, unknown> }>,
  PipelineError | RunInputError
> =>
  Effect.gen(function*() {
    yield* checkStreams(info, streams)
    const chosen: Array<{ meta: Message.SubtaskMeta; options: Record<string, unknown> }> = []
    for (const task of plan.flat()) {
      // Tasks of DevLake's own plugins (gitextractor, refdiff): only the server can run them (see `otherPlugins`).
      if (task.plugin !== info.name) continue
      const missing = task.subtasks.find((name) => !info.subtask_metas.some((meta) => meta.name === name))
      if (missing !== undefined) {
        return yield* new PipelineError({ step: "make-pipeline", detail: `subtask ${missing} does not exist` })
      }
      if (typeof task.options["connectionId"] !== "number" || typeof task.options["scopeId"] !== "string") {
        return yield* new PipelineError({
          step: "make-pipeline",
          detail:
            `task options need a number connectionId and a string scopeId (Go panics or says "missing scopeId"): ${
              JSON.stringify(task.options)
            }`
        })
      }
      for (const meta of info.subtask_metas) {
        if (!task.subtasks.includes(meta.name)) continue
        if (streams.length > 0 && !streams.includes(meta.arguments[0] ?? "")) continue
        chosen.push({ meta, options: { ...task.options } })
      }
    }
    return chosen
  })

/** The plugins other than this one that the plan has tasks for (DevLake's gitextractor, refdiff…), each once. */
export const otherPlugins = (info: Message.PluginInfo, plan: Message.PipelineData["plan"]): ReadonlyArray<string> => [
  ...new Set(plan.flat().map((task) => task.plugin).filter((plugin) => plugin !== info.name))
]

const runSubtask = (
  options: PipelineOptions,
  meta: Message.SubtaskMeta,
  context: Record<string, unknown>,
  position: { readonly index: number; readonly count: number }
): Effect.Effect<SubtaskReport, SubtaskFailedError | Invoker.InvokeError> =>
  Effect.gen(function*() {
    const started = performance.now()
    const seconds = () => (performance.now() - started) / 1000
    let progress: Progress = { records: 0, total: 0, seconds: 0 }
    let badLine: string | undefined
    options.reporter.start(meta.name, position.index, position.count)
    const result = yield* Invoker.run({
      runSh: options.runSh,
      method: meta.entry_point_name,
      // Debug level: the API client logs its counters (requests, retries, rate-limit waits) at debug.
      config: { log_level: "debug" },
      args: [context, ...meta.arguments],
      onLine: (line) => {
        const message = Either.try(() => JSON.parse(line) as ProgressMessage)
        if (Either.isLeft(message) || typeof message.right !== "object" || message.right === null) {
          badLine ??= line
          return
        }
        progress = advance(progress, message.right, seconds())
        options.reporter.update(meta.name, progress)
      }
    })
    progress = { ...progress, seconds: seconds() }
    const ok = result.exitCode === 0 && badLine === undefined
    options.reporter.finish(meta.name, progress, !ok)
    if (!ok) {
      const logs = [...result.stdout.filter((line) => !line.startsWith("DEBUG")), ...result.stderr]
      return yield* new SubtaskFailedError({
        subtask: meta.name,
        exit: badLine === undefined
          ? `exit ${result.exitCode ?? result.signal}`
          : `a line on fd 3 is not a progress message: ${badLine.slice(0, 200)}`,
        lastLines: logs.slice(-lastLines)
      })
    }
    return { name: meta.name, records: progress.records, seconds: progress.seconds, api: apiStatsOf(result.stdout) }
  })

/** Runs the whole pipeline of one scope and returns what it did, with the summary to print. */
export const runPipeline = (
  options: PipelineOptions
): Effect.Effect<PipelineResult, PipelineError | SubtaskFailedError | RunInputError> =>
  Effect.gen(function*() {
    const info = yield* pluginInfo(options.runSh)
    options.log(
      `plugin ${info.name}: ${info.subtask_metas.length} subtasks, ${info.migration_scripts.length} migration scripts`
    )
    yield* checkStreams(info, options.streams)
    const { connection, scope, scopeConfig } = serverRows(options)
    const migrated = yield* Invoker.run({ runSh: options.runSh, method: "migrate", args: [{ db_url: options.dbUrl }] })
    if (migrated.exitCode !== 0) return yield* failed("migrate", migrated)
    options.log(`${options.dbDisplay}: ${migrated.stdout.at(-1)?.replace(/^INFO: /, "") ?? "migrated"}`)
    const reply = yield* Invoker.call({
      runSh: options.runSh,
      method: "make-pipeline",
      args: [[[scope, scopeConfig]], connection]
    }).pipe(Effect.mapError((error) => new PipelineError({ step: "make-pipeline", detail: error.detail })))
    const plan = yield* decodeReply("make-pipeline", Message.PipelineData, reply)
    const chosen = yield* subtasksToRun(info, plan.plan, options.streams)
    const others = otherPlugins(info, plan.plan)
    if (others.length > 0) options.log(`not run: the tasks of ${others.join(", ")} (DevLake's own plugins run them)`)
    const reports: Array<SubtaskReport> = []
    for (const [i, { meta, options: taskOptions }] of chosen.entries()) {
      const context = {
        db_url: options.dbUrl,
        scope,
        connection,
        scope_config: scopeConfig,
        options: options.incremental ? { ...taskOptions, incremental: true } : taskOptions
      }
      reports.push(yield* runSubtask(options, meta, context, { index: i + 1, count: chosen.length }))
    }
    const rows = yield* rowsPerTable(rawDataParams(connection.id, scope["id"])).pipe(
      Effect.provide(Db.layer(options.dbUrl))
    )
    return { subtasks: reports, rows, summary: summary(reports, rows, options.dbDisplay) }
  }).pipe(
    Effect.catchTags({
      InvokeError: (error) => Effect.fail(new PipelineError({ step: error.method, detail: error.detail })),
      DbError: (error) => Effect.fail(new PipelineError({ step: "summary", detail: error.message })),
      DbUrlError: (error) => Effect.fail(new PipelineError({ step: "summary", detail: error.message }))
    })
  )
