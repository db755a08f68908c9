/**
 * The reply channel to the Go server on file descriptor 3 (the public module is `Ipc`): encoding, splitting
 * long replies between JSON tokens, and the synchronous writes.
 *
 * Writes are synchronous (`fs.writeSync`): the Go server treats process exit as completion and may drop
 * data still in flight, so every line is in the pipe before the call returns.
 */
import { Context, Effect, Layer, Ref, Schema } from "effect"
import * as fs from "node:fs"

/**
 * Longest line released DevLake servers read (bufio.Scanner's default 64 KiB buffer, which must also hold
 * the newline). A longer line silently stops the server's reader.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLineBytes = 64 * 1024 - 1

/**
 * Writing to fd 3 failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class IpcError extends Schema.TaggedError<IpcError>("tsdevlake/Ipc/IpcError")("IpcError", {
  reason: Schema.Literal("FdUnavailable", "LineTooLong", "WriteFailed", "NotJson"),
  detail: Schema.String
}) {
  override get message() {
    return `fd 3 reply channel: ${this.detail}`
  }
}

/**
 * The fd 3 channel.
 *
 * @since 0.1.0
 * @category tags
 */
export class Ipc extends Context.Tag("tsdevlake/Ipc/Ipc")<Ipc, {
  /** A message of a streamed reply (progress, remote scope node): exactly one line. */
  readonly send: (message: unknown) => Effect.Effect<void, IpcError>
  /**
   * The single JSON value of a call reply (`plugin-info`, `make-pipeline`, ...). Go concatenates all lines
   * of a call before decoding, so a value longer than one line is split between JSON tokens.
   */
  readonly reply: (value: unknown) => Effect.Effect<void, IpcError>
}>() {}

const encodeLine = (message: unknown): Effect.Effect<string, IpcError> =>
  Effect.try({
    try: () => {
      const json = JSON.stringify(message)
      if (json === undefined) throw new Error("value has no JSON form")
      return json
    },
    catch: (cause) => new IpcError({ reason: "NotJson", detail: `cannot encode reply as JSON: ${String(cause)}` })
  })

/**
 * Splits a JSON text into lines of at most `limit` bytes, cutting only after a `,`, `:`, `[` or `{` outside
 * strings, so that the concatenation of the lines is the original text.
 *
 * @since 0.1.0
 * @category internals
 */
export const splitJson = (json: string, limit: number = maxLineBytes): Array<string> | undefined => {
  if (Buffer.byteLength(json) <= limit) return [json]
  const segments: Array<string> = []
  let start = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const c = json[i]
    if (inString) {
      if (c === "\\") i++
      else if (c === "\"") inString = false
    } else if (c === "\"") {
      inString = true
    } else if (c === "," || c === ":" || c === "[" || c === "{") {
      segments.push(json.slice(start, i + 1))
      start = i + 1
    }
  }
  if (start < json.length) segments.push(json.slice(start))
  const lines: Array<string> = []
  let current = ""
  let currentBytes = 0
  for (const segment of segments) {
    const bytes = Buffer.byteLength(segment)
    if (bytes > limit) return undefined
    if (currentBytes + bytes > limit) {
      lines.push(current)
      current = ""
      currentBytes = 0
    }
    current += segment
    currentBytes += bytes
  }
  if (current.length > 0) lines.push(current)
  return lines
}

const make = (write: (line: string) => Effect.Effect<void, IpcError>, limit: number) => {
  const send = (message: unknown) =>
    Effect.flatMap(encodeLine(message), (line) => {
      const bytes = Buffer.byteLength(line)
      return bytes > limit
        ? Effect.fail(
          new IpcError({
            reason: "LineTooLong",
            detail: `a ${bytes}-byte message exceeds the ${limit}-byte line limit of released DevLake servers`
          })
        )
        : write(line)
    })
  const reply = (value: unknown) =>
    Effect.flatMap(encodeLine(value), (json) => {
      const lines = splitJson(json, limit)
      return lines === undefined
        ? Effect.fail(
          new IpcError({
            reason: "LineTooLong",
            detail: `the reply holds a single JSON token longer than the ${limit}-byte line limit`
          })
        )
        : Effect.forEach(lines, write, { discard: true })
    })
  return Ipc.of({ send, reply })
}

const writeAll = (fd: number, line: string) =>
  Effect.try({
    try: () => {
      const buffer = Buffer.from(line + "\n")
      let offset = 0
      while (offset < buffer.length) {
        try {
          offset += fs.writeSync(fd, buffer, offset)
        } catch (error) {
          // A non-blocking pipe that is momentarily full: retry until the reader drains it.
          if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error
        }
      }
    },
    catch: (cause) =>
      new IpcError({ reason: "WriteFailed", detail: `writing to fd ${fd} failed: ${(cause as Error).message}` })
  })

/**
 * Whether `fd` is open on a pipe, file, socket or terminal. When the Go server did not pass fd 3, Node's own
 * descriptors (epoll, eventfd) may occupy that number: writing there would corrupt the process, not reply.
 *
 * @since 0.1.0
 * @category internals
 */
export const isReplyChannel = (fd: number): boolean => {
  try {
    const stat = fs.fstatSync(fd)
    return stat.isFIFO() || stat.isFile() || stat.isSocket() || stat.isCharacterDevice()
  } catch {
    return false
  }
}

/**
 * The real channel on file descriptor 3 (or `fd`).
 *
 * @example
 * Effect.flatMap(Ipc, (ipc) => ipc.reply({ success: true })).pipe(Effect.provide(Ipc.layer()))
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: { readonly fd?: number; readonly maxLineBytes?: number } = {}): Layer.Layer<Ipc> => {
  const fd = options.fd ?? 3
  // Checked at the first write, not when the layer is built: commands that never reply (`--help`,
  // `migrate`) must work without fd 3.
  let checked = false
  const write = (line: string) =>
    Effect.suspend(() => {
      if (!checked) {
        if (!isReplyChannel(fd)) {
          return Effect.fail(
            new IpcError({
              reason: "FdUnavailable",
              detail:
                `file descriptor ${fd} is not open; DevLake reads replies there (when running by hand, add ${fd}>&1)`
            })
          )
        }
        checked = true
      }
      return writeAll(fd, line)
    })
  return Layer.sync(Ipc, () => make(write, options.maxLineBytes ?? maxLineBytes))
}

/**
 * An in-memory channel for tests: every line written, in order.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  lines: Ref.Ref<ReadonlyArray<string>>,
  options: { readonly maxLineBytes?: number } = {}
): Layer.Layer<Ipc> =>
  Layer.succeed(
    Ipc,
    make((line) => Ref.update(lines, (ls) => [...ls, line]), options.maxLineBytes ?? maxLineBytes)
  )
