import { HelpDoc, ValidationError } from "@effect/cli"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Exit, FiberId } from "effect"
import * as Cli from "../../src/Cli.js"
import { ArgumentError } from "../../src/internal/process/arguments.js"
import { exitCode, firstLine, oneLine, UsageError } from "../../src/internal/runtime/failure.js"

describe("exitCode", () => {
  it("is 0 on success", () => {
    assert.strictEqual(exitCode(Exit.void), 0)
  })

  it("is 2 when the command line or an argument is wrong", () => {
    assert.strictEqual(exitCode(Exit.fail(new UsageError({ detail: "unknown command" }))), 2)
    assert.strictEqual(exitCode(Exit.fail(new ArgumentError({ argument: "connection", detail: "x" }))), 2)
    assert.strictEqual(exitCode(Exit.fail(ValidationError.missingValue(HelpDoc.p("Missing argument")))), 2)
  })

  it("is 1 for any other failure, a defect or an interruption", () => {
    assert.strictEqual(exitCode(Exit.fail(new Error("the API said no"))), 1)
    assert.strictEqual(exitCode(Exit.die(new ArgumentError({ argument: "connection", detail: "x" }))), 1)
    assert.strictEqual(exitCode(Exit.failCause(Cause.interrupt(FiberId.make(1, 0)))), 1)
  })
})

describe("UsageError", () => {
  it("is its detail, with the identifier of the convention", () => {
    const error = new UsageError({ detail: "run.sh not found" })
    assert.strictEqual(error.message, "run.sh not found")
    assert.strictEqual(error._tag, "UsageError")
  })

  it("and ArgumentError are Cli's, the module their identifiers name: a caller catches them by class", () => {
    assert.strictEqual(Cli.UsageError, UsageError)
    assert.strictEqual(Cli.ArgumentError, ArgumentError)
  })
})

describe("oneLine and firstLine", () => {
  it("oneLine keeps the first line, at most 2,000 characters", () => {
    assert.strictEqual(oneLine("a\nb"), "a")
    assert.strictEqual(oneLine("y".repeat(3000)).length, 2000)
    assert.strictEqual(oneLine(""), "")
  })

  it("firstLine is the first non-empty line of a help text, without colours", () => {
    const doc = HelpDoc.blocks([HelpDoc.empty, HelpDoc.p("Missing argument <config>"), HelpDoc.p("usage")])
    assert.strictEqual(firstLine(doc), "Missing argument <config>")
    assert.strictEqual(firstLine(HelpDoc.empty), "invalid arguments")
  })
})
