/**
 * Running `tsdevlake run` as an author does: the bin in a child process, through a pipe or under a pseudo-terminal
 * (util-linux's `script`), and the bench's mock API in a process of its own.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"

export const repoRoot = path.resolve(import.meta.dirname, "../../../..")
const bin = path.join(repoRoot, "packages/cli/bin/tsdevlake.mjs")

/** The fake plugin's e2e connection and scope (plugins/fakeplugin/test/utils.ts). */
export const fakeConnection = { token: "this_is_a_valid_token" }
export const fakeScope = { id: "p1", name: "Project 1", url: "http://fake.org/api/project/p1" }

export interface Ran {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

// Asynchronous: a synchronous spawn would block the test worker, whose RPC with vitest then times out.
const execute = (file: string, args: ReadonlyArray<string>): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => stdout += chunk.toString("utf8"))
    child.stderr.on("data", (chunk: Buffer) => stderr += chunk.toString("utf8"))
    child.once("error", reject)
    child.once("close", (status) => resolve({ status, stdout, stderr }))
  })

/** `tsdevlake <args>` with stdout and stderr on pipes. */
export const tsdevlake = (args: ReadonlyArray<string>): Promise<Ran> => execute(process.execPath, [bin, ...args])

const shellQuote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`

/**
 * `tsdevlake <args>` under a pseudo-terminal: `script -qfec <command> /dev/null` gives the command a terminal for
 * stdin, stdout and stderr, and copies what it shows to its own stdout (with `\r\n` line ends).
 */
export const tsdevlakeOnTerminal = (args: ReadonlyArray<string>): Promise<Ran> => {
  const command = [process.execPath, bin, ...args].map(shellQuote).join(" ")
  return execute("script", ["-qfec", `stty cols 120; ${command}`, "/dev/null"])
}

export interface Mock {
  readonly endpoint: (n: number) => string
  readonly stop: () => Promise<void>
}

/** Starts bench/mock-api.mjs on a free port; `delayMs` slows every page. */
export const startMock = (delayMs = 0): Promise<Mock> =>
  new Promise((resolve, reject) => {
    const script = path.join(repoRoot, "bench/mock-api.mjs")
    const child = spawn(process.execPath, [script, "0", "--delay-ms", String(delayMs)], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    let buffered = ""
    child.once("error", reject)
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = /^listening (\d+)\n/.exec(buffered)
      if (match === null) return
      resolve({
        endpoint: (n) => `http://127.0.0.1:${match[1]}/datasets/${n}`,
        stop: () => {
          child.kill("SIGTERM")
          return exited
        }
      })
    })
    void exited.then(() => reject(new Error(`mock API exited before listening: ${buffered}`)))
  })
