// test-connection replies, whatever the plugin does: a layer that fails to build from the connection is
// `success: false` (status 500, one line, no secret) with exit 0, not a command failing with exit 1 (issue 11,
// finding 4). make-pipeline and remote-scopes still fail the command (DevLake shows their error).
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Layer, Redacted, Ref, Schema } from "effect"
import * as Api from "../../src/Api.js"
import * as Cli from "../../src/Cli.js"
import * as Ipc from "../../src/Ipc.js"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import { layerFailureResult, testConnectionReply } from "../../src/internal/runtime/callCommands.js"
import { exitCode } from "../../src/internal/runtime/failure.js"

class Conn extends Model.Connection<Conn>("Conn")({ endpoint: Schema.String, token: Model.Secret }) {}
class Project extends Model.ToolScope<Project>("Project")({}) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}

class JiraApi extends Context.Tag("jiralite/JiraApi")<JiraApi, Api.Client>() {}

class TokenRejected extends Schema.TaggedError<TokenRejected>()("TokenRejected", { message: Schema.String }) {}

const TOKEN = "s3cr3t-token-value"

const make = (layer: (connection: Conn) => Layer.Layer<JiraApi, unknown>) =>
  Plugin.make({
    name: "jiralite",
    connection: Conn,
    scope: Project,
    scopeConfig: Config,
    streams: [],
    migrations: [
      Migration.script({
        version: 20261201000001,
        name: "init",
        operations: [Conn, Project, Config].map((m) => Migration.createTable(m, { pluginFolder: "jiralite" }))
      })
    ],
    layer,
    testConnection: () => Effect.as(JiraApi, { success: true, message: "Connection successful", status: 200 }),
    remoteScopeGroups: () => Effect.succeed([]),
    remoteScopes: () => Effect.succeed([]),
    domainScopes: () => []
  })

/** The real Api layer: a base URL that is not one fails as the layer is made. */
const apiLayer = (connection: Conn) => Api.layer(JiraApi, { baseUrl: connection.endpoint })

const connection = (endpoint: string) => new Conn({ id: 1, name: "c", endpoint, token: Redacted.make(TOKEN) })

describe("testConnectionReply", () => {
  it.effect("tests the connection with the layer's services", () =>
    Effect.gen(function*() {
      const result = yield* testConnectionReply(make(apiLayer), connection("https://jira.test/rest/api/2"))
      expect(result).toEqual({ success: true, message: "Connection successful", status: 200 })
    }))

  it.effect("replies success: false when the layer fails to build with a typed error", () =>
    Effect.gen(function*() {
      const plugin = make(() => Layer.fail(new TokenRejected({ message: "the token has expired" })))
      const result = yield* testConnectionReply(plugin, connection("https://jira.test"))
      expect(result).toEqual({
        success: false,
        message: "the plugin's layer failed to build: TokenRejected: the token has expired",
        status: 500
      })
    }))

  it.effect("replies success: false when the layer dies (an invalid base URL)", () =>
    Effect.gen(function*() {
      const result = yield* testConnectionReply(make(apiLayer), connection("not a url"))
      expect(result.success).toBe(false)
      expect(result.status).toBe(500)
      expect(result.message).toBe(
        "the plugin's layer failed to build: Api: the connection's base URL is not a valid absolute URL"
      )
    }))

  it.effect("replies success: false when making the layer throws, in one line", () =>
    Effect.gen(function*() {
      const throwing = (error: Error) =>
        make(() => {
          throw error
        })
      const plain = yield* testConnectionReply(
        throwing(new Error("no endpoint\n    at makeLayer (plugin.ts:1)")),
        connection("https://jira.test")
      )
      expect(plain).toEqual({ success: false, message: "the plugin's layer failed to build: no endpoint", status: 500 })
      const typed = yield* testConnectionReply(throwing(new TypeError("Invalid URL")), connection("https://jira.test"))
      expect(typed.message).toBe("the plugin's layer failed to build: TypeError: Invalid URL")
    }))

  it.effect("masks the connection's secrets in the message", () =>
    Effect.gen(function*() {
      const plugin = make(() => Layer.fail(new TokenRejected({ message: `token ${TOKEN} rejected` })))
      const result = yield* testConnectionReply(plugin, connection("https://jira.test"))
      expect(result.message).toBe("the plugin's layer failed to build: TokenRejected: token *** rejected")
    }))

  it("describes a failure that is no Error", () => {
    expect(layerFailureResult(Cause.fail("no credentials"), {}).message).toBe(
      "the plugin's layer failed to build: no credentials"
    )
    expect(layerFailureResult(Cause.die({ _tag: "Misconfigured" }), {}).message).toBe(
      "the plugin's layer failed to build: Misconfigured"
    )
  })
})

describe("the test-connection command", () => {
  const run = (plugin: Plugin.Plugin, args: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const cli = Command.run(Cli.command(plugin, { pluginPath: "/bin/sh" }), { name: "jiralite", version: "0" })
      const exit = yield* Effect.exit(
        cli(["node", "main.js", ...args]).pipe(Effect.provide(Layer.merge(NodeContext.layer, Ipc.layerMemory(lines))))
      )
      return { code: exitCode(exit), replies: (yield* Ref.get(lines)).map((l) => JSON.parse(l)) }
    })

  const badEndpoint = JSON.stringify({ id: 1, name: "c", endpoint: "not a url", token: TOKEN })

  it.effect("replies success: false and exits 0 when the layer fails to build", () =>
    Effect.gen(function*() {
      const { code, replies } = yield* run(make(apiLayer), ["test-connection", "{}", badEndpoint])
      expect(code).toBe(0)
      expect(replies).toHaveLength(1)
      expect(replies[0]).toMatchObject({ success: false, status: 500 })
      expect(replies[0].message).toBe(
        "the plugin's layer failed to build: Api: the connection's base URL is not a valid absolute URL"
      )
    }))

  it.effect("remote-scopes still fails the command when the layer fails to build (exit 2: a bad endpoint)", () =>
    Effect.gen(function*() {
      const { code, replies } = yield* run(make(apiLayer), ["remote-scopes", "{}", badEndpoint, "\"\""])
      // The endpoint is the connection argument's: bad input (issue 13, finding 12).
      expect(code).toBe(2)
      expect(replies).toEqual([])
    }))
})
