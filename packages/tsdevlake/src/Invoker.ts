/**
 * Runs a plugin's `run.sh` exactly as the Go server does (`backend/server/services/remote/bridge/cmd.go`):
 * argv `["./run.sh", method, <config JSON>, <JSON args>…]`, cwd = the plugin folder, stdin = /dev/null,
 * replies read from an extra pipe on fd 3, stdout/stderr as logs. Used by tests, benchmarks, `npm start` and
 * local runs.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"

/**
 * What one invocation produced.
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /** fd 3 lines, without their newline. */
  readonly lines: ReadonlyArray<string>
  readonly stdout: ReadonlyArray<string>
  readonly stderr: ReadonlyArray<string>
  /** Longest line seen on any of fd 3, stdout or stderr, in bytes. */
  readonly longestLineBytes: number
  readonly seconds: number
}

/**
 * The plugin could not be started, or failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvokeError extends Schema.TaggedError<InvokeError>()("InvokeError", {
  method: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `${this.method}: ${this.detail}`
  }
}

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  /** Path of the plugin's run.sh. */
  readonly runSh: string
  readonly method: string
  /** Arguments after the config; each is JSON-encoded, as Go's `serialize` does. */
  readonly args?: ReadonlyArray<unknown>
  /** The config argument; `{"log_level":""}` by default, `null` to omit it (servers before v1.0.0-beta4). */
  readonly config?: Record<string, unknown> | null
  /** Extra argv strings appended verbatim, unencoded (to test input the Go server would never send). */
  readonly rawArgs?: ReadonlyArray<string>
  readonly env?: NodeJS.ProcessEnv
  /** Called with each fd 3 line as it arrives (Go's Stream). */
  readonly onLine?: (line: string) => void
  /** Called once the process is spawned (to kill it, for example). */
  readonly onSpawn?: (pid: number, kill: (signal: NodeJS.Signals) => void) => void
}

const splitLines = (onLine: (line: string) => void) => {
  let pending = ""
  return {
    push: (chunk: Buffer) => {
      pending += chunk.toString("utf8")
      let index: number
      while ((index = pending.indexOf("\n")) >= 0) {
        onLine(pending.slice(0, index).replace(/\r$/, ""))
        pending = pending.slice(index + 1)
      }
    },
    end: () => {
      if (pending.length > 0) onLine(pending)
      pending = ""
    }
  }
}

/**
 * Runs `run.sh <method> <config> <args…>` to completion.
 *
 * @example
 * Invoker.run({ runSh: "plugins/fakeplugin/run.sh", method: "plugin-info" })
 *
 * @since 0.1.0
 * @category constructors
 */
export const run = (options: RunOptions): Effect.Effect<Result, InvokeError> =>
  Effect.async<Result, InvokeError>((resume) => {
    const started = performance.now()
    const runSh = path.resolve(options.runSh)
    const config = options.config === undefined ? { log_level: "" } : options.config
    const argv = [
      options.method,
      ...(config === null ? [] : [JSON.stringify(config)]), ...(options.args ?? []).map((a) => JSON.stringify(a)),
      ...(options.rawArgs ?? [])
    ]
    const lines: Array<string> = []
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    let longest = 0
    const track = (target: Array<string>, onLine?: (line: string) => void) =>
      splitLines((line) => {
        longest = Math.max(longest, Buffer.byteLength(line))
        target.push(line)
        onLine?.(line)
      })
    const fd3 = track(lines, options.onLine)
    const out = track(stdout)
    const err = track(stderr)
    const child = spawn(`./${path.basename(runSh)}`, argv, {
      cwd: path.dirname(runSh),
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      env: options.env ?? process.env
    })
    child.on("error", (error) =>
      resume(Effect.fail(new InvokeError({ method: options.method, detail: `cannot start ${runSh}: ${error.message}` }))))
    ;(child.stdio[3] as NodeJS.ReadableStream).on("data", fd3.push)
    child.stdout!.on("data", out.push)
    child.stderr!.on("data", err.push)
    if (child.pid !== undefined) options.onSpawn?.(child.pid, (signal) => child.kill(signal))
    child.on("close", (exitCode, signal) => {
      fd3.end()
      out.end()
      err.end()
      resume(Effect.succeed({
        exitCode,
        signal,
        lines,
        stdout,
        stderr,
        longestLineBytes: longest,
        seconds: (performance.now() - started) / 1000
      }))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const succeeded = (method: string, result: Result): Effect.Effect<Result, InvokeError> =>
  result.exitCode === 0 ? Effect.succeed(result) : Effect.fail(
    new InvokeError({ method, detail: `exit ${result.exitCode ?? result.signal}: ${result.stderr.join(" | ")}` })
  )

const decode = <A>(method: string, what: string, f: () => A) =>
  Effect.try({ try: f, catch: () => new InvokeError({ method, detail: what }) })

/**
 * A Go-style Call: runs to completion, fails on a non-zero exit (with the stderr lines, as Go reports them),
 * and decodes the concatenated fd 3 output as one JSON value.
 *
 * @since 0.1.0
 * @category constructors
 */
export const call = (options: RunOptions): Effect.Effect<unknown, InvokeError> =>
  Effect.flatMap(Effect.flatMap(run(options), (r) => succeeded(options.method, r)), (result) =>
    decode(options.method, "reply on fd 3 is not one JSON value", () => JSON.parse(result.lines.join("")) as unknown))

/**
 * A Go-style Stream: runs to completion, fails on a non-zero exit, and decodes each fd 3 line on its own.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stream = (options: RunOptions): Effect.Effect<ReadonlyArray<unknown>, InvokeError> =>
  Effect.flatMap(Effect.flatMap(run(options), (r) => succeeded(options.method, r)), (result) =>
    decode(options.method, "a line on fd 3 is not JSON", () => result.lines.map((line) => JSON.parse(line) as unknown)))
