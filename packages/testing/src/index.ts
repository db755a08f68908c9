/**
 * The test kit for tsdevlake plugins, on `@effect/vitest`: the databases a plugin's tests run on (SQLite always,
 * MySQL and PostgreSQL when their servers answer), task contexts built as DevLake sends them (`context`,
 * `layer`), and assertions on a plugin (`assertValidPlugin`), on a stream's extract and convert
 * (`assertStreamConvert`), on a stream's run (`assertStreamRun`) and on a plugin's run as DevLake drives it
 * (`assertPluginRun`). Each assertion fails with an `AssertionError` naming the plugin, the stream and what is
 * wrong (the field, the row, the request).
 *
 * The plugin's own API client runs in tests over an in-memory network (`Testing.Api`): canned responses by route
 * (`Api.routes`), or responses recorded once from the real API (`Api.record`, secrets scrubbed) and replayed
 * offline (`Api.replay`). `advanceUntilDone` runs an effect on `TestClock` to its end, so retries, backoff and
 * rate limits take no real time.
 *
 * @example
 * import { describe, expect, it } from "@effect/vitest"
 * import * as Testing from "@tsdevlake/testing"
 *
 * const connection = { url: "https://api.test/", token: "t" }
 * const api = Testing.Api.routes({
 *   "GET /users": { body: { results: [{ id: "1", name: "Ann" }], nextPage: null } }
 * })
 *
 * describe("my plugin", () => {
 *   it("is valid", () => Testing.assertValidPlugin(MyPlugin))
 *   it.effect("converts a user", () =>
 *     Testing.assertStreamConvert(MyPlugin, Users, [{ id: "1", name: "Ann" }], [expectedAccount], { connection }))
 *   it.effect("runs the users stream", () =>
 *     Effect.gen(function*() {
 *       const counts = yield* Testing.assertStreamRun(MyPlugin, Users, { connection, api })
 *       expect(counts["accounts"]).toBe(1)
 *     }))
 *   it.effect("waits out a 429", () =>
 *     Effect.gen(function*() {
 *       const [elapsed] = yield* Testing.advanceUntilDone(Testing.assertStreamRun(MyPlugin, Users, {
 *         connection,
 *         api: Testing.Api.routes({ "GET /users": [{ status: 429, headers: { "retry-after": "30" } }, { body: [] }] })
 *       }))
 *       expect(Duration.toSeconds(elapsed)).toBeGreaterThanOrEqual(30)
 *     }))
 * })
 *
 * @since 0.1.0
 */
export * as Api from "./api.js"
export * from "./clock.js"
export * from "./context.js"
export * from "./databases.js"
export * from "./pluginRun.js"
export * from "./streamConvert.js"
export * from "./streamRun.js"
export * from "./validPlugin.js"
