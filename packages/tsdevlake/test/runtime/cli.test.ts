import { Command, HelpDoc, ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, FiberId, Layer, ParseResult, Ref, Schema } from "effect"
import * as Cli from "../../src/Cli.js"
import * as Ipc from "../../src/Ipc.js"
import { ArgumentError } from "../../src/internal/process/arguments.js"
import { TestPlugin } from "../fixtures/subtaskPlugin.js"

const commands = [
  "plugin-info",
  "test-connection",
  "make-pipeline",
  "remote-scopes",
  "collect",
  "extract",
  "convert",
  "migrate"
]
const config = "{\"log_level\":\"info\"}"
const conn = "{\"id\":1,\"name\":\"c\",\"token\":\"t\"}"
const ctx = "{\"db_url\":\"sqlite://x.db\",\"scope\":{},\"connection\":{}}"

describe("Cli.normalizeArgv", () => {
  it("accepts the underscore spelling of a command", () => {
    assert.deepStrictEqual(Cli.normalizeArgv(["plugin_info", config], commands), ["plugin-info", config])
    assert.deepStrictEqual(Cli.normalizeArgv(["test_connection", config, conn], commands), [
      "test-connection",
      config,
      conn
    ])
    assert.deepStrictEqual(Cli.normalizeArgv(["make_pipeline", config, "[]", conn], commands), [
      "make-pipeline",
      config,
      "[]",
      conn
    ])
  })

  it("leaves the arguments of current servers alone", () => {
    for (
      const args of [
        ["plugin-info", config],
        ["test-connection", config, conn],
        ["make-pipeline", "{}", "[]", conn],
        ["remote-scopes", config, conn],
        ["remote-scopes", config, conn, "\"g1\""],
        ["collect", config, ctx, "\"users\""],
        ["extract", "{\"log_level\":\"\"}", ctx, "\"users\""],
        ["convert", "{}", ctx, "\"users\""]
      ]
    ) {
      assert.deepStrictEqual(Cli.normalizeArgv(args, commands), args)
    }
  })

  it("inserts the config argument servers before v1.0.0-beta4 do not send, for each command", () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<string>]> = [
      [["plugin-info"], ["plugin-info", "{}"]],
      [["plugin_info"], ["plugin-info", "{}"]],
      [["test-connection", conn], ["test-connection", "{}", conn]],
      [["make-pipeline", "[[{}, null]]", conn], ["make-pipeline", "{}", "[[{}, null]]", conn]],
      [["remote-scopes", conn], ["remote-scopes", "{}", conn]],
      [["remote-scopes", conn, "\"g1\""], ["remote-scopes", "{}", conn, "\"g1\""]],
      [["collect", ctx, "\"users\""], ["collect", "{}", ctx, "\"users\""]],
      [["extract", ctx, "\"users\""], ["extract", "{}", ctx, "\"users\""]],
      [["convert", ctx, "\"users\""], ["convert", "{}", ctx, "\"users\""]]
    ]
    for (const [args, expected] of cases) {
      assert.deepStrictEqual(Cli.normalizeArgv(args, commands), expected, args.join(" "))
    }
  })

  it("leaves help, unknown commands and empty argv alone", () => {
    for (
      const args of [["--help"], ["-h"], ["collect", "--help"], ["plugin-info", "--help"], ["bogus", "{}"], [
        "bogus_cmd"
      ]]
    ) {
      assert.deepStrictEqual(Cli.normalizeArgv(args, commands), args)
    }
    assert.deepStrictEqual(Cli.normalizeArgv([], commands), [])
  })

  it("keeps a help flag after a one-argument command (help still prints there)", () => {
    // test-connection takes one JSON argument, so `--help` looks like an old server's connection and gets a "{}" config
    // before it; @effect/cli still honours the flag after it.
    assert.deepStrictEqual(Cli.normalizeArgv(["test-connection", "--help"], commands).at(-1), "--help")
  })
})

