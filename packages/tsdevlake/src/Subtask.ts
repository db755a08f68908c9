/**
 * Running a stream's subtasks against the database: collect (source → `_raw_*`), extract (`_raw_*` →
 * `_tool_*`) and convert (`_tool_*` → domain tables), in batches, with bounded memory, progress on fd 3 and
 * resumable state.
 *
 * Every batch is one transaction that writes the rows and checkpoints the run's state, so a process killed
 * at any point (SIGKILL included) leaves either a whole batch and its checkpoint or neither; an incremental
 * re-run continues from the checkpoint with no duplicate and no missing row.
 *
 * @since 0.1.0
 */
import { Channel, Chunk, Effect, Either, Exit, Option, ParseResult, Schema, Stream } from "effect"
import * as DataStream from "./DataStream.js"
import * as Db from "./Db.js"
import { forEachParent } from "./internal/stream/forEachParent.js"
import { indexName } from "./internal/db/ddl.js"
import { describeParseError } from "./internal/process/arguments.js"
import * as extractor from "./internal/subtask/extractor.js"
import { rawDataParams } from "./internal/process/goJson.js"
import * as plugins from "./internal/plugin/plugin.js"
import * as Ipc from "./Ipc.js"
import * as Model from "./Model.js"
import * as State from "./State.js"
import { type ModelTable, modelTable, rawTableSpec } from "./internal/model/tables.js"

export {
  /**
   * The columns of a raw table, as pydevlake creates them.
   *
   * @since 0.1.0
   * @category models
   */
  rawTableSpec
}

/**
 * A subtask could not run or process a record.
 *
 * @since 0.1.0
 * @category errors
 */
export class SubtaskError extends Schema.TaggedError<SubtaskError>()("SubtaskError", {
  subtask: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `${this.subtask}: ${this.detail}`
  }
}

/**
 * Tuning of a run.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunOptions {
  /** Rows per transaction (and per progress message), at most. */
  readonly batchSize?: number
  /**
   * About how much text one batch may hold (JSON and text columns, by length): batches of records
   * megabytes each are made smaller, so that a subtask stays within its heap. Default 16 MiB.
   */
  readonly batchBytes?: number
}

const defaultBatchSize = 500
// With the writer's queue (a few batches) and a page's decoded records, this keeps a subtask well within
// the 512 MiB heap run.sh gives it, whatever the size of the records.
const defaultBatchBytes = 16 * 1024 * 1024

/** A model value as a tuple in `table.columns` order (what `Db.TableWrite.tuples` takes). */
const toTuple = (table: ModelTable, value: Record<string, unknown>): Array<unknown> => {
  const fields = table.fields
  const tuple = new Array<unknown>(fields.length)
  for (let i = 0; i < fields.length; i++) {
    const v = value[fields[i]!.name]
    tuple[i] = v === undefined ? null : v
  }
  return tuple
}

/** Where the columns the framework sets are in a table's tuples; -1 where its model has no such field. */
interface FrameworkSlots {
  readonly id: number
  readonly connectionId: number
  readonly rawDataParams: number
  readonly rawDataTable: number
  readonly rawDataId: number
  readonly createdAt: number
  readonly updatedAt: number
}

const slotsByTable = new WeakMap<ModelTable, FrameworkSlots>()
const frameworkSlots = (table: ModelTable): FrameworkSlots => {
  let slots = slotsByTable.get(table)
  if (slots === undefined) {
    const at = (name: string) => table.fields.findIndex((field) => field.name === name)
    const withOrigin = table.has("rawDataParams")
    const timestamped = table.has("updatedAt")
    slots = {
      id: at("id"),
      connectionId: at("connectionId"),
      // The origin columns come as a group; createdAt only with updatedAt.
      rawDataParams: at("rawDataParams"),
      rawDataTable: withOrigin ? at("rawDataTable") : -1,
      rawDataId: withOrigin ? at("rawDataId") : -1,
      createdAt: timestamped ? at("createdAt") : -1,
      updatedAt: at("updatedAt")
    }
    slotsByTable.set(table, slots)
  }
  return slots
}

/**
 * The columns the framework sets over a row's own values, in its tuple: the raw-data origin, and the batch's
 * time as `updatedAt`, and as `createdAt` where the row has none.
 */
