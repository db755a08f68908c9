/**
 * Convert: a stream's tool rows of the scope (`_tool_*`), in `(_raw_data_id, primary key)` order, into domain
 * tables by the stream's `convert`; each batch committed with the order key of its last tool row.
 *
 * @internal
 */
import { Chunk, Effect, Stream } from "effect"
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { Database } from "../db/database.js"
import { explicitTableName, kindOf } from "../model/annotations.js"
import { type ModelTable, modelTable } from "../model/tables.js"
import * as plugins from "../plugin/identity.js"
import { type Committer, committer, keysetResumePoint } from "./checkpoint.js"
import { callbackFailure, noteFailure, orDefect, SubtaskError, succeededWith } from "./errors.js"
import { now, type Plan, subtaskName } from "./plan.js"
import { hasRows, runStamp, type ScopeRows, sweepOlder } from "./staging.js"
import { State } from "./state.js"
import { convertOrder, ensureOrderIndex, requireTable } from "./tableSetup.js"
import { columnIndexes, domainTuple, fromTuple } from "./tuples.js"

/** What every batch of one convert run reads, and where the run stands. */
interface Conversion<E = any, R = any> {
  readonly plan: Plan<E, R>
  readonly subtask: string
  readonly domainTables: ReadonlyMap<Model.Any, ModelTable>
  /** The tool model's key fields that make its domain id. */
  readonly keyNames: ReadonlyArray<string>
  /** Where the order key's columns are in a tool row's tuple. */
  readonly keyAt: ReadonlyArray<number>
  readonly commit: Committer["commit"]
  /** Tool rows of the scope, for progress (0 when resuming). */
  readonly total: number
  /** A staged full run's stamp (`staging.ts`), the `updated_at` of every domain row it writes. */
  readonly stamp: Date | undefined
  /** The domain tables its completion sweeps; `undefined`: all (a resumed run cannot tell which had rows). */
  readonly stale: ReadonlySet<string> | undefined
  /** Tool rows converted so far. */
  done: number
  /** The order key of the last tool row converted. */
  lastKey: ReadonlyArray<unknown> | undefined
}

const domainIdOf = (x: Conversion, tool: Record<string, unknown>) =>
  plugins.domainIdFromKeys(x.plan.plugin, x.plan.tool.model, x.plan.connectionId, x.keyNames.map((k) => tool[k]))

const convertOf = (x: Conversion, toolDomainId: string) => `convert of tool row ${toolDomainId} of ${x.plan.tool.table}`

/** Why a row a convertor returned has no table among the stream's domain models. */
const notADomainRow = (x: Conversion, model: Model.Any, row: unknown) =>
  new SubtaskError({
    subtask: x.subtask,
    detail: explicitTableName(model) === undefined || kindOf(model) !== "domain"
      ? `convert returned a ${model.identifier ?? typeof row}, not a domain model`
      : `convert returned a ${model.identifier}; add it to the stream's domainModels`
  })

/** One tool row's domain rows added to their tables' tuples. */
const addDomainRows = (
  x: Conversion,
  byTable: Map<ModelTable, Array<Array<unknown>>>,
  domainRows: ReadonlyArray<unknown>,
  tool: Record<string, unknown>,
  toolDomainId: string,
  at: Date
): SubtaskError | undefined => {
  for (const domainRow of domainRows) {
    const model = (domainRow as object).constructor as unknown as Model.Any
    const target = x.domainTables.get(model)
    if (target === undefined) return notADomainRow(x, model, domainRow)
    const tuple = domainTuple(target, domainRow as Record<string, unknown>, toolDomainId, tool, at)
    const tuples = byTable.get(target)
    if (tuples === undefined) byTable.set(target, [tuple])
    else tuples.push(tuple)
  }
  return undefined
}

const writesOf = (byTable: Map<ModelTable, Array<Array<unknown>>>) =>
  Array.from(byTable, ([table, tuples]): Db.TableWrite => ({
    table: table.table,
    columns: table.columns,
    ...(table.keyColumns.length === 0 ? {} : { keyColumns: table.keyColumns }),
    tuples
  }))

const convertBatch = <E, R>(x: Conversion<E, R>, chunk: Chunk.Chunk<ReadonlyArray<unknown>>) =>
  Effect.gen(function*() {
    const byTable = new Map<ModelTable, Array<Array<unknown>>>()
    const updatedAt = x.stamp ?? now()
    const plan = x.plan
    for (const toolTuple of chunk) {
      const tool = fromTuple(plan.tool, toolTuple) as Record<string, unknown>
      const toolDomainId = domainIdOf(x, tool)
      let converted
      try {
        converted = plan.stream.convert(tool, plan.ctx)
      } catch (error) {
        return yield* callbackFailure(x.subtask, convertOf(x, toolDomainId), error)
      }
      const done = succeededWith(converted)
      const domainRows = done !== undefined
        ? done.value
        : yield* orDefect(x.subtask, () => convertOf(x, toolDomainId), converted)
      const failure = addDomainRows(x, byTable, domainRows, tool, toolDomainId, updatedAt)
      if (failure !== undefined) return yield* failure
    }
    const lastTuple = Chunk.unsafeLast(chunk)
    x.lastKey = x.keyAt.map((i) => lastTuple[i])
    const checkpoint = x.stamp === undefined ? { after: x.lastKey } : { after: x.lastKey, stamp: x.stamp.toISOString() }
    yield* x.commit(writesOf(byTable), checkpoint, {
      current: x.done + chunk.length,
      increment: chunk.length,
      total: x.total
    })
    x.done += chunk.length
  })

