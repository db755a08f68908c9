/**
 * Resumable subtask state, kept in `_pydevlake_subtask_runs` as pydevlake keeps it: one row per run, the
 * `state` of the last completed run is where an incremental run starts.
 *
 * Beyond pydevlake: runs are keyed by scope (`params`) as well as subtask and connection, and a run's
 * state is checkpointed in the same transaction as each batch it writes, so a run killed at any point
 * resumes exactly after the last batch it committed.
 *
 * @since 0.1.0
 */
import type { Layer } from "effect"
import type * as Db from "./Db.js"
import * as state from "./internal/subtask/state.js"

/**
 * Identifies the runs of one subtask for one scope.
 *
 * @since 0.1.0
 * @category models
 */
export type RunKey = state.RunKey

/**
 * A run's saved state, and whether that run completed (else it was interrupted after its last checkpoint).
 *
 * @since 0.1.0
 * @category models
 */
export type Saved = state.Saved

/**
 * The state store: `latest(key)` is the state to resume from, `start`, `checkpoint` (inside the transaction
 * of the batch it describes) and `complete` record a run.
 *
 * @example
 * Effect.flatMap(State.State, (state) => state.latest({ subtask: "Collect Users", connectionId: 1, params }))
 *
 * @since 0.1.0
 * @category tags
 */
export const State = state.State
/** @since 0.1.0 */
export type State = state.State

/**
 * The table pydevlake created, plus `params` (nullable, so pydevlake can still insert rows).
 *
 * @since 0.1.0
 * @category constants
 */
export const table: Db.TableSpec = state.table

/**
 * The state store in the plugin's database: creates `_pydevlake_subtask_runs` if missing.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSql: Layer.Layer<State, Db.DbError, Db.Database> = state.layerSql

/**
 * An in-memory state store, for tests.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<State> = state.layerMemory
