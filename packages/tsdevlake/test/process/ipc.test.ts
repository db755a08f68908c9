import { assert, describe, it } from "@effect/vitest"
import { Effect, Ref } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Ipc from "../../src/Ipc.js"

const withMemory = <A, E>(maxLineBytes: number, f: (ipc: Ipc.Ipc["Type"]) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const lines = yield* Ref.make<ReadonlyArray<string>>([])
    const result = yield* Effect.either(
      Effect.flatMap(Ipc.Ipc, f).pipe(Effect.provide(Ipc.layerMemory(lines, { maxLineBytes })))
    )
    return { result, lines: yield* Ref.get(lines) }
  })

// Offsets (in the JSON text) that lie outside string literals, by an independent scan.
const outsideStrings = (json: string): Set<number> => {
  const out = new Set<number>()
  let inString = false
  let escaped = false
  for (let i = 0; i <= json.length; i++) {
    if (!inString) out.add(i)
    const c = json[i]
    if (inString) {
      if (escaped) escaped = false
      else if (c === "\\") escaped = true
      else if (c === "\"") inString = false
    } else if (c === "\"") {
      inString = true
    }
  }
  return out
}

const tricky = [
  "plain",
  "a,b,c",
  "{not:an object}",
  "[1,2]",
  "quote \" inside",
  "escaped \\\" quote",
  "ends with backslash \\",
  "\\\\",
  "ünïcödé 🚀, {\"x\":1}",
  "line\nbreak\ttab"
]

const bigValue = {
  plan: Array.from(
    { length: 40 },
    (_, i) => [{ plugin: "p", subtasks: tricky, options: { i, name: tricky[i % tricky.length] } }]
  ),
  scopes: tricky.map((t, i) => ({ type_name: "repo", data: JSON.stringify({ id: i, t }) }))
}

describe("Ipc.send", () => {
  it.effect("writes one JSON line per message", () =>
    Effect.gen(function*() {
      const { result, lines } = yield* withMemory(1000, (ipc) =>
        Effect.zipRight(
          ipc.send({ current: 1, total: 2, increment: 1 }),
          ipc.send({ type: "group", id: "g", name: "a\nb" })
        ))
      assert.isTrue(result._tag === "Right")
      assert.deepStrictEqual(lines, [
        "{\"current\":1,\"total\":2,\"increment\":1}",
        "{\"type\":\"group\",\"id\":\"g\",\"name\":\"a\\nb\"}"
      ])
    }))

  it.effect("rejects a message longer than the line limit, counting bytes, and writes nothing", () =>
    Effect.gen(function*() {
      // {"s":"…"} is 8 bytes around the string.
      const fits = yield* withMemory(20, (ipc) => ipc.send({ s: "ü".repeat(6) }))
      assert.deepStrictEqual(fits.lines, ["{\"s\":\"üüüüüü\"}"])
      const tooLong = yield* withMemory(20, (ipc) => ipc.send({ s: "ü".repeat(7) }))
      assert.deepStrictEqual(tooLong.lines, [])
      assert.isTrue(tooLong.result._tag === "Left")
      if (tooLong.result._tag === "Left") {
        assert.strictEqual(tooLong.result.left.reason, "LineTooLong")
        assert.include(tooLong.result.left.message, "22-byte message exceeds the 20-byte line limit")
      }
    }))

  it.effect("rejects a value with no JSON form", () =>
    Effect.gen(function*() {
      for (
        const value of [undefined, 1n, {
          toJSON: () => {
            throw new Error("nope")
          }
        }]
      ) {
        const { result, lines } = yield* withMemory(1000, (ipc) => ipc.send(value))
        assert.deepStrictEqual(lines, [])
        assert.isTrue(result._tag === "Left" && result.left.reason === "NotJson")
      }
    }))

  it("the default limit is what bufio.Scanner reads: 64 KiB including the newline", () => {
    assert.strictEqual(Ipc.maxLineBytes, 65535)
  })
})