const setOrigin = (
  slots: FrameworkSlots,
  tuple: Array<unknown>,
  value: Record<string, unknown>,
  rawParams: unknown,
  rawTable: unknown,
  rawId: unknown,
  at: Date
) => {
  if (slots.rawDataParams >= 0 && rawParams !== undefined) tuple[slots.rawDataParams] = rawParams
  if (slots.rawDataTable >= 0 && rawTable !== undefined) tuple[slots.rawDataTable] = rawTable
  if (slots.rawDataId >= 0 && rawId !== undefined) tuple[slots.rawDataId] = rawId
  if (slots.createdAt >= 0 && value["createdAt"] == null) tuple[slots.createdAt] = at
  if (slots.updatedAt >= 0) tuple[slots.updatedAt] = at
}

/** Where `columns` are in the table's tuples (`streamTuples` with `table.columns`). */
const columnIndexes = (table: ModelTable, columns: ReadonlyArray<string>): Array<number> =>
  columns.map((column) => table.columns.findIndex((c) => c.name === column))

const fromTuple = (table: ModelTable, tuple: ReadonlyArray<unknown>): unknown => {
  // An instance of the model class (its methods and getters work) built without running the constructor:
  // rows were validated when they were written, and the constructor's validation and default merging would
  // only cost time for every row read back.
  const instance = Object.create((table.model as unknown as { prototype?: object }).prototype ?? Object.prototype) as Record<
    string,
    unknown
  >
  const fields = table.fields
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    const v = tuple[i]
    if (v === null || v === undefined) {
      if (field.nullable) instance[field.name] = null
    } else {
      instance[field.name] = v
    }
  }
  return instance
}

/**
 * The default extractor: each field from the raw JSON by its `source` JSON pointer, else by its JSON key,
 * property name or snake_case name; then decoded with the tool model's field schemas. Returns the decoded
 * fields (not a class instance: the runner only reads them, and building instances would double the cost).
 * Common field types are decoded without running Schema, with Schema's exact results; any failure is
 * reported with Schema's own `ParseError`.
 *
 * @example
 * const extract = Subtask.defaultExtractor(BenchUser)
 * const fields = extract(JSON.parse(rawRecord)) // Either<decoded fields, ParseError>
 *
 * @since 0.1.0
 * @category extract
 */
export const defaultExtractor: (model: Model.Any) => (data: unknown) => Either.Either<unknown, ParseResult.ParseError> =
  extractor.defaultExtractor

interface Plan {
  readonly plugin: plugins.Plugin
  readonly stream: DataStream.DataStream
  readonly verb: DataStream.Verb
  readonly ctx: DataStream.TaskContext
  readonly params: string
  readonly rawTable: string
  readonly tool: ModelTable
  readonly key: State.RunKey
  readonly batchSize: number
  readonly batchBytes: number
}

/**
 * Extractors and convertors usually answer `Effect.succeed(rows)`, which is already its own result: the hot
 * loops read it directly (`succeededWith`) instead of running it, saving a trip through the fiber runtime
 * for every record. Anything else runs as the Effect it is.
 */
const succeededWith = <A, E, R>(effect: Effect.Effect<A, E, R>): Exit.Success<A, never> | undefined =>
  Exit.isExit(effect) && Exit.isSuccess(effect) ? effect as unknown as Exit.Success<A, never> : undefined

const subtaskName = (plan: Pick<Plan, "stream" | "verb">) => DataStream.subtaskName(plan.stream, plan.verb)

/**
 * What a plugin's callback threw (a Schema class rejecting a value, a bug) as the subtask's failure, naming the
 * record it was given and, for a `ParseError`, the field, not the value.
 */
const callbackFailure = (subtask: string, what: string, error: unknown) =>
  new SubtaskError({
    subtask,
    detail: `${what} failed: ${
      ParseResult.isParseError(error)
        ? describeParseError(error)
        : (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0]
    }`
  })

/** The effect a plugin's callback returned, its defects made {@link callbackFailure}s. */
const orDefect = <A, E, R>(subtask: string, what: () => string, effect: Effect.Effect<A, E, R>) =>
  Effect.catchAllDefect(effect, (defect) => Effect.fail(callbackFailure(subtask, what(), defect)))

