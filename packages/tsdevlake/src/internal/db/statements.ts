import type { Dialect } from "../../Db.js"

/** Multi-row statements: where a batch's rows are cut into statements, and the text of each. */

/** A value's share of a statement's size, roughly as the wire carries it. */
const estimateBytes = (value: unknown): number => {
  if (value === null || value === undefined) return 1
  if (typeof value === "string") return Buffer.byteLength(value, "utf8") + 4
  if (value instanceof Uint8Array) return value.byteLength + 4
  return 12
}

/**
 * Greedy split of flat rows (`width` values each) into statements under `maxParameters` bind values and
 * `maxStatementBytes` of values (at least one row each); returns the row index where each statement starts,
 * and the end.
 *
 * @internal
 */
export const statementBounds = (
  values: ReadonlyArray<unknown>,
  width: number,
  maxParameters: number,
  maxStatementBytes: number
): Array<number> => {
  const rows = width === 0 ? 0 : values.length / width
  const maxRows = Math.max(1, Math.floor(maxParameters / Math.max(1, width)))
  const bounds = [0]
  let count = 0
  let bytes = 0
  for (let r = 0; r < rows; r++) {
    let size = 0
    for (let c = r * width; c < (r + 1) * width; c++) size += estimateBytes(values[c])
    if (count > 0 && (count >= maxRows || bytes + size > maxStatementBytes)) {
      bounds.push(r)
      count = 0
      bytes = 0
    }
    count++
    bytes += size
  }
  bounds.push(rows)
  return bounds
}

/** Texts kept per statement head, tail, width and row count; cleared past this many. */
const maxTexts = 64

/**
 * The text of a statement writing `rows` rows of `width` values: `head`, the VALUES groups, `tail`. It depends
 * only on the table's statement and the row count, so the full batches of a subtask share one (and MySQL's
 * driver its prepared statement), kept in `texts`. Bounded: a subtask writes a few tables and batch sizes.
 *
 * @internal
 */
export const statementText = (
  dialect: Dialect,
  texts: Map<string, string>,
  head: string,
  tail: string,
  width: number,
  rows: number
): string => {
  const key = `${rows}\u0000${width}\u0000${head}\u0000${tail}`
  let text = texts.get(key)
  if (text === undefined) {
    const groups: Array<string> = []
    let position = 0
    for (let r = 0; r < rows; r++) {
      const placeholders: Array<string> = []
      for (let c = 0; c < width; c++) placeholders.push(dialect.placeholder(++position))
      groups.push(`(${placeholders.join(", ")})`)
    }
    text = head + groups.join(", ") + tail
    if (texts.size >= maxTexts) texts.clear()
    texts.set(key, text)
  }
  return text
}
