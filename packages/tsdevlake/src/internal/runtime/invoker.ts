/**
 * Running a plugin's `run.sh` as the Go server does (the public module is `Invoker`): argv, a pipe on fd 3
 * for replies, stdout/stderr as logs, each split into lines as they arrive.
 *
 * @internal
 */
import { Effect, Schema } from "effect"
import { spawn } from "node:child_process"
import * as path from "node:path"
import type { Result, RunOptions } from "../../Invoker.js"

/** The plugin could not be started, or failed. @internal */
export class InvokeError extends Schema.TaggedError<InvokeError>("tsdevlake/Invoker/InvokeError")("InvokeError", {
  method: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `${this.method}: ${this.detail}`
  }
}

/**
 * The arguments after `run.sh`: the method, the config (`{"log_level":""}` unless given, none when `null`),
 * each argument JSON-encoded as Go's `serialize` does, then the raw ones.
 *
 * @internal
 */
export const argvOf = (options: RunOptions): Array<string> => {
  const config = options.config === undefined ? { log_level: "" } : options.config
  return [
    options.method,
    ...(config === null ? [] : [JSON.stringify(config)]),
    ...(options.args ?? []).map((a) => JSON.stringify(a)),
    ...(options.rawArgs ?? [])
  ]
}

/**
 * A line splitter for a stream of chunks: `onLine` gets each line without its `\n` (or `\r\n`), and `end`
 * flushes a last line without a newline.
 *
 * @internal
 */
export const splitLines = (onLine: (line: string) => void) => {
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

/** The lines of fd 3, stdout and stderr, and the longest of them in bytes. */
const outputs = (onLine: ((line: string) => void) | undefined) => {
  const collected = { lines: [] as Array<string>, stdout: [] as Array<string>, stderr: [] as Array<string>, longest: 0 }
  const track = (target: Array<string>, onLine?: (line: string) => void) =>
    splitLines((line) => {
      collected.longest = Math.max(collected.longest, Buffer.byteLength(line))
      target.push(line)
      onLine?.(line)
    })
  return { collected, fd3: track(collected.lines, onLine), out: track(collected.stdout), err: track(collected.stderr) }
}

/** Runs `run.sh <method> <config> <args…>` to completion. @internal */
export const run = (options: RunOptions): Effect.Effect<Result, InvokeError> =>
  Effect.async<Result, InvokeError>((resume) => {
    const started = performance.now()
    const runSh = path.resolve(options.runSh)
    const { collected, err, fd3, out } = outputs(options.onLine)
    const child = spawn(`./${path.basename(runSh)}`, argvOf(options), {
      cwd: path.dirname(runSh),
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      env: options.env ?? process.env
    })
    child.on(
      "error",
      (error) =>
        resume(
          Effect.fail(new InvokeError({ method: options.method, detail: `cannot start ${runSh}: ${error.message}` }))
        )
    )
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
        lines: collected.lines,
        stdout: collected.stdout,
        stderr: collected.stderr,
        longestLineBytes: collected.longest,
        seconds: (performance.now() - started) / 1000
      }))
    })
    return Effect.sync(() => child.kill("SIGKILL"))
  })

/** The result of a zero exit; an `InvokeError` with the stderr lines otherwise, as Go reports them. @internal */
export const succeeded = (method: string, result: Result): Effect.Effect<Result, InvokeError> =>
  result.exitCode === 0 ? Effect.succeed(result) : Effect.fail(
    new InvokeError({ method, detail: `exit ${result.exitCode ?? result.signal}: ${result.stderr.join(" | ")}` })
  )

const decode = <A>(method: string, what: string, f: () => A) =>
  Effect.try({ try: f, catch: () => new InvokeError({ method, detail: what }) })

/** A Go-style Call. @internal */
export const call = (options: RunOptions): Effect.Effect<unknown, InvokeError> =>
  Effect.flatMap(
    Effect.flatMap(run(options), (r) => succeeded(options.method, r)),
    (result) =>
      decode(options.method, "reply on fd 3 is not one JSON value", () => JSON.parse(result.lines.join("")) as unknown)
  )

/** A Go-style Stream. @internal */
export const stream = (options: RunOptions): Effect.Effect<ReadonlyArray<unknown>, InvokeError> =>
  Effect.flatMap(
    Effect.flatMap(run(options), (r) => succeeded(options.method, r)),
    (result) =>
      decode(
        options.method,
        "a line on fd 3 is not JSON",
        () => result.lines.map((line) => JSON.parse(line) as unknown)
      )
  )
