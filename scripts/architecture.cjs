// The "Allowed arrows" table of ARCHITECTURE.md, read by `.dependency-cruiser.cjs` (which makes one forbidden
// rule per concern of it) and by packages/tsdevlake/test/docs/architecture.test.ts. CommonJS because
// dependency-cruiser loads its configuration with `require`.
"use strict"
const fs = require("node:fs")

const heading = /^#{2,}\s+Allowed arrows\s*$/
const name = /^`([a-z][a-z0-9-]*)`$/

/**
 * The concerns of the table and, for each, the concerns whose values it may import (its own folder excluded).
 *
 * @param {string} markdown the text of ARCHITECTURE.md
 * @returns {Map<string, ReadonlyArray<string>>}
 */
const parseAllowedArrows = (markdown) => {
  const lines = markdown.split(/\r?\n/)
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) throw new Error("ARCHITECTURE.md: no \"## Allowed arrows\" heading")
  let index = start + 1
  while (index < lines.length && !lines[index].trimStart().startsWith("|")) {
    if (/^#{1,}\s/.test(lines[index])) break
    index++
  }
  const rows = []
  while (index < lines.length && lines[index].trimStart().startsWith("|")) rows.push(lines[index++])
  if (rows.length < 3) throw new Error("ARCHITECTURE.md: no table under \"## Allowed arrows\"")
  const cells = (row) => row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim())
  const [header, separator, ...body] = rows.map(cells)
  if (header.length !== 2 || header[0] !== "concern" || header[1] !== "may import") {
    throw new Error(`ARCHITECTURE.md: the allowed arrows table's header is not "| concern | may import |"`)
  }
  if (!separator.every((cell) => /^:?-{3,}:?$/.test(cell))) {
    throw new Error("ARCHITECTURE.md: the allowed arrows table has no separator row")
  }
  const arrows = new Map()
  for (const [concernCell, targetsCell, ...rest] of body) {
    const where = `ARCHITECTURE.md, allowed arrows, row "${concernCell}"`
    const concern = name.exec(concernCell ?? "")?.[1]
    if (concern === undefined || targetsCell === undefined || rest.length > 0) {
      throw new Error(`${where}: expected | \`concern\` | \`a\`, \`b\` or (none) |`)
    }
    if (arrows.has(concern)) throw new Error(`${where}: the concern is listed twice`)
    const targets = targetsCell === "(none)" ? [] : targetsCell.split(",").map((target) => {
      const parsed = name.exec(target.trim())?.[1]
      if (parsed === undefined) throw new Error(`${where}: "${target.trim()}" is not a concern in backquotes`)
      return parsed
    })
    arrows.set(concern, targets)
  }
  for (const [concern, targets] of arrows) {
    for (const target of targets) {
      if (!arrows.has(target)) {
        throw new Error(`ARCHITECTURE.md, allowed arrows: ${concern} may import "${target}", which has no row`)
      }
    }
  }
  return arrows
}

/**
 * @param {string} file the path of ARCHITECTURE.md
 * @returns {Map<string, ReadonlyArray<string>>}
 */
const readAllowedArrows = (file) => parseAllowedArrows(fs.readFileSync(file, "utf8"))

module.exports = { parseAllowedArrows, readAllowedArrows }
