/**
 * `tsdevlake run bench/benchplugin` against the bench's mock API: progress bars under a pseudo-terminal, plain
 * lines through a pipe, the API client's counters in the summary, and a failing subtask shown as DevLake shows
 * it (its name, its last log lines, the exit code) with a non-zero exit. Needs the built plugin.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type Mock, startMock, tsdevlake, tsdevlakeOnTerminal } from "./utils.js"

let mock: Mock
// 3,000 users in pages of 100, each page 20 ms late: the collect lasts long enough for several bar redraws.
beforeAll(async () => {
  mock = await startMock(20)
})
afterAll(() => mock.stop())

const args = (
  endpoint: string,
  db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-run-bench-")), "lake.db")
) => [
  "run",
  "bench/benchplugin",
  "--connection",
  JSON.stringify({ endpoint }),
  "--scope",
  JSON.stringify({ id: "users", name: "users" }),
  "--db-url",
  `sqlite://${db}`
]

describe("tsdevlake run bench/benchplugin", () => {
  it("on a terminal, draws a bar per subtask in place (records; of a total once known), then its outcome", async () => {
    const { status, stdout } = await tsdevlakeOnTerminal(args(mock.endpoint(3000)))
    expect(status, stdout).toBe(0)
    // Each redraw: carriage return, erase the line (ESC [2K), the line.
    const redraws = stdout.split("\r\u001b[2K")
    expect(redraws.some((line) => /^\[1\/3\] Collect Users [█░]{24} [\d,]+ records/.test(line))).toBe(true)
    expect(redraws.some((line) => /^\[2\/3\] Extract Users [█░]{24} [\d,]+\/3,000 \(\d+%\)/.test(line))).toBe(true)
    expect(stdout).toContain("\r\u001b[2K[1/3] Collect Users ✓ 3,000 records in")
    expect(stdout).toContain("\r\u001b[2K[3/3] Convert Users ✓ 3,000 records in")
    expect(stdout).not.toContain("Collect Users: started")
    expect(stdout).toMatch(/^accounts +3,000\r?$/m)
  })

  it("through a pipe, prints plain progress lines and the API client's counters", async () => {
    const { status, stderr, stdout } = await tsdevlake(args(mock.endpoint(3000)))
    expect(stderr).toBe("")
    expect(status).toBe(0)
    expect(stdout).not.toContain("\u001b[")
    expect(stdout).not.toContain("█")
    const lines = stdout.split("\n")
    expect(lines).toContain("[1/3] Collect Users: started")
    // Its first progress (a batch committed before the last page) prints a line, whatever the machine's speed.
    expect(lines.some((line) => /^Collect Users: [\d,]+ records/.test(line))).toBe(true)
    expect(lines.some((line) => /^Collect Users: done, 3,000 records in [\d.]+s$/.test(line))).toBe(true)
    expect(lines.some((line) => /^Extract Users: done, 3,000 records in/.test(line))).toBe(true)
    // 30 pages (the last says there is no next one); no retry, no wait.
    expect(stdout).toMatch(/^Collect Users +3,000 +[\d.]+s +30 +0 +0 \(0 ms\)$/m)
    expect(stdout).toMatch(/^_tool_benchplugin_benchusers +3,000$/m)
  })

  it("passes --incremental to the subtasks: after a complete collect, only the last page is read again", async () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-run-bench-")), "lake.db")
    const first = await tsdevlake([...args(mock.endpoint(3000), db), "--stream", "users"])
    expect(first.stdout).toMatch(/^Collect Users +3,000 +[\d.]+s +30 /m)
    const again = await tsdevlake([...args(mock.endpoint(3000), db), "--stream", "users", "--incremental"])
    expect(again.stderr).toBe("")
    expect(again.stdout).toMatch(/^Collect Users +0 +[\d.]+s +1 /m)
    expect(again.stdout).toMatch(/^_raw_bench_users +3,000$/m)
  })

  it("shows a failing subtask as DevLake does and exits non-zero", async () => {
    const { status, stderr, stdout } = await tsdevlake(args(mock.endpoint(3000).replace("/datasets/3000", "/nothing")))
    expect(status).toBe(1)
    expect(stdout).toContain("Collect Users: failed after 0 records")
    expect(stdout).not.toContain("[2/3]")
    expect(stderr).toMatch(/^subtask Collect Users failed; its last log lines:\n/)
    expect(stderr).toContain("was not found (HTTP 404)")
    expect(stderr.trimEnd().split("\n").at(-1)).toBe("tsdevlake: subtask Collect Users ended unexpectedly (exit 1)")
  })
})
