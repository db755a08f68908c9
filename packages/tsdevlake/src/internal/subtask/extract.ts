/**
 * Extract: a stream's raw rows of the scope (`_raw_*`), in id order, into its tool table (`_tool_*`), by the
 * stream's `extract` or the default extractor; each batch committed with the id of its last raw row.
 *
 * @internal
 */
import { type Chunk, Effect, Either, type ParseResult, Stream } from "effect"
import type * as DataStream from "../../DataStream.js"
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { Database } from "../db/database.js"
import { rawTableSpec } from "../model/names.js"
import { describeParseError } from "../process/arguments.js"
import { type Committer, committer, type KeysetCheckpoint, keysetResumePoint } from "./checkpoint.js"
import { callbackFailure, noteFailure, orDefect, SubtaskError, succeededWith } from "./errors.js"
import { defaultExtractor } from "./extractor.js"
import { now, type Plan, subtaskName } from "./plan.js"
import { hasRows, runStamp, sweepOlder } from "./staging.js"
import { State } from "./state.js"
import { convertOrder, ensureOrderIndex, refreshStatistics, requireTable } from "./tableSetup.js"
import { type FrameworkSlots, frameworkSlots, toolTuple } from "./tuples.js"

/** What every batch of one extract run reads, and where the run stands. */
interface Extraction<E = any, R = any> {
  readonly plan: Plan<E, R>
  readonly subtask: string
  readonly slots: FrameworkSlots
  readonly custom: DataStream.DataStream<Model.Any, E, R>["extract"]
  readonly extractDefault: (data: unknown) => Either.Either<unknown, ParseResult.ParseError>
  readonly commit: Committer["commit"]
  /** Raw rows of the scope, for progress (0 when resuming). */
  readonly total: number
  /** A staged full run's stamp (`staging.ts`), the `updated_at` of every row it writes. */
  readonly stamp: Date | undefined
  /** Whether its completion sweeps the scope's older tool rows: not when the scope had none at its start. */
  readonly sweep: boolean
  /** Raw rows extracted so far. */
  done: number
  /** The id of the last raw row extracted. */
  lastId: unknown
}

/** A raw row's JSON, which the database read as text (`bytesAsText`). */
const parseRaw = (x: Extraction, rawRow: Db.Row): Either.Either<unknown, SubtaskError> => {
  try {
    const text = rawRow["data"]
    // A null is not JSON either.
    if (typeof text !== "string") throw new TypeError("not text")
    return Either.right(JSON.parse(text))
  } catch {
    const detail = `raw row ${rawRow["id"]} of ${x.plan.rawTable} is not JSON`
    return Either.left(new SubtaskError({ subtask: x.subtask, detail }))
  }
}

/** An extractor's result (one tool row or several) as tuples; the framework's columns override its fields. */
const pushTool = (x: Extraction, tuples: Array<Array<unknown>>, tool: unknown, rawId: unknown, at: Date) => {
  if (Array.isArray(tool)) { for (const one of tool) tuples.push(tupleOf(x, one, rawId, at)) }
  else tuples.push(tupleOf(x, tool as Record<string, unknown>, rawId, at))
}

const tupleOf = (x: Extraction, one: Record<string, unknown>, rawId: unknown, at: Date) =>
  toolTuple(x.plan.tool, x.slots, one, x.plan.connectionId, x.plan.params, x.plan.rawTable, rawId, at)

/** The hot path: a page through the default extractor in a plain loop, no Effect per record. */
const extractWithDefault = (
  x: Extraction,
  chunk: Chunk.Chunk<Db.Row>,
  tuples: Array<Array<unknown>>,
  at: Date
): SubtaskError | undefined => {
  for (const rawRow of chunk) {
    const rawId = rawRow["id"]
    const data = parseRaw(x, rawRow)
    if (Either.isLeft(data)) return data.left
    const extracted = x.extractDefault(data.right)
    if (Either.isLeft(extracted)) {
      return new SubtaskError({
        subtask: x.subtask,
        detail: `raw row ${rawId} of ${x.plan.rawTable} does not fit ${x.plan.tool.model.identifier}: ${
          describeParseError(extracted.left)
        }`
      })
    }
    pushTool(x, tuples, extracted.right, rawId, at)
    x.lastId = rawId
  }
  return undefined
}

/** A page through the stream's own extractor. */
const extractWithCustom = <E, R>(
  x: Extraction<E, R>,
  custom: NonNullable<DataStream.DataStream<Model.Any, E, R>["extract"]>,
  chunk: Chunk.Chunk<Db.Row>,
  tuples: Array<Array<unknown>>,
  at: Date
) =>
  Effect.gen(function*() {
    for (const rawRow of chunk) {
      const data = yield* parseRaw(x, rawRow)
      const what = () => `extract of raw row ${rawRow["id"]} of ${x.plan.rawTable}`
      let extracted
      try {
        extracted = custom(data, x.plan.ctx)
      } catch (error) {
        return yield* callbackFailure(x.subtask, what(), error)
      }
      const done = succeededWith(extracted)
      const tool = done !== undefined ? done.value : yield* orDefect(x.subtask, what, extracted)
      pushTool(x, tuples, tool, rawRow["id"], at)
      x.lastId = rawRow["id"]
    }
  })

