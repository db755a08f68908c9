/**
 * How a `tsdevlake` command fails: one line on stderr and a non-zero exit code, never a stack trace.
 */
import { HelpDoc, ValidationError } from "@effect/cli"
import { Cause, Effect, Exit, Option, Schema } from "effect"

/**
 * A command's failure, for the person at the terminal: `message` is printed as `tsdevlake <command>: <message>`.
 *
 * @example
 * Effect.fail(new CliError({ message: "plugins/x: no src/main.ts" }))
 */
export class CliError extends Schema.TaggedError<CliError>("tsdevlake/cli/CliError")("CliError", {
  message: Schema.String
}) {}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC: this regex removes them
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "")

const firstLine = (text: string): string =>
  stripAnsi(text).split("\n").map((l) => l.trim()).find((l) => l !== "")?.slice(0, 2000) ?? "failed"

/** One line saying why a command failed. */
export const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value as any
    if (ValidationError.isValidationError(error)) return firstLine(HelpDoc.toAnsiText((error as any).error))
    if (typeof error?.message === "string" && error.message !== "") return firstLine(error.message)
    return firstLine(String(error))
  }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const d = defect.value as any
    return `unexpected error: ${firstLine(typeof d?.message === "string" ? d.message : String(d))}`
  }
  return Cause.isInterruptedOnly(cause) ? "interrupted" : "failed"
}

/** 0 on success, 2 when the command line is wrong, 1 otherwise. */
export const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  return Option.isSome(failure) && ValidationError.isValidationError(failure.value) ? 2 : 1
}

/**
 * Prints one line on stderr. Commands use it rather than `Console.error`, which main silences: that is where
 * @effect/cli prints its multi-line usage on a wrong command line.
 *
 * @example
 * printError("plugins/x: two subtasks are named \"collect\"")
 */
export const printError = (line: string): Effect.Effect<void> => Effect.sync(() => process.stderr.write(`${line}\n`))
