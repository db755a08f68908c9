/**
 * Issue 13, finding 9 (a silent or failing API): every retry and every rate-limit wait of more than a second is
 * logged at info level, naming the request, the reason and the delay; a connection test makes one short attempt.
 * Finding 12: a base URL that no request could use (another scheme than http and https) fails when the client is
 * built, so test-connection answers instead of failing while it sends.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Clock, Effect, Either, Exit, Logger, LogLevel, Option, Redacted } from "effect"
import * as Api from "../../src/Api.js"
import { connectionTest, connectionTestLimits } from "../../src/internal/api/settings.js"
import * as FaultServer from "../utils/faultServer.js"

/** Runs `effect` with its info (and higher) lines collected as `LEVEL message`. */
const logged = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const logger = Logger.make(({ logLevel, message }) => {
      lines.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
    })
    const result = yield* Effect.either(effect).pipe(
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Logger.withMinimumLogLevel(LogLevel.Info)
    )
    return { result, lines }
  })

describe("Api liveness (issue 13, finding 9)", () => {
  it.scoped("each retry is one info line naming the request (secrets masked), the reason and the delay", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/x", [{ status: 503 }, { reset: true }, { status: 429, headers: { "retry-after": "3" } }])
      server.route("/api/x", () => ({ body: { ok: true } }))
      const api = yield* Api.make({
        baseUrl: `${server.url}/api`,
        timeout: "1 day",
        retry: { baseDelay: "2 seconds", jitter: 0 },
        secrets: [Redacted.make("s3cret")]
      })
      const { lines, result } = yield* logged(FaultServer.runVirtual(api.get("x", { query: { q: "s3cret" } })))
      assert.deepStrictEqual(result, Either.right({ ok: true }))
      const url = `${server.url}/api/x?q=***`
      assert.deepStrictEqual(lines.slice(0, 2), [
        `INFO Api 127.0.0.1:${
          new URL(server.url).port
        }: GET ${url} failed with HTTP 503; retrying in 2 s (attempt 2 of 5)`,
        `INFO Api 127.0.0.1:${new URL(server.url).port}: GET ${url} failed in transport (${
          lines[1]!.match(/in transport \((.*)\); retrying/)?.[1]
        }); retrying in 4 s (attempt 3 of 5)`
      ])
      assert.match(
        lines[2]!,
        /GET .*\/api\/x\?q=\*\*\* was rate limited \(HTTP 429\); retrying in 3 s \(attempt 4 of 5\)$/
      )
      assert.strictEqual(lines.length, 3, lines.join("\n"))
      assert.isFalse(lines.some((line) => line.includes("s3cret")))
    }))

  it.scoped("a rate-limit wait of more than a second is announced before it starts, with its reason", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      let now = 0
      server.route("/api/budget", () => ({
        body: [],
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(now / 1000) + 90) }
      }))
      server.route("/api/free", () => ({ body: [] }))
      const api = yield* Api.make({ baseUrl: `${server.url}/api`, timeout: "1 day", rateLimitPerHour: 2 })
      now = yield* Clock.currentTimeMillis
      const { lines, result } = yield* logged(FaultServer.runVirtual(
        Effect.gen(function*() {
          // The server's budget: 0 left until 90 s from now; then the connection's own 2 per hour.
          yield* api.get("budget")
          yield* api.get("free")
          yield* api.get("free")
        }),
        { horizon: "2 hours" }
      ))
      assert.isTrue(Either.isRight(result), String(result))
      assert.strictEqual(lines.length, 2, lines.join("\n"))
      assert.match(lines[0]!, /^INFO Api .*: GET .*\/api\/free waits 90 s \(server's rate-limit budget spent\)$/)
      assert.match(lines[1]!, /^INFO Api .*: GET .*\/api\/free waits 3510 s \(connection's rate limit\)$/)
    }))

  it.scoped("a wait of a second or less, the common case under a rate limit, is not announced", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.script("/api/x", [{ status: 429, headers: { "retry-after": "1" } }])
      server.route("/api/x", () => ({ body: [] }))
      const api = yield* Api.make({ baseUrl: `${server.url}/api`, timeout: "1 day" })
      const { lines } = yield* logged(FaultServer.runVirtual(Effect.all([api.get("x"), api.get("x")])))
      // The retry's own line only: the other request's wait behind the server's pause is 1 s at most.
      assert.strictEqual(lines.filter((line) => line.includes("waits")).length, 0, lines.join("\n"))
    }))
})

describe("connectionTest (issue 13, finding 9)", () => {
  it.scoped("one attempt, failing at the test's short timeout, whatever the client's options say", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/api/silent", () => ({ hang: true }))
      server.route("/api/down", () => ({ status: 503 }))
      const build = Api.make({ baseUrl: `${server.url}/api`, timeout: "1 day", retry: { maxAttempts: 5 } })
      const api = yield* connectionTest(build)
      const start = yield* Clock.currentTimeMillis
      const silent = yield* Effect.flip(FaultServer.runVirtual(api.get("silent"), { horizon: "1 minute" }))
      assert.strictEqual(silent._tag, "Transient")
      assert.include(silent.message, "timed out")
      assert.include(silent.message, "after 1 attempt")
      assert.strictEqual((yield* Clock.currentTimeMillis) - start, 10_000)
      const down = yield* Effect.flip(FaultServer.runVirtual(api.get("down")))
      assert.include(down.message, "after 1 attempt")
      assert.strictEqual(server.requestsTo("/api/down").length, 1)
      assert.strictEqual(connectionTestLimits.maxAttempts, 1)
      // A client built outside a connection test keeps its options.
      const normal = yield* build
      const retried = yield* Effect.flip(FaultServer.runVirtual(normal.get("down")))
      assert.include(retried.message, "after 5 attempts")
    }))
})

describe("base URL schemes (issue 13, finding 12)", () => {
  it.scoped("a base URL of another scheme than http(s) is a defect at build time, naming no URL", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["javascript:alert(1)", "ftp://u:s3cret@host/", "file:///etc/passwd"]) {
        const exit = yield* Effect.exit(Api.make({ baseUrl }))
        assert.isTrue(Exit.isFailure(exit), baseUrl)
        const defect = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.dieOption(exit.cause)) : undefined
        assert.strictEqual(String(defect), "Error: Api: the connection's base URL is not an http(s):// URL")
      }
      const fine = yield* Effect.exit(Api.make({ baseUrl: "HTTPS://api.test/v1" }))
      assert.isTrue(Exit.isSuccess(fine))
    }))
})
