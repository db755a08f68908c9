/**
 * Collect: a stream's records from its source into its raw table (`_raw_*`), in batches each committed with
 * the checkpoint after its last record; a substream collects once per parent tool row of the scope.
 *
 * @internal
 */
import { Chunk, Effect, Either, Option, Stream } from "effect"
import type * as DataStream from "../../DataStream.js"
import type * as Db from "../../Db.js"
import { Database } from "../db/database.js"
import type { DbError } from "../db/errors.js"
import { rawTableSpec, tableOf } from "../model/names.js"
import { type ModelTable, modelTable } from "../model/tables.js"
import { describeParseError } from "../process/arguments.js"
import { forEachParent } from "../stream/forEachParent.js"
import { groupedByWeight } from "./batching.js"
import {
  type CheckpointCodec,
  checkpointCodec,
  type CollectCheckpoint,
  collectResumePoint,
  committer,
  isCollectCheckpoint,
  nextCollectCheckpoint,
  sameParent
} from "./checkpoint.js"
import { noteFailure, SubtaskError } from "./errors.js"
import { now, type Plan, subtaskName } from "./plan.js"
import { hasRows, rawBoundary, sweepRaw } from "./staging.js"
import { State } from "./state.js"
import { advance, completed, type Running, startRunning, withCarry } from "./substreamState.js"
import { columnIndexes, fromTuple } from "./tuples.js"

/**
 * A collected record encoded as its raw table row, with the checkpoint after it. The JSON text is made as each
 * record arrives, so that the decoded API response is garbage at once instead of living in the batch until it
 * is written: what survives the young generation is what costs GC time in collect.
 *
 * @internal
 */
export interface RawRow {
  readonly data: string
  readonly url: string
  readonly input: string
  readonly checkpoint: CollectCheckpoint
}

// Text: the raw columns are `bytes`, and the database layer writes a string there as its UTF-8 bytes.
const encodeJson = (value: unknown) => JSON.stringify(value === undefined ? "" : value)

/**
 * A collector's records as raw rows, each with the checkpoint after it, from the checkpoint `start`.
 *
 * @internal
 */
export const toRawRows = <E, R>(
  records: Stream.Stream<DataStream.RawRecord, E, R>,
  start: CollectCheckpoint
): Stream.Stream<RawRow, E, R> =>
  Stream.mapAccum(records, start, (previous, record) => {
    const checkpoint = nextCollectCheckpoint(previous, record.state)
    const url = record.url ?? ""
    return [checkpoint, { data: encodeJson(record.data), url, input: encodeJson(record.input), checkpoint }]
  })

/**
 * The text a raw row holds, as the weight that bounds a batch.
 *
 * @internal
 */
export const rawRowWeight = (row: RawRow) => row.data.length + row.input.length + row.url.length

/** A substream's parents of the scope as keys and tool rows, in key order. */
const readParents = (
  plan: Plan,
  parent: ModelTable,
  options: { readonly where?: Db.Where; readonly after?: ReadonlyArray<unknown> }
) => {
  const orderBy = parent.keyColumns
  const keyAt = columnIndexes(parent, orderBy)
  return Stream.unwrap(Effect.map(Database, (db) =>
    db.streamTuples(parent.table, {
      orderBy,
      where: { ...options.where, _raw_data_params: plan.params },
      ...(options.after === undefined ? {} : { after: options.after }),
      columns: parent.columns,
      batchSize: plan.batchSize,
      maxBytes: plan.batchBytes
    }).pipe(
      Stream.flattenChunks,
      Stream.map((tuple) => ({ key: keyAt.map((i) => tuple[i]), tool: fromTuple(parent, tuple) }))
    )))
}

