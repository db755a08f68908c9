import { Deferred, Effect, Exit, FiberId } from "effect"
import type * as Scope from "effect/Scope"
import type { Worker } from "node:worker_threads"
import { DbError } from "../errors.js"
import { driverPath, loadWorkerThreads } from "./driver.js"

/**
 * A SQLite writer thread: its own better-sqlite3 connection to the file, committing one batch per
 * transaction in the order received, while the main thread reads (WAL) and prepares the next batch.
 * SQLite writes are CPU-bound in this process, so on a machine with a second core this nearly halves a
 * subtask's wall time.
 *
 * The thread runs a small script (below) rather than a module of the bundle, so that starting it costs
 * milliseconds: it loads nothing but the driver.
 */

/** @internal */
export interface Write {
  /** A single-row INSERT (or upsert) statement. */
  readonly sql: string
  readonly width: number
  /** Rows flattened: `width` values per row. */
  readonly values: ReadonlyArray<unknown>
  /** Positions (within a row) of blob columns: a string there is bound as its UTF-8 bytes. */
  readonly blobs: ReadonlyArray<number>
  readonly what: string
}

/** @internal */
export interface Job {
  readonly writes: ReadonlyArray<Write>
  readonly statements: ReadonlyArray<
    { readonly sql: string; readonly params: ReadonlyArray<unknown>; readonly what: string }
  >
}

/** @internal */
export interface Thread {
  /** Queues a job; `onCommitted` is called once the thread has committed it. */
  readonly submit: (job: Job, onCommitted?: () => void) => Effect.Effect<void, DbError>
  readonly flush: Effect.Effect<void, DbError>
  /** Not started yet and given no batch: the caller may write a batch itself (see `makeThread`). */
  readonly booting: () => boolean
}

type Reply =
  | { readonly id: number; readonly ok: true }
  | { readonly id: number; readonly ok: false; readonly detail: string; readonly skipped?: true }

// The failure of one batch stops the thread from committing any later one (`failed`), so what is committed
// is always a prefix of what was submitted. Messages only carry what SQLite reported, never bound values.
const source = String.raw`
"use strict"
const { parentPort, workerData } = require("node:worker_threads")
const Database = require(workerData.driver)
let db
let failed
const statements = new Map()
const prepare = (sql) => {
  let statement = statements.get(sql)
  if (statement === undefined) {
    statement = db.prepare(sql)
    statements.set(sql, statement)
  }
  return statement
}
const describe = (error) => {
  const message = error && typeof error.message === "string" ? error.message : String(error)
  return error && typeof error.code === "string" && !message.includes(error.code) ? message + " (" + error.code + ")" : message
}
const run = (job) => {
  let step = "opening the database"
  try {
    if (db === undefined) {
      db = new Database(workerData.filename)
      db.pragma("busy_timeout = " + workerData.busyTimeout)
      db.pragma("synchronous = NORMAL")
      // Checkpoint the WAL every ~40 MB instead of every ~4 MB: fewer fsyncs under bulk writes, bounded WAL.
      db.pragma("wal_autocheckpoint = 10000")
    }
    step = "starting a transaction"
    db.exec("BEGIN IMMEDIATE")
    try {
      for (const write of job.writes) {
        step = write.what
        const statement = prepare(write.sql)
        const width = write.width
        const values = write.values
        const blobs = write.blobs
        const row = new Array(width)
        for (let i = 0; i < values.length; i += width) {
          for (let j = 0; j < width; j++) row[j] = values[i + j]
          for (const j of blobs) if (typeof row[j] === "string") row[j] = Buffer.from(row[j], "utf8")
          statement.run(row)
        }
      }
      for (const extra of job.statements) {
        step = extra.what
        prepare(extra.sql).run(extra.params)
      }
      step = "committing"
      db.exec("COMMIT")
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK")
      throw error
    }
    return undefined
  } catch (error) {
    return step + ": " + describe(error)
  }
}
Atomics.store(workerData.started, 0, 1)
parentPort.on("message", (message) => {
  if (message.close === true) {
    if (db !== undefined) db.close()
    parentPort.close()
    return
  }
  if (failed !== undefined) {
    parentPort.postMessage({ id: message.id, ok: false, detail: failed, skipped: true })
    return
  }
  const error = run(message.job)
  if (error === undefined) {
    parentPort.postMessage({ id: message.id, ok: true })
  } else {
    failed = error
    parentPort.postMessage({ id: message.id, ok: false, detail: error })
  }
})
`

/**
 * Starts a writer thread for `filename`; the scope's end waits for the queued batches and stops it.
 *
 * @internal
 */
