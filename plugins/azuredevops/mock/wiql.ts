/**
 * The part of WIQL the Boards streams need: `SELECT [System.Id] FROM WorkItems WHERE <condition> AND …
 * [ORDER BY [field] [ASC|DESC]]`, conditions on `[System.TeamProject]` (`@project` or a quoted name),
 * `[System.WorkItemType]`, `[System.State]`, `[System.Id]` and `[System.ChangedDate]`. Anything else is refused
 * with a 400 naming it, so a query the mock cannot answer faithfully fails loudly instead of returning a wrong set.
 * Dates compare by day unless `timePrecision=true`, as the service does.
 */
import type { WorkItem } from "./data.js"

export type WiqlResult = { readonly ids: ReadonlyArray<number> } | { readonly error: string }

const FIELDS = new Set(["system.teamproject", "system.workitemtype", "system.state", "system.id", "system.changeddate"])
const CONDITION = /^\[([\w.]+)\]\s*(=|<>|>=|<=|>|<)\s*(@project|@today|'(?:[^']|'')*'|\d+)$/i

type Predicate = (item: WorkItem) => boolean

const compare = (op: string, a: string | number, b: string | number): boolean => {
  switch (op) {
    case "=":
      return a === b
    case "<>":
      return a !== b
    case ">":
      return a > b
    case ">=":
      return a >= b
    case "<":
      return a < b
    default:
      return a <= b
  }
}

const condition = (text: string, project: string, timePrecision: boolean): Predicate | string => {
  const match = CONDITION.exec(text.trim())
  if (match === null) return `unsupported condition "${text.trim()}"`
  const field = match[1]!.toLowerCase()
  if (!FIELDS.has(field)) return `unsupported field [${match[1]}]`
  const op = match[2]!
  const raw = match[3]!
  const literal = raw.toLowerCase() === "@project"
    ? project
    : raw.startsWith("'")
    ? raw.slice(1, -1).replace(/''/g, "'")
    : raw
  if (field === "system.id") return (item) => compare(op, item.id, Number(literal))
  if (field === "system.changeddate") {
    const when = Date.parse(literal)
    if (Number.isNaN(when)) return `not a date: ${raw}`
    const cut = (iso: string) => (timePrecision ? iso : iso.slice(0, 10))
    const bound = cut(new Date(when).toISOString())
    return (item) => compare(op, cut(String(item.fields["System.ChangedDate"])), bound)
  }
  const name = field === "system.teamproject"
    ? "System.TeamProject"
    : field === "system.workitemtype"
    ? "System.WorkItemType"
    : "System.State"
  return (item) => compare(op, String(item.fields[name]).toLowerCase(), literal.toLowerCase())
}

/** The ids a query selects among the project's work items, in the query's order (by id when it has none). */
export const runWiql = (
  query: string,
  items: ReadonlyArray<WorkItem>,
  project: string,
  timePrecision: boolean
): WiqlResult => {
  const match =
    /^\s*select\s+.+?\s+from\s+workitems\s*(?:where\s+(.+?))?\s*(?:order\s+by\s+\[([\w.]+)\]\s*(asc|desc)?)?\s*$/is
      .exec(query)
  if (match === null) return { error: `unsupported query "${query}"` }
  const predicates: Array<Predicate> = []
  if (match[1] !== undefined) {
    if (/\s(or|not|ever|under|in|contains)\s/i.test(` ${match[1]} `)) {
      return { error: `unsupported operator in "${match[1]}"` }
    }
    for (const part of match[1].split(/\s+and\s+/i)) {
      const predicate = condition(part, project, timePrecision)
      if (typeof predicate === "string") return { error: predicate }
      predicates.push(predicate)
    }
  }
  const selected = items.filter((item) => predicates.every((p) => p(item)))
  const order = match[2]?.toLowerCase()
  if (order !== undefined && order !== "system.id" && order !== "system.changeddate") {
    return { error: `unsupported ORDER BY [${match[2]}]` }
  }
  const key = (item: WorkItem) => (order === "system.changeddate" ? String(item.fields["System.ChangedDate"]) : item.id)
  const sorted = [...selected].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id))
  if (match[3]?.toLowerCase() === "desc") sorted.reverse()
  return { ids: sorted.map((item) => item.id) }
}
