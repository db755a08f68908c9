/** The targets the bench table marks (bench/table.mjs), at their edges. */
import { describe, expect, it } from "vitest"
import { targetMarks } from "../../table.mjs"

const MiB = 1024 * 1024
const row = (phase: string, n: number, seconds: number, peakRss = 100 * MiB) => ({ phase, n, seconds, peakRss })

describe("bench table targets", () => {
  it("plugin-info: issue 15's 0.20 s", () => {
    expect(targetMarks("sqlite", row("plugin-info", 0, 0.2))).toBe("ok ≤ 0.20 s")
    expect(targetMarks("sqlite", row("plugin-info", 0, 0.201))).toBe("MISS > 0.20 s")
  })

  it("throughput at 100,000 and RSS at 1,000,000, on SQLite only", () => {
    expect(targetMarks("sqlite", row("extract", 100_000, 1))).toBe("ok ≥ 100k/s")
    expect(targetMarks("sqlite", row("convert", 100_000, 1.01))).toBe("MISS < 100k/s")
    expect(targetMarks("sqlite", row("collect", 100_000, 100_000 / 29_999))).toBe("MISS < 30k/s")
    expect(targetMarks("sqlite", row("collect", 1_000_000, 10, 201 * MiB))).toBe("ok ≥ 30k/s, MISS > 200 MiB")
    expect(targetMarks("sqlite", row("extract", 10_000, 1))).toBe("")
    expect(targetMarks("mysql", row("extract", 100_000, 10))).toBe("")
  })
})
