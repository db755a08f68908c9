import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import { parseLinkNext, parseReset, parseRetryAfter } from "../../src/internal/api/headers.js"

const now = Date.UTC(2024, 0, 1, 12, 0, 0)

describe("headers", () => {
  it("reads Retry-After as delta-seconds or an HTTP-date, never as a negative wait", () => {
    assert.deepStrictEqual(parseRetryAfter(" 2.5 ", now), Option.some(2500))
    assert.deepStrictEqual(parseRetryAfter("Mon, 01 Jan 2024 12:00:30 GMT", now), Option.some(30_000))
    assert.deepStrictEqual(parseRetryAfter("Mon, 01 Jan 2024 11:00:00 GMT", now), Option.some(0))
    assert.isTrue(Option.isNone(parseRetryAfter("soon", now)))
  })

  it("reads a rate-limit reset as epoch seconds, or as seconds from now when small", () => {
    assert.deepStrictEqual(parseReset(String(now / 1000 + 60), now), Option.some(now + 60_000))
    assert.deepStrictEqual(parseReset("60", now), Option.some(now + 60_000))
    assert.isTrue(Option.isNone(parseReset("-1", now)))
    assert.isTrue(Option.isNone(parseReset("later", now)))
  })

  it("finds the rel=next target of a Link header, whatever the order and quoting", () => {
    const link = `<https://api.test/x?page=1>; rel="prev", <https://api.test/x?page=3>; rel="next last"`
    assert.deepStrictEqual(parseLinkNext(link), Option.some("https://api.test/x?page=3"))
    assert.deepStrictEqual(
      parseLinkNext("<https://api.test/x?a=1,2>; rel=next"),
      Option.some("https://api.test/x?a=1,2")
    )
    assert.isTrue(Option.isNone(parseLinkNext(`<https://api.test/x?page=1>; rel="prev"`)))
  })
})
