/**
 * How a command's outcome reaches the Go server besides fd 3: one line on stderr and the exit code.
 *
 * @internal
 */
import { HelpDoc, ValidationError } from "@effect/cli"
import { Cause, Exit, Option, ParseResult, Schema } from "effect"
import { InvalidBaseUrl } from "../api/settings.js"
import { causeLine, DbUrlError } from "../db/errors.js"
import { describeMissingService } from "../plugin/missingService.js"
import { ArgumentError, describeParseError } from "../process/arguments.js"
import { describeNoted } from "../subtask/errors.js"

/** A command failed because of its command line; exits with code 2. @internal */
export class UsageError extends Schema.TaggedError<UsageError>("tsdevlake/Cli/UsageError")("UsageError", {
  detail: Schema.String
}) {
  override get message() {
    return this.detail
  }
}

/** The first line of `s`, at most 2,000 characters: stderr lines become log entries on the server. @internal */
export const oneLine = (s: string): string => s.split("\n")[0]!.slice(0, 2000)

/** `text` without ANSI colour codes (@effect/cli colours its help and its errors). @internal */
// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC: this regex removes them
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "")

/** The first non-empty line of @effect/cli's help text, without its colours. @internal */
export const firstLine = (doc: HelpDoc.HelpDoc): string =>
  stripAnsi(HelpDoc.toAnsiText(doc)).split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "invalid arguments"

/**
 * One line describing why a command failed, without stack traces (those go to the debug log).
 *
 * @internal
 */
export const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value as any
    // A stream's failure noted by its subtask: its subtask, tag, message and record.
    const noted = describeNoted(error)
    if (noted !== undefined) return oneLine(noted)
    if (ValidationError.isValidationError(error)) return firstLine((error as any).error)
    // A ParseError's message is a tree whose first line names only the schema ("Struct (Type side)").
    if (ParseResult.isParseError(error)) return oneLine(describeParseError(error))
    if (typeof error?.message === "string" && error.message !== "") return oneLine(error.message)
    return oneLine(String(error))
  }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const d = defect.value as any
    // Not "unexpected": a plugin built without type-checking whose layer lacks a service its code uses.
    const missing = describeMissingService(d)
    if (missing !== undefined) return oneLine(missing)
    // The connection's endpoint, as the user typed it: bad input, not a bug.
    if (d instanceof InvalidBaseUrl) return oneLine(d.message)
    // @effect/sql raises a COMMIT or ROLLBACK that failed as a defect: the database's failure (a server that stopped
    // answering at the commit), not a bug. Its driver's message names the server.
    if (d?._tag === "SqlError") return oneLine(`transaction failed: ${causeLine(d)}`)
    if (ParseResult.isParseError(d)) return oneLine(`unexpected error: ${describeParseError(d)}`)
    return oneLine(typeof d?.message === "string" ? `unexpected error: ${d.message}` : `unexpected error: ${String(d)}`)
  }
  if (Cause.isInterruptedOnly(cause)) return "interrupted"
  return "failed"
}

/**
 * 0 on success, 2 when the command line or an argument is wrong (the caller's mistake; a `db_url` that cannot be
 * parsed is one, and so is a connection whose endpoint no request can use), 1 otherwise.
 *
 * @internal
 */
export const exitCode = (exit: Exit.Exit<unknown, unknown>): number => {
  if (Exit.isSuccess(exit)) return 0
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (
      ValidationError.isValidationError(error) || error instanceof UsageError || error instanceof ArgumentError ||
      error instanceof DbUrlError
    ) {
      return 2
    }
  }
  if (Option.getOrUndefined(Cause.dieOption(exit.cause)) instanceof InvalidBaseUrl) return 2
  return 1
}
