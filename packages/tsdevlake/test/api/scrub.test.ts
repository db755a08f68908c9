import { assert, describe, it } from "@effect/vitest"
import { defaultSecretParams, excerpt, makeScrubber, sanitizeUrl } from "../../src/internal/api/scrub.js"

describe("scrub", () => {
  it("shows a URL without user-info, fragment or secret query parameters (names compared case-insensitively)", () => {
    const secret = new Set(defaultSecretParams)
    assert.strictEqual(
      sanitizeUrl("https://u:p@api.test/x?Access_Token=1&page=2#frag", secret),
      "https://api.test/x?page=2"
    )
    // Not a URL: the whole query goes, since which part is secret cannot be told.
    assert.strictEqual(sanitizeUrl("not a url?token=1", secret), "not a url")
  })

  it("masks secret values and their URL-encoded forms, longest first, and skips values too short to mask", () => {
    const scrub = makeScrubber(["a b/c", "a b/cd", "ab"])
    assert.strictEqual(scrub("a b/cd and a%20b%2Fc and ab"), "*** and *** and ab")
    assert.strictEqual(makeScrubber([])("unchanged"), "unchanged")
  })

  it("cuts a body to one short line", () => {
    assert.strictEqual(excerpt("  line one\n\n  line two  "), "line one line two")
    assert.strictEqual(excerpt("x".repeat(10), 4), "xxxx…")
  })
})
