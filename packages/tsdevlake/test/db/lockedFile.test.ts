import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type * as Db from "../../src/Db.js"
import { Database } from "../../src/internal/db/database.js"
import * as dbLayer from "../../src/internal/db/layer.js"

describe("a SQLite file locked by another connection (issue 13, point 6)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-locked-"))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("fails a statement, once the busy timeout is spent, naming the file SQLite's message leaves out", async () => {
    const file = path.join(dir, "lake.db")
    const onFile = <A, E>(effect: Effect.Effect<A, E, Db.Database>) =>
      effect.pipe(Effect.provide(Layer.fresh(dbLayer.layer(`sqlite://${file}`))))
    const result = await Effect.runPromise(onFile(Effect.gen(function*() {
      const holder = yield* Database
      yield* holder.execute("CREATE TABLE t (a INTEGER)")
      yield* holder.execute("BEGIN EXCLUSIVE")
      // A second connection to the file, waiting 50 ms instead of the layer's 30 s.
      return yield* onFile(Effect.gen(function*() {
        const waiter = yield* Database
        yield* waiter.execute("PRAGMA busy_timeout = 50")
        return yield* Effect.either(waiter.execute("INSERT INTO t VALUES (1)"))
      })).pipe(Effect.ensuring(Effect.orDie(holder.execute("COMMIT"))))
    })))
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.match(result.left.message, /^executing statement: database is locked/)
      assert.include(
        result.left.message,
        `(SQLite file ${file} is locked by another connection, for longer than the busy timeout)`
      )
    }
  })
})
