/**
 * Running a stream's subtasks against the database: collect (source → `_raw_*`), extract (`_raw_*` →
 * `_tool_*`) and convert (`_tool_*` → domain tables), in batches, with bounded memory, progress on fd 3 and
 * resumable state.
 *
 * Every batch is one transaction that writes the rows and checkpoints the run's state, so a process killed
 * at any point (SIGKILL included) leaves either a whole batch and its checkpoint or neither; an incremental
 * re-run continues from the checkpoint with no duplicate and no missing row.
 *
 * @since 0.1.0
 */
import type { Either, ParseResult } from "effect"
import type * as DataStream from "./DataStream.js"
import type * as Model from "./Model.js"
import type * as Plugin from "./Plugin.js"
import { rawTableSpec } from "./internal/model/names.js"
import * as errors from "./internal/subtask/errors.js"
import * as extractor from "./internal/subtask/extractor.js"
import type * as plan from "./internal/subtask/plan.js"
import * as runner from "./internal/subtask/run.js"

export {
  /**
   * The columns of a raw table, as pydevlake creates them.
   *
   * @since 0.1.0
   * @category models
   */
  rawTableSpec
}

/**
 * A subtask could not run or process a record.
 *
 * @since 0.1.0
 * @category errors
 */
export const SubtaskError = errors.SubtaskError
/** @since 0.1.0 */
export type SubtaskError = errors.SubtaskError

/**
 * Tuning of a run: `batchSize` rows per transaction (and progress message) at most, default 500;
 * `batchBytes`, about how much text one batch may hold, default 16 MiB.
 *
 * @since 0.1.0
 * @category models
 */
export type RunOptions = plan.RunOptions

/**
 * What {@link run} fails with besides the stream's own errors (`E` of its `DataStream<Tool, E, R>`).
 *
 * @since 0.1.0
 * @category errors
 */
export type RunError = runner.RunError

/**
 * The services {@link run} needs besides the stream's own (`R` of its `DataStream<Tool, E, R>`, which the
 * plugin's `layer` provides): `Db.Database`, `State.State` and `Ipc.Ipc`.
 *
 * @since 0.1.0
 * @category models
 */
export type RunRequirements = runner.RunRequirements

/**
 * Runs one subtask of a stream for the task context, as the `collect` / `extract` / `convert` commands do.
 * Skips the stream when `shouldRunOn(scope)` is false. It fails with {@link RunError} or the stream's errors and
 * needs {@link RunRequirements} and the stream's services.
 *
 * @example
 * yield* Subtask.run(plugin, "extract", Users, ctx, { batchSize: 1000 }).pipe(
 *   Effect.provide(Layer.mergeAll(State.layerSql, Ipc.layer()).pipe(Layer.provideMerge(Db.layer(url))))
 * )
 *
 * @since 0.1.0
 * @category running
 */
export const run: typeof runner.run = runner.run

/**
 * Builds the task context of a decoded scope, connection and scope config.
 *
 * @example
 * const ctx = Subtask.taskContext(plugin, { connection, scope, scopeConfig, options: { incremental: true } })
 *
 * @since 0.1.0
 * @category constructors
 */
export const taskContext: (
  plugin: Plugin.Plugin,
  input: {
    readonly connection: unknown
    readonly scope: unknown
    readonly scopeConfig: unknown
    readonly options: Readonly<Record<string, unknown>>
  }
) => DataStream.TaskContext = runner.taskContext

/**
 * The default extractor: each field from the raw JSON by its `source` JSON pointer, else by its JSON key,
 * property name or snake_case name; then decoded with the tool model's field schemas. Returns the decoded
 * fields (not a class instance: the runner only reads them, and building instances would double the cost).
 * Common field types are decoded without running Schema, with Schema's exact results; any failure is
 * reported with Schema's own `ParseError`.
 *
 * @example
 * const extract = Subtask.defaultExtractor(BenchUser)
 * const fields = extract(JSON.parse(rawRecord)) // Either<decoded fields, ParseError>
 *
 * @since 0.1.0
 * @category extract
 */
export const defaultExtractor: (model: Model.Any) => (data: unknown) => Either.Either<unknown, ParseResult.ParseError> =
  extractor.defaultExtractor
