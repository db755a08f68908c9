import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Database } from "../../../src/internal/db/database.js"
import * as dbLayer from "../../../src/internal/db/layer.js"
import { verifySqliteFile } from "../../../src/internal/db/sqlite/fileCheck.js"

/** Opens a SQLite file through the db layer, runs `between` (with the layer open), then the check. */
const checkAfter = (file: string, between: () => void) =>
  Effect.runPromise(Effect.exit(
    Effect.gen(function*() {
      const db = yield* Database
      yield* db.execute("CREATE TABLE t (a INTEGER)")
      between()
      yield* db.execute("INSERT INTO t VALUES (1)")
      yield* verifySqliteFile
    }).pipe(Effect.provide(Layer.fresh(dbLayer.layer(`sqlite://${file}`))))
  ))

const message = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit) ? String((exit.cause as any).error?.message ?? exit.cause) : "success"

describe("verifySqliteFile (issue 13, finding 3)", () => {
  const dirs: Array<string> = []
  const dir = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-filecheck-")))
    return dirs.at(-1)!
  }
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

  it("passes while the file is the one opened", async () => {
    const file = path.join(dir(), "lake.db")
    assert.strictEqual(message(await checkAfter(file, () => {})), "success")
  })

  it("fails naming the file when it was deleted while the database was open (every write still succeeds)", async () => {
    const file = path.join(dir(), "lake.db")
    const exit = await checkAfter(file, () => fs.rmSync(file))
    assert.strictEqual(
      message(exit),
      `SQLite database file ${file} was deleted while the command ran: what it wrote is not in that file`
    )
  })

  it("fails when another file took its name", async () => {
    const file = path.join(dir(), "lake.db")
    const exit = await checkAfter(file, () => {
      fs.rmSync(file)
      fs.writeFileSync(file, "")
    })
    assert.match(message(exit), /lake\.db was replaced while the command ran/)
  })

  it("has nothing to check on an in-memory database", async () => {
    const exit = await Effect.runPromise(Effect.exit(verifySqliteFile.pipe(Effect.provide(dbLayer.layerMemory))))
    assert.isTrue(Exit.isSuccess(exit))
  })
})