export const start = (filename: string, depth: number): Effect.Effect<Thread, DbError, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.try({
        try: () => {
          // Set by the thread once it has loaded its driver; shared memory rather than a message, so that a
          // caller busy in a loop sees it without waiting for its event loop.
          const started = new Int32Array(new SharedArrayBuffer(4))
          const worker = new (loadWorkerThreads().Worker)(source, {
            eval: true,
            workerData: { driver: driverPath(), filename, busyTimeout: 30000, started }
          })
          return { worker, started }
        },
        catch: (cause) =>
          new DbError({
            reason: "Driver",
            detail: `cannot start the SQLite writer thread: ${cause instanceof Error ? cause.message : String(cause)}`
          })
      }).pipe(Effect.map(({ started, worker }) => makeThread(worker, filename, depth, started))),
      (thread) => thread.close
    ),
    ({ booting, flush, submit }): Thread => ({ booting, flush, submit })
  )

/**
 * The main thread's side of a writer thread: batches in order, at most `depth` in flight, and every waiting
 * batch failed when the thread throws or exits. Exported for tests, which give it threads that crash.
 *
 * @internal
 */
export const makeThread = (worker: Worker, filename: string, depth: number, started?: Int32Array) => {
  const waiting = new Map<number, { deferred: Deferred.Deferred<void, DbError>; onCommitted?: () => void }>()
  const queued: Array<Deferred.Deferred<void, DbError>> = []
  let nextId = 0
  let closing = false
  let failure: DbError | undefined
  let stopped = false
  let used = false

  const fail = (detail: string) =>
    new DbError({ reason: "Query", detail: `writing to SQLite database ${filename}: ${detail}` })
  const failAll = (error: DbError) => {
    failure ??= error
    for (const { deferred } of waiting.values()) Deferred.unsafeDone(deferred, Exit.fail(failure))
    waiting.clear()
  }
  worker.on("message", (reply: Reply) => {
    const entry = waiting.get(reply.id)
    if (entry === undefined) return
    waiting.delete(reply.id)
    const { deferred } = entry
    if (reply.ok) {
      entry.onCommitted?.()
      Deferred.unsafeDone(deferred, Exit.void)
    } else {
      failure ??= fail(reply.detail)
      Deferred.unsafeDone(deferred, Exit.fail(failure))
    }
  })
  worker.on("error", (error) => failAll(fail(`the writer thread failed: ${error.message}`)))
  worker.on("exit", (code) => {
    stopped = true
    if (!closing || waiting.size > 0) failAll(fail(`the writer thread stopped (exit code ${code})`))
  })
  const exited = Effect.async<void>((resume) => {
    if (stopped) resume(Effect.void)
    else worker.once("exit", () => resume(Effect.void))
  })

  /** Waits for the oldest queued batch; its failure is the writer's failure. */
  const settleOldest = Effect.suspend(() => {
    const oldest = queued[0]
    if (oldest === undefined) return Effect.void
    return Effect.ensuring(Deferred.await(oldest), Effect.sync(() => queued.shift()))
  })

  const submit = (job: Job, onCommitted?: () => void): Effect.Effect<void, DbError> =>
    Effect.gen(function*() {
      while (queued.length >= depth) yield* settleOldest
      if (failure !== undefined) return yield* Effect.fail(failure)
      const id = nextId++
      used = true
      const deferred = Deferred.unsafeMake<void, DbError>(FiberId.none)
      waiting.set(id, onCommitted === undefined ? { deferred } : { deferred, onCommitted })
      queued.push(deferred)
      try {
        worker.postMessage({ id, job })
      } catch (cause) {
        waiting.delete(id)
        queued.pop()
        return yield* Effect.fail(
          fail(`cannot hand a batch to the writer thread: ${cause instanceof Error ? cause.message : String(cause)}`)
        )
      }
    })

  const flush: Effect.Effect<void, DbError> = Effect.gen(function*() {
    while (queued.length > 0) yield* settleOldest
    if (failure !== undefined) return yield* Effect.fail(failure)
  })

  // Queued batches still commit (each with its checkpoint) before the thread closes; their failures were
  // reported by `submit`/`flush` or, when the caller stopped early, do not matter any more.
  const close = Effect.suspend(() => {
    closing = true
    if (stopped) return Effect.void
    if (!used) {
      // Never given a batch (a short subtask wrote inline while it booted): nothing to wait for, and a
      // thread still booting would only answer in tens of milliseconds.
      void worker.terminate()
      worker.unref()
      return Effect.void
    }
    worker.postMessage({ close: true })
    return exited
  })

  /**
   * True while the thread has not loaded its driver yet and has been given no batch: meanwhile a caller may
   * write batches itself. Starting a thread takes about 50 ms under node's heap-limit flags (27 ms without
   * them; measured, not explained), which a short subtask would otherwise spend waiting.
   */
  const booting = () => started !== undefined && Atomics.load(started, 0) === 0 && !used && failure === undefined

  return { submit, flush, close, booting }
}
