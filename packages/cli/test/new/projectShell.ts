/**
 * Running npm and a generated project's commands from a test, in the project's folder: asynchronously, so that
 * vitest's worker keeps answering while npm runs for a minute, and without this repository's npm or vitest
 * environment (nor its colours) leaking into the project's own npm and vitest.
 */
import { spawn } from "node:child_process"
import { once } from "node:events"
import type { Readable } from "node:stream"
import { expect } from "vitest"

const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|FORCE_COLOR$)/.test(key))
)

/** Runs `command` in `cwd` and expects `expected` as its exit code; its output (stdout and stderr) and fd 3. */
export const sh = async (cwd: string, command: string, args: ReadonlyArray<string>, expected = 0) => {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe", "pipe"] })
  const chunks = { out: [] as Array<Buffer>, fd3: [] as Array<Buffer> }
  child.stdout!.on("data", (chunk: Buffer) => chunks.out.push(chunk))
  child.stderr!.on("data", (chunk: Buffer) => chunks.out.push(chunk))
  ;(child.stdio[3] as Readable).on("data", (chunk: Buffer) => chunks.fd3.push(chunk))
  const [status] = (await once(child, "close")) as [number | null]
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
  const output = Buffer.concat(chunks.out).toString("utf8").replace(/\u001b\[[0-9;]*m/g, "")
  expect(status, `${command} ${args.join(" ")} in ${cwd}:\n${output.slice(-3000)}`).toBe(expected)
  return { output, fd3: Buffer.concat(chunks.fd3).toString("utf8") }
}