const substreamRows = <E, R>(
  plan: Plan<E, R>,
  resumeFrom: CollectCheckpoint | undefined
): Stream.Stream<RawRow, E | DbError, R | Db.Database> => {
  const parentStream = plan.stream.parent!
  const parent = modelTable(parentStream.toolModel, tableOf(plan.plugin, parentStream.toolModel))
  // A resumed substream goes on with the checkpoint's parent (if it is still there) and then the parents
  // after it in key order, as the database orders them: parents finished before the checkpoint are skipped,
  // and a parent deleted since does not lose the ones after it.
  const checkpointParent = resumeFrom?.parent
  const remaining = checkpointParent === undefined
    ? readParents(plan, parent, {})
    : Stream.concat(
      readParents(plan, parent, {
        where: Object.fromEntries(parent.keyColumns.map((column, i) => [column, checkpointParent[i]]))
      }),
      readParents(plan, parent, { after: checkpointParent })
    )
  return forEachParent(
    remaining,
    ({ key, tool }) => {
      const resuming = resumeFrom !== undefined && sameParent(key, resumeFrom.parent)
      const startState = resuming ? resumeFrom.state : resumeFrom?.initial
      const skip = resuming ? resumeFrom.skip : 0
      return toRawRows(
        plan.stream.collect({ ...plan.ctx, state: startState }, tool).pipe(Stream.drop(skip)),
        { initial: resumeFrom?.initial, parent: key, state: startState, skip }
      )
    },
    { concurrency: plan.stream.concurrency }
  )
}

/** The stream's raw rows from where the run resumes. */
const sourceRows = <E, R>(
  plan: Plan<E, R>,
  resumeFrom: CollectCheckpoint | undefined
): Stream.Stream<RawRow, E | DbError, R | Db.Database> => {
  if (plan.stream.parent !== undefined) return substreamRows(plan, resumeFrom)
  const initial = resumeFrom?.initial
  const state = resumeFrom?.state ?? initial
  const skip = resumeFrom?.skip ?? 0
  return toRawRows(plan.stream.collect({ ...plan.ctx, state }).pipe(Stream.drop(skip)), { initial, state, skip })
}

/** Why a saved collect checkpoint cannot be resumed, or `undefined` when it can. */
const unusable = (plan: Plan, saved: CollectCheckpoint) =>
  Effect.gen(function*() {
    // What the checkpoint implies must still be there: the scope's rows (after a staged run's boundary when it has
    // one). DevLake deletes a scope's raw rows, never the state in `_pydevlake_subtask_runs`.
    const raw = { table: plan.rawTable, where: { params: plan.params } }
    const present = saved.boundary === undefined
      ? yield* hasRows(raw)
      : yield* hasRows(raw, { column: "id", value: saved.boundary })
    return present ? undefined : `its rows are gone from ${plan.rawTable} (the scope's data was deleted?)`
  })

/**
 * Where the run starts: an interrupted staged full run's checkpoint, whatever the options (DevLake only ever
 * sends full runs, so that is how an interrupted one resumes); when incremental, also the previous run's. Its
 * states are decoded with the stream's schema. `undefined` (afresh, staged) when there is none, or when it is
 * unusable, which one line reports.
 */
const startingPoint = (plan: Plan, codec: CheckpointCodec) =>
  Effect.gen(function*() {
    const previous = yield* Effect.flatMap(State, (state) => state.latest(plan.key))
    if (Option.isNone(previous)) return undefined
    const { completed, state } = previous.value
    const interruptedFull = !completed && isCollectCheckpoint(state) && state.boundary !== undefined
    if (!plan.ctx.incremental && !interruptedFull) return undefined
    const saved = collectResumePoint(previous)
    const why = saved === undefined ? "the saved state is not a collect checkpoint" : yield* unusable(plan, saved)
    if (saved === undefined || why !== undefined) {
      yield* Effect.logWarning(`${subtaskName(plan)}: ${why}; collecting afresh`)
      return undefined
    }
    const decoded = codec.decode(saved)
    if (Either.isLeft(decoded)) {
      yield* Effect.logWarning(
        `${subtaskName(plan)}: the saved state no longer decodes (${
          describeParseError(decoded.left)
        }); collecting afresh`
      )
      return undefined
    }
    const after = interruptedFull
      ? "an interrupted full run"
      : completed
      ? "after the last completed run"
      : "an interrupted run"
    yield* Effect.logInfo(`${subtaskName(plan)}: resuming ${after}`)
    return decoded.right
  })

/** The checkpoint as saved, or the subtask's failure naming the field when a state does not encode. */
const encoded = (plan: Plan, codec: CheckpointCodec, checkpoint: CollectCheckpoint) =>
  Either.mapLeft(codec.encode(checkpoint), (error) =>
    new SubtaskError({
      subtask: subtaskName(plan),
      detail: `a record's state does not fit the stream's state schema: ${describeParseError(error)}`
    }))