const progress = (current: number, increment: number, total: number) =>
  Effect.flatMap(Ipc.Ipc, (ipc) => ipc.send({ current, total, increment }))

const now = () => new Date()

/**
 * Commits a batch's rows together with the run's checkpoint. Through the dialect's `BatchWriter` when the
 * state store can hand over its checkpoint statement (then, on a SQLite file, the next batch is prepared
 * while this one is written); otherwise one transaction per batch, committed before the next is prepared.
 */
interface Committer {
  readonly commit: (writes: ReadonlyArray<Db.TableWrite>, checkpoint: unknown) => Effect.Effect<void, Db.DbError>
  /**
   * Waits until every batch is committed; call it before completing the run. (After a failure the end of the
   * subtask's scope lets the batches handed over so far commit, each with its checkpoint.)
   */
  readonly flush: Effect.Effect<void, Db.DbError>
}

const committer = (runId: number) =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const state = yield* State.State
    const statement = state.checkpointStatement
    if (statement === undefined) {
      return {
        commit: (writes, checkpoint) =>
          db.withTransaction(Effect.zipRight(db.write(writes), state.checkpoint(runId, checkpoint))),
        flush: Effect.void
      } satisfies Committer
    }
    const writer = yield* db.batchWriter()
    return {
      commit: (writes, checkpoint) => writer.submit({ writes, statements: [statement(runId, checkpoint)] }),
      flush: writer.flush
    } satisfies Committer
  })

// ---------------------------------------------------------------------------------------------------
// collect

interface Checkpoint {
  /** The collector state the run started from (given again to every later parent of a substream). */
  readonly initial?: unknown
  /** Key of the parent being collected (substreams). */
  readonly parent?: ReadonlyArray<unknown>
  /** The state of the last record that carried one. */
  readonly state?: unknown
  /** Records written since that state (they are skipped when resuming from it). */
  readonly skip: number
}

/**
 * A raw record as it will be written, with the checkpoint after it. The JSON text is made as each record
 * arrives, so that the decoded API response is garbage at once instead of living in the batch until it is
 * written: what survives the young generation is what costs GC time in collect.
 */
interface Tagged {
  readonly data: string
  readonly url: string
  readonly input: string
  readonly checkpoint: Checkpoint
}

const isCheckpoint = (u: unknown): u is Checkpoint =>
  typeof u === "object" && u !== null && typeof (u as Checkpoint).skip === "number"

const sameKey = (a: ReadonlyArray<unknown> | undefined, b: ReadonlyArray<unknown> | undefined) =>
  a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)

// Text: the raw columns are `bytes`, and the database layer writes a string there as its UTF-8 bytes.
const encodeJson = (value: unknown) => JSON.stringify(value === undefined ? "" : value)

