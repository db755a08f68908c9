/**
 * The pipeline's pure parts: the rows the server sends, the subtasks it runs (in `subtask_metas` order, a stream
 * subset, Go's checks on the plan), and the summary.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import type { Message } from "tsdevlake/runtime"
import { otherPlugins, serverRows, subtasksToRun } from "../../src/run/pipeline.js"
import { apiStatsOf, rawDataParams, summary } from "../../src/run/summary.js"

const meta = (name: string, entry: string, stream: string) => ({
  name,
  entry_point_name: entry,
  arguments: [stream],
  required: false,
  enabled_by_default: false,
  description: name,
  domain_types: ["CROSS"]
})

const info = {
  name: "demo",
  subtask_metas: [
    meta("Collect Users", "collect", "users"),
    meta("Extract Users", "extract", "users"),
    meta("Collect Teams", "collect", "teams"),
    meta("Convert Users", "convert", "users")
  ]
} as unknown as Message.PluginInfo

const task = (
  subtasks: ReadonlyArray<string>,
  options: Record<string, unknown> = { connectionId: 1, scopeId: "p1" }
) => ({
  plugin: "demo",
  subtasks,
  options
})

const chosen = (plan: Message.PipelineData["plan"], streams: ReadonlyArray<string> = []) =>
  Effect.runSync(Effect.either(subtasksToRun(info, plan, streams)))

const names = (plan: Message.PipelineData["plan"], streams: ReadonlyArray<string> = []) =>
  Either.map(chosen(plan, streams), (list) => list.map((c) => c.meta.name))

const failure = (plan: Message.PipelineData["plan"], streams: ReadonlyArray<string> = []) =>
  Either.match(chosen(plan, streams), { onLeft: (e) => e.message, onRight: () => "no failure" })

describe("subtasksToRun", () => {
  it("runs the plan's subtasks in the order of subtask_metas, as Go does", () => {
    const plan = [[task(["Convert Users", "Collect Users", "Extract Users", "Collect Teams"])]]
    expect(names(plan)).toEqual(Either.right(["Collect Users", "Extract Users", "Collect Teams", "Convert Users"]))
  })

  it("keeps only the streams asked for, and refuses an unknown stream in one line", () => {
    const plan = [[task(["Collect Users", "Extract Users", "Collect Teams", "Convert Users"])]]
    expect(names(plan, ["teams"])).toEqual(Either.right(["Collect Teams"]))
    expect(failure(plan, ["nope"])).toBe("--stream nope: plugin demo has no such stream (its streams: users, teams)")
  })

  it("refuses what the Go runner refuses: an unknown subtask, options without connectionId/scopeId", () => {
    expect(failure([[task(["Collect Nothing"])]])).toBe("make-pipeline: subtask Collect Nothing does not exist")
    expect(failure([[task(["Collect Users"], { connectionId: "1", scopeId: "p1" })]])).toMatch(
      /^make-pipeline: task options need a number connectionId and a string scopeId/
    )
  })

  it("leaves the tasks of other plugins (gitextractor, refdiff) to DevLake, and names them once", () => {
    const plan = [[{ ...task(["Clone Git Repo"]), plugin: "gitextractor" }, task(["Collect Users"])], [
      { ...task(["Calculate Deployment Diff"]), plugin: "refdiff" },
      { ...task(["Clone Git Repo"]), plugin: "gitextractor" }
    ]]
    expect(names(plan)).toEqual(Either.right(["Collect Users"]))
    expect(otherPlugins(info, plan)).toEqual(["gitextractor", "refdiff"])
    expect(otherPlugins(info, [[task(["Collect Users"])]])).toEqual([])
  })
})

describe("serverRows", () => {
  it("adds the columns of Go's base structs to what the user gave", () => {
    const rows = serverRows({ connection: { token: "t" }, scope: { id: "p1", name: "P" }, scopeConfig: undefined })
    expect(rows.connection).toMatchObject({ id: 1, name: "local", token: "t" })
    expect(rows.scope).toMatchObject({ id: "p1", connectionId: 1, scopeConfigId: 0, _raw_data_params: "" })
    expect(rows.scopeConfig).toBeNull()
    const withConfig = serverRows({ connection: { id: 7 }, scope: { id: "p1" }, scopeConfig: { id: 3, env: "x" } })
    expect(withConfig.scope).toMatchObject({ connectionId: 7, scopeConfigId: 3 })
    expect(withConfig.scopeConfig).toMatchObject({ id: 3, connectionId: 7, env: "x" })
  })
})

describe("summary", () => {
  it("reads the API client's counters from its debug line", () => {
    const lines = [
      "INFO: something",
      "DEBUG: Api BenchApi: 50 requests, 2 retries, 1 rate-limit waits (300 ms) requests=50 retries=2"
    ]
    expect(apiStatsOf(lines)).toEqual([
      { client: "BenchApi", requests: 50, retries: 2, rateLimitWaits: 1, rateLimitWaitMillis: 300 }
    ])
  })

  it("computes the raw-data params as Go marshals them", () => {
    expect(rawDataParams(1, "p1")).toBe("{\"ConnectionId\":1,\"ScopeId\":\"p1\"}")
    expect(rawDataParams(2, "<a&b>")).toBe("{\"ConnectionId\":2,\"ScopeId\":\"\\u003ca\\u0026b\\u003e\"}")
  })

  it("prints subtasks (with '-' where the plugin reported no API counters) and rows per table", () => {
    const text = summary(
      [
        {
          name: "Collect Users",
          records: 5000,
          seconds: 1.7,
          api: [{ client: "A", requests: 50, retries: 2, rateLimitWaits: 1, rateLimitWaitMillis: 300 }]
        },
        { name: "Extract Users", records: 5000, seconds: 0.6, api: [] }
      ],
      [["_raw_bench_users", 5000], ["accounts", 5000]],
      "run.db"
    )
    expect(text.split("\n")).toEqual([
      "",
      "subtask        records  duration  requests  retries  rate-limit waits",
      "-------------  -------  --------  --------  -------  ----------------",
      "Collect Users    5,000      1.7s        50        2        1 (300 ms)",
      "Extract Users    5,000      0.6s         -        -                 -",
      "",
      "rows of the scope in run.db:",
      "table              rows",
      "----------------  -----",
      "_raw_bench_users  5,000",
      "accounts          5,000",
      ""
    ])
  })
})
