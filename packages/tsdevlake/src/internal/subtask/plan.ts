/**
 * The plan of one subtask run: the plugin, stream, verb and task context, and what follows from them (the
 * scope's raw-data params, the raw and tool tables, the state key, batch limits). Every step reads it.
 *
 * @internal
 */
import type * as DataStream from "../../DataStream.js"
import type { DialectName } from "../../Db.js"
import type * as Model from "../../Model.js"
import { rawTableOf, tableOf } from "../model/names.js"
import { type ModelTable, modelTable } from "../model/tables.js"
import * as streams from "../plugin/dataStream.js"
import type * as plugins from "../plugin/definition.js"
import { rawDataParams } from "../plugin/identity.js"
import type { RunKey } from "./state.js"

/**
 * Tuning of a run.
 *
 * @internal
 */
export interface RunOptions {
  /** Rows per transaction (and per progress message), at most. */
  readonly batchSize?: number
  /**
   * About how much text one batch may hold (JSON and text columns, by length): batches of records
   * megabytes each are made smaller, so that a subtask stays within its heap. Default 16 MiB.
   */
  readonly batchBytes?: number
}

/**
 * Rows per batch unless the run says. 1,000 on PostgreSQL: each batch is one array statement there (`db/write.ts`),
 * and doubling it cut the server's CPU by about 10% and this process's by about 8% (N = 100,000); MySQL's driver
 * spent more CPU on 18,000-value statements than it saved, and SQLite commits on its writer thread either way.
 */
const defaultBatchSize: Record<DialectName, number> = { sqlite: 500, mysql: 500, postgres: 1000 }
// With the writer's queue (a few batches) and a page's decoded records, this keeps a subtask well within
// the 512 MiB heap run.sh gives it, whatever the size of the records.
const defaultBatchBytes = 16 * 1024 * 1024

/** The plan of a run of a stream whose callbacks fail with `E` and need `R`. @internal */
export interface Plan<E = any, R = any> {
  readonly plugin: plugins.Plugin
  readonly stream: DataStream.DataStream<Model.Any, E, R>
  readonly verb: DataStream.Verb
  readonly ctx: DataStream.TaskContext
  /** The scope's raw-data params, `{"ConnectionId":1,"ScopeId":"p1"}`. */
  readonly params: string
  readonly rawTable: string
  readonly tool: ModelTable
  readonly key: RunKey
  readonly connectionId: number
  readonly batchSize: number
  readonly batchBytes: number
}

/** @internal */
export const makePlan = <E, R>(
  plugin: plugins.Plugin,
  verb: DataStream.Verb,
  stream: DataStream.DataStream<Model.Any, E, R>,
  ctx: DataStream.TaskContext,
  options: RunOptions,
  dialect: DialectName
): Plan<E, R> => {
  const connectionId = (ctx.connection as { id: number }).id
  const params = rawDataParams(connectionId, scopeIdOf(ctx))
  return {
    plugin,
    stream,
    verb,
    ctx,
    params,
    rawTable: rawTableOf(plugin, stream),
    tool: modelTable(stream.toolModel, tableOf(plugin, stream.toolModel)),
    key: { subtask: streams.subtaskName(stream, verb), connectionId, params },
    connectionId,
    batchSize: options.batchSize ?? defaultBatchSize[dialect],
    batchBytes: options.batchBytes ?? defaultBatchBytes
  }
}

/** @internal */
export const scopeIdOf = (ctx: DataStream.TaskContext) => String((ctx.scope as { id: unknown }).id)

/** The subtask's name, as DevLake shows it (`Collect Users`). */
export const subtaskName = (plan: Plan) => plan.key.subtask

/** A batch's time: its rows' `updatedAt`, and `createdAt` where they have none. */
export const now = () => new Date()
