import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as http from "node:http"
import { vi } from "vitest"
import { listenLocal } from "../utils/localServer.js"

// Extract and convert build the plugin's API client like every subtask but send nothing: they must not pay
// for loading undici. The transport module is imported on the first request only.
const loads = vi.fn()
vi.mock("../../src/internal/api/transport.js", async (importOriginal) => {
  loads()
  return await importOriginal()
})

const server = http.createServer((_, response) => {
  response.setHeader("content-type", "application/json")
  response.end(JSON.stringify({ ok: true }))
})
const baseUrl = await listenLocal(server)

describe("Api transport", () => {
  it.live("is loaded on the first request, not when the client is built", () =>
    Effect.gen(function*() {
      const Api = yield* Effect.promise(() => import("../../src/Api.js"))
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Api.make({ baseUrl, timeout: "5 seconds" })
      }))
      assert.strictEqual(loads.mock.calls.length, 0, "a client that sends nothing does not load undici")
      const body = yield* Effect.scoped(Effect.gen(function*() {
        const api = yield* Api.make({ baseUrl, timeout: "5 seconds" })
        const first = yield* api.get("health")
        const second = yield* api.get("health")
        return [first, second]
      }))
      assert.deepStrictEqual(body, [{ ok: true }, { ok: true }])
      assert.strictEqual(loads.mock.calls.length, 1)
    }))
})
