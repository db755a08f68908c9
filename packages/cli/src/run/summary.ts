/**
 * The end of a run: rows of the scope per table (raw, tool and domain tables all carry the scope's raw-data
 * params: `params` on raw tables, `_raw_data_params` elsewhere, which is also how DevLake finds a scope's data
 * to delete it), the duration and records of each subtask, and the API client's counters where the plugin
 * logged them.
 */
import { Effect } from "effect"
import { Db } from "tsdevlake/runtime"
import { duration } from "./progress.js"

/** What one API client of a subtask logged when it was released (at debug level). */
export interface ApiStats {
  readonly client: string
  readonly requests: number
  readonly retries: number
  readonly rateLimitWaits: number
  readonly rateLimitWaitMillis: number
}

/** One subtask's outcome. */
export interface SubtaskReport {
  readonly name: string
  readonly records: number
  readonly seconds: number
  readonly api: ReadonlyArray<ApiStats>
}

const statsLine = /Api (\S+): (\d+) requests, (\d+) retries, (\d+) rate-limit waits \((\d+) ms\)/

/** The API counters in a subtask's log lines (the framework's client logs them at debug level). */
export const apiStatsOf = (lines: ReadonlyArray<string>): Array<ApiStats> =>
  lines.flatMap((line) => {
    const match = statsLine.exec(line)
    return match === null ? [] : [{
      client: match[1]!,
      requests: Number(match[2]),
      retries: Number(match[3]),
      rateLimitWaits: Number(match[4]),
      rateLimitWaitMillis: Number(match[5])
    }]
  })

/**
 * The raw-data params of a scope, as the framework writes them (`{"ConnectionId":1,"ScopeId":"p1"}`, Go's
 * `json.Marshal`, which escapes `<`, `>` and `&`).
 */
export const rawDataParams = (connectionId: unknown, scopeId: unknown): string =>
  JSON.stringify({ ConnectionId: connectionId, ScopeId: String(scopeId) }).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

const catalogQuery = (dialect: Db.DialectName): string => {
  const columns = "('params', '_raw_data_params')"
  switch (dialect) {
    case "sqlite":
      return `SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name IN ${columns} ORDER BY m.name`
    case "mysql":
      return `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND column_name IN ${columns} ORDER BY table_name`
    case "postgres":
      return `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND column_name IN ${columns} ORDER BY table_name`
  }
}

/** Rows of the scope in each table that has any, in table order. */
export const rowsPerTable = (
  params: string
): Effect.Effect<ReadonlyArray<readonly [string, number]>, Db.DbError, Db.Database> =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const tables = yield* db.execute(catalogQuery(db.dialect.name))
    const counts: Array<readonly [string, number]> = []
    for (const row of tables) {
      // MySQL returns the information_schema columns in upper case whatever the alias.
      const table = String(row["t"] ?? row["T"] ?? row["TABLE_NAME"])
      const column = String(row["c"] ?? row["C"] ?? row["COLUMN_NAME"])
      const n = yield* db.countWhere(table, { [column]: params })
      if (n > 0) counts.push([table, n])
    }
    return counts
  })

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const format = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join("  ").trimEnd()
  return [format(header), format(widths.map((w) => "-".repeat(w))), ...rows.map(format)]
}

const apiCell = (stats: ReadonlyArray<ApiStats>, f: (s: ApiStats) => number) =>
  stats.length === 0 ? "-" : String(stats.reduce((sum, s) => sum + f(s), 0))

/** The summary printed at the end of a run. */
export const summary = (
  subtasks: ReadonlyArray<SubtaskReport>,
  rows: ReadonlyArray<readonly [string, number]>,
  where: string
): string => {
  const subtaskRows = subtasks.map((s) => [
    s.name,
    s.records.toLocaleString("en-US"),
    duration(s.seconds),
    apiCell(s.api, (a) => a.requests),
    apiCell(s.api, (a) => a.retries),
    s.api.length === 0 ?
      "-" :
      `${apiCell(s.api, (a) => a.rateLimitWaits)} (${apiCell(s.api, (a) => a.rateLimitWaitMillis)} ms)`
  ])
  return [
    "",
    ...table(["subtask", "records", "duration", "requests", "retries", "rate-limit waits"], subtaskRows),
    "",
    `rows of the scope in ${where}:`,
    ...(rows.length === 0 ?
      ["  (none)"] :
      table(["table", "rows"], rows.map(([name, n]) => [name, n.toLocaleString("en-US")]))),
    ""
  ].join("\n")
}
