import { Effect, Exit, Layer, Scope } from "effect"
import { existsSync } from "node:fs"
import { dirname } from "node:path"
import { Db } from "tsdevlake/runtime"
import { describe, expect, it } from "vitest"
import * as Testing from "../src/index.js"

describe("test databases", () => {
  it("lists SQLite (always run), MySQL and PostgreSQL (skipped with a reason when unreachable outside CI)", async () => {
    const databases = await Testing.testDatabases()
    expect(databases.map((d) => d.name)).toEqual(["sqlite", "mysql", "postgres"])
    expect(databases[0]).toEqual({ name: "sqlite", url: "sqlite::memory:", skip: undefined })
    for (const database of databases.slice(1)) {
      if (database.skip !== undefined) expect(database.skip).toMatch(/not reachable at /)
    }
    expect(await Testing.testDatabases()).toBe(databases)
  })

  it("gives an isolated SQLite database in a directory of its own, removed by drop", async () => {
    const isolated = await Testing.isolatedDatabase({ name: "sqlite", url: "sqlite::memory:", skip: undefined }, "kit")
    const dir = dirname(isolated.url.replace(/^sqlite:\/\//, ""))
    expect(isolated.url).toMatch(/^sqlite:\/\/.*tsdevlake-kit-.*\/lake\.db$/)
    expect(existsSync(dir)).toBe(true)
    await isolated.drop()
    expect(existsSync(dir)).toBe(false)
  })

  it("names tables uniquely, lower case and short enough for index names", () => {
    const a = Testing.uniqueTableName("My-Table")
    expect(a).toMatch(/^t_mytable_[a-z0-9]+$/)
    expect(a.length).toBeLessThanOrEqual(40)
    expect(Testing.uniqueTableName("My-Table")).not.toBe(a)
  })
})

const servers = (await Testing.testDatabases()).filter((database) => database.name !== "sqlite")

describe.each(servers)("an isolated $name database", (database) => {
  it.skipIf(database.skip !== undefined)("is dropped while a connection to it is still open", async () => {
    const isolated = await Testing.isolatedDatabase(database, "dropopen")
    // A pool on the isolated database, left open across the drop as a test that forgot to close it would.
    const scope = Effect.runSync(Scope.make())
    const context = await Effect.runPromise(Layer.buildWithScope(Db.layer(isolated.url), scope))
    await Effect.runPromise(Effect.provide(Effect.flatMap(Db.Database, (db) => db.execute("SELECT 1")), context))
    await isolated.drop()
    const name = decodeURIComponent(new URL(isolated.url).pathname.slice(1))
    const listed = await Effect.runPromise(
      Effect.flatMap(Db.Database, (db) =>
        db.execute(
          db.dialect.name === "postgres"
            ? "SELECT datname FROM pg_database WHERE datname = $1"
            : "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?",
          [name]
        )).pipe(Effect.provide(Db.layer(database.url)))
    )
    expect(listed).toEqual([])
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }, 30_000)
})