describe("Ipc.reply", () => {
  it.effect("writes a small value as one line", () =>
    Effect.gen(function*() {
      const { lines } = yield* withMemory(1000, (ipc) => ipc.reply({ success: true, message: "ok", status: 200 }))
      assert.deepStrictEqual(lines, ["{\"success\":true,\"message\":\"ok\",\"status\":200}"])
    }))

  for (const limit of [64, 97, 300, 1000]) {
    it.effect(`splits a big value between JSON tokens into lines of at most ${limit} bytes`, () =>
      Effect.gen(function*() {
        const json = JSON.stringify(bigValue)
        const { result, lines } = yield* withMemory(limit, (ipc) => ipc.reply(bigValue))
        assert.isTrue(result._tag === "Right")
        assert.isAbove(lines.length, 1)
        for (const line of lines) {
          assert.isAtMost(Buffer.byteLength(line), limit)
          assert.notInclude(line, "\n")
        }
        assert.strictEqual(lines.join(""), json)
        assert.deepStrictEqual(JSON.parse(lines.join("")), bigValue)
        const safe = outsideStrings(json)
        let offset = 0
        for (const line of lines) {
          offset += line.length
          assert.isTrue(safe.has(offset), `cut inside a string at ${offset}: …${json.slice(offset - 10, offset + 10)}…`)
        }
      }))
  }

  it.effect("fails when one token is longer than a line", () =>
    Effect.gen(function*() {
      const { result, lines } = yield* withMemory(50, (ipc) => ipc.reply({ a: 1, long: "x".repeat(60) }))
      assert.deepStrictEqual(lines, [])
      assert.isTrue(result._tag === "Left" && result.left.reason === "LineTooLong")
    }))
})

describe("Ipc.splitJson", () => {
  it("keeps a text that fits as one line", () => {
    assert.deepStrictEqual(Ipc.splitJson("{\"a\":[1,2]}", 11), ["{\"a\":[1,2]}"])
  })

  it("cuts only after , : [ { outside strings", () => {
    const json = JSON.stringify({ "k,{": ["a\",[b", "c:d"], e: 1 })
    const lines = Ipc.splitJson(json, 12)!
    assert.strictEqual(lines.join(""), json)
    assert.deepStrictEqual(lines, ["{\"k,{\":[", "\"a\\\",[b\",", "\"c:d\"],\"e\":", "1}"])
  })

  it("returns undefined when one token does not fit", () => {
    assert.isUndefined(Ipc.splitJson(JSON.stringify({ s: "y".repeat(30) }), 20))
    // Bytes, not characters: 8 two-byte characters make an 18-byte token.
    assert.isUndefined(Ipc.splitJson(JSON.stringify(["ü".repeat(8), 1]), 17))
    assert.deepStrictEqual(Ipc.splitJson(JSON.stringify(["ü".repeat(8), 1]), 19), ["[", "\"üüüüüüüü\",", "1]"])
  })
})

describe("Ipc.layer on a file descriptor", () => {
  const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-ipc-")), "fd3")

  it("isReplyChannel: true for an open file, false for a closed descriptor or a directory", () => {
    const file = tmp()
    const fd = fs.openSync(file, "w")
    assert.isTrue(Ipc.isReplyChannel(fd))
    fs.closeSync(fd)
    assert.isFalse(Ipc.isReplyChannel(fd))
    const dir = fs.openSync(path.dirname(file), "r")
    try {
      assert.isFalse(Ipc.isReplyChannel(dir))
    } finally {
      fs.closeSync(dir)
    }
  })

  it.effect("writes newline-terminated lines to the descriptor", () =>
    Effect.gen(function*() {
      const file = tmp()
      const fd = fs.openSync(file, "w")
      yield* Effect.flatMap(Ipc.Ipc, (ipc) => Effect.zipRight(ipc.send({ n: 1 }), ipc.reply({ list: ["a", "b", "c"] })))
        .pipe(
          Effect.provide(Ipc.layer({ fd, maxLineBytes: 10 })),
          Effect.ensuring(Effect.sync(() => fs.closeSync(fd)))
        )
      assert.strictEqual(fs.readFileSync(file, "utf8"), "{\"n\":1}\n{\"list\":[\n\"a\",\"b\",\n\"c\"]}\n")
    }))

  it.effect("builds without the descriptor and fails at the first write", () =>
    Effect.gen(function*() {
      const fd = fs.openSync(tmp(), "w")
      fs.closeSync(fd)
      const error = yield* Effect.flatMap(Ipc.Ipc, (ipc) => ipc.send({ n: 1 })).pipe(
        Effect.provide(Ipc.layer({ fd })),
        Effect.flip
      )
      assert.strictEqual(error.reason, "FdUnavailable")
      assert.include(error.message, `file descriptor ${fd} is not open`)
    }))
})
