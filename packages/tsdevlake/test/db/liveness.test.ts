/**
 * Issue 13, findings 7 and 8: a database server that accepts and never answers fails the connect at the default
 * 10 s (or the URL's own timeout), naming the host and never the password; a PostgreSQL server that stops
 * answering mid-run fails the statement at the URL's `statement_timeout` (5 minutes by default).
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import * as Db from "../../src/Db.js"
import { defaultConnectTimeoutMillis, defaultQueryTimeoutMillis } from "../../src/internal/db/open.js"
import { parseDbUrl } from "../../src/internal/db/url.js"
import { pgUrl, testDatabases } from "../utils/databases.js"
import { freezableProxy, silentServer } from "../utils/tcp.js"

const failureOf = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") return assert.fail(`expected a failure: ${exit}`)
    return exit.cause.error
  })

/** The Database of `url`, open until the scope closes. */
const open = (url: string) => Effect.map(Layer.build(Db.layer(url)), (context) => Context.get(context, Db.Database))

const elapsed = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const start = Date.now()
    const result = yield* effect
    return { result, seconds: (Date.now() - start) / 1000 }
  })

const reachable = (await testDatabases()).find((d) => d.name === "postgres")?.skip === undefined

describe("connect timeouts (finding 7)", () => {
  it("default to 10 s on every network driver", () => {
    assert.strictEqual(defaultConnectTimeoutMillis, 10_000)
    assert.strictEqual(defaultQueryTimeoutMillis, 300_000)
  })

  it.scopedLive(
    "a server that accepts and never answers fails the connect, in one line naming the host",
    () =>
      Effect.gen(function*() {
        const silent = yield* Effect.promise(() => silentServer())
        yield* Effect.addFinalizer(() => Effect.promise(() => silent.close()))
        const urls = [
          // The default, on PostgreSQL: it waited for minutes before.
          `postgres://lake:s3cretpw@127.0.0.1:${silent.port}/lake?sslmode=disable`,
          // The URL's own, on both drivers.
          `postgres://lake:s3cretpw@127.0.0.1:${silent.port}/lake?connect_timeout=1`,
          `mysql://lake:s3cretpw@127.0.0.1:${silent.port}/lake?timeout=1s`
        ]
        const failures = yield* Effect.all(
          urls.map((url) => elapsed(failureOf(Effect.scoped(open(url))))),
          { concurrency: "unbounded" }
        )
        for (const [i, { result, seconds }] of failures.entries()) {
          assert.strictEqual(result._tag, "DbError", urls[i])
          assert.include(result.message, `at 127.0.0.1:${silent.port} as lake`)
          assert.notInclude(result.message, "s3cretpw")
          assert.notInclude(result.message, "\n")
          // Bounds far above the timeouts (CI machines are slow), far below the minutes it took before.
          assert.isBelow(seconds, i === 0 ? 60 : 30, urls[i])
        }
        assert.isAtLeast(failures[0]!.seconds, 9, "the default is 10 s, not shorter")
      }),
    { timeout: 90_000 }
  )
})

describe("statement_timeout (finding 8)", () => {
  it.effect("is read from a PostgreSQL URL in millis or with a unit; 0 turns it off", () =>
    Effect.gen(function*() {
      const timeoutOf = (query: string) =>
        Effect.map(parseDbUrl(`postgres://u@h/db${query}`), (c) => c.dialect === "postgres" && c.statementTimeoutMillis)
      assert.strictEqual(yield* timeoutOf(""), undefined)
      assert.strictEqual(yield* timeoutOf("?statement_timeout=1500"), 1500)
      assert.strictEqual(yield* timeoutOf("?statement_timeout=30s"), 30_000)
      assert.strictEqual(yield* timeoutOf("?statement_timeout=5min"), 300_000)
      assert.strictEqual(yield* timeoutOf("?statement_timeout=0"), 0)
      const bad = yield* Effect.flip(parseDbUrl("postgres://u:pw@h/db?statement_timeout=soon"))
      assert.include(bad.message, "statement_timeout must be a number of milliseconds")
    }))

  it.scopedLive.skipIf(!reachable)(
    "a PostgreSQL server that stops answering mid-run fails the statement",
    () =>
      Effect.gen(function*() {
        const target = new URL(pgUrl)
        const proxy = yield* Effect.promise(() => freezableProxy(target.hostname, Number(target.port || 5432)))
        yield* Effect.addFinalizer(() => Effect.promise(() => proxy.close()))
        const url = new URL(pgUrl)
        url.host = `127.0.0.1:${proxy.port}`
        url.searchParams.set("statement_timeout", "2s")
        const error = yield* Effect.scoped(Effect.gen(function*() {
          const db = yield* open(url.toString())
          assert.deepStrictEqual(yield* db.execute("SELECT 1 AS x"), [{ x: 1 }])
          proxy.freeze()
          return yield* failureOf(db.execute("SELECT 2 AS x"))
        }))
        assert.strictEqual(error._tag, "DbError")
        assert.include(
          error.message,
          `PostgreSQL at 127.0.0.1:${proxy.port} did not answer within 2s (statement_timeout)`
        )
        assert.notInclude(error.message, "\n")
      }),
    { timeout: 60_000 }
  )
})
