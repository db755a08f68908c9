/**
 * Logging the way the Go server reads it: every stdout line becomes an info entry and every stderr line an
 * error entry of the task's log, so levels below error go to stdout, error and above to stderr.
 *
 * @internal
 */
import { Cause, type HashMap, Inspectable, Layer, Logger, LogLevel } from "effect"

// Go passes each line to logrus as a printf format string; doubling "%" keeps it intact there.
const escapePercent = (s: string) => s.replace(/%/g, "%%")

// Released servers drop a line longer than 64 KiB together with everything after it.
const maxLogLine = 16 * 1024

// JSON leaves out an Error's name and message (they are not own enumerable properties): `{}`.
const renderValue = (value: unknown): string =>
  typeof value === "string"
    ? value
    : value instanceof Error
    ? value.message === "" ? value.name : `${value.name}: ${value.message}`
    : Inspectable.toStringUnknown(value, 0)

/**
 * The log level asked for in the config argument: `debug`, `info`, `warn` or `error` in any case; anything
 * else (often `""`) means info.
 *
 * @internal
 */
export const levelFromConfig = (logLevel: unknown): LogLevel.LogLevel => {
  switch (typeof logLevel === "string" ? logLevel.toLowerCase() : "") {
    case "debug":
      return LogLevel.Debug
    case "warn":
    case "warning":
      return LogLevel.Warning
    case "error":
      return LogLevel.Error
    default:
      return LogLevel.Info
  }
}

/** Formats one log entry as lines of `LEVEL: message key=value`. @internal */
export const formatEntry = (
  level: LogLevel.LogLevel,
  message: unknown,
  annotations: HashMap.HashMap<string, unknown>,
  cause: Cause.Cause<unknown>
): Array<string> => {
  const parts = (Array.isArray(message) ? message : [message]).map(renderValue)
  for (const [key, value] of annotations) parts.push(`${key}=${renderValue(value)}`)
  if (!Cause.isEmpty(cause)) parts.push(Cause.pretty(cause, { renderErrorCause: true }))
  const text = `${level.label}: ${parts.join(" ")}`
  return text.split("\n").map((line) =>
    escapePercent(line.length > maxLogLine ? line.slice(0, maxLogLine) + " …(truncated)" : line)
  )
}

/**
 * The logger of plugin processes: below error to stdout, error and above to stderr, written synchronously
 * (pipes are synchronous in Node on Linux) so nothing is lost at exit.
 *
 * @internal
 */
export const devlakeLogger = Logger.make(({ annotations, cause, logLevel, message }) => {
  const lines = formatEntry(logLevel, message, annotations, cause)
  const stream = LogLevel.greaterThanEqual(logLevel, LogLevel.Error) ? process.stderr : process.stdout
  stream.write(lines.join("\n") + "\n")
})

/** Replaces Effect's default logger with {@link devlakeLogger} at the given minimum level. @internal */
export const layer = (level: LogLevel.LogLevel) =>
  Layer.merge(Logger.replace(Logger.defaultLogger, devlakeLogger), Logger.minimumLogLevel(level))