const collect = (plan: Plan) =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const state = yield* State.State
    const raw = rawTableSpec(plan.rawTable)
    yield* db.createTableIfNotExists(raw)
    if (!plan.ctx.incremental) yield* db.deleteWhere(plan.rawTable, { params: plan.params })
    const previous = plan.ctx.incremental ? yield* state.latest(plan.key) : Option.none()
    const resumeFrom: Checkpoint | undefined = Option.match(previous, {
      onNone: () => undefined,
      // After a completed run, its last state is also where this run stands until a record brings a new one,
      // so that a run that collects nothing keeps it for the next.
      onSome: ({ completed, state: saved }) =>
        !isCheckpoint(saved) ? undefined : completed ? { initial: saved.state, state: saved.state, skip: 0 } : saved
    })
    if (resumeFrom !== undefined) {
      yield* Effect.logInfo(
        `${subtaskName(plan)}: resuming ${Option.getOrThrow(previous).completed ? "after the last completed run" : "an interrupted run"}`
      )
    }
    const runId = yield* state.start(plan.key)
    const initial = resumeFrom?.initial
    const source: Stream.Stream<Tagged, unknown, unknown> = plan.stream.parent === undefined
      ? tagRecords(
        plan.stream.collect({ ...plan.ctx, state: resumeFrom?.state ?? initial }).pipe(
          Stream.drop(resumeFrom?.skip ?? 0)
        ),
        { initial, state: resumeFrom?.state ?? initial, skip: resumeFrom?.skip ?? 0 }
      )
      : substreamRecords(plan, resumeFrom)
    const columns = ["params", "data", "url", "input", "created_at"].map((name) => raw.columns.find((c) => c.name === name)!)
    let written = 0
    let last: Checkpoint = resumeFrom ?? { initial, skip: 0 }
    const { commit, flush } = yield* committer(runId)
    yield* source.pipe(
      // Like `grouped` (unlike `groupedWithin`), it still emits the records received before a source failure,
      // so a failed collect keeps, and checkpoints, everything it fetched.
      (records) => groupedByWeight(records, plan.batchSize, plan.batchBytes, recordWeight),
      Stream.runForEach((chunk) =>
        Effect.gen(function*() {
          const createdAt = now()
          // In `columns` order: params, data, url, input, created_at.
          const tuples = Chunk.toReadonlyArray(chunk).map(({ data, input, url }) => [plan.params, data, url, input, createdAt])
          last = Chunk.unsafeLast(chunk).checkpoint
          yield* commit([{ table: plan.rawTable, columns, tuples }], last)
          written += tuples.length
          yield* progress(written, tuples.length, 0)
        })
      )
    )
    yield* flush
    yield* state.complete(runId, last)
    yield* Effect.logInfo(`${subtaskName(plan)}: ${written} raw records written to ${plan.rawTable}`)
  })

const recordWeight = (record: Tagged) => record.data.length + record.input.length + record.url.length

/**
 * Groups a stream's elements into chunks of at most `count` elements and about `maxWeight` in all: a group is
 * emitted once it holds `count` elements or its elements weigh `maxWeight` (so one heavier element is a group
 * of its own). The elements received before a failure are emitted before it, as `Stream.grouped` does.
 */
const groupedByWeight = <A, E, R>(
  self: Stream.Stream<A, E, R>,
  count: number,
  maxWeight: number,
  weightOf: (a: A) => number
): Stream.Stream<Chunk.Chunk<A>, E, R> => {
  const flush = (group: Array<A>) => Channel.write(Chunk.of(Chunk.unsafeFromArray(group)))
  const loop = (
    group: Array<A>,
    weight: number
  ): Channel.Channel<Chunk.Chunk<Chunk.Chunk<A>>, Chunk.Chunk<A>, E, E, unknown, unknown> =>
    Channel.readWithCause({
      onInput: (input: Chunk.Chunk<A>) => {
        const full: Array<Chunk.Chunk<A>> = []
        let current = group
        let currentWeight = weight
        for (const a of input) {
          current.push(a)
          currentWeight += weightOf(a)
          if (current.length >= count || currentWeight >= maxWeight) {
            full.push(Chunk.unsafeFromArray(current))
            current = []
            currentWeight = 0
          }
        }
        const next = loop(current, currentWeight)
        return full.length === 0 ? next : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(full)), next)
      },
      onFailure: (cause) =>
        group.length === 0 ? Channel.failCause(cause) : Channel.zipRight(flush(group), Channel.failCause(cause)),
      onDone: () => group.length === 0 ? Channel.void : flush(group)
    })
  return Stream.pipeThroughChannel(self, Channel.suspend(() => loop([], 0)))
}

const tagRecords = <E, R>(
  records: Stream.Stream<DataStream.RawRecord, E, R>,
  start: Checkpoint
): Stream.Stream<Tagged, E, R> =>
  Stream.mapAccum(records, start, (previous, record) => {
    const checkpoint: Checkpoint = record.state !== undefined
      ? { ...previous, state: record.state, skip: 0 }
      : { ...previous, skip: previous.skip + 1 }
    return [checkpoint, { data: encodeJson(record.data), url: record.url ?? "", input: encodeJson(record.input), checkpoint }]
  })

