/**
 * The writer thread's crash path (internal/db/sqlite/writer.ts `makeThread`): a thread that throws or exits while
 * batches wait fails each of them, and every later batch, with an error naming what happened; closing it
 * afterwards does not hang. Real threads, whose scripts crash on their first batch.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { Worker } from "node:worker_threads"
import { makeThread } from "../../../src/internal/db/sqlite/writer.js"

const crashing = (onFirstBatch: string) =>
  new Worker(
    `const { parentPort } = require("node:worker_threads")
     parentPort.on("message", (message) => { if (!message.close) { ${onFirstBatch} } else process.exit(0) })`,
    { eval: true }
  )

const job = { writes: [], statements: [] }

const failureText = (exit: Exit.Exit<unknown, { readonly message: string }>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error.message : "no failure"

describe("SQLite writer thread crashes", () => {
  it.live("a thread that throws fails the waiting batches and every later one", () =>
    Effect.gen(function*() {
      const thread = makeThread(crashing(`throw new Error("boom")`), "/tmp/x.db", 2)
      yield* thread.submit(job)
      const flushed = yield* Effect.exit(thread.flush)
      assert.include(failureText(flushed), "writing to SQLite database /tmp/x.db: the writer thread failed: boom")
      const later = yield* Effect.exit(thread.submit(job))
      assert.strictEqual(failureText(later), failureText(flushed))
      yield* thread.close
    }))

  it.live("a thread that exits fails the waiting batches with its exit code", () =>
    Effect.gen(function*() {
      const thread = makeThread(crashing(`process.exit(3)`), "/tmp/x.db", 2)
      yield* thread.submit(job)
      yield* thread.submit(job)
      // A third batch waits for the oldest of the two in flight, which the exit fails.
      const third = yield* Effect.exit(thread.submit(job))
      assert.include(failureText(third), "the writer thread stopped (exit code 3)")
      assert.strictEqual(failureText(yield* Effect.exit(thread.flush)), failureText(third))
      yield* thread.close
    }))
})
