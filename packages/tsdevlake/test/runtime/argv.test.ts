import { assert, describe, it } from "@effect/vitest"
import { looksLikeConfig, normalizeArgv, protocolCommands, unknownCommand } from "../../src/internal/runtime/argv.js"

const names = ["plugin-info", "test-connection", "collect", "migrate"]

describe("looksLikeConfig", () => {
  it("is a JSON object with at most log_level", () => {
    for (const text of ["{}", "{\"log_level\":\"info\"}", "{\"log_level\":\"\"}", " { } "]) {
      assert.isTrue(looksLikeConfig(text), text)
    }
  })

  it("is not another JSON value, an object with other keys, or not JSON", () => {
    for (
      const text of [undefined, "", "[]", "null", "\"x\"", "1", "{\"id\":1}", "{\"log_level\":\"info\",\"x\":1}", "{"]
    ) {
      assert.isFalse(looksLikeConfig(text), String(text))
    }
  })
})

describe("unknownCommand", () => {
  it("accepts a command of the table and the flags @effect/cli handles", () => {
    for (const first of [...names, "--help", "-h", "--version", "--wizard", "--completions"]) {
      assert.isUndefined(unknownCommand([first, "{}"], names), first)
    }
  })

  it("names the commands there are when the command is missing or unknown", () => {
    assert.strictEqual(
      unknownCommand([], names)?.message,
      "missing command; expected one of plugin-info, test-connection, collect, migrate"
    )
    const unknown = unknownCommand(["bogus", "{}"], names)
    assert.strictEqual(unknown?._tag, "UsageError")
    assert.strictEqual(
      unknown?.message,
      "unknown command \"bogus\"; expected one of plugin-info, test-connection, collect, migrate"
    )
  })

  it("does not accept an underscore spelling on its own (normalizeArgv turns it into the command)", () => {
    assert.isDefined(unknownCommand(["plugin_info"], names))
  })
})

describe("normalizeArgv and a leading --log-level", () => {
  const commands = ["plugin-info", "test-connection", "collect", "migrate"]

  it("moves --log-level X and --log-level=X from before the command to after it, where @effect/cli reads it", () => {
    assert.deepStrictEqual(normalizeArgv(["--log-level", "debug", "collect", "{}", "{}", "\"s\""], commands), [
      "collect",
      "--log-level",
      "debug",
      "{}",
      "{}",
      "\"s\""
    ])
    assert.deepStrictEqual(normalizeArgv(["--log-level=debug", "plugin_info"], commands), [
      "plugin-info",
      "--log-level=debug",
      "{}"
    ])
    // The config an old server leaves out is still detected from the arguments after the options.
    assert.deepStrictEqual(normalizeArgv(["--log-level", "warning", "test-connection", "{\"id\":1}"], commands), [
      "test-connection",
      "--log-level",
      "warning",
      "{}",
      "{\"id\":1}"
    ])
    assert.deepStrictEqual(normalizeArgv(["--log-level", "debug", "--help"], commands), [
      "--help",
      "--log-level",
      "debug"
    ])
  })

  it("leaves a --log-level without a level in place, which unknownCommand names in one line", () => {
    for (const args of [["--log-level", "verbose", "collect"], ["--log-level"], ["--log-level=", "collect"]]) {
      const normalized = normalizeArgv(args, commands)
      assert.deepStrictEqual(normalized, args)
      assert.strictEqual(
        unknownCommand(normalized, commands)?.message,
        "expects a level (one of all, trace, debug, info, warning, error, fatal, none), then the command (one of plugin-info, test-connection, collect, migrate)"
      )
    }
  })
})

describe("protocolCommands", () => {
  it("lists every command DevLake sends, migrate being the framework's own", () => {
    assert.deepStrictEqual(Object.keys(protocolCommands).sort(), [
      "collect",
      "convert",
      "extract",
      "make-pipeline",
      "plugin-info",
      "remote-scopes",
      "test-connection"
    ])
  })
})
