import { afterEach, assert, beforeEach, describe, it } from "@effect/vitest"
import { Cause, Effect, HashMap, LogLevel, Schema } from "effect"
import { vi } from "vitest"
import * as logger from "../../src/internal/process/logger.js"

describe("logger.levelFromConfig", () => {
  it("reads debug, info, warn and error in any case; anything else is info", () => {
    const cases: ReadonlyArray<readonly [unknown, LogLevel.LogLevel]> = [
      ["", LogLevel.Info],
      ["DEBUG", LogLevel.Debug],
      ["debug", LogLevel.Debug],
      ["Warn", LogLevel.Warning],
      ["WARNING", LogLevel.Warning],
      ["Error", LogLevel.Error],
      ["info", LogLevel.Info],
      ["x", LogLevel.Info],
      [undefined, LogLevel.Info],
      [3, LogLevel.Info]
    ]
    for (const [input, level] of cases) assert.strictEqual(logger.levelFromConfig(input), level, String(input))
  })
})

describe("logger.formatEntry", () => {
  const none = HashMap.empty<string, unknown>()

  it("prefixes the level and joins message parts and annotations", () => {
    const lines = logger.formatEntry(
      LogLevel.Info,
      ["collected", 3, { a: 1 }],
      HashMap.make(["stream", "users"]),
      Cause.empty
    )
    assert.deepStrictEqual(lines, ["INFO: collected 3 {\"a\":1} stream=users"])
  })

  it("shows an error's name and message, not its (empty) JSON", () => {
    class Failed extends Schema.TaggedError<Failed>()("Failed", { detail: Schema.String }) {
      override get message() {
        return `collect failed: ${this.detail}`
      }
    }
    assert.deepStrictEqual(
      logger.formatEntry(
        LogLevel.Error,
        ["run:", new TypeError("disk full"), new Failed({ detail: "x" })],
        none,
        Cause.empty
      ),
      ["ERROR: run: TypeError: disk full Failed: collect failed: x"]
    )
  })

  it("doubles % so that Go's printf-style logger prints it as is", () => {
    assert.deepStrictEqual(logger.formatEntry(LogLevel.Warning, "100% done, %s %d", none, Cause.empty), [
      "WARN: 100%% done, %%s %%d"
    ])
  })

  it("splits a multi-line message into lines", () => {
    assert.deepStrictEqual(logger.formatEntry(LogLevel.Error, "first\nsecond", none, Cause.empty), [
      "ERROR: first",
      "second"
    ])
  })

  it("truncates a very long line", () => {
    const [line, ...rest] = logger.formatEntry(LogLevel.Info, "y".repeat(100_000), none, Cause.empty)
    assert.deepStrictEqual(rest, [])
    assert.isBelow(line!.length, 17_000)
    assert.isTrue(line!.startsWith("INFO: yyy"))
    assert.isTrue(line!.endsWith(" …(truncated)"))
  })

  it("keeps every line under the 64 KiB Go reads, whatever the characters", () => {
    for (const unit of ["%", "€", "🚀", "%€"]) {
      for (const line of logger.formatEntry(LogLevel.Info, unit.repeat(40_000), none, Cause.empty)) {
        assert.isBelow(Buffer.byteLength(line) + 1, 64 * 1024, unit)
      }
    }
  })

  it("appends the cause", () => {
    const lines = logger.formatEntry(LogLevel.Error, "failed", none, Cause.fail(new Error("disk full")))
    assert.strictEqual(lines[0], "ERROR: failed Error: disk full")
  })
})

describe("logger.layer", () => {
  let out: Array<string> = []
  let err: Array<string> = []
  beforeEach(() => {
    out = []
    err = []
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: any) => {
      out.push(String(chunk))
      return true
    })
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: any) => {
      err.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.effect("writes below error to stdout and error and above to stderr, one entry per write", () =>
    Effect.gen(function*() {
      yield* Effect.logDebug("d")
      yield* Effect.logInfo("i 50%")
      yield* Effect.logWarning("w")
      yield* Effect.logError("e")
      yield* Effect.logFatal("f")
      assert.deepStrictEqual(out, ["DEBUG: d\n", "INFO: i 50%%\n", "WARN: w\n"])
      assert.deepStrictEqual(err, ["ERROR: e\n", "FATAL: f\n"])
    }).pipe(Effect.provide(logger.layer(LogLevel.Debug))))

  it.effect("drops entries below the minimum level", () =>
    Effect.gen(function*() {
      yield* Effect.logDebug("d")
      yield* Effect.logInfo("i")
      yield* Effect.logWarning("w")
      assert.deepStrictEqual(out, ["WARN: w\n"])
      assert.deepStrictEqual(err, [])
    }).pipe(Effect.provide(logger.layer(LogLevel.Warning))))
})
