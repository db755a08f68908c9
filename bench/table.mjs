// The harness's tables: one per database, a row per phase (seconds, records/s, peak RSS, CPU s, issue 3's targets)
// and, with --floor, the phase's floor and the ratio to it.
import { MAX_RATIO } from "./floor/harness.mjs"

const MiB = 1024 * 1024

export const fmt = (x, digits) =>
  x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })

// Targets of issue 3 (SQLite): at N = 100,000 extract and convert ≥ 100,000 records/s and collect ≥ 30,000
// records/s; peak RSS ≤ 200 MiB at N = 1,000,000. plugin-info: issue 15's ≤ 0.20 s (issue 3 asked for 0.30 s).
export const targetMarks = (dbName, row) => {
  if (dbName !== "sqlite") return ""
  const marks = []
  if (row.phase === "plugin-info") marks.push(row.seconds <= 0.2 ? "ok ≤ 0.20 s" : "MISS > 0.20 s")
  const rate = row.n / row.seconds
  const size = row.of ?? row.n
  if (size >= 100_000 && (row.phase === "extract" || row.phase === "convert")) {
    marks.push(rate >= 100_000 ? "ok ≥ 100k/s" : "MISS < 100k/s")
  }
  if (size >= 100_000 && row.phase === "collect") marks.push(rate >= 30_000 ? "ok ≥ 30k/s" : "MISS < 30k/s")
  if (size >= 1_000_000 && row.phase !== "migrate") {
    marks.push(row.peakRss <= 200 * MiB ? "ok ≤ 200 MiB" : "MISS > 200 MiB")
  }
  return marks.join(", ")
}

/** The floor's columns of a row: its seconds, records/s, peak RSS, CPU s, and the phase's ratio to it. */
const floorCells = (row) =>
  row.floor === undefined ? ["-", "-", "-", "-", "-"] : [
    fmt(row.floor.seconds, 3),
    fmt(row.floor.n / row.floor.seconds, 0),
    fmt(row.floor.peakRss / MiB, 1),
    fmt(row.floor.cpuSeconds, 2),
    `${fmt(row.ratio, 2)} ${row.floorVerdict}`
  ]

export const printTable = (title, rows, dbName, floor) => {
  const header = ["phase", "N", "seconds", "records/s", "peak RSS (MiB)", "CPU s", "target"]
  if (floor) header.push("floor s", "floor rec/s", "floor RSS", "floor CPU s", `ratio (ok ≤ ${MAX_RATIO})`)
  const body = rows.map((row) => [
    row.killed ? `${row.phase} (killed)` : row.phase,
    row.killed ? `${fmt(row.n, 0)} done` : fmt(row.n, 0),
    fmt(row.seconds, 3),
    row.n > 0 ? fmt(row.n / row.seconds, 0) : "-",
    fmt(row.peakRss / MiB, 1),
    fmt(row.cpuSeconds, 2),
    targetMarks(dbName, row),
    ...(floor ? floorCells(row) : [])
  ])
  const left = (i) => i === 0 || i === 6 || i === 11
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)))
  const line = (cells) =>
    `| ${cells.map((c, i) => left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])).join(" | ")} |`
  console.log(
    `\n${title}\n${line(header)}\n|${widths.map((w, i) => "-" + "-".repeat(w) + (left(i) ? "-" : ":")).join("|")}|`
  )
  for (const cells of body) console.log(line(cells))
}