const substreamRecords = (plan: Plan, resumeFrom: Checkpoint | undefined): Stream.Stream<Tagged, unknown, unknown> => {
  const parentStream = plan.stream.parent!
  const parent = modelTable(parentStream.toolModel, plugins.tableOf(plan.plugin, parentStream.toolModel))
  const orderBy = parent.keyColumns
  const keyAt = columnIndexes(parent, orderBy)
  const read = (options: { readonly where?: Db.Where; readonly after?: ReadonlyArray<unknown> }) =>
    Stream.unwrap(Effect.map(Db.Database, (db) =>
      db.streamTuples(parent.table, {
        orderBy,
        where: { ...options.where, _raw_data_params: plan.params },
        ...(options.after === undefined ? {} : { after: options.after }),
        columns: parent.columns,
        batchSize: plan.batchSize,
        maxBytes: plan.batchBytes
      }).pipe(
        Stream.flattenChunks,
        Stream.map((tuple) => ({ key: keyAt.map((i) => tuple[i]), tool: fromTuple(parent, tuple) }))
      )))
  // A resumed substream goes on with the checkpoint's parent (if it is still there) and then the parents
  // after it in key order, as the database orders them: parents finished before the checkpoint are skipped,
  // and a parent deleted since does not lose the ones after it.
  const checkpointParent = resumeFrom?.parent
  const remaining = checkpointParent === undefined
    ? read({})
    : Stream.concat(
      read({ where: Object.fromEntries(orderBy.map((column, i) => [column, checkpointParent[i]])) }),
      read({ after: checkpointParent })
    )
  return forEachParent(
    remaining,
    ({ key, tool }) => {
      const resuming = resumeFrom !== undefined && sameKey(key, resumeFrom.parent)
      const startState = resuming ? resumeFrom.state : resumeFrom?.initial
      const skip = resuming ? resumeFrom.skip : 0
      return tagRecords(
        plan.stream.collect({ ...plan.ctx, state: startState }, tool).pipe(Stream.drop(skip)),
        { initial: resumeFrom?.initial, parent: key, state: startState, skip }
      )
    },
    { concurrency: plan.stream.concurrency }
  )
}

// ---------------------------------------------------------------------------------------------------
// extract

const requireTable = (plan: Plan, table: string, what: string) =>
  Effect.flatMap(Db.Database, (db) =>
    Effect.flatMap(db.tableExists(table), (exists) =>
      exists ? Effect.void : Effect.fail(
        new SubtaskError({
          subtask: subtaskName(plan),
          detail: `${what} table ${table} does not exist; DevLake creates it from the plugin's migrations (locally: run.sh migrate)`
        })
      )))

const resumePoint = (plan: Plan) =>
  Effect.gen(function*() {
    if (!plan.ctx.incremental) return undefined
    const previous = yield* Effect.flatMap(State.State, (s) => s.latest(plan.key))
    return Option.isSome(previous) ? previous.value.state as { readonly after?: ReadonlyArray<unknown> } : undefined
  })