describe("Cli.describeFailure", () => {
  it("is the first line of a failure's message", () => {
    const error = new ArgumentError({ argument: "connection", detail: "token is missing\nsecond line" })
    assert.strictEqual(Cli.describeFailure(Cause.fail(error)), "invalid connection: token is missing")
    assert.strictEqual(Cli.describeFailure(Cause.fail("plain text")), "plain text")
  })

  it("names a defect as unexpected, without its stack", () => {
    const line = Cli.describeFailure(Cause.die(new TypeError("boom")))
    assert.strictEqual(line, "unexpected error: boom")
    assert.strictEqual(Cli.describeFailure(Cause.die("just a string")), "unexpected error: just a string")
  })

  it("names the field of a ParseError, failure or defect, not the schema or the value", () => {
    class Named extends Schema.Class<Named>("Named")({ fullName: Schema.String.pipe(Schema.maxLength(3)) }) {}
    let thrown: unknown
    try {
      new Named({ fullName: "too-long-secretish" })
    } catch (error) {
      thrown = error
    }
    assert.isTrue(ParseResult.isParseError(thrown))
    const defect = Cli.describeFailure(Cause.die(thrown))
    assert.match(defect, /^unexpected error: fullName .*3/)
    assert.notInclude(defect, "too-long-secretish")
    assert.notInclude(defect, "Type side")
    assert.match(Cli.describeFailure(Cause.fail(thrown)), /^fullName /)
  })

  it("says interrupted for an interruption", () => {
    assert.strictEqual(Cli.describeFailure(Cause.interrupt(FiberId.make(1, 0))), "interrupted")
  })

  it("prefers the failure over a defect in the same cause, and caps the length", () => {
    const both = Cause.sequential(Cause.die(new Error("later defect")), Cause.fail(new Error("the failure")))
    assert.strictEqual(Cli.describeFailure(both), "the failure")
    assert.strictEqual(Cli.describeFailure(Cause.fail(new Error("x".repeat(5000)))).length, 2000)
  })

  it("is the first non-empty line of a command-line error", () => {
    const error = ValidationError.missingValue(HelpDoc.p("Missing argument <config>"))
    assert.strictEqual(Cli.describeFailure(Cause.fail(error)), "Missing argument <config>")
  })
})

describe("Cli.command in-process", () => {
  const runCommand = (args: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const cli = Command.run(Cli.command(TestPlugin, { pluginPath: "/bin/sh" }), { name: "testplugin", version: "0" })
      const exit = yield* Effect.exit(
        cli(["node", "main.js", ...Cli.normalizeArgv(args, commands)]).pipe(
          Effect.provide(Layer.merge(NodeContext.layer, Ipc.layerMemory(lines)))
        )
      )
      return { exit, lines: yield* Ref.get(lines) }
    })

  it.effect("test-connection replies on fd 3, also for an old server without config", () =>
    Effect.gen(function*() {
      for (const args of [["test-connection", "{}", conn], ["test_connection", conn]]) {
        const { exit, lines } = yield* runCommand(args)
        assert.isTrue(exit._tag === "Success", args.join(" "))
        assert.deepStrictEqual(lines.map((l) => JSON.parse(l)), [{ success: true, message: "ok", status: 200 }])
      }
    }))

  it.effect("plugin-info replies with the plugin description", () =>
    Effect.gen(function*() {
      const { exit, lines } = yield* runCommand(["plugin-info"])
      assert.isTrue(exit._tag === "Success")
      const info = JSON.parse(lines.join(""))
      assert.strictEqual(info.name, "testplugin")
      assert.strictEqual(info.plugin_path, "/bin/sh")
      assert.deepStrictEqual(info.subtask_metas.map((m: { name: string }) => m.name), [
        "Collect Items",
        "Extract Items",
        "Convert Items"
      ])
    }))

  it.effect("a malformed argument fails with a one-line message that does not echo it", () =>
    Effect.gen(function*() {
      const { exit, lines } = yield* runCommand([
        "collect",
        "{}",
        `{"db_url": "mysql://u:hunter2@db/lake", "scope": 5}`,
        "\"items\""
      ])
      assert.deepStrictEqual(lines, [])
      assert.isTrue(exit._tag === "Failure")
      if (exit._tag === "Failure") {
        const line = Cli.describeFailure(exit.cause)
        assert.include(line, "invalid task context")
        assert.notInclude(line, "hunter2")
        assert.notInclude(line, "\n")
      }
    }))

  it.effect("a bare stream name (pydevlake's habit) is that stream, on an in-memory database it migrates first", () =>
    Effect.gen(function*() {
      const memory = JSON.stringify({
        db_url: "sqlite+pysqlite:///:memory:",
        scope: { id: "s1", name: "S1" },
        connection: { id: 1, name: "c" }
      })
      for (const stream of ["items", "\"items\""]) {
        const { exit } = yield* runCommand(["extract", "{\"log_level\":\"error\"}", memory, stream])
        assert.strictEqual(exit._tag, "Success", exit._tag === "Failure" ? Cli.describeFailure(exit.cause) : stream)
      }
    }))

  it.effect("an unknown bare word names the streams there are, in one line", () =>
    Effect.gen(function*() {
      const { exit } = yield* runCommand(["collect", "{}", "{}", "nope"])
      assert.isTrue(exit._tag === "Failure")
      if (exit._tag === "Failure") {
        assert.strictEqual(
          Cli.describeFailure(exit.cause),
          "invalid stream argument: unknown stream \"nope\"; this plugin has \"items\""
        )
      }
    }))

  it.effect("an unknown stream names the streams there are", () =>
    Effect.gen(function*() {
      const { exit } = yield* runCommand(["extract", "{}", "{}", "\"nope\""])
      assert.isTrue(exit._tag === "Failure")
      if (exit._tag === "Failure") {
        assert.strictEqual(
          Cli.describeFailure(exit.cause),
          "invalid stream argument: unknown stream \"nope\"; this plugin has \"items\""
        )
      }
    }))
})
