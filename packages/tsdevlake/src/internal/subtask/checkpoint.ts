/**
 * Checkpoints: what a run saves with every batch, where a run resumes from, and the committer that writes a
 * batch's rows together with its checkpoint.
 *
 * Every batch is one transaction that writes the rows and checkpoints the run's state, so a process killed
 * at any point (SIGKILL included) leaves either a whole batch and its checkpoint or neither.
 *
 * @internal
 */
import { Effect, Either, Option, type ParseResult, Schema } from "effect"
import type * as Db from "../../Db.js"
import { Database } from "../db/database.js"
import type { DbError } from "../db/errors.js"
import { Ipc, type IpcError } from "../process/replies.js"
import { type Plan, subtaskName } from "./plan.js"
import { type Saved, State } from "./state.js"

/**
 * Where a collect run stands.
 *
 * @internal
 */
export interface CollectCheckpoint {
  /** The collector state the run started from (given again to every later parent of a substream). */
  readonly initial?: unknown
  /** Key of the parent being collected (substreams). */
  readonly parent?: ReadonlyArray<unknown>
  /** The state of the last record that carried one. */
  readonly state?: unknown
  /** Records written since that state (they are skipped when resuming from it). */
  readonly skip: number
  /**
   * A substream with `combineState`: its parents' final states before the current parent's, combined
   * (`substreamState.ts`).
   */
  readonly carry?: unknown
  /**
   * A staged full run's raw boundary (`staging.ts`): the scope's rows at or below it are the previous runs',
   * removed when this run completes. Absent for an incremental run, which only appends.
   */
  readonly boundary?: number
}

/** @internal */
export const isCollectCheckpoint = (u: unknown): u is CollectCheckpoint =>
  typeof u === "object" && u !== null && typeof (u as CollectCheckpoint).skip === "number"

/**
 * Where a collect resumes from the previous run's saved state: an interrupted run's checkpoint as it is; after
 * a completed run, its last state is also where this run stands until a record brings a new one, so that a run
 * that collects nothing keeps it for the next. `undefined` to start afresh.
 *
 * @internal
 */
export const collectResumePoint = (previous: Option.Option<Saved>): CollectCheckpoint | undefined =>
  Option.match(previous, {
    onNone: () => undefined,
    onSome: ({ completed, state }) =>
      !isCollectCheckpoint(state)
        ? undefined
        : completed
        ? { initial: state.state, state: state.state, skip: 0 }
        : state
  })

/**
 * Encoding and decoding of a collect checkpoint's states (`initial`, `state`, `carry`) with the stream's `state` schema:
 * a checkpoint holds them decoded in memory and encoded when saved, so this runs once per batch (and once to
 * resume), never per record. Without a schema both are the identity.
 *
 * @internal
 */
export interface CheckpointCodec {
  readonly encode: (checkpoint: CollectCheckpoint) => Either.Either<CollectCheckpoint, ParseResult.ParseError>
  readonly decode: (checkpoint: CollectCheckpoint) => Either.Either<CollectCheckpoint, ParseResult.ParseError>
}

const identityCodec: CheckpointCodec = { encode: Either.right, decode: Either.right }

const mapStates =
  (f: (state: unknown) => Either.Either<unknown, ParseResult.ParseError>) =>
  (checkpoint: CollectCheckpoint): Either.Either<CollectCheckpoint, ParseResult.ParseError> => {
    const initial = checkpoint.initial === undefined ? Either.right(undefined) : f(checkpoint.initial)
    if (Either.isLeft(initial)) return Either.left(initial.left)
    // After a completed run both are the same value: one conversion.
    const state = checkpoint.state === undefined
      ? Either.right(undefined)
      : checkpoint.state === checkpoint.initial
      ? initial
      : f(checkpoint.state)
    if (Either.isLeft(state)) return Either.left(state.left)
    if (checkpoint.carry === undefined) {
      return Either.right({ ...checkpoint, initial: initial.right, state: state.right })
    }
    const carry = f(checkpoint.carry)
    if (Either.isLeft(carry)) return Either.left(carry.left)
    return Either.right({ ...checkpoint, initial: initial.right, state: state.right, carry: carry.right })
  }

/** @internal */
export const checkpointCodec = (schema: Schema.Schema<any, any, never> | undefined): CheckpointCodec =>
  schema === undefined ? identityCodec : {
    encode: mapStates(Schema.encodeEither(schema)),
    decode: mapStates(Schema.decodeUnknownEither(schema))
  }

/**
 * The checkpoint after a collected record: its state if it carries one (nothing to skip after it), else one
 * more record to skip after the last state.
 *
 * @internal
 */
export const nextCollectCheckpoint = (previous: CollectCheckpoint, state: unknown): CollectCheckpoint =>
  state !== undefined ? { ...previous, state, skip: 0 } : { ...previous, skip: previous.skip + 1 }