const extract = (plan: Plan) =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const state = yield* State.State
    yield* requireTable(plan, plan.tool.table, "tool")
    yield* db.createTableIfNotExists(rawTableSpec(plan.rawTable))
    if (!plan.ctx.incremental) yield* db.deleteWhere(plan.tool.table, { _raw_data_params: plan.params })
    yield* refreshStatistics(plan.rawTable)
    // Convert's index, made before the rows come: the writes keep it up to date (on SQLite, on the writer
    // thread), where building it in convert would stop convert for a pass over the whole table.
    yield* ensureOrderIndex(plan.tool.table, convertOrder(plan), false)
    const resume = yield* resumePoint(plan)
    const afterId = resume?.after?.[0] as number | undefined
    const total = afterId === undefined ? yield* db.countWhere(plan.rawTable, { params: plan.params }) : 0
    const runId = yield* state.start(plan.key)
    const custom = plan.stream.extract
    const slots = frameworkSlots(plan.tool)
    const extractDefault = defaultExtractor(plan.tool.model)
    const subtask = subtaskName(plan)
    const rawColumns = rawTableSpec(plan.rawTable).columns.filter((c) => c.name === "id" || c.name === "data")
    let done = 0
    let lastId: unknown = afterId
    const { commit, flush } = yield* committer(runId)
    yield* db.streamById(plan.rawTable, {
      where: { params: plan.params },
      ...(afterId === undefined ? {} : { afterId }),
      batchSize: plan.batchSize,
      maxBytes: plan.batchBytes,
      columns: rawColumns,
      bytesAsText: ["data"]
    }).pipe(
      Stream.runForEach((chunk) =>
        Effect.gen(function*() {
          const tuples: Array<Array<unknown>> = []
          const updatedAt = now()
          const connectionId = (plan.ctx.connection as { id: number }).id
          // The framework's columns override what the extractor returned.
          const pushOne = (one: Record<string, unknown>, rawId: unknown) => {
            const tuple = toTuple(plan.tool, one)
            if (slots.connectionId >= 0) tuple[slots.connectionId] = connectionId
            setOrigin(slots, tuple, one, plan.params, plan.rawTable, rawId, updatedAt)
            tuples.push(tuple)
          }
          const push = (tool: unknown, rawId: unknown) => {
            if (Array.isArray(tool)) for (const one of tool) pushOne(one, rawId)
            else pushOne(tool as Record<string, unknown>, rawId)
          }
          const parse = (rawRow: Db.Row): Either.Either<unknown, SubtaskError> => {
            try {
              const text = rawRow["data"]
              // Read as text by the database (`bytesAsText`); a null is not JSON either.
              if (typeof text !== "string") throw new TypeError("not text")
              return Either.right(JSON.parse(text))
            } catch {
              return Either.left(
                new SubtaskError({ subtask, detail: `raw row ${rawRow["id"]} of ${plan.rawTable} is not JSON` })
              )
            }
          }
          if (custom === undefined) {
            // The hot path: a plain loop, no Effect per record.
            for (const rawRow of chunk) {
              const rawId = rawRow["id"]
              const data = parse(rawRow)
              if (Either.isLeft(data)) return yield* data.left
              const extracted = extractDefault(data.right)
              if (Either.isLeft(extracted)) {
                return yield* new SubtaskError({
                  subtask,
                  detail: `raw row ${rawId} of ${plan.rawTable} does not fit ${plan.tool.model.identifier}: ${
                    describeParseError(extracted.left)
                  }`
                })
              }
              push(extracted.right, rawId)
              lastId = rawId
            }
          } else {
            for (const rawRow of chunk) {
              const data = yield* parse(rawRow)
              const what = () => `extract of raw row ${rawRow["id"]} of ${plan.rawTable}`
              let extracted
              try {
                extracted = custom(data, plan.ctx)
              } catch (error) {
                return yield* callbackFailure(subtask, what(), error)
              }
              const done = succeededWith(extracted)
              push(done !== undefined ? done.value : yield* orDefect(subtask, what, extracted), rawRow["id"])
              lastId = rawRow["id"]
            }
          }
          yield* commit(
            [{ table: plan.tool.table, columns: plan.tool.columns, keyColumns: plan.tool.keyColumns, tuples }],
            { after: [lastId] }
          )
          done += chunk.length
          yield* progress(done, chunk.length, total)
        })
      )
    )
    yield* flush
    yield* state.complete(runId, { after: lastId === undefined ? undefined : [lastId] })
    yield* Effect.logInfo(`${subtask}: ${done} raw records extracted into ${plan.tool.table}`)
  })

// ---------------------------------------------------------------------------------------------------
// convert

/**
 * Convert reads a scope's tool rows in `(_raw_data_id, primary key)` order, page by page. Without an index in
 * that order every page would scan and sort the scope's remaining rows (quadratic in the scope's size), so
 * the framework adds one to the tool table, named for itself: the extractor before writing, the convertor in
 * case it is missing. If the database refuses it (a key too long for MySQL), a shorter one still serves the
 * equality and the raw-id range.
 */
const ensureOrderIndex = (table: string, orderBy: ReadonlyArray<string>, analyze: boolean) =>
  Effect.flatMap(Db.Database, (db) =>
    db.createIndexIfNotExists(table, indexName(table, "tsdevlake_order"), ["_raw_data_params", ...orderBy]).pipe(
      Effect.orElse(() =>
        db.createIndexIfNotExists(table, indexName(table, "tsdevlake_rawid"), ["_raw_data_params", "_raw_data_id"])
      ),
      Effect.catchAll((error) => Effect.logWarning(`no ordering index on ${table}, convert will be slower: ${error.message}`)),
      Effect.zipRight(analyze ? refreshStatistics(table) : Effect.void),
      Effect.asVoid
    ))

