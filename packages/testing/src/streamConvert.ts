/**
 * `assertStreamConvert`, like pydevlake's `assert_stream_convert`: raw JSON through a stream's extract and
 * convert on an in-memory SQLite database, compared with the domain rows expected.
 */
import { Effect, Layer, Logger, LogLevel, Ref, Schema, Stream } from "effect"
import { AssertionError as NodeAssertionError, deepStrictEqual } from "node:assert"
import { DataStream, type Model, type Plugin } from "tsdevlake"
import { Db, Ipc, MigrationRunner, State, Subtask } from "tsdevlake/runtime"
import { context, type ContextInput, layer } from "./context.js"
import { AssertionError } from "./validPlugin.js"

/**
 * A domain row as compared: its model's identifier under `_model`, then its fields as JSON (dates as RFC 3339
 * strings), so that a mismatch reads as a diff of JSON. A plain object (not a model instance) is taken as is.
 *
 * @example
 * comparable(new Domain.Devops.CICDPipeline({ name: "1" })) // { _model: "CICDPipeline", name: "1", ... }
 */
export const comparable = (row: object): unknown => {
  const model = row.constructor as Partial<Model.Any>
  if (!Schema.isSchema(model) || typeof model.identifier !== "string") return JSON.parse(JSON.stringify(row))
  const encoded = Schema.encodeSync(model as unknown as Schema.Schema<object, object>)(row)
  return { _model: model.identifier, ...JSON.parse(JSON.stringify(encoded)) as object }
}

/**
 * Runs raw JSON records through a stream's collect (as if its API returned them), extract and convert, on a
 * fresh in-memory SQLite database with the plugin's migrations applied; returns what convert produced, in order.
 * `input` is the context ({@link context}); the plugin's `layer` is provided for the stream's services.
 *
 * @example
 * const rows = yield* Testing.streamConvert(FakePlugin, FakePipelineStream, [{ id: "1", state: "success" }], {
 *   connection: { token: "t" }, scope: { url: "http://fake.org" }
 * })
 */
export const streamConvert = <Tool extends Model.Any, E, R>(
  plugin: Plugin.Plugin,
  stream: DataStream.DataStream<Tool, E, R>,
  raw: ReadonlyArray<unknown>,
  input: ContextInput<any, any, any> = {}
): Effect.Effect<ReadonlyArray<object>, unknown> =>
  Effect.suspend(() => {
    const ctx = context(plugin, input)
    const converted: Array<object> = []
    // The raw records come from a collect of their own (a substream's parents are not needed), so the raw
    // table is written as the framework writes it.
    const fromRaw: DataStream.DataStream<Tool, E, R> = {
      ...stream,
      parent: undefined,
      collect: () => Stream.fromIterable(raw.map((data) => DataStream.raw(data)))
    }
    const capturing: DataStream.DataStream<Tool, E, R> = {
      ...stream,
      convert: (tool, ctx) => Effect.tap(stream.convert(tool, ctx), (rows) => converted.push(...rows))
    }
    const services = Layer.mergeAll(State.layerSql, Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([])))
      .pipe(Layer.provideMerge(Db.layerMemory))
    return Effect.gen(function*() {
      yield* MigrationRunner.apply(plugin.migrations, { domainModels: stream.domainModels })
      yield* Subtask.run(plugin, "collect", fromRaw, ctx)
      yield* Subtask.run(plugin, "extract", stream, ctx)
      yield* Subtask.run(plugin, "convert", capturing, ctx)
      return converted as ReadonlyArray<object>
    }).pipe(
      Effect.provide(Layer.merge(services, layer(plugin, ctx))),
      Logger.withMinimumLogLevel(LogLevel.Warning)
    )
  })

/**
 * Asserts that raw JSON records, through the stream's extract and convert (see {@link streamConvert}), give
 * the expected domain rows, in order. Fails with an `AssertionError` naming the plugin, the stream and the first
 * difference (the row and its field, see {@link firstDifference}), then a diff of the rows as JSON
 * ({@link comparable}).
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * it.effect("converts a pipeline", () =>
 *   Testing.assertStreamConvert(FakePlugin, FakePipelineStream, [rawPipeline], [
 *     new Domain.Devops.CICDPipeline({ name: "1", status: "DONE", result: "SUCCESS", ... })
 *   ], { connection: { token: "t" }, scope: { url: "http://fake.org" } }))
 */
export const assertStreamConvert = <Tool extends Model.Any, E, R>(
  plugin: Plugin.Plugin,
  stream: DataStream.DataStream<Tool, E, R>,
  raw: ReadonlyArray<unknown>,
  expected: ReadonlyArray<object>,
  input: ContextInput<any, any, any> = {}
): Effect.Effect<void, unknown> =>
  Effect.flatMap(streamConvert(plugin, stream, raw, input), (rows) => {
    const actual = rows.map(comparable)
    const wanted = expected.map(comparable)
    return Effect.try({
      try: () => deepStrictEqual(actual, wanted),
      catch: (error) =>
        new AssertionError(
          `plugin ${plugin.name}, stream "${stream.name}": convert gave other domain rows than expected: ${
            firstDifference(actual, wanted)
          }\n${error instanceof NodeAssertionError ? error.message : String(error)}`
        )
    })
  })

const show = (value: unknown): string => value === undefined ? "nothing" : JSON.stringify(value)

/**
 * The first difference between the rows given and expected, on one line: a row's field and both its values,
 * or a row too many or missing.
 */
export const firstDifference = (actual: ReadonlyArray<unknown>, expected: ReadonlyArray<unknown>): string => {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const got = actual[i] as Record<string, unknown> | undefined
    const want = expected[i] as Record<string, unknown> | undefined
    const model = String((got ?? want)?.["_model"] ?? "row")
    if (got === undefined) return `row ${i} (${model}) is missing (${actual.length} rows, ${expected.length} expected)`
    if (want === undefined) {
      return `row ${i} (${model}) is one too many (${actual.length} rows, ${expected.length} expected)`
    }
    for (const field of new Set([...Object.keys(want), ...Object.keys(got)])) {
      if (JSON.stringify(got[field]) !== JSON.stringify(want[field])) {
        return `row ${i} (${model}), field "${field}": ${show(got[field])}, expected ${show(want[field])}`
      }
    }
  }
  return "the same rows in JSON, but not deeply equal"
}
