/**
 * Runs the `tsdevlake` bin as an author does, in a child process, and where the fixture plugin is.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"

const bin = path.join(import.meta.dirname, "../bin/tsdevlake.mjs")

/** The fake plugin's folder, built by the global setup. */
export const fixture = path.join(import.meta.dirname, "fixtures/fake")

/** Runs the bin with `args`; its exit code, stdout and stderr. */
export const tsdevlake = (
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}
) => {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    cwd: options.cwd,
    env: { ...process.env, ...options.env }
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The fixture's reply to plugin-info, read from fd 3. */
export const fixtureReply = (): any => {
  const run = spawnSync(path.join(fixture, "run.sh"), ["plugin-info", "{}"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    encoding: "utf8"
  })
  if (run.status !== 0) throw new Error(`plugin-info failed: ${run.stderr}`)
  return JSON.parse(String(run.output[3]))
}