/** The tool table's order for convert: `(_raw_data_id, primary key)`. */
const convertOrder = (plan: Plan) => ["_raw_data_id", ...plan.tool.keyColumns.filter((c) => c !== "_raw_data_id")]

/**
 * PostgreSQL plans from statistics; right after the previous subtask filled a table they still describe it as
 * nearly empty, and the planner then sorts the whole scope for every page instead of walking the index.
 */
const refreshStatistics = (table: string) =>
  Effect.flatMap(Db.Database, (db) =>
    db.dialect.name === "postgres" ? Effect.ignore(db.execute(`ANALYZE ${db.dialect.quote(table)}`)) : Effect.void)

const convert = (plan: Plan) =>
  Effect.gen(function*() {
    const db = yield* Db.Database
    const state = yield* State.State
    const subtask = subtaskName(plan)
    yield* requireTable(plan, plan.tool.table, "tool")
    const domainTables = new Map<Model.Any, ModelTable>()
    for (const model of plan.stream.domainModels) {
      const table = Model.explicitTableName(model)
      if (table === undefined) return yield* new SubtaskError({ subtask, detail: `${model.identifier} has no table name` })
      yield* requireTable(plan, table, "domain")
      domainTables.set(model, modelTable(model, table))
    }
    if (!plan.ctx.incremental) {
      for (const table of domainTables.values()) {
        if (table.has("rawDataParams") && table.has("rawDataTable")) {
          yield* db.deleteWhere(table.table, { _raw_data_params: plan.params, _raw_data_table: plan.rawTable })
        }
      }
    }
    const orderBy = convertOrder(plan)
    // Usually there already (extract made it); building it here over a full table costs convert ~0.1 s a
    // 100,000 rows on SQLite.
    yield* ensureOrderIndex(plan.tool.table, orderBy, true)
    const resume = yield* resumePoint(plan)
    const total = resume?.after === undefined
      ? yield* db.countWhere(plan.tool.table, { _raw_data_params: plan.params })
      : 0
    const runId = yield* state.start(plan.key)
    const connectionId = (plan.ctx.connection as { id: number }).id
    const keyNames = Model.primaryKeyOf(plan.tool.model).filter((f) => f.name !== "connectionId").map((f) => f.name)
    const convertOf = (toolDomainId: string) => `convert of tool row ${toolDomainId} of ${plan.tool.table}`
    const domainIdOf = (tool: Record<string, unknown>) =>
      plugins.domainIdFromKeys(plan.plugin, plan.tool.model, connectionId, keyNames.map((k) => tool[k]))
    let done = 0
    let lastKey: ReadonlyArray<unknown> | undefined = resume?.after
    const keyAt = columnIndexes(plan.tool, orderBy)
    const { commit, flush } = yield* committer(runId)
    yield* db.streamTuples(plan.tool.table, {
      orderBy,
      where: { _raw_data_params: plan.params },
      ...(resume?.after === undefined ? {} : { after: resume.after }),
      batchSize: plan.batchSize,
      maxBytes: plan.batchBytes,
      columns: plan.tool.columns
    }).pipe(
      Stream.runForEach((chunk) =>
        Effect.gen(function*() {
          const byTable = new Map<ModelTable, Array<Array<unknown>>>()
          const updatedAt = now()
          for (const toolTuple of chunk) {
            const tool = fromTuple(plan.tool, toolTuple) as Record<string, unknown>
            const toolDomainId = domainIdOf(tool)
            let converted
            try {
              converted = plan.stream.convert(tool, plan.ctx)
            } catch (error) {
              return yield* callbackFailure(subtask, convertOf(toolDomainId), error)
            }
            const done = succeededWith(converted)
            const domainRows = done !== undefined
              ? done.value
              : yield* orDefect(subtask, () => convertOf(toolDomainId), converted)
            for (const domainRow of domainRows) {
              const model = (domainRow as object).constructor as unknown as Model.Any
              const target = domainTables.get(model)
              if (target === undefined) {
                const name = Model.explicitTableName(model)
                if (name === undefined || Model.kindOf(model) !== "domain") {
                  return yield* new SubtaskError({
                    subtask,
                    detail: `convert returned a ${model.identifier ?? typeof domainRow}, not a domain model`
                  })
                }
                return yield* new SubtaskError({
                  subtask,
                  detail: `convert returned a ${model.identifier}; add it to the stream's domainModels`
                })
              }
              const value = domainRow as Record<string, unknown>
              const tuple = toTuple(target, value)
              // The tool row's domain id unless the converter set an id, and the tool row's raw-data origin.
              const slots = frameworkSlots(target)
              if (slots.id >= 0 && (value["id"] === undefined || value["id"] === "")) tuple[slots.id] = toolDomainId
              setOrigin(slots, tuple, value, tool["rawDataParams"], tool["rawDataTable"], tool["rawDataId"], updatedAt)
              const tuples = byTable.get(target)
              if (tuples === undefined) byTable.set(target, [tuple])
              else tuples.push(tuple)
            }
          }
          const lastTuple = Chunk.unsafeLast(chunk)
          lastKey = keyAt.map((i) => lastTuple[i])
          const writes = Array.from(byTable, ([table, tuples]): Db.TableWrite => ({
            table: table.table,
            columns: table.columns,
            ...(table.keyColumns.length === 0 ? {} : { keyColumns: table.keyColumns }),
            tuples
          }))
          yield* commit(writes, { after: lastKey })
          done += chunk.length
          yield* progress(done, chunk.length, total)
        })
      )
    )
    yield* flush
    yield* state.complete(runId, { after: lastKey })
    yield* Effect.logInfo(`${subtask}: ${done} tool rows converted`)
  })

