/**
 * The input of `tsdevlake run`: the plugin folder, the connection, scope and scope config (JSON or `@file`) and
 * the database URL, each checked before anything runs so that a mistake costs one line, not a half-run pipeline.
 */
import { Effect, Either, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Db } from "tsdevlake/runtime"

/** Bad input: a malformed JSON option, a missing file or folder, an unusable database URL, an unknown stream. */
export class RunInputError extends Schema.TaggedError<RunInputError>("@tsdevlake/cli/run/RunInputError")(
  "RunInputError",
  { detail: Schema.String }
) {
  override get message() {
    return this.detail
  }
}

const fail = (detail: string) => Effect.fail(new RunInputError({ detail }))

/**
 * The JSON object of an option given inline (`--scope '{"id":"p1"}'`) or as `@file` (relative to the working
 * directory).
 */
export const jsonObjectOption = (
  option: string,
  value: string
): Effect.Effect<Record<string, unknown>, RunInputError> =>
  Effect.gen(function*() {
    let text = value
    let where = `--${option}`
    if (value.startsWith("@")) {
      const file = path.resolve(value.slice(1))
      where = `--${option} ${value}`
      const read = Either.try(() => fs.readFileSync(file, "utf8"))
      if (Either.isLeft(read)) return yield* fail(`${where}: cannot read ${file}: ${errorCode(read.left)}`)
      text = read.right
    }
    const parsed = Either.try(() => JSON.parse(text) as unknown)
    if (Either.isLeft(parsed)) {
      const hint = value.startsWith("@") ? "" : " (give JSON, or @file for a file)"
      return yield* fail(`${where}: not valid JSON: ${(parsed.left as Error).message}${hint}`)
    }
    const json = parsed.right
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      return yield* fail(
        `${where}: expected a JSON object, got ${Array.isArray(json) ? "an array" : JSON.stringify(json)}`
      )
    }
    return json as Record<string, unknown>
  })

const errorCode = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT"
    ? "no such file"
    : error instanceof Error
    ? error.message
    : String(error)

/** The plugin's `run.sh` in `dir`, which must exist and be executable. */
export const runShOf = (dir: string): Effect.Effect<string, RunInputError> =>
  Effect.gen(function*() {
    const folder = path.resolve(dir)
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) return yield* fail(`${dir}: no such folder`)
    const runSh = path.join(folder, "run.sh")
    if (!fs.existsSync(runSh)) return yield* fail(`${dir}: no run.sh in this folder (is it a plugin folder?)`)
    const executable = Either.try(() => fs.accessSync(runSh, fs.constants.X_OK))
    if (Either.isLeft(executable)) return yield* fail(`${runSh} is not executable (chmod +x run.sh)`)
    if (!fs.existsSync(path.join(folder, "dist"))) {
      return yield* fail(`${dir}: the plugin is not built (no dist/): build it first (tsdevlake build ${dir})`)
    }
    return runSh
  })

/**
 * The `db_url` every plugin process gets: `--db-url` as given (checked with the framework's parser, so a bad
 * URL is refused before any process starts), a relative SQLite path made absolute (each process runs in the
 * plugin folder), or by default a SQLite file under `<plugin-dir>/.tsdevlake/`.
 */
export const databaseUrl = (
  pluginDir: string,
  given: string | undefined
): Effect.Effect<{ readonly url: string; readonly display: string }, RunInputError> =>
  Effect.gen(function*() {
    if (given === undefined) {
      const file = path.join(path.resolve(pluginDir), ".tsdevlake", "run.db")
      fs.mkdirSync(path.dirname(file), { recursive: true })
      return { url: `sqlite://${file}`, display: path.relative(process.cwd(), file) || file }
    }
    const config = yield* Db.parseUrl(given).pipe(
      Effect.mapError((error) => new RunInputError({ detail: `--db-url: ${error.message}` }))
    )
    if (config.dialect !== "sqlite") return { url: given, display: config.display }
    if (config.filename === ":memory:" || config.filename === "") {
      return yield* fail(
        "--db-url: an in-memory SQLite database lives only as long as one plugin process; give a file (sqlite:///path/to/file.db)"
      )
    }
    if (path.isAbsolute(config.filename)) return { url: given, display: config.display }
    const file = path.resolve(config.filename)
    return { url: `sqlite://${file}`, display: file }
  })
