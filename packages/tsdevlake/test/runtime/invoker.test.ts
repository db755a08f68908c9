import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Invoker from "../../src/Invoker.js"
import { argvOf, splitLines } from "../../src/internal/runtime/invoker.js"

const dirs: Array<string> = []
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })))

const script = (body: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-invoker-"))
  dirs.push(dir)
  const runSh = path.join(dir, "run.sh")
  fs.writeFileSync(runSh, `#!/bin/sh\n${body}\n`, { mode: 0o755 })
  return runSh
}

describe("argvOf", () => {
  it("is the method, the config and each argument JSON-encoded, then the raw arguments", () => {
    assert.deepStrictEqual(argvOf({ runSh: "run.sh", method: "plugin-info" }), ["plugin-info", "{\"log_level\":\"\"}"])
    assert.deepStrictEqual(
      argvOf({
        runSh: "run.sh",
        method: "remote-scopes",
        config: { log_level: "debug" },
        args: [{ id: 1 }, ""],
        rawArgs: ["{"]
      }),
      ["remote-scopes", "{\"log_level\":\"debug\"}", "{\"id\":1}", "\"\"", "{"]
    )
  })

  it("leaves the config out when it is null, as servers before v1.0.0-beta4 did", () => {
    assert.deepStrictEqual(argvOf({ runSh: "run.sh", method: "test-connection", config: null, args: [{}] }), [
      "test-connection",
      "{}"
    ])
  })
})

describe("splitLines", () => {
  it("cuts lines across chunks, drops \\r before \\n, and flushes a last line at the end", () => {
    const lines: Array<string> = []
    const split = splitLines((line) => lines.push(line))
    split.push(Buffer.from("a\r\nb"))
    split.push(Buffer.from("c\n\nd"))
    assert.deepStrictEqual(lines, ["a", "bc", ""])
    split.end()
    split.end()
    assert.deepStrictEqual(lines, ["a", "bc", "", "d"])
  })
})

describe("Invoker", () => {
  it.effect("run collects fd 3, stdout and stderr lines and the exit code", () =>
    Effect.gen(function*() {
      const runSh = script("echo \"$1 $2\" >&3\necho out\necho err >&2\nexit 3")
      const result = yield* Invoker.run({ runSh, method: "plugin-info" })
      assert.deepStrictEqual(result.lines, ["plugin-info {\"log_level\":\"\"}"])
      assert.deepStrictEqual(result.stdout, ["out"])
      assert.deepStrictEqual(result.stderr, ["err"])
      assert.strictEqual(result.exitCode, 3)
      assert.strictEqual(result.longestLineBytes, Buffer.byteLength("plugin-info {\"log_level\":\"\"}"))
    }))

  it.effect("call decodes the concatenated lines; stream each line", () =>
    Effect.gen(function*() {
      const runSh = script("printf '{\"a\":\\n[1,\\n2]}\\n' >&3")
      assert.deepStrictEqual(yield* Invoker.call({ runSh, method: "make-pipeline" }), { a: [1, 2] })
      const lines = script("echo '{\"n\":1}' >&3\necho '{\"n\":2}' >&3")
      assert.deepStrictEqual(yield* Invoker.stream({ runSh: lines, method: "collect" }), [{ n: 1 }, { n: 2 }])
    }))

  it.effect("a non-zero exit fails with the stderr lines, a reply that is not JSON names it", () =>
    Effect.gen(function*() {
      const failing = yield* Effect.flip(
        Invoker.call({ runSh: script("echo one >&2\necho two >&2\nexit 1"), method: "collect" })
      )
      assert.strictEqual(failing._tag, "InvokeError")
      assert.strictEqual(failing.message, "collect: exit 1: one | two")
      const notJson = yield* Effect.flip(Invoker.stream({ runSh: script("echo nope >&3"), method: "collect" }))
      assert.strictEqual(notJson.message, "collect: a line on fd 3 is not JSON")
    }))

  it.effect("a run.sh that cannot be started is an InvokeError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Invoker.run({ runSh: path.join(os.tmpdir(), "no-such-dir-tsdevlake", "run.sh"), method: "x" })
      )
      assert.match(error.message, /^x: cannot start /)
    }))
})
