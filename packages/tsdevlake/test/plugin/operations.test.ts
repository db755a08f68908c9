import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, TestClock } from "effect"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import * as operations from "../../src/internal/plugin/operations.js"

class Conn extends Model.Connection<Conn>("Conn")({}) {}
class Project extends Model.ToolScope<Project>("Project")({}) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}

class JiraApi extends Context.Tag("jiralite/JiraApi")<JiraApi, { readonly myself: Effect.Effect<string> }>() {}

// A plugin as the CLI's commands get it (they run it with its layer, whatever its services).
const make = (options: { readonly layer?: (connection: Conn) => Layer.Layer<JiraApi> }): Plugin.Plugin =>
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
    ...options,
    // Typed as needing nothing, as a plugin whose types lost its requirements (an `any`) is: the service is
    // then missing only at run time.
    testConnection: () =>
      Effect.map(JiraApi, (api) => api.myself).pipe(
        Effect.flatten,
        Effect.map((user) => ({ success: true, message: `hello ${user}`, status: 200 }))
      ) as Effect.Effect<{ success: boolean; message: string; status: number }>,
    remoteScopeGroups: () => Effect.succeed([]),
    remoteScopes: () => Effect.succeed([]),
    domainScopes: () => []
  })

const connection = new Conn({ id: 1, name: "c" })

describe("testConnection", () => {
  it.effect("replies success: false naming a service the plugin's layer does not provide", () =>
    Effect.gen(function*() {
      const plugin = make({})
      const result = yield* operations.withPluginLayer(
        plugin,
        connection,
        operations.testConnection(plugin, connection)
      )
      expect(result.success).toBe(false)
      expect(result.status).toBe(500)
      expect(result.message).toMatch(/^the plugin's layer does not provide jiralite\/JiraApi/)
      expect(result.message).not.toMatch(/defined at|\n/)
    }))

  it.effect("tests the connection with the services of the plugin's layer", () =>
    Effect.gen(function*() {
      const plugin = make({ layer: () => Layer.succeed(JiraApi, { myself: Effect.succeed("ada") }) })
      const result = yield* operations.withPluginLayer(
        plugin,
        connection,
        operations.testConnection(plugin, connection)
      )
      expect(result).toEqual({ success: true, message: "hello ada", status: 200 })
    }))

  it.effect("replies success: false with the status of an expected failure", () =>
    Effect.gen(function*() {
      const plugin = {
        ...make({}),
        testConnection: () => Effect.fail({ message: "401 Unauthorized", status: 401 })
      }
      const result = yield* operations.testConnection(plugin, connection)
      expect(result).toEqual({ success: false, message: "401 Unauthorized", status: 401 })
    }))

  // Issue 13, finding 9: a test of several requests to a silent API took minutes; DevLake's user waits on it.
  it.effect("finding 9: replies success: false when the test takes more than 15 s in all", () =>
    Effect.gen(function*() {
      const plugin = { ...make({}), testConnection: () => Effect.never }
      const fiber = yield* Effect.fork(operations.testConnection(plugin, connection))
      yield* TestClock.adjust("14999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toEqual({
        success: false,
        message: "the connection test did not finish within 15s",
        status: 504
      })
    }))

  it.effect("still dies on other defects (a bug in the plugin)", () =>
    Effect.gen(function*() {
      const plugin = { ...make({}), testConnection: () => Effect.dieMessage("boom") }
      const exit = yield* Effect.exit(operations.testConnection(plugin, connection))
      expect(exit._tag).toBe("Failure")
    }))
})
