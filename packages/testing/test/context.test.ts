import { Effect, Layer, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import { FakePlugin } from "../../../plugins/fakeplugin/src/plugin.js"
import * as Testing from "../src/index.js"

// The fake plugin's scope has a field of its own, its URL.
const scope = { url: "http://fake.org/api/project/1" }

describe("context", () => {
  it("builds the connection, scope and scope config DevLake sends, ids 1", () => {
    const ctx = Testing.context(FakePlugin, {
      connection: { token: "secret" },
      scope,
      scopeConfig: { env: "production" }
    })
    expect(ctx.connection.id).toBe(1)
    expect(Redacted.value(ctx.connection.token)).toBe("secret")
    expect(ctx.scope).toMatchObject({ id: "1", connectionId: 1, scopeConfigId: 1 })
    expect(ctx.scopeConfig).toMatchObject({ id: 1, connectionId: 1, env: "production" })
    expect(ctx.domainScopeId).toBe("fakeplugin:FakeProject:1:1")
    expect(ctx.incremental).toBe(false)
  })

  it("merges the given JSON over the defaults and passes the options", () => {
    const ctx = Testing.context(FakePlugin, {
      connection: { id: 7, token: "t" },
      scope: { id: "p1", name: "Project 1", url: "http://fake.org/api/project/p1" },
      options: { incremental: true }
    })
    expect(ctx.domainScopeId).toBe("fakeplugin:FakeProject:7:p1")
    expect(ctx.scope.name).toBe("Project 1")
    expect(ctx.incremental).toBe(true)
    expect(ctx.domainId(FakePlugin.streams[0]!.toolModel, { id: "3" })).toBe("fakeplugin:FakePipeline:7:3")
  })

  it("builds a scope config from nothing and from null (a deleted config), with its defaults", () => {
    const none = Testing.context(FakePlugin, { connection: { token: "t" }, scope })
    const deleted = Testing.context(FakePlugin, { connection: { token: "t" }, scope, scopeConfig: null })
    expect(none.scopeConfig.env).toBe("")
    expect(deleted.scopeConfig).toMatchObject({ id: 0, env: "" })
    expect(deleted.scopeConfig.entities).toEqual(["CODE", "TICKET", "CODEREVIEW", "CROSS", "CICD", "CODEQUALITY"])
  })

  it("throws naming the plugin and the model when the JSON does not decode", () => {
    expect(() => Testing.context(FakePlugin, {})).toThrow(/plugin fake: FakeConnection does not decode .*token/s)
  })

  it("gives the plugin's layer for the connection, or no services", async () => {
    const ctx = Testing.context(FakePlugin, { connection: { token: "t" }, scope })
    const layer = Testing.layer(FakePlugin, ctx)
    expect(Layer.isLayer(layer)).toBe(true)
    await expect(Effect.runPromise(Effect.provide(Effect.succeed(1), layer))).resolves.toBe(1)
  })
})
