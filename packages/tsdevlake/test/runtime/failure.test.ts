import { HelpDoc, ValidationError } from "@effect/cli"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, FiberId } from "effect"
import * as Cli from "../../src/Cli.js"
import { InvalidBaseUrl } from "../../src/internal/api/settings.js"
import { DbUrlError } from "../../src/internal/db/errors.js"
import { ArgumentError } from "../../src/internal/process/arguments.js"
import { describeFailure, exitCode, firstLine, oneLine, UsageError } from "../../src/internal/runtime/failure.js"

describe("exitCode", () => {
  it("is 0 on success", () => {
    assert.strictEqual(exitCode(Exit.void), 0)
  })

  it("is 2 when the command line or an argument is wrong", () => {
    assert.strictEqual(exitCode(Exit.fail(new UsageError({ detail: "unknown command" }))), 2)
    assert.strictEqual(exitCode(Exit.fail(new ArgumentError({ argument: "connection", detail: "x" }))), 2)
    assert.strictEqual(exitCode(Exit.fail(ValidationError.missingValue(HelpDoc.p("Missing argument")))), 2)
    // The db_url of a task context or of migrate's target is an argument too (issue 13, finding 10).
    assert.strictEqual(exitCode(Exit.fail(new DbUrlError({ reason: "Malformed", url: "x", detail: "x" }))), 2)
    // So is the connection's endpoint, which Api.make dies on (issue 13, finding 12).
    const badUrl = new InvalidBaseUrl("Api: the connection's base URL is not a valid absolute URL")
    assert.strictEqual(exitCode(Exit.die(badUrl)), 2)
    assert.strictEqual(describeFailure(Cause.die(badUrl)), badUrl.message)
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

describe("a service the plugin's layer does not provide", () => {
  class AcmeApi extends Context.Tag("acme/AcmeApi")<AcmeApi, { readonly get: Effect.Effect<string> }>() {}
  const missing = Effect.runSyncExit(
    Effect.flatMap(AcmeApi, (api) => api.get) as Effect.Effect<string>
  )
  const expected =
    "the plugin's layer does not provide acme/AcmeApi: add it to the layer of Plugin.make (npm run check shows it at compile time)"

  it("is what to add, in one line, without Effect's defined-at path, for every command's failure", () => {
    assert.isTrue(Exit.isFailure(missing))
    if (Exit.isFailure(missing)) {
      assert.match(Cause.pretty(missing.cause), /Service not found: acme\/AcmeApi/)
      assert.strictEqual(describeFailure(missing.cause), expected)
      assert.strictEqual(Cli.describeFailure(missing.cause), expected)
    }
  })

  it("as a bundle's defect says it (the key kept, the path dropped), and a keyless tag says a service", () => {
    const bundled = new Error("Service not found: acme/AcmeApi (defined at /p/dist/plugin.cjs:63712:49)")
    assert.strictEqual(describeFailure(Cause.die(bundled)), expected)
    assert.strictEqual(Cli.describeMissingService(bundled), expected)
    assert.match(Cli.describeMissingService(new Error("Service not found"))!, /does not provide a service: /)
  })

  it("is not any other defect, which stays unexpected", () => {
    assert.isUndefined(Cli.describeMissingService(new Error("Service not found here, sorry")))
    assert.isUndefined(Cli.describeMissingService("Service not found: acme/AcmeApi"))
    assert.strictEqual(describeFailure(Cause.die(new Error("boom"))), "unexpected error: boom")
  })
})
