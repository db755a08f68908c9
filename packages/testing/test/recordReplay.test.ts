import { afterAll, assert, describe, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer, Redacted } from "effect"
import * as Fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { Api, type DataStream, type Plugin } from "tsdevlake"
import * as Testing from "../src/index.js"
import { type Item, items, ItemsPlugin, ItemsStream, TOKEN } from "./fixtures/itemsPlugin.js"

// An API that wants the bearer token, serves two pages of items, and echoes the credentials it got in a
// header and in the body, as careless servers do.
const server = http.createServer((request, response) => {
  const auth = request.headers.authorization
  response.setHeader("content-type", "application/json")
  response.setHeader("set-cookie", `session=${TOKEN}`)
  response.setHeader("x-seen-authorization", auth ?? "")
  if (auth !== `Bearer ${TOKEN}`) {
    response.statusCode = 401
    return response.end(JSON.stringify({ error: "bad token" }))
  }
  const url = new URL(request.url!, "http://localhost")
  if (url.pathname === "/api/items") {
    const second = url.searchParams.get("page") === "2"
    return response.end(JSON.stringify({
      results: second ? items(3, 5) : items(5),
      nextPage: second ? null : "2",
      debug: { authorization: auth }
    }))
  }
  if (url.pathname === "/api/echo") return response.end(JSON.stringify({ echo: url.searchParams.get("value") }))
  response.statusCode = 404
  response.end("{}")
})

const listen = () =>
  Effect.promise(() =>
    new Promise<string>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
    )
  )
const stop = () =>
  Effect.promise(() =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  )

const dirs: Array<string> = []
afterAll(() => dirs.forEach((dir) => Fs.rmSync(dir, { recursive: true, force: true })))
const tmpdir = () =>
  Effect.sync(() => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "tsdevlake-fixtures-"))
    dirs.push(dir)
    return dir
  })

// The items stream, keeping the domain rows its convert gives.
const capturing = () => {
  const rows: Array<unknown> = []
  const stream: DataStream.DataStream<typeof Item, any, any> = {
    ...ItemsStream,
    convert: (item, ctx) =>
      Effect.tap(ItemsStream.convert(item, ctx), (out) => rows.push(...out.map(Testing.comparable)))
  }
  return { plugin: { ...ItemsPlugin, streams: [stream] } as Plugin.Plugin, rows, stream }
}

const fixtureTexts = (dir: string) =>
  Fs.readdirSync(dir).sort().map((name) => Fs.readFileSync(Path.join(dir, name), "utf8"))

describe("Testing.Api.record and replay", () => {
  it.live("records from a local server, then replays the same rows with the server stopped; no token is kept", () =>
    Effect.gen(function*() {
      const dir = yield* tmpdir()
      const connection = { url: `${yield* listen()}/api/`, token: TOKEN }

      const recorded = capturing()
      const recordedCounts = yield* Testing.assertStreamRun(recorded.plugin, recorded.stream, {
        connection,
        api: Testing.Api.record(dir)
      })
      yield* stop()

      const replayed = capturing()
      const replayedCounts = yield* Testing.assertStreamRun(replayed.plugin, replayed.stream, {
        connection,
        api: Testing.Api.replay(dir)
      })

      assert.deepInclude(recordedCounts, { _tool_items_items: 8, accounts: 8 })
      assert.deepStrictEqual(replayedCounts, recordedCounts)
      assert.strictEqual(replayed.rows.length, 8)
      assert.deepStrictEqual(replayed.rows, recorded.rows)

      const texts = fixtureTexts(dir)
      assert.strictEqual(texts.length, 2, "one fixture per page")
      for (const text of texts) {
        assert.notInclude(text, TOKEN)
        assert.notInclude(text.toLowerCase(), "set-cookie")
        assert.notInclude(text.toLowerCase(), "x-seen-authorization")
      }
      const second = JSON.parse(texts.find((t) => t.includes("page=2"))!) as Testing.Api.Fixture
      assert.strictEqual(second.request.url, `${connection.url}items?page=2`)
      assert.deepStrictEqual(second.responses.map((r) => [r.status, r.headers["content-type"]]), [
        [200, "application/json"]
      ])
      assert.deepStrictEqual((second.responses[0]!.body as { debug: unknown }).debug, { authorization: "***" })
    }))

  it.live("keeps the connection's secrets, secret query parameters and given secrets out of fixtures", () =>
    Effect.gen(function*() {
      class Echo extends Context.Tag("test/Echo")<Echo, Api.Client>() {}
      yield* Effect.promise(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)))
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const dir = yield* tmpdir()
      // No hook sends the connection's secret: the kit still knows it from the connection.
      const api = Testing.Api.withApi(
        Api.layer(Echo, { baseUrl, hooks: [Api.bearer(TOKEN)] }),
        Testing.Api.record(dir, { secrets: ["given-secret-value"] }),
        { token: Redacted.make("connection-secret") }
      )
      const echo = (value: string) =>
        Effect.flatMap(Echo, (client) => client.get("api/echo", { query: { value, access_token: "query-secret" } }))
      const bodies = yield* Effect.all([echo("connection-secret"), echo("given-secret-value")]).pipe(
        Effect.provide(api)
      )
      yield* stop()
      assert.deepStrictEqual(bodies, [{ echo: "connection-secret" }, { echo: "given-secret-value" }])
      const all = fixtureTexts(dir).join("\n")
      for (const secret of ["connection-secret", "given-secret-value", "query-secret", "access_token", TOKEN]) {
        assert.notInclude(all, secret)
      }
      assert.include(all, `"url": "${baseUrl}/api/echo?value=***"`)
    }))

  it.effect("replays a committed fixture folder, whatever the host", () =>
    Effect.gen(function*() {
      const counts = yield* Testing.assertStreamRun(ItemsPlugin, ItemsStream, {
        connection: { url: "https://items.test/api/", token: TOKEN },
        api: Testing.Api.replay(Path.join(import.meta.dirname, "fixtures/items-recorded"))
      })
      assert.deepInclude(counts, { _raw_items_items: 8, _tool_items_items: 8, accounts: 8 })
    }))

  it.effect("fails naming the method and the URL of a request that has no fixture", () =>
    Effect.gen(function*() {
      const dir = yield* tmpdir()
      const connection = { url: "https://items.test/api/", token: TOKEN }
      const error = yield* Effect.flip(
        Testing.assertStreamRun(ItemsPlugin, ItemsStream, { connection, api: Testing.Api.replay(dir) })
      )
      assert.include((error as Error).message, `Testing.Api.replay: no fixture in ${dir} for GET /api/items`)
    }))

  it.effect("fails naming the folder when there is none", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Layer.build(Testing.Api.replay("/nonexistent/fixtures")).pipe(Effect.scoped))
      assert.isTrue(Exit.isFailure(exit))
      assert.include(
        String(Exit.isFailure(exit) ? Cause.squash(exit.cause) : ""),
        "Testing.Api.replay: no fixture folder /nonexistent/fixtures"
      )
    }))
})
