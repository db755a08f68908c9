/**
 * The reply channel to the Go server: newline-delimited JSON on file descriptor 3. The only module that
 * writes there.
 *
 * Writes are synchronous (`fs.writeSync`): the Go server treats process exit as completion and may drop
 * data still in flight, so every line is in the pipe before the call returns.
 *
 * @since 0.1.0
 */
import type { Layer, Ref } from "effect"
import * as replies from "./internal/process/replies.js"

/**
 * Longest line released DevLake servers read (bufio.Scanner's default 64 KiB buffer, which must also hold
 * the newline). A longer line silently stops the server's reader.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLineBytes: number = replies.maxLineBytes

/**
 * Writing to fd 3 failed.
 *
 * @since 0.1.0
 * @category errors
 */
export const IpcError = replies.IpcError
/** @since 0.1.0 */
export type IpcError = replies.IpcError

/**
 * The fd 3 channel: `send` writes one message of a streamed reply (progress, remote scope node) as exactly one
 * line; `reply` writes the single JSON value of a call reply (`plugin-info`, `make-pipeline`, ...), split
 * between JSON tokens when it is longer than a line (Go concatenates all lines of a call before decoding).
 *
 * @example
 * Effect.flatMap(Ipc.Ipc, (ipc) => ipc.send({ type: "progress", current: 1, total: 10 }))
 *
 * @since 0.1.0
 * @category tags
 */
export const Ipc = replies.Ipc
/** @since 0.1.0 */
export type Ipc = replies.Ipc

/**
 * Splits a JSON text into lines of at most `limit` bytes, cutting only after a `,`, `:`, `[` or `{` outside
 * strings, so that the concatenation of the lines is the original text.
 *
 * @since 0.1.0
 * @category internals
 */
export const splitJson: (json: string, limit?: number) => Array<string> | undefined = replies.splitJson

/**
 * Whether `fd` is open on a pipe, file, socket or terminal. When the Go server did not pass fd 3, Node's own
 * descriptors (epoll, eventfd) may occupy that number: writing there would corrupt the process, not reply.
 *
 * @since 0.1.0
 * @category internals
 */
export const isReplyChannel: (fd: number) => boolean = replies.isReplyChannel

/**
 * The real channel on file descriptor 3 (or `fd`). The descriptor is checked at the first write, so commands
 * that never reply work without it.
 *
 * @example
 * Effect.flatMap(Ipc.Ipc, (ipc) => ipc.reply({ success: true })).pipe(Effect.provide(Ipc.layer()))
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options?: { readonly fd?: number; readonly maxLineBytes?: number }) => Layer.Layer<Ipc> =
  replies.layer

/**
 * An in-memory channel for tests: every line written, in order.
 *
 * @example
 * const lines = yield* Ref.make<ReadonlyArray<string>>([])
 * yield* program.pipe(Effect.provide(Ipc.layerMemory(lines)))
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: (
  lines: Ref.Ref<ReadonlyArray<string>>,
  options?: { readonly maxLineBytes?: number }
) => Layer.Layer<Ipc> = replies.layerMemory