// ---------------------------------------------------------------------------------------------------

/**
 * Runs one subtask of a stream for the task context, as the `collect` / `extract` / `convert` commands do.
 * Skips the stream when `shouldRunOn(scope)` is false.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (
  plugin: plugins.Plugin,
  verb: DataStream.Verb,
  stream: DataStream.DataStream,
  ctx: DataStream.TaskContext,
  options: RunOptions = {}
) =>
  Effect.gen(function*() {
    const connectionId = (ctx.connection as { id: number }).id
    const scopeId = String((ctx.scope as { id: unknown }).id)
    const params = rawDataParams(connectionId, scopeId)
    const plan: Plan = {
      plugin,
      stream,
      verb,
      ctx,
      params,
      rawTable: plugins.rawTableOf(plugin, stream),
      tool: modelTable(stream.toolModel, plugins.tableOf(plugin, stream.toolModel)),
      key: { subtask: DataStream.subtaskName(stream, verb), connectionId, params },
      batchSize: options.batchSize ?? defaultBatchSize,
      batchBytes: options.batchBytes ?? defaultBatchBytes
    }
    if (!stream.shouldRunOn(ctx.scope)) {
      return yield* Effect.logInfo(`${subtaskName(plan)}: skipped, the stream does not apply to scope ${scopeId}`)
    }
    yield* Effect.logDebug(`${subtaskName(plan)}: scope ${scopeId}, incremental ${ctx.incremental}`)
    switch (verb) {
      case "collect":
        return yield* Effect.scoped(collect(plan))
      case "extract":
        return yield* Effect.scoped(extract(plan))
      case "convert":
        return yield* Effect.scoped(convert(plan))
    }
  }).pipe(Effect.withSpan(`Subtask.${verb}`, { attributes: { stream: stream.name } }))

/**
 * Builds the task context of a decoded scope, connection and scope config.
 *
 * @since 0.1.0
 * @category constructors
 */
export const taskContext = (
  plugin: plugins.Plugin,
  input: {
    readonly connection: unknown
    readonly scope: unknown
    readonly scopeConfig: unknown
    readonly options: Readonly<Record<string, unknown>>
  }
): DataStream.TaskContext => ({
  connection: input.connection,
  scope: input.scope,
  scopeConfig: input.scopeConfig,
  options: input.options,
  incremental: input.options["incremental"] === true,
  domainScopeId: plugins.domainId(
    plugin,
    plugin.scope,
    (input.connection as { id: number }).id,
    input.scope as object
  )
})
