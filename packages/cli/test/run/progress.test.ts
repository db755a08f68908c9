/**
 * Progress as the Go server reads it (a total sets it, an increment adds to it), the bar drawn in place on a
 * terminal, and plain lines elsewhere.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  advance,
  bar,
  describe as describeProgress,
  duration,
  plainReporter,
  terminalReporter
} from "../../src/run/progress.js"

const start = { records: 0, total: 0, seconds: 0 }

describe("advance", () => {
  it("adds increments without a total (collect) and takes current with one (extract, convert)", () => {
    const collected = advance(advance(start, { current: 100, increment: 100, total: 0 }, 1), { increment: 50 }, 2)
    expect(collected).toMatchObject({ records: 150, total: 0, seconds: 2 })
    expect(advance(collected, { current: 40, increment: 40, total: 250 }, 3)).toMatchObject({ records: 40, total: 250 })
  })
})

describe("describe", () => {
  it("shows records and rate, and percent and ETA once a total is known", () => {
    // 1,000 records a second measured from the first message, not from the process's start.
    const first = advance(start, { current: 100, total: 1000, increment: 100 }, 5)
    const later = advance(first, { current: 600, total: 1000, increment: 500 }, 5.5)
    expect(describeProgress(later)).toBe("600/1,000 (60%), 1,000/s, ETA 0.4s")
    const collect = advance(advance(start, { increment: 100 }, 1), { increment: 1900 }, 2)
    expect(describeProgress(collect)).toBe("2,000 records, 1,900/s")
    expect(describeProgress(advance(start, { increment: 100 }, 1))).toBe("100 records")
  })

  it("formats durations", () => {
    expect([duration(0.42), duration(42), duration(185), duration(3720)]).toEqual(["0.4s", "42s", "3m05s", "1h02m"])
  })
})

describe("bar", () => {
  it("fills to the fraction done, or moves a block without a total", () => {
    expect(bar({ records: 50, total: 100, seconds: 1 })).toBe("█".repeat(12) + "░".repeat(12))
    const moving = bar({ records: 5, total: 0, seconds: 1 })
    expect(moving).toHaveLength(24)
    expect(moving).toContain("███")
  })
})

describe("reporters", () => {
  it("a terminal gets one line redrawn in place per subtask, ended by its outcome", () => {
    let out = ""
    const reporter = terminalReporter((text) => out += text, 120)
    reporter.start("Extract Users", 2, 3)
    reporter.update("Extract Users", advance(start, { current: 50, total: 100, increment: 50 }, 0.5))
    reporter.finish("Extract Users", { records: 100, total: 100, seconds: 1 }, false)
    expect(out).toContain("\r\x1b[2K[2/3] Extract Users ███░░░░░░░░░░░░░░░░░░░░░ 0 records")
    expect(out).toContain("\r\x1b[2K[2/3] Extract Users ████████████░░░░░░░░░░░░ 50/100 (50%)")
    expect(out.endsWith("\r\x1b[2K[2/3] Extract Users ✓ 100 records in 1.0s\n")).toBe(true)
    expect(out.split("\n")).toHaveLength(2)
  })

  it("a narrow terminal drops the bar rather than wrap the line", () => {
    let out = ""
    const reporter = terminalReporter((text) => out += text, 40)
    reporter.start("Convert Something Long", 1, 1)
    for (const line of out.split("\r\x1b[2K").filter((l) => l !== "")) expect(line.length).toBeLessThan(40)
    expect(out).not.toContain("░")
  })

  it("plain lines: the start, the first progress, then at most one a second, the end", () => {
    const lines: Array<string> = []
    const reporter = plainReporter((text) => lines.push(text))
    reporter.start("Collect Users", 1, 3)
    let p = start
    for (let i = 1; i <= 30; i++) {
      p = advance(p, { increment: 100 }, i * 0.1)
      reporter.update("Collect Users", p)
    }
    reporter.finish("Collect Users", p, false)
    expect(lines).toEqual([
      "[1/3] Collect Users: started\n",
      "Collect Users: 100 records\n",
      "Collect Users: 1,100 records, 1,000/s\n",
      "Collect Users: 2,100 records, 1,000/s\n",
      "Collect Users: done, 3,000 records in 3.0s\n"
    ])
  })
})