/** The checkpoint to save after a batch: its last row's, with a combining substream's running state. */
const checkpointAfter = (plan: Plan, running: Running, chunk: Chunk.Chunk<RawRow>) => {
  const last = Chunk.unsafeLast(chunk).checkpoint
  const combine = plan.stream.combineState
  if (combine === undefined) return last
  advance(combine, running, chunk)
  return withCarry(running, last)
}

/**
 * Where a failed collect stopped: after its last committed record, and that record's request when it has one.
 *
 * @internal
 */
export const collectedUpTo = (written: number, url: string): string =>
  written === 0 ? "before the first record" : `after record ${written}${url === "" ? "" : `, request ${url}`}`

const withBoundary = (checkpoint: CollectCheckpoint, boundary: number | undefined): CollectCheckpoint =>
  boundary === undefined ? checkpoint : { ...checkpoint, boundary }

/**
 * Ends a run: the previous runs' rows of a staged run removed, and the run marked completed, in one transaction.
 */
const finish = (plan: Plan, runId: number, boundary: number | undefined, final: CollectCheckpoint) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    yield* db.withTransaction(Effect.zipRight(
      boundary === undefined ? Effect.void : sweepRaw(plan.rawTable, plan.params, boundary),
      state.complete(runId, final)
    ))
  })

/**
 * Collects into the raw table. A run with nothing to resume from is a staged full run, incremental or not (rows
 * of a run whose state was lost would otherwise be kept twice): it writes beside the scope's old rows and
 * removes them only once it completes, so a failure leaves the previous complete data in place.
 *
 * @internal
 */
export const collect = <E, R>(plan: Plan<E, R>) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    const raw = rawTableSpec(plan.rawTable)
    yield* db.createTableIfNotExists(raw)
    const codec = checkpointCodec(plan.stream.state)
    const resumeFrom = yield* startingPoint(plan, codec)
    const boundary = resumeFrom === undefined ? yield* rawBoundary(plan.rawTable) : resumeFrom.boundary
    const runId = yield* state.start(plan.key)
    // In the order of the tuples below: params, data, url, input, created_at.
    const columns = ["params", "data", "url", "input", "created_at"].map((name) =>
      raw.columns.find((c) => c.name === name)!
    )
    let written = 0
    let lastUrl = ""
    let last: CollectCheckpoint = resumeFrom ?? { initial: undefined, skip: 0 }
    const running = startRunning(resumeFrom)
    const { commit, flush } = yield* committer(runId)
    yield* sourceRows(plan, resumeFrom).pipe(
      // Like `grouped` (unlike `groupedWithin`), it still emits the records received before a source failure,
      // so a failed collect keeps, and checkpoints, everything it fetched.
      (rows) => groupedByWeight(rows, plan.batchSize, plan.batchBytes, rawRowWeight),
      Stream.runForEach((chunk) =>
        Effect.gen(function*() {
          const createdAt = now()
          const tuples = Chunk.toReadonlyArray(chunk).map((
            { data, input, url }
          ) => [plan.params, data, url, input, createdAt])
          last = Chunk.unsafeLast(chunk).checkpoint
          lastUrl = Chunk.unsafeLast(chunk).url
          const checkpoint = withBoundary(checkpointAfter(plan, running, chunk), boundary)
          yield* commit([{ table: plan.rawTable, columns, tuples }], yield* encoded(plan, codec, checkpoint), {
            current: written + tuples.length,
            increment: tuples.length,
            total: 0
          })
          written += tuples.length
        })
      ),
      // The records before the failure are committed by now (see above): the line says after which one.
      Effect.tapError((error) =>
        Effect.sync(() => noteFailure(error, subtaskName(plan), collectedUpTo(written, lastUrl)))
      )
    )
    yield* flush
    const combine = plan.stream.combineState
    const final = combine === undefined ? last : completed(combine, running, last)
    yield* finish(plan, runId, boundary, yield* encoded(plan, codec, final))
    yield* Effect.logInfo(`${subtaskName(plan)}: ${written} raw records written to ${plan.rawTable}`)
  })
