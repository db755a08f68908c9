/**
 * Decoding the JSON arguments DevLake passes, with errors that name the argument and the offending field
 * but never echo a value (the value may be a token).
 *
 * @internal
 */
import { Effect, ParseResult, Schema } from "effect"
import { exceedsJsonDepth, tooDeepDetail } from "./jsonDepth.js"

/**
 * An argument is not what the command expects.
 *
 * @internal
 */
export class ArgumentError extends Schema.TaggedError<ArgumentError>("tsdevlake/Cli/ArgumentError")("ArgumentError", {
  argument: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `invalid ${this.argument}: ${this.detail}`
  }
}

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.map((p) => typeof p === "number" ? `[${p}]` : String(p)).join(".").replace(/\.\[/g, "[")

// ParseResult messages quote the actual value ("Expected string, actual 123"); drop that part so that no
// secret reaches stderr.
const withoutValue = (message: string) =>
  message.replace(/,?\s*actual[\s\S]*$/i, "").replace(/\s*\n[\s\S]*$/, "").trim()

/**
 * One-line description of a parse error, without the input's values.
 *
 * @internal
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const parts = issues.slice(0, 5).map((issue) => {
    const where = formatPath(issue.path)
    // A transformation's own message may quote the value ("Unable to decode \"…\" into a number", a JSON
    // parse excerpt): only the kind of failure is kept.
    const what = issue._tag === "Missing"
      ? "is missing"
      : issue._tag === "Unexpected"
      ? "is not allowed"
      : issue._tag === "Transformation" || issue._tag === "Forbidden"
      ? "could not be decoded (value not shown)"
      : withoutValue(issue.message)
    return where === "" ? what : `${where} ${what}`
  })
  if (issues.length > 5) parts.push(`and ${issues.length - 5} more`)
  return parts.join("; ")
}

/**
 * Decodes `input` (already JSON-parsed) with `schema`, naming `argument` on failure.
 *
 * @internal
 */
export const decodeArgument = <A, I>(schema: Schema.Schema<A, I, never>, argument: string) => (input: unknown) =>
  Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(input).pipe(
    Effect.mapError((error) => new ArgumentError({ argument, detail: describeParseError(error) }))
  )

/**
 * `schema` (a plugin's connection) refined so that its `id` is what Go's uint64 holds and `JSON.stringify` writes
 * exactly: a whole number from 0 to 2^53 - 1. A negative or fractional id would otherwise decode (models declare
 * `Schema.Int`, or any number) and fail later, deep in the run, as an unexpected error.
 *
 * @internal
 */
export const withConnectionId = <A, I>(schema: Schema.Schema<A, I, never>): Schema.Schema<A, I, never> =>
  schema.pipe(Schema.filter((connection) => {
    const id = (connection as { readonly id?: unknown } | null)?.id
    return id === undefined || (typeof id === "number" && Number.isSafeInteger(id) && id >= 0) ||
      { path: ["id"], message: "must be a whole number from 0 to 9007199254740991 (DevLake's connection id)" }
  }))

// A word with none of JSON's syntax: a string argument whose quotes the shell removed (`tasks` for `"tasks"`).
const bareWord = /^[^\s"'{}[\],:]+$/

/**
 * Parses one argv string as JSON, naming the argument when it is not. With `bareWordIsString`, a word that
 * is not JSON (`tasks`: pydevlake's guide writes `… $CTX users 3>&1`, and the shell drops quotes) is taken as
 * that string, for the caller to check (e.g. against the plugin's streams). DevLake always sends JSON, which is
 * parsed exactly as before, so `"tasks"` and `tasks` give the same string and `true` stays a boolean. JSON nested
 * deeper than `maxJsonDepth` is refused before parsing (what reads the value afterwards would overflow the stack).
 *
 * @internal
 */
export const parseJsonArgument = (
  text: string,
  argument: string,
  bareWordIsString = false
): Effect.Effect<unknown, ArgumentError> =>
  exceedsJsonDepth(text) ? Effect.fail(new ArgumentError({ argument, detail: tooDeepDetail })) : Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (cause) =>
      new ArgumentError({
        argument,
        detail: `not valid JSON (${(cause as Error).message.replace(/ in JSON at.*$/, "").replace(/"[^"]*"/g, "…")})`
      })
  }).pipe(
    Effect.catchIf(
      () => bareWordIsString && bareWord.test(text),
      () => Effect.succeed<unknown>(text)
    )
  )