const extractBatch = <E, R>(x: Extraction<E, R>, chunk: Chunk.Chunk<Db.Row>) =>
  Effect.gen(function*() {
    const tuples: Array<Array<unknown>> = []
    const updatedAt = x.stamp ?? now()
    if (x.custom === undefined) {
      const failure = extractWithDefault(x, chunk, tuples, updatedAt)
      if (failure !== undefined) return yield* failure
    } else {
      yield* extractWithCustom(x, x.custom, chunk, tuples, updatedAt)
    }
    const tool = x.plan.tool
    yield* x.commit(
      [{ table: tool.table, columns: tool.columns, keyColumns: tool.keyColumns, tuples }],
      checkpointOf(x, [x.lastId]),
      { current: x.done + chunk.length, increment: chunk.length, total: x.total }
    )
    x.done += chunk.length
  })

const checkpointOf = (x: Extraction, after: ReadonlyArray<unknown> | undefined): KeysetCheckpoint =>
  x.stamp === undefined ? { after } : { after, stamp: x.stamp.toISOString() }

/** Whether the scope's raw row a checkpoint stopped after is still there. */
const rawRowPresent = (plan: Plan) => (after: ReadonlyArray<unknown>) =>
  hasRows({ table: plan.rawTable, where: { params: plan.params, id: after[0] } })

/**
 * Checks and prepares the tables; where the run resumes, if it does, and the stamp of a staged full run. A tool
 * table without `updated_at` cannot be staged: its scope's rows are deleted first, as before.
 */
const prepare = (plan: Plan) =>
  Effect.gen(function*() {
    const db = yield* Database
    yield* requireTable(plan, plan.tool.table, "tool")
    yield* db.createTableIfNotExists(rawTableSpec(plan.rawTable))
    yield* refreshStatistics(plan.rawTable)
    // Convert's index, made before the rows come: the writes keep it up to date (on SQLite, on the writer
    // thread), where building it in convert would stop convert for a pass over the whole table.
    yield* ensureOrderIndex(plan.tool.table, convertOrder(plan), false)
    const resume = yield* keysetResumePoint(plan, rawRowPresent(plan))
    const scopeRows = { table: plan.tool.table, where: { _raw_data_params: plan.params } }
    if (resume !== undefined) {
      return {
        afterId: resume.after?.[0] as number | undefined,
        stamp: resume.stamp === undefined ? undefined : new Date(resume.stamp),
        sweep: true
      }
    }
    if (!plan.tool.has("updatedAt")) {
      yield* db.deleteWhere(plan.tool.table, scopeRows.where)
      return { afterId: undefined, stamp: undefined, sweep: false }
    }
    const { stale, stamp } = yield* runStamp([scopeRows])
    return { afterId: undefined, stamp, sweep: stale.size > 0 }
  })

/** Ends a run: a staged run's stale tool rows removed and the run completed, in one transaction. */
const finish = (x: Extraction, runId: number) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    const stamp = x.stamp
    const sweep = stamp === undefined || !x.sweep
      ? Effect.void
      : sweepOlder({ table: x.plan.tool.table, where: { _raw_data_params: x.plan.params } }, stamp)
    const after = x.lastId === undefined ? undefined : [x.lastId]
    // Completed, the state no longer carries the stamp: only an interrupted staged run is resumed by a full run.
    yield* db.withTransaction(Effect.zipRight(sweep, state.complete(runId, { after })))
  })

/**
 * Extracts the scope's raw rows into the tool table. A run with nothing to resume from is a staged full run:
 * it upserts beside the scope's old tool rows and removes those it did not write once it completes.
 *
 * @internal
 */
export const extract = <E, R>(plan: Plan<E, R>) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    const { afterId, stamp, sweep } = yield* prepare(plan)
    const total = afterId === undefined ? yield* db.countWhere(plan.rawTable, { params: plan.params }) : 0
    const runId = yield* state.start(plan.key)
    const { commit, flush } = yield* committer(runId)
    const x: Extraction<E, R> = {
      plan,
      subtask: subtaskName(plan),
      slots: frameworkSlots(plan.tool),
      custom: plan.stream.extract,
      extractDefault: defaultExtractor(plan.tool.model),
      commit,
      total,
      stamp,
      sweep,
      done: 0,
      lastId: afterId
    }
    const rawColumns = rawTableSpec(plan.rawTable).columns.filter((c) => c.name === "id" || c.name === "data")
    yield* db.streamById(plan.rawTable, {
      where: { params: plan.params },
      ...(afterId === undefined ? {} : { afterId }),
      batchSize: plan.batchSize,
      maxBytes: plan.batchBytes,
      columns: rawColumns,
      bytesAsText: ["data"]
    }).pipe(
      Stream.runForEach((chunk) => extractBatch(x, chunk)),
      Effect.tapError((error) =>
        Effect.sync(() =>
          noteFailure(
            error,
            x.subtask,
            x.lastId === undefined ? "before the first raw row" : `after raw row ${x.lastId}`
          )
        )
      )
    )
    yield* flush
    yield* finish(x, runId)
    yield* Effect.logInfo(`${x.subtask}: ${x.done} raw records extracted into ${plan.tool.table}`)
  })
