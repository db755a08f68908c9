import * as Headers from "@effect/platform/Headers"
import { assert, describe, it } from "@effect/vitest"
import { Option } from "effect"
import { RateLimited, Transient } from "../../src/internal/api/errors.js"
import { budgetExhausted, delayFor, retryAfterOf, retryPolicyOf, untilResetOf } from "../../src/internal/api/retry.js"

const now = Date.parse("2024-01-01T00:00:00Z")
const transient = (retryAfterMillis?: number) =>
  new Transient({
    method: "GET",
    url: "https://api.test/x",
    reason: "status",
    ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {})
  })

describe("retry", () => {
  it("fills the policy's defaults and bounds", () => {
    const policy = retryPolicyOf({ baseUrl: "https://api.test" })
    assert.deepInclude(policy, {
      maxAttempts: 5,
      baseDelay: 1000,
      maxDelay: 60_000,
      factor: 2,
      jitter: 0.5,
      maxRetryAfter: 3_600_000
    })
    const bounded = retryPolicyOf({ baseUrl: "https://api.test", retry: { maxAttempts: 0, jitter: 3 } })
    assert.strictEqual(bounded.maxAttempts, 1)
    assert.strictEqual(bounded.jitter, 1)
  })

  it("backs off exponentially, capped, with jitter taken off", () => {
    const retry = { baseDelay: "1 second", maxDelay: "5 seconds" } as const
    const policy = retryPolicyOf({ baseUrl: "https://api.test", retry })
    assert.deepStrictEqual(delayFor(policy, transient(), 1, 0), Option.some(1000))
    assert.deepStrictEqual(delayFor(policy, transient(), 2, 0), Option.some(2000))
    assert.deepStrictEqual(delayFor(policy, transient(), 3, 0), Option.some(4000))
    assert.deepStrictEqual(delayFor(policy, transient(), 4, 0), Option.some(5000))
    // r takes off up to `jitter` (0.5) of the delay.
    assert.deepStrictEqual(delayFor(policy, transient(), 2, 0.5), Option.some(1500))
  })

  it("waits what the server asked, or gives up when that is longer than maxRetryAfter", () => {
    const policy = retryPolicyOf({ baseUrl: "https://api.test", retry: { maxRetryAfter: "1 minute" } })
    const limited = new RateLimited({ method: "GET", url: "https://api.test/x", retryAfterMillis: 30_000 })
    assert.deepStrictEqual(delayFor(policy, limited, 1, 0.9), Option.some(30_000))
    assert.deepStrictEqual(delayFor(policy, transient(60_001), 1, 0), Option.none())
  })

  it("reads Retry-After as seconds or an HTTP-date", () => {
    assert.strictEqual(retryAfterOf(Headers.fromInput({ "retry-after": "120" }), now), 120_000)
    assert.strictEqual(retryAfterOf(Headers.fromInput({ "retry-after": "1.5" }), now), 1500)
    assert.strictEqual(
      retryAfterOf(Headers.fromInput({ "retry-after": "Mon, 01 Jan 2024 00:01:00 GMT" }), now),
      60_000
    )
    // A date in the past means now.
    assert.strictEqual(retryAfterOf(Headers.fromInput({ "retry-after": "Sun, 31 Dec 2023 00:00:00 GMT" }), now), 0)
    assert.strictEqual(retryAfterOf(Headers.fromInput({ "retry-after": "soon" }), now), undefined)
    assert.strictEqual(retryAfterOf(Headers.empty, now), undefined)
  })

  it("reads the server's budget and its reset (epoch seconds, or seconds from now)", () => {
    assert.isTrue(budgetExhausted(Headers.fromInput({ "x-ratelimit-remaining": " 0 " })))
    assert.isFalse(budgetExhausted(Headers.fromInput({ "x-ratelimit-remaining": "3" })))
    assert.isFalse(budgetExhausted(Headers.empty))
    assert.strictEqual(untilResetOf(Headers.fromInput({ "x-ratelimit-reset": String(now / 1000 + 90) }), now), 90_000)
    assert.strictEqual(untilResetOf(Headers.fromInput({ "x-ratelimit-reset": "30" }), now), 30_000)
    assert.strictEqual(untilResetOf(Headers.fromInput({ "x-ratelimit-reset": String(now / 1000 - 90) }), now), 0)
    assert.strictEqual(untilResetOf(Headers.empty, now), undefined)
  })
})
