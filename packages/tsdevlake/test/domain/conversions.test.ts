// The conversions Go's convertors share (backend/core/models/domainlayer: devops.GetStatus, devops.GetResult,
// ticket.GetStatus, and the DurationSec of the GitHub, Bamboo and CircleCI convertors), as Domain helpers.
import { describe, expect, it } from "@effect/vitest"
import { expectTypeOf } from "vitest"
import * as Domain from "../../src/Domain/index.js"

describe("Domain.Devops.status (Go's devops.GetStatus)", () => {
  const status = Domain.Devops.status({
    inProgress: ["in_progress", "queued", "waiting"],
    done: ["completed", "success", "failure", "cancelled"]
  })

  it("maps names case-insensitively, like strings.EqualFold", () => {
    expect(["completed", "COMPLETED", "Success", "queued", "IN_PROGRESS"].map(status)).toEqual([
      "DONE",
      "DONE",
      "DONE",
      "IN_PROGRESS",
      "IN_PROGRESS"
    ])
    // Unicode simple case folding: the Kelvin sign folds with k, the long s with s, final sigma with sigma.
    const unicode = Domain.Devops.status({ done: ["ok", "so", "ΣΟΣ"] })
    expect(["O\u212A", "\u017FO", "σος", "σοσ"].map(unicode)).toEqual(["DONE", "DONE", "DONE", "DONE"])
    // Not a fold: "ß" is not "ss" (Go's EqualFold compares one character with one).
    expect(Domain.Devops.status({ done: ["ss"] })("ß")).toBe("OTHER")
  })

  it("gives the default, OTHER unless given, to anything else; inProgress wins over done", () => {
    expect(status("manual")).toBe("OTHER")
    expect(status(null)).toBe("OTHER")
    expect(status(undefined)).toBe("OTHER")
    expect(Domain.Devops.status({ done: ["x"], default: "IN_PROGRESS" })("y")).toBe("IN_PROGRESS")
    expect(Domain.Devops.status({ inProgress: ["x"], done: ["X"] })("x")).toBe("IN_PROGRESS")
    // Go's cast.ToString: numbers and booleans by their text, nil as "".
    const coded = Domain.Devops.status({ done: ["2", "true", ""] })
    expect([coded(2), coded(true), coded(null), coded(3)]).toEqual(["DONE", "DONE", "DONE", "OTHER"])
  })

  it("is typed to the domain's statuses", () => {
    expectTypeOf(status).returns.toEqualTypeOf<"IN_PROGRESS" | "DONE" | "OTHER">()
    // @ts-expect-error not a CICDStatus
    Domain.Devops.status({ default: "SKIPPED" })
  })
})

describe("Domain.Devops.result (Go's devops.GetResult)", () => {
  const result = Domain.Devops.result({ success: ["success"], failure: ["failure", "Cancelled", "timed_out"] })

  it("maps success before failure, case-insensitively, else the default (\"\", Go's RESULT_DEFAULT)", () => {
    expect(["SUCCESS", "cancelled", "Timed_Out", "running", null].map(result)).toEqual([
      "SUCCESS",
      "FAILURE",
      "FAILURE",
      "",
      ""
    ])
    expect(Domain.Devops.result({ success: ["a"], failure: ["A"] })("a")).toBe("SUCCESS")
    expect(Domain.Devops.result({ success: ["ok"], default: "FAILURE" })("nope")).toBe("FAILURE")
    expectTypeOf(result).returns.toEqualTypeOf<"SUCCESS" | "FAILURE" | "">()
  })
})

describe("Domain.Ticket.status (Go's ticket.GetStatus)", () => {
  const status = Domain.Ticket.status({
    todo: ["Open", "Reopened"],
    inProgress: ["In Progress"],
    done: ["Closed", "Resolved"],
    other: ["Parked"]
  })

  it("compares exactly, as Go's == does, in the order inProgress, todo, done, other", () => {
    expect(["Open", "In Progress", "Resolved", "Parked", "open", "Unknown"].map(status)).toEqual([
      "TODO",
      "IN_PROGRESS",
      "DONE",
      "OTHER",
      "OTHER",
      "OTHER"
    ])
    expect(Domain.Ticket.status({ todo: ["x"], inProgress: ["x"] })("x")).toBe("IN_PROGRESS")
    expect(Domain.Ticket.status({ done: ["Done"], default: "TODO" })("New")).toBe("TODO")
    // An interface holding a number never equals a string.
    expect(Domain.Ticket.status({ done: ["1"], default: "TODO" })(1)).toBe("TODO")
  })
})

describe("Domain.durationSec", () => {
  const at = (time: string) => new Date(`2023-01-10T${time}Z`)

  it("is whole seconds between two dates, truncated as Go's Milliseconds() / 1e3", () => {
    expect(Domain.durationSec(at("11:00:00.000"), at("11:03:00.000"))).toBe(180)
    expect(Domain.durationSec(at("11:00:00.000"), at("11:03:00.999"))).toBe(180)
    expect(Domain.durationSec(at("11:00:00.500"), at("11:00:01.499"))).toBe(0)
    // Toward zero, and never -0, for an end before the start.
    expect(Domain.durationSec(at("11:00:01.500"), at("11:00:00.000"))).toBe(-1)
    expect(Object.is(Domain.durationSec(at("11:00:00.500"), at("11:00:00.000")), 0)).toBe(true)
  })

  it("is 0, Go's zero value, when a date is missing", () => {
    expect(Domain.durationSec(at("11:00:00.000"), null)).toBe(0)
    expect(Domain.durationSec(undefined, at("11:00:00.000"))).toBe(0)
  })
})
