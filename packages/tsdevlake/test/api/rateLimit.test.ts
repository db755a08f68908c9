import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Stream, TestClock } from "effect"
import * as Api from "../../src/Api.js"
import * as Paginator from "../../src/Paginator.js"
import { runVirtual } from "../utils/faultServer.js"

const HOUR = 3_600_000

describe("Api rate limiting", () => {
  it.scoped("R requests per hour are never exceeded in any hour, across concurrent substreams", () =>
    Effect.gen(function*() {
      const R = 30
      const sent: Array<number> = []
      let inFlight = 0
      let maxInFlight = 0
      const transport = Api.stubTransport((_req, url) =>
        Effect.gen(function*() {
          sent.push(yield* Clock.currentTimeMillis)
          inFlight += 1
          maxInFlight = Math.max(maxInFlight, inFlight)
          yield* Effect.sleep("200 millis")
          inFlight -= 1
          const parent = Number(url.pathname.split("/")[2])
          const page = Number(url.searchParams.get("page"))
          return Response.json(page <= 5 ? [{ parent, page }] : [])
        })
      )
      const api = yield* Api.makeWith(
        { baseUrl: "https://api.test", rateLimitPerHour: R, concurrency: 3, timeout: "1 day" },
        transport
      )
      const out = yield* runVirtual(
        Stream.runCollect(
          Api.forEachParent(
            Stream.range(1, 20),
            (parent) => api.paginate(Paginator.pageNumber({ size: 1 }), { path: ["parents", parent] }),
            { concurrency: 4 }
          )
        ),
        { horizon: "2 hours" }
      )
      // 20 parents × (5 pages + the empty 6th) = 120 requests.
      assert.strictEqual(sent.length, 120)
      for (let i = 0; i + R < sent.length; i++) {
        assert.isAtLeast(sent[i + R]! - sent[i]!, HOUR, `requests ${i} and ${i + R} are less than an hour apart`)
      }
      assert.strictEqual(sent.filter((t) => t < HOUR).length, R)
      assert.strictEqual(maxInFlight, 3)
      const order = [...out].map((r) => r.data as { parent: number; page: number })
      assert.deepStrictEqual(
        order,
        Array.from({ length: 20 }, (_, p) => [1, 2, 3, 4, 5].map((page) => ({ parent: p + 1, page }))).flat()
      )
      const stats = yield* api.stats
      assert.strictEqual(stats.requests, 120)
      assert.isAtLeast(stats.rateLimitWaits, 3)
    }))

  it.scoped("tightens from X-RateLimit-Remaining / X-RateLimit-Reset so the server never says 429", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const budget = 3
      const window = 600_000
      const served: Array<number> = []
      let refused = 0
      const transport = Api.stubTransport(() =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const windowStart = Math.floor(now / window) * window
          const used = served.filter((t) => t >= windowStart).length
          const headers = {
            "x-ratelimit-remaining": String(Math.max(0, budget - used - 1)),
            "x-ratelimit-reset": String((windowStart + window) / 1000)
          }
          if (used >= budget) {
            refused += 1
            return new Response("{}", { status: 429, headers: { ...headers, "retry-after": "1" } })
          }
          served.push(now)
          return Response.json({ ok: true }, { headers })
        })
      )
      const api = yield* Api.makeWith({ baseUrl: "https://api.test", concurrency: 1, timeout: "1 day" }, transport)
      yield* runVirtual(Effect.forEach(Array.from({ length: 8 }), () => api.get("x")), { horizon: "1 hour" })
      assert.strictEqual(refused, 0)
      assert.strictEqual(served.length, 8)
      // 3 + 3 + 2 across three windows
      const windows = served.map((t) => Math.floor(t / window))
      assert.deepStrictEqual(windows.map((w) => w - windows[0]!), [0, 0, 0, 1, 1, 1, 2, 2])
    }))

  it.scoped("a 429 pauses every request of the connection, not only the refused one", () =>
    Effect.gen(function*() {
      const sentB: Array<number> = []
      let firstA = true
      const transport = Api.stubTransport((_req, url) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          if (url.pathname === "/a") {
            if (firstA) {
              firstA = false
              return new Response("{}", { status: 429, headers: { "retry-after": "10" } })
            }
            return Response.json("a")
          }
          sentB.push(now)
          return Response.json("b")
        })
      )
      const api = yield* Api.makeWith({ baseUrl: "https://api.test", timeout: "1 day" }, transport)
      const start = yield* Clock.currentTimeMillis
      const [a, b] = yield* runVirtual(
        Effect.all([api.get("a"), Effect.zipRight(Effect.sleep("1 second"), api.get("b"))], { concurrency: 2 })
      )
      assert.deepStrictEqual([a, b], ["a", "b"])
      assert.isAtLeast(sentB[0]! - start, 10_000)
      const stats = yield* api.stats
      assert.strictEqual(stats.rateLimitWaits, 1)
    }))

  it.scoped("a window other than an hour", () =>
    Effect.gen(function*() {
      const sent: Array<number> = []
      const transport = Api.stubTransport(() =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          sent.push(now)
          return Response.json(1)
        })
      )
      const api = yield* Api.makeWith(
        { baseUrl: "https://api.test", rateLimit: { limit: 2, interval: "1 second" }, timeout: "1 day" },
        transport
      )
      yield* runVirtual(Effect.all(Array.from({ length: 5 }, () => api.get("x")), { concurrency: 5 }))
      assert.deepStrictEqual(sent, [0, 0, 1000, 1000, 2000])
    }))
})
