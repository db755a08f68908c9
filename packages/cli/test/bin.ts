/**
 * Runs the `tsdevlake` bin as an author does, in a child process.
 */
import { spawnSync } from "node:child_process"
import * as path from "node:path"

const bin = path.join(import.meta.dirname, "../bin/tsdevlake.mjs")

/** Runs the bin with `args`; its exit code, stdout and stderr. */
export const tsdevlake = (args: ReadonlyArray<string>, options: { readonly cwd?: string } = {}) => {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: options.cwd })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
