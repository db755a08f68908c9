import { assert, describe, it } from "@effect/vitest"
import { goJsonNumber, goJsonQuote, goJsonStringify } from "../../src/internal/process/goJson.js"

// Expected strings are what Go's json.Marshal writes for the same string value before Go 1.22 (DevLake's
// images are built with Go 1.20.5; the valid-UTF-16 rows were checked against go1.19 encoding/json, which
// escapes identically); the escapes are spelled out so the table reads as bytes.
const strings: ReadonlyArray<readonly [string, string, string]> = [
  ["plain", "p1", "\"p1\""],
  ["HTML-sensitive characters", "<a&b>", "\"\\u003ca\\u0026b\\u003e\""],
  ["non-ASCII kept as UTF-8", "Müller ü", "\"Müller ü\""],
  ["emoji (surrogate pair) kept", "ship 🚢 it", "\"ship 🚢 it\""],
  ["line and paragraph separators", "a\u2028b\u2029c", "\"a\\u2028b\\u2029c\""],
  ["quotes", "say \"hi\"", "\"say \\\"hi\\\"\""],
  ["backslashes", "C:\\dir\\", "\"C:\\\\dir\\\\\""],
  ["slash is not escaped", "a/b", "\"a/b\""],
  ["short escapes", "l1\nl2\r\tx", "\"l1\\nl2\\r\\tx\""],
  ["backspace and form feed as \\u00XX before Go 1.22", "\b\f", "\"\\u0008\\u000c\""],
  ["other control characters", "\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\""],
  ["DEL is not escaped", "\u007f", "\"\u007f\""],
  ["lone high surrogate", "a\ud83db", "\"a\\ufffdb\""],
  ["lone low surrogate", "a\ude00", "\"a\\ufffd\""],
  ["reversed pair is two lone surrogates", "\ude00\ud83d", "\"\\ufffd\\ufffd\""],
  ["a real U+FFFD stays literal", "\ufffd", "\"\ufffd\""],
  ["empty", "", "\"\""]
]

// Go's floatEncoder: %f unless |x| < 1e-6 or |x| >= 1e21, then %e with e-0X shortened to e-X (each row
// checked against go1.19 json.Marshal of the float64).
const numbers: ReadonlyArray<readonly [number, string]> = [
  [0, "0"],
  [-0, "-0"],
  [1, "1"],
  [-42, "-42"],
  [0.1, "0.1"],
  [1.5, "1.5"],
  [9007199254740991, "9007199254740991"],
  [1e20, "100000000000000000000"],
  [123456789012345680000, "123456789012345680000"],
  [1e21, "1e+21"],
  [1.5e21, "1.5e+21"],
  [-1e21, "-1e+21"],
  [1e300, "1e+300"],
  [0.000001, "0.000001"],
  [0.0000015, "0.0000015"],
  [1e-7, "1e-7"],
  [9.9e-7, "9.9e-7"],
  [1.2345e-8, "1.2345e-8"],
  [1e-10, "1e-10"],
  [5e-324, "5e-324"],
  [1.7976931348623157e308, "1.7976931348623157e+308"]
]

describe("goJsonQuote", () => {
  for (const [label, input, expected] of strings) {
    it(label, () => {
      assert.strictEqual(goJsonQuote(input), expected)
    })
  }

  it("writes \\b and \\f as Go 1.22+ does when asked", () => {
    assert.strictEqual(goJsonQuote("\b\f\u0007", { go122: true }), "\"\\b\\f\\u0007\"")
  })

  it("produces JSON that parses back to the input (for valid UTF-16)", () => {
    for (const [, input] of strings.filter(([label]) => !label.includes("surrogate"))) {
      assert.strictEqual(JSON.parse(goJsonQuote(input)), input)
    }
  })
})

describe("goJsonNumber", () => {
  for (const [input, expected] of numbers) {
    it(`${Object.is(input, -0) ? "-0" : input} → ${expected}`, () => {
      assert.strictEqual(goJsonNumber(input), expected)
    })
  }

  it("rejects NaN and infinities like Go's UnsupportedValueError", () => {
    assert.throws(() => goJsonNumber(NaN), /unsupported value: NaN/)
    assert.throws(() => goJsonNumber(Infinity), /unsupported value: Infinity/)
  })
})

describe("goJsonStringify", () => {
  it("keeps object keys in the given order, without spaces", () => {
    assert.strictEqual(
      goJsonStringify({ b: 1, a: [true, null, "x"], c: {} }),
      "{\"b\":1,\"a\":[true,null,\"x\"],\"c\":{}}"
    )
  })

  it("sorts keys by UTF-8 bytes like a Go map when asked", () => {
    // UTF-16 order would put U+FF21 after U+1F600's high surrogate (0xD83D); UTF-8 order puts it before.
    assert.strictEqual(
      goJsonStringify({ "b": 1, "\uff21": 2, "😀": 3, "a": 4, "B": 5 }, { sortKeys: true }),
      "{\"B\":5,\"a\":4,\"b\":1,\"\uff21\":2,\"😀\":3}"
    )
  })

  it("escapes keys like values", () => {
    assert.strictEqual(goJsonStringify({ "<k>": "&" }), "{\"\\u003ck\\u003e\":\"\\u0026\"}")
  })

  it("leaves out undefined properties and writes undefined array items as null", () => {
    assert.strictEqual(goJsonStringify({ a: undefined, b: [undefined as any, 1] }), "{\"b\":[null,1]}")
  })

  it("writes bigints as plain integers", () => {
    assert.strictEqual(goJsonStringify({ id: 18446744073709551615n }), "{\"id\":18446744073709551615}")
  })

  it("rejects values that are not plain JSON", () => {
    assert.throws(() => goJsonStringify({ at: new Date(0) } as any), /not plain JSON/)
    assert.throws(() => goJsonStringify({ f: (() => 1) as any }), /unsupported value at \$\.f: function/)
    assert.throws(() => goJsonStringify({ n: NaN }), /NaN/)
    const cyclic: any = { a: 1 }
    cyclic.self = cyclic
    assert.throws(() => goJsonStringify(cyclic), /cycle/)
  })

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { x: 1 }
    assert.strictEqual(goJsonStringify({ a: shared, b: shared }), "{\"a\":{\"x\":1},\"b\":{\"x\":1}}")
  })
})
