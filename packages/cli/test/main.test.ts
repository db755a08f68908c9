/**
 * The `tsdevlake` bin as an author runs it: help, and one line with a non-zero exit for a wrong command line.
 */
import { describe, expect, it } from "@effect/vitest"
import { tsdevlake } from "./bin.js"

describe("tsdevlake", () => {
  it("prints its help, listing its commands, without colour codes into a pipe", () => {
    const { status, stdout, stderr } = tsdevlake(["--help"])
    expect(stderr).toBe("")
    expect(status).toBe(0)
    expect(stdout).toContain("$ tsdevlake")
    expect(stdout).toMatch(/- build <dir>\.\.\.\s+Build plugin folders/)
    expect(stdout).not.toContain("\u001b[")
  })

  it("rejects an unknown command in one line, with exit code 2", () => {
    const { status, stdout, stderr } = tsdevlake(["frobnicate"])
    expect(status).toBe(2)
    expect(stdout).toBe("")
    expect(stderr).toMatch(/^tsdevlake: Invalid subcommand for tsdevlake - use .*'build'.*\n$/)
  })
})
