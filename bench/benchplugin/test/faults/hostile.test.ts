/**
 * The probe's hostile argv as scope ids and names and connection fields (issue 13, "What to build" 6: "hostile
 * argv (the probe's list: SQL metacharacters, `<&>é`, NUL, U+2028, emoji, huge … JSON)"; deeply nested JSON is
 * finding 11's, in input.test.ts).
 *
 * Each value goes through collect, extract and convert. Either the run is clean, its scope's rows are all there
 * and their params are byte-equal to Go's json.Marshal of `{ConnectionId, ScopeId}` (README, "Go-exact
 * encodings": DevLake deletes a scope's rows `WHERE params = ?` with that string), or, for what the framework
 * refuses (a scope id or name longer than its 255-character column), the run ends with ONE line naming the
 * field and exit 2, never a stack trace. A NUL passes on every database: params hold it JSON-escaped.
 */
import { Effect } from "effect"
import { Db } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type BenchDatabase,
  type Mock,
  openDatabase,
  startMock,
  subtask,
  taskContext,
  testDatabases
} from "../utils.js"
import { assertOneErrorLine, describeRun, endpointOf, migrated, VERBS } from "./harness.js"

const N = 300
const CONNECTION_ID = 343
// Linux refuses to exec an argv string over 128 KiB (MAX_ARG_STRLEN; Go's exec too), so the largest argument a
// plugin can ever be given is just under that: a task context of about 120 KB.
const HUGE = 120_000

interface Hostile {
  readonly name: string
  /** The scope id, also the connection's name and a field of its own (when short); the scope's name unless `scopeName`. */
  readonly id: string
  readonly scopeName?: string
  /** A connection field the plugin does not know, sent as is. */
  readonly extra?: string
  /** Refused as bad input, in one line naming this field. */
  readonly refused?: string
}

const HOSTILE: ReadonlyArray<Hostile> = [
  { name: "SQL metacharacters", id: "'; DROP TABLE x; --" },
  { name: "a double quote", id: "a\"b" },
  { name: "a backslash", id: "a\\b\\" },
  { name: "HTML characters and é", id: "<&>é" },
  { name: "U+2028 and U+2029", id: "line\u2028separator\u2029" },
  { name: "emoji", id: "🦄 👩‍💻 scope" },
  { name: "a NUL character", id: "nul\u0000byte" },
  { name: `a ${HUGE}-character connection field (a huge JSON argument)`, id: "huge", extra: "é".repeat(HUGE / 2) },
  { name: `a ${HUGE}-character scope name`, id: "huge-name", scopeName: "x".repeat(HUGE), refused: "scope.name" },
  { name: "a 30,000-character scope id", id: "i".repeat(30_000), scopeName: "long id", refused: "scope.id" }
]

/** A JSON string as Go's json.Marshal writes it (escapeHTML, Go before 1.22): written here independently. */
const goQuote = (s: string) => {
  let out = "\""
  for (const char of s) {
    const code = char.codePointAt(0)!
    if (char === "\"" || char === "\\") out += `\\${char}`
    else if (char === "\n") out += "\\n"
    else if (char === "\r") out += "\\r"
    else if (char === "\t") out += "\\t"
    else if (code < 0x20 || "<>&".includes(char) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`
    } else out += char
  }
  return `${out}"`
}
const goParams = (scopeId: string) => `{"ConnectionId":${CONNECTION_ID},"ScopeId":${goQuote(scopeId)}}`

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const totals = { inputs: 0, clean: 0, refused: 0, rows: 0 }
afterAll(() => {
  console.log(
    `hostile: ${totals.inputs} inputs (${totals.clean} clean runs, ${totals.refused} refused in one line), `
      + `${totals.rows} rows checked`
  )
})

/** The task context with the hostile scope and connection fields. */
const hostileContext = (bench: BenchDatabase, hostile: Hostile) => {
  const fields = {
    ...(hostile.id.length < 1000 ? { name: hostile.id, note: hostile.id } : {}),
    ...(hostile.extra === undefined ? {} : { extra: hostile.extra })
  }
  const context = taskContext(bench, endpointOf(mock, N), {}, fields)
  return {
    ...context,
    scope: { ...context.scope, id: hostile.id, name: hostile.scopeName ?? hostile.id }
  }
}

/** Rows whose params column is `params` (compared again in JS: MySQL's collations ignore case and padding). */
const rowsWithParams = (bench: BenchDatabase, table: string, column: string, params: string) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    if (!(yield* db.tableExists(table))) return 0
    const rows = yield* db.execute(
      `SELECT ${column} AS p FROM ${table} WHERE ${column} = ${db.dialect.placeholder(1)}`,
      [params]
    )
    return rows.filter((row) => String(row["p"]) === params).length
  }))

const forget = (bench: BenchDatabase, params: string) =>
  bench.run(Effect.gen(function*() {
    const db = yield* Db.Database
    for (const table of ["_raw_bench_users", "_pydevlake_subtask_runs"]) {
      if (yield* db.tableExists(table)) {
        yield* db.execute(`DELETE FROM ${table} WHERE params = ${db.dialect.placeholder(1)}`, [params])
      }
    }
  }))

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`hostile argv on ${database.name}`, () => {
    let bench: BenchDatabase
    beforeAll(async () => {
      bench = await openDatabase(database, CONNECTION_ID)
      await migrated(bench)
    })
    afterAll(() => bench?.dispose())

    for (const hostile of HOSTILE) {
      it(`${hostile.name} in the scope and the connection`, async () => {
        totals.inputs++
        const params = goParams(hostile.id)
        // Rows a former run of this file left on a shared server.
        if (hostile.id.length < 1000) await forget(bench, params)
        const context = hostileContext(bench, hostile)
        if (hostile.refused !== undefined) {
          for (const verb of VERBS) {
            const result = await subtask(verb, context)
            const line = assertOneErrorLine(result)
            expect(result.exitCode, `${verb}: ${line}`).toBe(2)
            expect(line).toContain(hostile.refused)
            expect(line.length, line).toBeLessThan(1000)
          }
          totals.refused++
          return
        }
        for (const verb of VERBS) {
          const result = await subtask(verb, context)
          expect(result.exitCode, `${verb}: ${describeRun(result)}`).toBe(0)
        }
        totals.clean++
        const raw = await rowsWithParams(bench, "_raw_bench_users", "params", params)
        const tool = await rowsWithParams(bench, "_tool_benchplugin_benchusers", "_raw_data_params", params)
        const accounts = await rowsWithParams(bench, "accounts", "_raw_data_params", params)
        expect({ raw, tool, accounts }).toEqual({ raw: N, tool: N, accounts: N })
        expect(await rowsWithParams(bench, "_pydevlake_subtask_runs", "params", params)).toBeGreaterThan(0)
        totals.rows += raw + tool + accounts
      }, 120_000)
    }
  })
}
