/**
 * The plugin's `run.sh`, whose path plugin-info reports to DevLake (it runs the plugin with it).
 *
 * @internal
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { UsageError } from "./failure.js"

/**
 * The `run.sh` in the folder of `entry` (the entry script) or up to three folders above it; from the working
 * directory when there is no entry script.
 *
 * @internal
 */
export const findRunSh = (entry: string | undefined): string | undefined => {
  let dir = entry === undefined ? process.cwd() : path.dirname(path.resolve(entry))
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, "run.sh")
    if (fs.existsSync(candidate)) return candidate
    dir = path.dirname(dir)
  }
  return undefined
}

/**
 * `pluginPath`, or the `run.sh` found next to the running script; fails when it is not an executable.
 *
 * @internal
 */
export const pluginPathOf = (pluginPath: string | undefined): Effect.Effect<string, UsageError> =>
  Effect.suspend(() => {
    const found = pluginPath ?? findRunSh(process.argv[1])
    if (found === undefined) {
      return Effect.fail(new UsageError({ detail: "run.sh not found next to the plugin's entry script" }))
    }
    try {
      fs.accessSync(found, fs.constants.X_OK)
    } catch {
      return Effect.fail(new UsageError({ detail: `${found} is not executable` }))
    }
    return Effect.succeed(found)
  })