/** The stream's domain tables, checked to exist. */
const domainTablesOf = (plan: Plan) =>
  Effect.gen(function*() {
    const domainTables = new Map<Model.Any, ModelTable>()
    for (const model of plan.stream.domainModels) {
      const table = explicitTableName(model)
      if (table === undefined) {
        return yield* new SubtaskError({ subtask: subtaskName(plan), detail: `${model.identifier} has no table name` })
      }
      yield* requireTable(plan, table, "domain")
      domainTables.set(model, modelTable(model, table))
    }
    return domainTables
  })

/** The scope's rows of a domain table that knows where its rows come from, as the stream writes them. */
const scopeRowsOf = (plan: Plan, table: ModelTable): ScopeRows | undefined =>
  table.has("rawDataParams") && table.has("rawDataTable")
    ? { table: table.table, where: { _raw_data_params: plan.params, _raw_data_table: plan.rawTable } }
    : undefined

/** Whether the scope's tool row a checkpoint stopped after is still there. */
const toolRowPresent = (plan: Plan, orderBy: ReadonlyArray<string>) => (after: ReadonlyArray<unknown>) =>
  hasRows({
    table: plan.tool.table,
    where: { _raw_data_params: plan.params, ...Object.fromEntries(orderBy.map((column, i) => [column, after[i]])) }
  })

/**
 * Where the run resumes, and the stamp of a staged full run. A domain table without `updated_at` cannot be
 * staged: its scope's rows are deleted first, as before.
 */
const startingPoint = (plan: Plan, domainTables: ReadonlyMap<Model.Any, ModelTable>, orderBy: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const db = yield* Database
    const resume = yield* keysetResumePoint(plan, toolRowPresent(plan, orderBy))
    if (resume !== undefined) {
      const stamp = resume.stamp === undefined ? undefined : new Date(resume.stamp)
      return { after: resume.after, stamp, stale: undefined }
    }
    const staged: Array<ScopeRows> = []
    for (const table of domainTables.values()) {
      const rows = scopeRowsOf(plan, table)
      if (rows === undefined) continue
      if (table.has("updatedAt")) staged.push(rows)
      else yield* db.deleteWhere(rows.table, rows.where)
    }
    const { stale, stamp } = yield* runStamp(staged)
    return { after: undefined, stamp, stale }
  })

/** Ends a run: a staged run's stale domain rows removed and the run completed, in one transaction. */
const finish = (x: Conversion, runId: number) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    const stamp = x.stamp
    const sweeps = stamp === undefined ? [] : Array.from(x.domainTables.values()).flatMap((table) => {
      const rows = scopeRowsOf(x.plan, table)
      const skip = rows === undefined || !table.has("updatedAt") || (x.stale !== undefined && !x.stale.has(rows.table))
      return skip ? [] : [sweepOlder(rows, stamp)]
    })
    yield* db.withTransaction(
      Effect.zipRight(Effect.all(sweeps, { discard: true }), state.complete(runId, { after: x.lastKey }))
    )
  })

/**
 * Converts the scope's tool rows into domain rows. A run with nothing to resume from is a staged full run: it
 * writes beside the scope's old domain rows and removes those it did not write once it completes.
 *
 * @internal
 */
export const convert = <E, R>(plan: Plan<E, R>) =>
  Effect.gen(function*() {
    const db = yield* Database
    const state = yield* State
    yield* requireTable(plan, plan.tool.table, "tool")
    const domainTables = yield* domainTablesOf(plan)
    const orderBy = convertOrder(plan)
    // Usually there already (extract made it); building it here over a full table costs convert ~0.1 s a
    // 100,000 rows on SQLite.
    const index = yield* ensureOrderIndex(plan.tool.table, orderBy, true)
    const { after, stale, stamp } = yield* startingPoint(plan, domainTables, orderBy)
    const total = after === undefined ? yield* db.countWhere(plan.tool.table, { _raw_data_params: plan.params }) : 0
    const runId = yield* state.start(plan.key)
    const { commit, flush } = yield* committer(runId)
    const x: Conversion<E, R> = {
      plan,
      subtask: subtaskName(plan),
      domainTables,
      keyNames: plugins.domainKeyNames(plan.tool.model),
      keyAt: columnIndexes(plan.tool, orderBy),
      commit,
      total,
      stamp,
      stale,
      done: 0,
      lastKey: after
    }
    yield* db.streamTuples(plan.tool.table, {
      orderBy,
      where: { _raw_data_params: plan.params },
      ...(after === undefined ? {} : { after }),
      batchSize: plan.batchSize,
      maxBytes: plan.batchBytes,
      columns: plan.tool.columns,
      ...(index === undefined ? {} : { index })
    }).pipe(
      Stream.runForEach((chunk) => convertBatch(x, chunk)),
      // Convert commits whole batches: the line says how many tool rows were converted before the failure.
      Effect.tapError((error) =>
        Effect.sync(() => noteFailure(error, x.subtask, `after ${x.done} tool rows converted`))
      )
    )
    yield* flush
    yield* finish(x, runId)
    yield* Effect.logInfo(`${x.subtask}: ${x.done} tool rows converted`)
  })
