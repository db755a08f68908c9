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
