/**
 * `assertStreamRun`, like pydevlake's `assert_stream_run`: a stream's collect, extract and convert on an
 * in-memory SQLite database, with the plugin's services or a test layer (a mock API) in their place.
 */
import { Cause, Effect, Layer, Logger, LogLevel, Ref } from "effect"
import { type Api as TsApi, DataStream, type Model, type Plugin } from "tsdevlake"
import { Cli, Db, Ipc, MigrationRunner, State, Subtask } from "tsdevlake/runtime"
import { withApi } from "./api.js"
import { context, type ContextInput, layer } from "./context.js"
import { AssertionError } from "./validPlugin.js"

/** What to run a stream or a plugin with: the context's JSON ({@link ContextInput}) and the services. */
export interface RunInput extends ContextInput<any, any, any> {
  /**
   * The services of the plugin's streams and callbacks (typically a mock of its API client). Default: the
   * plugin's own `layer` for the connection.
   */
  readonly layer?: Layer.Layer<any, any> | undefined
  /**
   * The network under the plugin's own API client (`Testing.Api.routes`, `record` or `replay`): its `layer`
   * (or `layer` above) is kept, with its hooks, retries and pagination, and sends its requests there.
   */
  readonly api?: Layer.Layer<TsApi.Transport> | undefined
}

/** Rows per table after a run, by table name (framework bookkeeping tables left out). */
export type RowCounts = Readonly<Record<string, number>>

const bookkeeping = /^(_pydevlake_|_devlake_|sqlite_)/

/** The rows of each table of the database, by name, except the framework's bookkeeping tables. */
export const rowCounts: Effect.Effect<RowCounts, Db.DbError, Db.Database> = Effect.gen(function*() {
  const db = yield* Db.Database
  const tables = yield* db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    const table = String(name)
    if (bookkeeping.test(table)) continue
    const rows = yield* db.execute(`SELECT COUNT(*) AS n FROM "${table.replaceAll("\"", "\"\"")}"`)
    counts[table] = Number(rows[0]!["n"])
  }
  return counts
})

/** A stream's parents, the root first. */
export const ancestors = (stream: DataStream.DataStream<any, any, any>): Array<DataStream.DataStream<any, any, any>> =>
  stream.parent === undefined ? [] : [...ancestors(stream.parent), stream.parent]

// An error on one line: its tag and message, or its fields when it has no message (a tagged error of the
// author's own).
const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return JSON.stringify(error) ?? String(error)
  const tag = (error as { readonly _tag?: unknown })._tag
  const prefix = typeof tag === "string" ? `${tag}: ` : ""
  if (error.message !== "") return `${prefix}${error.message}`
  const fields = Object.fromEntries(Object.entries(error).filter(([key]) => key !== "_tag"))
  return `${prefix}${JSON.stringify(fields)}`
}

/**
 * A defect on one line: a service the plugin's layer lacks is said as `run.sh` says it (what to add, without
 * Effect's path into the bundle), a request no `Testing.Api` route matches by the kit's own message (it names
 * the request and the routes); anything else is marked as a defect.
 *
 * @example
 * Testing.describeDefect(new Error("Service not found: acme/AcmeApi (defined at dist/plugin.cjs:1:2)"))
 * // "the plugin's layer does not provide acme/AcmeApi: add it to the layer of Plugin.make (npm run check …)"
 */
export const describeDefect = (defect: unknown): string => {
  const missing = Cli.describeMissingService(defect)
  if (missing !== undefined) return missing
  if (Cause.isRuntimeException(defect) && defect.message.startsWith("Testing.Api.")) return defect.message
  return `defect: ${describeError(defect)}`
}

const describeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return describeError(failure.value)
  const defect = Cause.dieOption(cause)
  if (defect._tag === "Some") return describeDefect(defect.value)
  return Cause.pretty(cause)
}

/**
 * Runs one subtask of a stream; a failure (or a defect) becomes an `AssertionError` naming the plugin, the
 * stream and the subtask. Interruption stays interruption.
 */
export const runSubtask = (
  plugin: Plugin.Plugin,
  verb: DataStream.Verb,
  stream: DataStream.DataStream<any, any, any>,
  ctx: DataStream.TaskContext
): Effect.Effect<void, AssertionError, any> =>
  Subtask.run(plugin, verb, stream, ctx).pipe(
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.fail(
        new AssertionError(
          `plugin ${plugin.name}, stream "${stream.name}", subtask ${verb} (${
            DataStream.subtaskName(stream, verb)
          }) failed: ${describeCause(cause)}`
        )
      )
    )
  ) as Effect.Effect<void, AssertionError, any>

/**
 * Runs the streams' three subtasks, in the order given, on a fresh in-memory SQLite database with the plugin's
 * migrations (and the streams' domain tables) applied; returns the rows per table.
 */
export const runStreams = (
  plugin: Plugin.Plugin,
  streams: ReadonlyArray<DataStream.DataStream<any, any, any>>,
  ctx: DataStream.TaskContext,
  services: Layer.Layer<any, any>
): Effect.Effect<RowCounts, unknown> => {
  const runtime = Layer.mergeAll(State.layerSql, Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([])))
    .pipe(Layer.provideMerge(Db.layerMemory))
  return Effect.gen(function*() {
    const domainModels = [...new Set(streams.flatMap((s): ReadonlyArray<Model.Any> => s.domainModels))]
    yield* MigrationRunner.apply(plugin.migrations, { domainModels })
    for (const stream of streams) {
      for (const verb of DataStream.verbs) yield* runSubtask(plugin, verb, stream, ctx)
    }
    return yield* rowCounts
  }).pipe(
    Effect.provide(Layer.merge(runtime, services)),
    Logger.withMinimumLogLevel(LogLevel.Warning)
  ) as Effect.Effect<RowCounts, unknown>
}

/**
 * Runs a stream's collect, extract and convert (after its parents', for a substream) on a fresh in-memory
 * SQLite database with the plugin's migrations applied, and returns the rows per table. The services are the
 * plugin's `layer` for the connection, or `input.layer` (a mock API), over `input.api` when given (canned,
 * recorded or replayed responses, see `Testing.Api`). A failing subtask fails with an `AssertionError` naming
 * the plugin, the stream and the subtask, and the failure (for an API error, the request and its status).
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * it.effect("runs the pipelines stream", () =>
 *   Effect.gen(function*() {
 *     const counts = yield* Testing.assertStreamRun(FakePlugin, FakePipelineStream, {
 *       connection: { token: "t" }, scope: { id: "p1", url: "http://fake.org" }
 *     })
 *     expect(counts["cicd_pipelines"]).toBe(250)
 *   }))
 *
 * // over the plugin's own API client, answered by canned pages
 * const api = Testing.Api.routes({ "GET /api/items": { body: { results: [{ id: "1" }], nextPage: null } } })
 * const counts = yield* Testing.assertStreamRun(ItemsPlugin, ItemsStream, { connection, api })
 */
export const assertStreamRun = (
  plugin: Plugin.Plugin,
  stream: DataStream.DataStream<any, any, any>,
  input: RunInput = {}
): Effect.Effect<RowCounts, unknown> =>
  Effect.suspend(() => {
    const ctx = context(plugin, input)
    const services = withApi(input.layer ?? layer(plugin, ctx), input.api, ctx.connection)
    return runStreams(plugin, [...ancestors(stream), stream], ctx, services)
  })
