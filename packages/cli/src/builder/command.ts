/**
 * `tsdevlake build [dir…]`: builds each plugin folder (default: the current one) into its `dist/`, with the one
 * builder this repository's `npm run build` also uses (builder.mjs says what a build makes and why).
 */
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { CliError, printError } from "../failure.js"
import { buildPlugins } from "./builder.mjs"

const dirs = Args.directory({ name: "dir", exists: "yes" }).pipe(
  Args.withDescription("a plugin folder, with its entry in src/main.ts (default: the current folder)"),
  Args.repeated
)

const label = (dir: string) => path.relative(process.cwd(), dir) || "."

/** Builds the plugins in `dirs`; fails with one line per plugin that did not build. */
export const build = (dirs: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const folders = (dirs.length > 0 ? dirs : ["."]).map((dir) => path.resolve(dir))
    const missing = folders.find((dir) => !fs.existsSync(path.join(dir, "src", "main.ts")))
    if (missing !== undefined) {
      return yield* new CliError({ message: `build: ${label(missing)}: no src/main.ts (the plugin's entry)` })
    }
    const started = Date.now()
    const failures = yield* Effect.promise(() =>
      buildPlugins(folders, { warn: (dir, message) => console.warn(`${label(dir)}: ${message}`) })
    )
    if (failures.length > 0) {
      for (const { dir, reason } of failures.slice(0, -1)) {
        yield* printError(`build failed: ${label(dir)}: ${reason}`)
      }
      const last = failures[failures.length - 1]!
      return yield* new CliError({ message: `build failed: ${label(last.dir)}: ${last.reason}` })
    }
    yield* Console.log(`built ${folders.map(label).join(", ")} in ${Date.now() - started} ms`)
  })

export const buildCommand = Command.make("build", { dirs }, ({ dirs }) => build(dirs)).pipe(
  Command.withDescription("Build plugin folders into dist/ (bundle, code cache, startup snapshot, dist/run)")
)
