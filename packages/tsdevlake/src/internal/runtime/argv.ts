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

/**
 * Normalises argv as the Go server and older servers send it: `plugin_info` → `plugin-info`, and a missing
 * config argument (servers before v1.0.0-beta4) → `{}`.
 *
 * @internal
 */
export const normalizeArgv = (args: ReadonlyArray<string>, commands: ReadonlyArray<string>): Array<string> => {
  if (args.length === 0) return []
  const [first, ...rest] = args
  const name = first!.replace(/_/g, "-")
  if (!commands.includes(name)) return [first!, ...rest]
  const arity = protocolCommands[name]
  if (arity !== undefined && rest.length >= arity.min && rest.length <= arity.max && !looksLikeConfig(rest[0])) {
    return [name, "{}", ...rest]
  }
  return [name, ...rest]
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
  if (!names.includes(first) && !knownFlags.has(first)) {
    return new UsageError({ detail: `unknown command "${first}"; expected one of ${names.join(", ")}` })
  }
  return undefined
}
