/**
 * A substream's running state across parents, for a stream with `combineState`: the final states of the
 * parents collected so far, combined in parent order. Without it a substream's saved state is the last
 * record's, so the last parent's state wins.
 *
 * Parents run concurrently and none sees another's state; the combination is made where the records are back
 * in parent order: per batch, from the checkpoints of its rows. The rows of one parent share its key array, so
 * a parent change is a reference comparison and nothing is allocated per record.
 *
 * @internal
 */
import { type CollectCheckpoint, sameParent } from "./checkpoint.js"

/** @internal */
export type Combine = (a: unknown, b: unknown) => unknown

/**
 * Where the combination stands: the combined final states of the parents before `parent`, and the latest state
 * of `parent` itself.
 *
 * @internal
 */
export interface Running {
  combined: unknown
  parent: ReadonlyArray<unknown> | undefined
  state: unknown
}

const combineDefined = (combine: Combine, a: unknown, b: unknown) =>
  a === undefined ? b : b === undefined ? a : combine(a, b)

/**
 * The running combination a run starts with: a resumed run's from its checkpoint (the interrupted parent goes
 * on from its own state), else none.
 *
 * @internal
 */
export const startRunning = (resumeFrom: CollectCheckpoint | undefined): Running => ({
  combined: resumeFrom?.carry,
  parent: resumeFrom?.parent,
  state: resumeFrom?.state
})

/**
 * Goes through a batch's rows' checkpoints, in parent order: a parent's final state joins the combination when
 * the next parent's rows begin.
 *
 * @internal
 */
export const advance = (
  combine: Combine,
  running: Running,
  rows: Iterable<{ readonly checkpoint: CollectCheckpoint }>
): void => {
  for (const { checkpoint } of rows) {
    if (checkpoint.parent !== running.parent) {
      // A resumed parent's key was read back from JSON: the same parent, not yet the same array.
      if (running.parent !== undefined && !sameParent(checkpoint.parent, running.parent)) {
        running.combined = combineDefined(combine, running.combined, running.state)
      }
      running.parent = checkpoint.parent
    }
    running.state = checkpoint.state
  }
}

/**
 * The checkpoint to save after a batch whose last row's checkpoint is `last`: with the combination so far.
 *
 * @internal
 */
export const withCarry = (running: Running, last: CollectCheckpoint): CollectCheckpoint =>
  running.combined === undefined ? last : { ...last, carry: running.combined }

/**
 * The state a completed run saves: every parent's final state combined, the current one's included; the
 * state the run started from when no parent brought one.
 *
 * @internal
 */
export const completed = (combine: Combine, running: Running, last: CollectCheckpoint): CollectCheckpoint => {
  const { carry: _, ...rest } = last
  const state = combineDefined(combine, running.combined, running.parent === undefined ? last.state : running.state)
  return { ...rest, state }
}
