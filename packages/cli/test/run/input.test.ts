/**
 * `tsdevlake run`'s input: JSON options inline or from a file, the plugin folder, the database URL; each mistake
 * is one line naming the option.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { databaseUrl, jsonObjectOption, runShOf } from "../../src/run/input.js"

const error = <A, E extends { readonly message: string }>(effect: Effect.Effect<A, E>): string => {
  const result = Effect.runSync(Effect.either(effect))
  if (Either.isRight(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  return result.left.message
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-run-input-"))

describe("jsonObjectOption", () => {
  it("reads inline JSON and @file", () => {
    expect(Effect.runSync(jsonObjectOption("scope", "{\"id\":\"p1\"}"))).toEqual({ id: "p1" })
    const file = path.join(tmp, "connection.json")
    fs.writeFileSync(file, "{\"token\":\"t\"}")
    expect(Effect.runSync(jsonObjectOption("connection", `@${file}`))).toEqual({ token: "t" })
  })

  it("refuses malformed JSON, a missing file and a value that is not an object, in one line", () => {
    const malformed = error(jsonObjectOption("scope", "{id: p1}"))
    expect(malformed).toMatch(/^--scope: not valid JSON: .* \(give JSON, or @file for a file\)$/)
    expect(error(jsonObjectOption("connection", "@/nonexistent/c.json"))).toBe(
      "--connection @/nonexistent/c.json: cannot read /nonexistent/c.json: no such file"
    )
    expect(error(jsonObjectOption("scope", "[1]"))).toBe("--scope: expected a JSON object, got an array")
    expect(error(jsonObjectOption("scope", "\"p1\""))).toBe("--scope: expected a JSON object, got \"p1\"")
    for (const message of [malformed]) expect(message).not.toContain("\n")
  })
})

describe("runShOf", () => {
  it("finds run.sh in a built plugin folder", () => {
    const dir = path.join(tmp, "plugin")
    fs.mkdirSync(path.join(dir, "dist"), { recursive: true })
    fs.writeFileSync(path.join(dir, "run.sh"), "#!/bin/sh\n", { mode: 0o755 })
    expect(Effect.runSync(runShOf(dir))).toBe(path.join(dir, "run.sh"))
  })

  it("says what is missing: the folder, run.sh, its execute bit, dist/", () => {
    expect(error(runShOf(path.join(tmp, "nope")))).toBe(`${path.join(tmp, "nope")}: no such folder`)
    const empty = path.join(tmp, "empty")
    fs.mkdirSync(empty)
    expect(error(runShOf(empty))).toBe(`${empty}: no run.sh in this folder (is it a plugin folder?)`)
    fs.writeFileSync(path.join(empty, "run.sh"), "#!/bin/sh\n", { mode: 0o644 })
    expect(error(runShOf(empty))).toBe(`${path.join(empty, "run.sh")} is not executable (chmod +x run.sh)`)
    fs.chmodSync(path.join(empty, "run.sh"), 0o755)
    expect(error(runShOf(empty))).toMatch(/the plugin is not built \(no dist\/\)/)
  })
})

describe("databaseUrl", () => {
  it("defaults to a SQLite file under <plugin-dir>/.tsdevlake/", () => {
    const dir = path.join(tmp, "defaults")
    const { url } = Effect.runSync(databaseUrl(dir, undefined))
    expect(url).toBe(`sqlite://${path.join(dir, ".tsdevlake", "run.db")}`)
    expect(fs.existsSync(path.join(dir, ".tsdevlake"))).toBe(true)
  })

  it("keeps a server URL, shown without its password", () => {
    const given = "mysql://merico:secret@127.0.0.1:3306/lake?charset=utf8mb4&parseTime=True&loc=UTC"
    const db = Effect.runSync(databaseUrl(tmp, given))
    expect(db.url).toBe(given)
    expect(db.display).not.toContain("secret")
  })

  it("makes a relative SQLite path absolute: the plugin processes run in the plugin folder", () => {
    const { url } = Effect.runSync(databaseUrl(tmp, "sqlite:lake.db"))
    expect(url).toBe(`sqlite://${path.resolve("lake.db")}`)
  })

  it("refuses a bad URL and an in-memory database, in one line", () => {
    expect(error(databaseUrl(tmp, "oracle://x@y/z"))).toMatch(/^--db-url: .*oracle/)
    expect(error(databaseUrl(tmp, "sqlite::memory:"))).toMatch(/^--db-url: an in-memory SQLite database lives only/)
  })
})
