/**
 * The conversions Go's convertors share, as DevLake's domain layer defines them: a source's status or result
 * mapped to the domain's (`devops.GetStatus`, `devops.GetResult`, `ticket.GetStatus`) and a run's duration in
 * whole seconds. `Domain.Devops`, `Domain.Ticket` and `Domain` re-export them.
 *
 * @internal
 */

/** What Go's `cast.ToString` accepts here: a JSON scalar of the source, or nothing. @internal */
export type Scalar = string | number | boolean | null | undefined

// Go's `cast.ToString`: nil is "", numbers and booleans their text (JS's shortest form; Go's has no exponent,
// which no status text needs).
const toText = (input: Scalar): string => input === null || input === undefined ? "" : String(input)

// One character under Go's case folding (`strings.EqualFold` compares simple case-fold orbits): upper then lower
// case, so that e.g. "ſ", "s" and "S", or "ς", "σ" and "Σ", fold alike. A character whose case mapping is not one
// character (German "ß" upper-cases to "SS") stays itself, as Go's simple folding keeps it.
const foldChar = (char: string): string => {
  const upper = char.toUpperCase()
  const lower = (Array.from(upper).length === 1 ? upper : char).toLowerCase()
  return Array.from(lower).length === 1 ? lower : char
}

// The key under which two strings are `strings.EqualFold`: ASCII, the usual case, without the per-character walk.
const foldKey = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  /^[\u0000-\u007f]*$/.test(text) ? text.toLowerCase() : Array.from(text, foldChar).join("")

/**
 * A lookup of a rule's lists, the first list naming the input winning (Go checks them in this order), else
 * `fallback`.
 *
 * @internal
 */
export const ruleLookup = <Out>(
  lists: ReadonlyArray<readonly [ReadonlyArray<string> | undefined, Out]>,
  fallback: Out,
  caseInsensitive: boolean
): (input: Scalar) => Out => {
  const key = caseInsensitive ? foldKey : (text: string) => text
  const table = new Map<string, Out>()
  for (const [names, out] of lists) {
    for (const name of names ?? []) if (!table.has(key(name))) table.set(key(name), out)
  }
  return caseInsensitive
    ? (input) => table.get(foldKey(toText(input))) ?? fallback
    // Go's `ticket.GetStatus` compares interface values: only a string can equal a listed name.
    : (input) => (typeof input === "string" ? table.get(input) : undefined) ?? fallback
}

/** Go's `devops.StatusRule`. @internal */
export interface DevopsStatusRule<Status extends string> {
  readonly inProgress?: ReadonlyArray<string> | undefined
  readonly done?: ReadonlyArray<string> | undefined
  /** The status of an input in neither list. Default: `"OTHER"`. */
  readonly default?: Status | undefined
}

/**
 * Go's `devops.GetStatus`: `"IN_PROGRESS"` for an input in `inProgress`, else `"DONE"` for one in `done`,
 * compared case-insensitively (`strings.EqualFold`), else `default`.
 *
 * @internal
 */
export const devopsStatus = <Status extends string = "OTHER">(
  rule: DevopsStatusRule<Status>
): (input: Scalar) => "IN_PROGRESS" | "DONE" | Status =>
  ruleLookup<"IN_PROGRESS" | "DONE" | Status>(
    [[rule.inProgress, "IN_PROGRESS"], [rule.done, "DONE"]],
    rule.default ?? "OTHER" as Status,
    true
  )

/** Go's `devops.ResultRule`. @internal */
export interface DevopsResultRule<Result extends string> {
  readonly success?: ReadonlyArray<string> | undefined
  readonly failure?: ReadonlyArray<string> | undefined
  /** The result of an input in neither list. Default: `""` (Go's `RESULT_DEFAULT`). */
  readonly default?: Result | undefined
}

/**
 * Go's `devops.GetResult`: `"SUCCESS"` for an input in `success`, else `"FAILURE"` for one in `failure`,
 * compared case-insensitively, else `default`.
 *
 * @internal
 */
export const devopsResult = <Result extends string = "">(
  rule: DevopsResultRule<Result>
): (input: Scalar) => "SUCCESS" | "FAILURE" | Result =>
  ruleLookup<"SUCCESS" | "FAILURE" | Result>(
    [[rule.success, "SUCCESS"], [rule.failure, "FAILURE"]],
    rule.default ?? "" as Result,
    true
  )

/** Go's `ticket.StatusRule`. @internal */
export interface TicketStatusRule<Status extends string> {
  readonly inProgress?: ReadonlyArray<string> | undefined
  readonly todo?: ReadonlyArray<string> | undefined
  readonly done?: ReadonlyArray<string> | undefined
  readonly other?: ReadonlyArray<string> | undefined
  /** The status of an input in no list. Default: `"OTHER"`. */
  readonly default?: Status | undefined
}

/**
 * Go's `ticket.GetStatus`: `"IN_PROGRESS"`, `"TODO"`, `"DONE"` or `"OTHER"` for an input in that list (checked
 * in this order), compared exactly (case-sensitive, as Go's), else `default`.
 *
 * @internal
 */
export const ticketStatus = <Status extends string = "OTHER">(
  rule: TicketStatusRule<Status>
): (input: Scalar) => "IN_PROGRESS" | "TODO" | "DONE" | "OTHER" | Status =>
  ruleLookup<"IN_PROGRESS" | "TODO" | "DONE" | "OTHER" | Status>(
    [[rule.inProgress, "IN_PROGRESS"], [rule.todo, "TODO"], [rule.done, "DONE"], [rule.other, "OTHER"]],
    rule.default ?? "OTHER" as Status,
    false
  )

/**
 * Whole seconds from `start` to `end`, as Go's convertors compute `DurationSec`
 * (`float64(end.Sub(start).Milliseconds() / 1e3)`: integer division, so truncated toward zero); `0`, Go's zero
 * value, when either is missing.
 *
 * @internal
 */
export const durationSec = (start: Date | null | undefined, end: Date | null | undefined): number =>
  start === null || start === undefined || end === null || end === undefined
    ? 0
    : Math.trunc((end.getTime() - start.getTime()) / 1000) || 0 // never -0 (under a second backwards)
