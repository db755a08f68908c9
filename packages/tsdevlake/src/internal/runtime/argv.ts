/**
 * The command line as the Go server and older servers send it, before @effect/cli parses it.
 *
 * @internal
 */
import { UsageError } from "./failure.js"

/**
 * The commands DevLake sends, with the number of JSON arguments each takes after the config (for detecting
 * servers older than v1.0.0-beta4, which send no config argument).
 *
 * @internal
 */
export const protocolCommands: Record<string, { readonly min: number; readonly max: number }> = {
  "plugin-info": { min: 0, max: 0 },
  "collect": { min: 2, max: 2 },
  "extract": { min: 2, max: 2 },
  "convert": { min: 2, max: 2 },
  "test-connection": { min: 1, max: 1 },
  "make-pipeline": { min: 2, max: 2 },
  "remote-scopes": { min: 1, max: 2 }
}

/** Flags @effect/cli handles itself, accepted in place of a command. */
const knownFlags = new Set(["--help", "-h", "--version", "--wizard", "--completions"])

/** Whether an argument is a config argument (a JSON object with at most `log_level`). @internal */
export const looksLikeConfig = (text: string | undefined): boolean => {
  try {
    const value = JSON.parse(text ?? "")
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
      Object.keys(value).every((k) => k === "log_level")
  } catch {
    return false
  }
}

/** The levels @effect/cli's built-in `--log-level` option accepts. */
const logLevels = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"]

/**
 * The leading `--log-level X` and `--log-level=X` options of `args` (with a level @effect/cli accepts), and
 * the arguments after them. @effect/cli takes its built-in options only after the command name.
 */
const leadingLogLevel = (args: ReadonlyArray<string>): [Array<string>, Array<string>] => {
  const flags: Array<string> = []
  let i = 0
  for (;;) {
    const arg = args[i]
    if (arg === "--log-level" && logLevels.includes(args[i + 1] ?? "")) {
      flags.push(arg, args[i + 1]!)
      i += 2
    } else if (arg?.startsWith("--log-level=") && logLevels.includes(arg.slice("--log-level=".length))) {
      flags.push(arg)
      i += 1
    } else {
      return [flags, args.slice(i)]
    }
  }
}

/**
 * Normalises argv as the Go server and older servers send it: `plugin_info` → `plugin-info`, and a missing
 * config argument (servers before v1.0.0-beta4) → `{}`. A `--log-level` given before the command (as
 * `--help` lists it, a top-level option) moves after it, where @effect/cli reads it.
 *
 * @internal
 */
export const normalizeArgv = (args: ReadonlyArray<string>, commands: ReadonlyArray<string>): Array<string> => {
  const [flags, afterFlags] = leadingLogLevel(args)
  if (afterFlags.length === 0) return []
  const [first, ...rest] = afterFlags
  const name = first!.replace(/_/g, "-")
  if (!commands.includes(name)) return [first!, ...flags, ...rest]
  const arity = protocolCommands[name]
  if (arity !== undefined && rest.length >= arity.min && rest.length <= arity.max && !looksLikeConfig(rest[0])) {
    return [name, ...flags, "{}", ...rest]
  }
  return [name, ...flags, ...rest]
}

/**
 * Why normalised `args` name no command of `names` (nor a flag @effect/cli handles), or `undefined` when they
 * do: @effect/cli's own message for these is its whole usage text.
 *
 * @internal
 */
export const unknownCommand = (args: ReadonlyArray<string>, names: ReadonlyArray<string>): UsageError | undefined => {
  const first = args[0]
  if (first === undefined) return new UsageError({ detail: `missing command; expected one of ${names.join(", ")}` })
  // normalizeArgv moves a leading `--log-level` with a valid level after the command; this one has none.
  if (first === "--log-level" || first.startsWith("--log-level=")) {
    return new UsageError({
      detail: `expects a level (one of ${logLevels.join(", ")}), then the command (one of ${names.join(", ")})`
    })
  }
  if (!names.includes(first) && !knownFlags.has(first)) {
    return new UsageError({ detail: `unknown command "${first}"; expected one of ${names.join(", ")}` })
  }
  return undefined
}
