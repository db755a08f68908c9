/**
 * Runs a plugin's `run.sh` exactly as the Go server does (`backend/server/services/remote/bridge/cmd.go`):
 * argv `["./run.sh", method, <config JSON>, <JSON args>…]`, cwd = the plugin folder, stdin = /dev/null,
 * replies read from an extra pipe on fd 3, stdout/stderr as logs. Used by tests, benchmarks, `npm start` and
 * local runs.
 *
 * @since 0.1.0
 */
import type { Effect } from "effect"
import * as invoker from "./internal/runtime/invoker.js"

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
export const InvokeError = invoker.InvokeError
/** @since 0.1.0 */
export type InvokeError = invoker.InvokeError

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

/**
 * Runs `run.sh <method> <config> <args…>` to completion.
 *
 * @example
 * Invoker.run({ runSh: "plugins/fakeplugin/run.sh", method: "plugin-info" })
 *
 * @since 0.1.0
 * @category constructors
 */
export const run: (options: RunOptions) => Effect.Effect<Result, InvokeError> = invoker.run

/**
 * A Go-style Call: runs to completion, fails on a non-zero exit (with the stderr lines, as Go reports them),
 * and decodes the concatenated fd 3 output as one JSON value.
 *
 * @example
 * Invoker.call({ runSh, method: "test-connection", args: [{ id: 1, name: "c", token: "t" }] })
 *
 * @since 0.1.0
 * @category constructors
 */
export const call: (options: RunOptions) => Effect.Effect<unknown, InvokeError> = invoker.call

/**
 * A Go-style Stream: runs to completion, fails on a non-zero exit, and decodes each fd 3 line on its own.
 *
 * @example
 * Invoker.stream({ runSh, method: "remote-scopes", args: [connection, ""] })
 *
 * @since 0.1.0
 * @category constructors
 */
export const stream: (options: RunOptions) => Effect.Effect<ReadonlyArray<unknown>, InvokeError> = invoker.stream
