import { Effect, Either, ExecutionStrategy, Fiber, Scope } from "effect"
import type { Batch, BatchWriter } from "../../Db.js"
import { runRaw, withTransaction } from "./core.js"
import type { DbError } from "./errors.js"
import * as sqliteWriter from "./sqlite/writer.js"
import { type ColumnTypes, prepareWrite, type WriteContext, writeTables } from "./write.js"

/**
 * Batch writers: how a subtask's batches (rows and checkpoint together) commit while it prepares the next one.
 * Committing in the background is where collect, extract and convert gain most, so each database gets the
 * fastest writer it can run: a writer thread on a SQLite file, pipelined transactions on a MySQL or PostgreSQL
 * pool, inline transactions where there is only one connection. Every writer commits batches in submission order
 * and none after a failed one, so a checkpoint never runs ahead of its rows.
 */

/** How many batches may wait behind the one being written before `submit` blocks. */
const defaultDepth = 2

/**
 * Each batch is one transaction on the client, committed before `submit` returns. `types`: the column types
 * PostgreSQL's array statements cast to, read once per table for this writer's life (a subtask's).
 */
const inline = (context: WriteContext, types?: ColumnTypes): BatchWriter => ({
  concurrent: false,
  submit: (batch: Batch) =>
    withTransaction(
      context.core,
      Effect.gen(function*() {
        yield* writeTables(context, batch.writes, types)
        for (const statement of batch.statements ?? []) {
          yield* runRaw(context.core, statement.sql, statement.params, "running a batch's statement")
        }
      })
    ).pipe(Effect.tap(() => Effect.sync(() => batch.onCommitted?.()))),
  flush: Effect.void
})

/**
 * Each batch committed by a fiber of its own on a pooled connection, while the caller prepares the next: the
 * database server works in parallel with this process. A batch's fiber first waits for the previous one and
 * fails with its failure, so batches commit in order and none commits after a failed one.
 */
const pipelined = (writer: BatchWriter, depth: number): Effect.Effect<BatchWriter, never, Scope.Scope> =>
  Effect.gen(function*() {
    // The batches' fibers live in a child scope, closed after the finalizer below let them finish: the end of
    // the caller's scope commits what was submitted (each batch with its checkpoint) instead of interrupting it.
    const scope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    const queued: Array<Fiber.RuntimeFiber<void, DbError>> = []
    const settleOldest = Effect.suspend(() => Fiber.join(queued.shift()!))
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() =>
        Effect.forEach(queued.splice(0), (fiber) => Effect.ignore(Fiber.join(fiber)), { discard: true })
      )
    )
    return {
      concurrent: true,
      submit: (batch) =>
        Effect.gen(function*() {
          while (queued.length >= depth) yield* settleOldest
          const previous = queued[queued.length - 1]
          const commit = previous === undefined
            ? writer.submit(batch)
            : Effect.zipRight(Fiber.join(previous), writer.submit(batch))
          queued.push(yield* Effect.forkIn(commit, scope))
        }),
      flush: Effect.gen(function*() {
        while (queued.length > 0) yield* settleOldest
      })
    } satisfies BatchWriter
  })

/**
 * `Database.batchWriter`: on a SQLite file, a writer thread with its own connection (inline
 * transactions until it has started); on MySQL and PostgreSQL, transactions on pooled connections in the
 * background; on an in-memory SQLite database (one connection), inline transactions.
 *
 * @internal
 */
export const makeBatchWriter = (
  context: WriteContext,
  sqliteFile: string | undefined,
  options?: { readonly depth?: number; readonly inlineWhileStarting?: boolean }
): Effect.Effect<BatchWriter, DbError, Scope.Scope> => {
  const depth = Math.max(1, Math.floor(options?.depth ?? defaultDepth))
  if (context.core.dialect.name !== "sqlite") return pipelined(inline(context, new Map()), depth)
  const inlineWriter = inline(context)
  if (sqliteFile === undefined) return Effect.succeed(inlineWriter)
  const inlineWhileStarting = options?.inlineWhileStarting ?? true
  // A failed inline batch stops the writer as a failed thread batch does: nothing commits after it.
  let inlineFailure: DbError | undefined
  return Effect.map(sqliteWriter.start(sqliteFile, depth), (thread): BatchWriter => ({
    concurrent: true,
    submit: (batch) =>
      Effect.suspend(() => {
        if (inlineFailure !== undefined) return Effect.fail(inlineFailure)
        // While the thread boots, batches commit inline on this connection, before `submit` returns; once
        // the thread has one, all later batches follow it. Either way they commit in submission order.
        if (inlineWhileStarting && thread.booting()) {
          return Effect.tapError(inlineWriter.submit(batch), (error) => Effect.sync(() => inlineFailure = error))
        }
        const writes: Array<sqliteWriter.Write> = []
        for (const write of batch.writes) {
          if (("tuples" in write ? write.tuples : write.rows).length === 0) continue
          // Text for bytes columns crosses to the thread as a string, cheaper to pass than a Buffer; the thread
          // (mostly idle while this one prepares batches) encodes it.
          const prepared = prepareWrite(context, write.table, write.columns, write.keyColumns, write, {
            textBytes: true
          })
          if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
          const { head, tail, used, values, what } = prepared.right
          // One prepared single-row statement run per row beats multi-row VALUES lists on SQLite.
          const blobs = used.flatMap((column, i) => column.type === "bytes" ? [i] : [])
          writes.push({
            sql: `${head}(${used.map(() => "?").join(", ")})${tail}`,
            width: used.length,
            values,
            blobs,
            what
          })
        }
        const statements = (batch.statements ?? []).map((s) => ({
          sql: s.sql,
          params: s.params,
          what: "running a batch's statement"
        }))
        return thread.submit({ writes, statements }, batch.onCommitted)
      }),
    flush: Effect.suspend(() => inlineFailure !== undefined ? Effect.fail(inlineFailure) : thread.flush)
  }))
}
