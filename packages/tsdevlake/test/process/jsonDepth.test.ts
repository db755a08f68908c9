import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { parseJsonArgument } from "../../src/internal/process/arguments.js"
import { exceedsJsonDepth, maxJsonDepth } from "../../src/internal/process/jsonDepth.js"

const nested = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth)
const objects = (depth: number) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)

describe("exceedsJsonDepth (issue 13, finding 11)", () => {
  it("accepts up to maxJsonDepth levels of arrays or objects, and refuses one more", () => {
    assert.isFalse(exceedsJsonDepth(nested(maxJsonDepth)))
    assert.isTrue(exceedsJsonDepth(nested(maxJsonDepth + 1)))
    assert.isFalse(exceedsJsonDepth(objects(maxJsonDepth)))
    assert.isTrue(exceedsJsonDepth(objects(maxJsonDepth + 1)))
    assert.isTrue(exceedsJsonDepth(nested(100_000)))
    assert.isFalse(exceedsJsonDepth(nested(3), 3))
    assert.isTrue(exceedsJsonDepth(nested(4), 3))
  })

  it("counts depth, not brackets: siblings at the same level do not add up", () => {
    assert.isFalse(exceedsJsonDepth(`[${Array.from({ length: 10_000 }, () => "[{}]").join(",")}]`))
  })

  it("does not count brackets inside strings, escaped quotes included", () => {
    assert.isFalse(exceedsJsonDepth(JSON.stringify({ text: nested(10_000) })))
    assert.isFalse(exceedsJsonDepth(JSON.stringify(["\\\"" + "[".repeat(10_000), "\\"])))
    // A closed string with an escaped backslash before its quote ends there: the brackets after it count.
    assert.isTrue(exceedsJsonDepth(`["\\\\",${nested(maxJsonDepth)}]`))
    assert.isFalse(exceedsJsonDepth(`["\\\\",${nested(maxJsonDepth - 1)}]`))
  })

  it("decides on the count of opening brackets alone only when it cannot exceed maxJsonDepth", () => {
    // Exactly maxJsonDepth openers, strings' included, in a long text: not too deep, whatever the closers.
    const padding = JSON.stringify({ pad: "x".repeat(10_000) })
    assert.isFalse(exceedsJsonDepth(`[${padding},${nested(maxJsonDepth - 2)}]`))
    // One more opener, inside a string: the scan decides, and it does not count that one.
    assert.isFalse(exceedsJsonDepth(`["[",${nested(maxJsonDepth - 1)}]`))
    assert.isTrue(exceedsJsonDepth(`["[",${nested(maxJsonDepth)}]`))
  })

  it("leaves any other judgement to JSON.parse: an unclosed string or stray brackets are not too deep", () => {
    assert.isFalse(exceedsJsonDepth(`"${"[".repeat(10_000)}`))
    assert.isFalse(exceedsJsonDepth("]".repeat(10_000) + nested(maxJsonDepth)))
    assert.isFalse(exceedsJsonDepth(""))
  })
})

describe("parseJsonArgument on deep JSON (issue 13, finding 11)", () => {
  it("refuses it naming the argument, before parsing", () => {
    const result = Effect.runSync(Effect.either(parseJsonArgument(nested(5000), "task context")))
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left.message, `invalid task context: JSON nested deeper than ${maxJsonDepth} levels`)
    }
    assert.deepStrictEqual(Effect.runSync(parseJsonArgument(nested(3), "task context")), [[[]]])
  })
})
