/**
 * Resumable subtask state, kept in `_pydevlake_subtask_runs` as pydevlake keeps it: one row per run, the
 * `state` of the last completed run is where an incremental run starts. The `State` service and its SQL and
 * in-memory layers; `State.ts` re-exports them.
 *
 * @internal
 */
import { Context, Effect, Either, Layer, Option, Ref } from "effect"
import type * as Db from "../../Db.js"
import { Database } from "../db/database.js"
import { causeLine, DbError } from "../db/errors.js"
import { stateTable } from "../model/names.js"

/**
 * Identifies the runs of one subtask for one scope.
 *
 * @internal
 */
export interface RunKey {
  /** Subtask name, e.g. `Collect Users`. */
  readonly subtask: string
  readonly connectionId: number
  /** The scope's raw-data params, `{"ConnectionId":1,"ScopeId":"p1"}`. */
  readonly params: string
}

/**
 * A run's saved state, and whether that run completed (else it was interrupted after its last checkpoint).
 *
 * @internal
 */
export interface Saved {
  readonly state: unknown
  readonly completed: boolean
}

/**
 * The state store.
 *
 * @internal
 */
export class State extends Context.Tag("tsdevlake/State/State")<State, {
  /**
   * The state to resume from: the latest checkpoint of the latest run of `key` (completed or not).
   */
  readonly latest: (key: RunKey) => Effect.Effect<Option.Option<Saved>, DbError>
  /** Records the start of a run; returns its id. */
  readonly start: (key: RunKey) => Effect.Effect<number, DbError>
  /** Saves a run's state; call it inside the transaction that writes the batch the state describes. */
  readonly checkpoint: (runId: number, state: unknown) => Effect.Effect<void, DbError>
  /**
   * The statement `checkpoint` runs, for a caller that commits it with its own writes through a
   * `Db.BatchWriter`; absent when the store is not in the plugin's database.
   */
  readonly checkpointStatement?: (runId: number, state: unknown) => Db.Statement
  /** Marks a run completed with its final state. */
  readonly complete: (runId: number, state: unknown) => Effect.Effect<void, DbError>
}>() {}

/**
 * The table pydevlake created, plus `params` (nullable, so pydevlake can still insert rows).
 *
 * @internal
 */
export const table: Db.TableSpec = stateTable

const columns = (names: ReadonlyArray<string>) => table.columns.filter((c) => names.includes(c.name))

/** A saved `state` column: its JSON value, none when empty or not JSON. */
export const parseState = (text: unknown): Option.Option<unknown> => {
  if (typeof text !== "string" || text === "") return Option.none()
  try {
    return Option.some(JSON.parse(text))
  } catch {
    return Option.none()
  }
}

const sqlStore = (db: Db.Database) => {
  const sql = db.sql
  const t = sql(table.name)
  const fail = (what: string) => (cause: unknown) =>
    new DbError({ reason: "Query", detail: `${what} in ${table.name}: ${causeLine(cause)}`, cause })
  const now = () => Either.getOrElse(db.dialect.encodeValue("datetime", new Date()), () => null)
  const saveState = (runId: number, state: unknown) =>
    sql`UPDATE ${t} SET ${sql("state")} = ${JSON.stringify(state ?? null)} WHERE ${sql("id")} = ${runId}`
  return State.of({
    latest: (key) =>
      sql<{ state: unknown; completed: unknown }>`SELECT ${sql("state")}, ${sql("completed")} FROM ${t} WHERE ${
        sql("subtask_name")
      } = ${key.subtask} AND ${sql("connection_id")} = ${key.connectionId} AND ${sql("params")} = ${key.params} AND ${
        sql("state")
      } IS NOT NULL ORDER BY ${sql("id")} DESC LIMIT 1`.pipe(
        Effect.mapError(fail("reading the last state")),
        Effect.flatMap((rows) => {
          if (rows.length === 0) return Effect.succeed(Option.none())
          const saved = Option.map(parseState(rows[0]!.state), (state) => ({
            state,
            completed: rows[0]!.completed !== null
          }))
          // Said once, here: a run that cannot read its state starts afresh (staged, so nothing is kept twice).
          return Option.isSome(saved) ? Effect.succeed(saved) : Effect.as(
            Effect.logWarning(`${key.subtask}: the saved state in ${table.name} is not JSON; running afresh`),
            saved
          )
        })
      ),
    start: (key) =>
      Effect.gen(function*() {
        yield* db.insertBatch(table.name, columns(["subtask_name", "connection_id", "params", "started"]), [{
          subtask_name: key.subtask,
          connection_id: key.connectionId,
          params: key.params,
          started: new Date()
        }])
        const rows = yield* sql<{ id: unknown }>`SELECT MAX(${sql("id")}) AS ${sql("id")} FROM ${t} WHERE ${
          sql("subtask_name")
        } = ${key.subtask} AND ${sql("params")} = ${key.params}`.pipe(Effect.mapError(fail("starting a run")))
        return Number(rows[0]?.id)
      }),
    // The same statement as `checkpoint`, compiled to the dialect's text and placeholders.
    checkpointStatement: (runId, state) => {
      const [text, params] = saveState(runId, state).compile()
      return { sql: text, params }
    },
    checkpoint: (runId, state) =>
      saveState(runId, state).pipe(Effect.mapError(fail("saving a checkpoint")), Effect.asVoid),
    complete: (runId, state) =>
      sql`UPDATE ${t} SET ${sql("state")} = ${JSON.stringify(state ?? null)}, ${
        sql("completed")
      } = ${now() as any} WHERE ${sql("id")} = ${runId}`.pipe(Effect.mapError(fail("completing a run")), Effect.asVoid)
  })
}

/**
 * The state store in the plugin's database: creates `_pydevlake_subtask_runs` if missing.
 *
 * @internal
 */
export const layerSql: Layer.Layer<State, DbError, Db.Database> = Layer.effect(
  State,
  Effect.gen(function*() {
    const db = yield* Database
    yield* db.createTableIfNotExists(table)
    yield* db.addColumnIfMissing(table.name, table.columns.find((c) => c.name === "params")!)
    return sqlStore(db)
  })
)

interface MemoryRun {
  readonly id: number
  readonly key: RunKey
  state: unknown
  completed: boolean
}

const sameKey = (a: RunKey, b: RunKey) =>
  a.subtask === b.subtask && a.connectionId === b.connectionId && a.params === b.params

/**
 * An in-memory state store, for tests.
 *
 * @internal
 */
export const layerMemory: Layer.Layer<State> = Layer.effect(
  State,
  Effect.map(Ref.make<ReadonlyArray<MemoryRun>>([]), (runs) => {
    const update = (runId: number, state: unknown, completed: boolean) =>
      Ref.update(
        runs,
        (all) => all.map((run) => run.id === runId ? { ...run, state, completed: completed || run.completed } : run)
      )
    return State.of({
      latest: (key) =>
        Effect.map(Ref.get(runs), (all) => {
          const run = [...all].reverse().find((r) => sameKey(r.key, key) && r.state !== undefined)
          return run === undefined ? Option.none() : Option.some({ state: run.state, completed: run.completed })
        }),
      start: (key) =>
        Ref.modify(runs, (all) => {
          const id = all.length + 1
          return [id, [...all, { id, key, state: undefined, completed: false }]]
        }),
      checkpoint: (runId, state) => update(runId, state, false),
      complete: (runId, state) => update(runId, state, true)
    })
  })
)