/**
 * Whether two parent keys are the same (as JSON: keys read back from a checkpoint are JSON values).
 *
 * @internal
 */
export const sameParent = (a: ReadonlyArray<unknown> | undefined, b: ReadonlyArray<unknown> | undefined) =>
  a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)

/**
 * Where extract and convert stand: after the key (raw id; tool row's order key) of the last row they
 * processed.
 *
 * @internal
 */
export interface KeysetCheckpoint {
  readonly after?: ReadonlyArray<unknown> | undefined
  /** A staged full run's stamp (`staging.ts`), as ISO text; absent for an incremental run. */
  readonly stamp?: string
}

/**
 * Where an extract or convert resumes: an interrupted staged full run's checkpoint, whatever the options (DevLake
 * only sends full runs, so that is how an interrupted run resumes); when incremental, also the previous run's
 * checkpoint. Only if `present(after)` finds the rows the checkpoint implies still there: a state whose data was
 * deleted (DevLake deletes a scope's rows, not the state) gives one line and a fresh run. `undefined`: afresh.
 *
 * @internal
 */
export const keysetResumePoint = <R>(
  plan: Plan,
  present: (after: ReadonlyArray<unknown>) => Effect.Effect<boolean, DbError, R>
): Effect.Effect<KeysetCheckpoint | undefined, DbError, State | R> =>
  Effect.gen(function*() {
    const previous = yield* Effect.flatMap(State, (s) => s.latest(plan.key))
    if (Option.isNone(previous)) return undefined
    const saved = previous.value.state as KeysetCheckpoint | null
    if (typeof saved !== "object" || saved === null) return undefined
    const interruptedFull = !previous.value.completed && typeof saved.stamp === "string"
    if (!plan.ctx.incremental && !interruptedFull) return undefined
    const after = Array.isArray(saved.after) ? saved.after : undefined
    if (after === undefined) return interruptedFull ? saved : undefined
    if (!(yield* present(after))) {
      yield* Effect.logWarning(
        `${
          subtaskName(plan)
        }: the rows its saved state points at are gone (the scope's data was deleted?); running afresh`
      )
      return undefined
    }
    yield* Effect.logInfo(
      `${subtaskName(plan)}: resuming ${
        interruptedFull
          ? "an interrupted full run"
          : previous.value.completed
          ? "after the last run"
          : "an interrupted run"
      }`
    )
    return saved
  })

/**
 * What a batch adds to the subtask's progress on fd 3: records done so far, this batch's, and the total (0 when
 * unknown).
 *
 * @internal
 */
export interface BatchProgress {
  readonly current: number
  readonly increment: number
  readonly total: number
}

/**
 * Commits a batch's rows together with the run's checkpoint, and reports its progress on fd 3 once it is
 * committed (never before: DevLake would show records that a crash then loses). Through
 * `Database.batchWriter` when the state store can hand over its checkpoint statement (then the next batch is
 * prepared while this one is written: on a SQLite file's writer thread, or in the background on MySQL and
 * PostgreSQL); otherwise one transaction per batch, committed before the next is prepared.
 *
 * @internal
 */
export interface Committer {
  readonly commit: (
    writes: ReadonlyArray<Db.TableWrite>,
    checkpoint: unknown,
    progress: BatchProgress
  ) => Effect.Effect<void, DbError | IpcError>
  /**
   * Waits until every batch is committed and reported; call it before completing the run. (After a failure the
   * end of the subtask's scope lets the batches handed over so far commit, each with its checkpoint.)
   */
  readonly flush: Effect.Effect<void, DbError | IpcError>
}

/** @internal */
export const committer = (runId: number) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    const ipc = yield* Ipc
    // Batches commit in submission order, so the first `committed` pending reports are the committed batches'.
    const pending: Array<BatchProgress> = []
    let committed = 0
    const onCommitted = () => {
      committed++
    }
    // In the order DevLake's messages have always had.
    const send = (p: BatchProgress) => ipc.send({ current: p.current, total: p.total, increment: p.increment })
    const report = Effect.suspend(() => {
      const ready = pending.splice(0, committed)
      committed = 0
      return Effect.forEach(ready, send, { discard: true })
    })
    const statement = state.checkpointStatement
    if (statement === undefined) {
      return {
        commit: (writes, checkpoint, progress) =>
          Effect.zipRight(
            db.withTransaction(Effect.zipRight(db.write(writes), state.checkpoint(runId, checkpoint))),
            send(progress)
          ),
        flush: Effect.void
      } satisfies Committer
    }
    const writer = yield* db.batchWriter()
    return {
      commit: (writes, checkpoint, progress) =>
        Effect.suspend(() => {
          pending.push(progress)
          return Effect.zipRight(
            writer.submit({ writes, statements: [statement(runId, checkpoint)], onCommitted }),
            report
          )
        }),
      flush: Effect.zipRight(writer.flush, report)
    } satisfies Committer
  })
