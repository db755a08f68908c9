/**
 * `assertPluginRun`, like pydevlake's `assert_plugin_run`: a plugin's commands in process, in the order DevLake
 * calls them, then every stream's subtasks.
 */
import { Effect, Layer, Ref, Schema, Stream } from "effect"
import { DataStream, Plugin } from "tsdevlake"
import { Ipc } from "tsdevlake/runtime"
import { withApi } from "./api.js"
import { context, decodeModel, defaultConnection, layer } from "./context.js"
import { describeDefect, type RowCounts, type RunInput, runStreams } from "./streamRun.js"
import { AssertionError } from "./validPlugin.js"

type Many<A> = Effect.Effect<Iterable<A>, any, any> | Stream.Stream<A, any, any>

const collectMany = <A>(many: Many<A>): Effect.Effect<ReadonlyArray<A>, any, any> =>
  Stream.StreamTypeId in many
    ? Effect.map(Stream.runCollect(many as Stream.Stream<A, any, any>), (chunk) => Array.from(chunk))
    : Effect.map(many as Effect.Effect<Iterable<A>, any, any>, (items) => Array.from(items))

const fail = (plugin: Plugin.Plugin, message: string) =>
  Effect.fail(new AssertionError(`plugin ${plugin.name}: ${message}`))

const failing = (plugin: Plugin.Plugin, what: string) => (error: unknown) =>
  new AssertionError(
    `plugin ${plugin.name}: ${what} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`
  )

// A step's defect (a service the plugin's layer lacks, a request no route matches) as an AssertionError naming
// the step, rather than a defect escaping the test with Effect's message.
const failingDefect = (plugin: Plugin.Plugin, what: string) => (defect: unknown) =>
  Effect.fail(new AssertionError(`plugin ${plugin.name}: ${what} failed: ${describeDefect(defect)}`))

// A remote scope as JSON, its fields that are set (a remote scope has no connection or scope config yet).
const scopeJson = (plugin: Plugin.Plugin, scope: unknown): Record<string, unknown> => {
  const encoded = Schema.encodeSync(plugin.scope as unknown as Schema.Schema<unknown, object>)(scope)
  return Object.fromEntries(Object.entries(encoded).filter(([, value]) => value !== undefined && value !== null))
}

// Test connection, remote scope groups and the first group's scopes: returns the first scope as JSON.
const remoteScope = (plugin: Plugin.Plugin, connection: unknown) =>
  Effect.gen(function*() {
    const tested = yield* plugin.testConnection(connection).pipe(
      Effect.mapError(failing(plugin, "test-connection")),
      Effect.catchAllDefect(failingDefect(plugin, "test-connection"))
    )
    if (!tested.success) return yield* fail(plugin, `test-connection did not succeed: ${tested.message}`)
    const groups = yield* collectMany(plugin.remoteScopeGroups(connection)).pipe(
      Effect.mapError(failing(plugin, "remote-scopes (groups)")),
      Effect.catchAllDefect(failingDefect(plugin, "remote-scopes (groups)"))
    )
    if (groups.length === 0) return yield* fail(plugin, "remote-scopes listed no scope group")
    const what = `remote-scopes of group "${groups[0]!.id}"`
    const scopes = yield* collectMany(plugin.remoteScopes(connection, groups[0]!.id)).pipe(
      Effect.mapError(failing(plugin, what)),
      Effect.catchAllDefect(failingDefect(plugin, what))
    )
    if (scopes.length === 0) return yield* fail(plugin, `remote-scopes listed no scope in group "${groups[0]!.id}"`)
    return scopeJson(plugin, scopes[0])
  })

/**
 * Runs a plugin as DevLake does, in process: test-connection succeeds, remote scope groups and the first
 * group's scopes are listed, the first scope (or `input.scope` over it) has domain scopes, make-pipeline plans it,
 * and the collect, extract and convert of every stream the plan names (those the scope config's `entities` enable
 * and that run on the scope, as DevLake runs them) run in the plugin's order (parents before substreams) on one
 * fresh in-memory SQLite database. Returns the rows per table; fails with an `AssertionError` naming the plugin
 * and the step (and the stream and subtask for a subtask).
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * it.effect("runs", () => Testing.assertPluginRun(FakePlugin, { connection: { token: VALID_TOKEN } }))
 */
export const assertPluginRun = (plugin: Plugin.Plugin, input: RunInput = {}): Effect.Effect<RowCounts, unknown> =>
  Effect.gen(function*() {
    const connection = decodeModel(plugin, plugin.connection, { ...defaultConnection, ...input.connection })
    const services = withApi(input.layer ?? layer(plugin, { connection }), input.api, connection)
    const ipc = Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([]))
    const remote = yield* remoteScope(plugin, connection).pipe(
      Effect.provide(Layer.merge(ipc, services))
    ) as Effect.Effect<Record<string, unknown>, unknown>
    const ctx = context(plugin, { ...input, scope: { ...remote, ...input.scope } })
    if (plugin.domainScopes(ctx.scope, ctx.connection, ctx.scopeConfig).length === 0) {
      return yield* fail(plugin, `domainScopes of scope "${String(remote["id"])}" gave none`)
    }
    const pipeline = yield* Plugin.makePipeline(plugin, [[ctx.scope, ctx.scopeConfig]], ctx.connection).pipe(
      Effect.mapError(failing(plugin, "make-pipeline")),
      Effect.catchAllDefect(failingDefect(plugin, "make-pipeline"))
    )
    if (pipeline.plan.length === 0 || pipeline.scopes.length === 0) {
      return yield* fail(
        plugin,
        `make-pipeline gave ${pipeline.plan.length} stages and ${pipeline.scopes.length} scopes`
      )
    }
    const planned = new Set(
      pipeline.plan.flat().filter((task) => task.plugin === plugin.name).flatMap((task) => task.subtasks)
    )
    const streams = plugin.streams.filter((s) =>
      DataStream.verbs.some((v) => planned.has(DataStream.subtaskName(s, v)))
    )
    if (streams.length === 0) return yield* fail(plugin, "make-pipeline planned none of the plugin's streams")
    return yield* runStreams(plugin, streams, ctx, services)
  })
