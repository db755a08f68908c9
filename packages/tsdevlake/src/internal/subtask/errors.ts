/**
 * The subtask engine's failure, and a plugin callback's failure made one.
 *
 * @internal
 */
import { Effect, Exit, ParseResult, Schema } from "effect"
import { describeParseError } from "../process/arguments.js"

/**
 * A subtask could not run or process a record.
 *
 * @internal
 */
export class SubtaskError extends Schema.TaggedError<SubtaskError>("tsdevlake/Subtask/SubtaskError")("SubtaskError", {
  subtask: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `${this.subtask}: ${this.detail}`
  }
}

/**
 * What a plugin's callback threw (a Schema class rejecting a value, a bug) as the subtask's failure, naming the
 * record it was given and, for a `ParseError`, the field, not the value.
 */
export const callbackFailure = (subtask: string, what: string, error: unknown) =>
  new SubtaskError({
    subtask,
    detail: `${what} failed: ${
      ParseResult.isParseError(error)
        ? describeParseError(error)
        : (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0]
    }`
  })

/** The effect a plugin's callback returned, its defects made {@link callbackFailure}s. */
export const orDefect = <A, E, R>(subtask: string, what: () => string, effect: Effect.Effect<A, E, R>) =>
  Effect.catchAllDefect(effect, (defect) => Effect.fail(callbackFailure(subtask, what(), defect)))

/**
 * Extractors and convertors usually answer `Effect.succeed(rows)`, which is already its own result: the hot
 * loops read it directly (`succeededWith`) instead of running it, saving a trip through the fiber runtime
 * for every record. Anything else runs as the Effect it is.
 */
export const succeededWith = <A, E, R>(effect: Effect.Effect<A, E, R>): Exit.Success<A, never> | undefined =>
  Exit.isExit(effect) && Exit.isSuccess(effect) ? effect as unknown as Exit.Success<A, never> : undefined

/**
 * Where a stream's failure happened (the subtask and the record), kept beside the error rather than in it: the
 * stream's own typed error reaches the caller as the same object (to catch by its tag), and the CLI's one line
 * still names the subtask and the record. Filled once, when the subtask fails; nothing per record.
 */
const places = new WeakMap<object, { readonly subtask: string; readonly where: string }>()

/**
 * Notes that `error` failed the subtask `subtask` at `where` (e.g. "after record 3, request <url>"). A
 * `SubtaskError` names its subtask already, and a failure that is not an object (`Stream.fail("down")`) cannot
 * be noted: both stay as they are.
 *
 * @internal
 */
export const noteFailure = (error: unknown, subtask: string, where: string): void => {
  if (typeof error === "object" && error !== null && !(error instanceof SubtaskError) && !places.has(error)) {
    places.set(error, { subtask, where })
  }
}

/**
 * A noted failure in one line, `<subtask>: <tag>: <message> (<where>)`; `undefined` when it was not noted. A
 * `Schema.TaggedError` without a message field is its fields, `Redacted` ones shown as `<redacted>`.
 *
 * @internal
 */
export const describeNoted = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined
  const place = places.get(error)
  if (place === undefined) return undefined
  const e = error as { readonly _tag?: unknown; readonly name?: unknown; readonly message?: unknown }
  const tag = typeof e._tag === "string" ? e._tag : typeof e.name === "string" ? e.name : "Error"
  const message = typeof e.message === "string" && e.message !== "" ? `: ${e.message.split("\n")[0]}` : ""
  return `${place.subtask}: ${tag}${message} (${place.where})`
}
