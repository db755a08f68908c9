import { Chunk, Effect, Either, Option, Stream } from "effect"
import type { ColumnSpec, Dialect, Row, Where } from "../../Db.js"
import { encodeLoose } from "./codec.js"
import { type DbCore, run, runValues } from "./core.js"
import { DbError } from "./errors.js"
import { makeParams, type Params, whereClause } from "./params.js"
import { tupleDecoder, valuesDecoder } from "./rowDecoder.js"

/**
 * Keyset-paginated reads: each page `WHERE … AND (orderBy) > (last row's) ORDER BY orderBy LIMIT n`, so memory
 * stays constant whatever the table size and a stream resumes from a key. The read is planned once per stream
 * (columns, decoders, cursor) and run page by page; on a SQLite file, outside a transaction, pages come through
 * the second connection (`sqlite/reader.ts`), rows as arrays with exact 64-bit integers.
 */

/**
 * The options of the keyset streams, documented on their `Db` names (`Db.StreamRowsOptions`, …).
 *
 * @internal
 */
export interface StreamRowsOptions {
  readonly orderBy: ReadonlyArray<string>
  readonly where?: Where
  readonly after?: ReadonlyArray<unknown>
  readonly batchSize?: number
  readonly columns?: ReadonlyArray<ColumnSpec>
  /**
   * `bytes` columns (among `columns`) to read as UTF-8 text: the database converts them, so a raw JSON
   * column arrives as a string without a Buffer per value.
   */
  readonly bytesAsText?: ReadonlyArray<string>
  /**
   * A budget for one page's values (text and bytes by their length, other values 8 bytes each), for rows of
   * unknown size: the first page holds at most 16 rows, and each next one at most twice the rows of the
   * previous, `batchSize` at most, and as many as the budget holds at the previous page's average row size.
   * So memory stays bounded when rows are megabytes each. Without it, every page is `batchSize` rows.
   */
  readonly maxBytes?: number
  /**
   * The index whose order `orderBy` follows, when the table has one. MySQL/MariaDB then reads every page
   * through it (`FORCE INDEX`): with an equality in `where` on the index's first column, its planner otherwise
   * looks pages up by that column alone and filters out every row before the cursor, so a page costs more the
   * further the read has gone (0.14 s instead of 1.5 ms half-way through a scope of 1,000,000 rows), and a whole
   * read grows with the square of its rows. Other databases seek the cursor without being told.
   */
  readonly index?: string
}

/** @internal */
export interface StreamTuplesOptions extends StreamRowsOptions {
  readonly columns: ReadonlyArray<ColumnSpec>
}

/** @internal */
export interface StreamByIdOptions extends Omit<StreamRowsOptions, "orderBy" | "after"> {
  readonly afterId?: number | bigint
}

const defaultBatchSize = 1000

/** Rows in the first page read under a byte budget (`maxBytes`), before any row size is known. */
const firstBudgetedPage = 16

/**
 * What one keyset stream reads, worked out once: the SELECT list, the columns by position, the cursor start.
 *
 * @internal
 */
export interface ReadPlan {
  readonly table: string
  readonly what: string
  readonly orderBy: ReadonlyArray<string>
  readonly where: StreamRowsOptions["where"]
  readonly batchSize: number
  readonly maxBytes: number | undefined
  /** The declared columns (they encode `where` values); `undefined` for `SELECT *`. */
  readonly columns: ReadonlyArray<ColumnSpec> | undefined
  /** The declared columns as they are decoded: `bytesAsText` ones as strings. */
  readonly decodeAs: ReadonlyArray<ColumnSpec> | undefined
  /** The selected columns in order (`columns`, then the `orderBy` ones not among them). */
  readonly names: ReadonlyArray<string> | undefined
  /** The SELECT list. */
  readonly selected: string
  readonly start: ReadonlyArray<unknown> | undefined
  /** `FROM` and what follows it up to `WHERE`: the table, and on MySQL the index hint. */
  readonly from: string
}

const invalid = (detail: string) => Either.left(new DbError({ reason: "InvalidSpec", detail }))

/** @internal */
export const readPlan = (
  dialect: Dialect,
  table: string,
  options: StreamRowsOptions,
  shape: "rows" | "tuples"
): Either.Either<ReadPlan, DbError> => {
  const { columns, orderBy } = options
  if (orderBy.length === 0) return invalid(`cannot stream ${table}: orderBy is empty`)
  if (options.after !== undefined && options.after.length !== orderBy.length) {
    return invalid(
      `cannot stream ${table}: after has ${options.after.length} values for ${orderBy.length} orderBy columns`
    )
  }
  if (shape === "tuples" && columns === undefined) return invalid(`cannot stream ${table} as tuples: no columns`)
  const names = columns === undefined
    ? undefined
    : [...columns.map((c) => c.name), ...orderBy.filter((o) => !columns.some((c) => c.name === o))]
  const asText = new Set(options.bytesAsText ?? [])
  const { quote } = dialect
  return Either.right({
    table,
    what: `reading ${table}`,
    orderBy,
    where: options.where,
    batchSize: Math.max(1, Math.floor(options.batchSize ?? defaultBatchSize)),
    maxBytes: options.maxBytes,
    columns,
    decodeAs: columns?.map((c): ColumnSpec => asText.has(c.name) ? { ...c, type: "string" } : c),
    names,
    selected: names === undefined
      ? "*"
      : names.map((n) => asText.has(n) ? `${dialect.bytesAsText(n)} AS ${quote(n)}` : quote(n)).join(", "),
    start: options.after?.map((value) => encodeLoose(dialect.name, value)),
    from: dialect.name === "mysql" && options.index !== undefined
      ? `${quote(table)} FORCE INDEX (${quote(options.index)})`
      : quote(table)
  })
}

/** `(a > ?) OR (a = ? AND (b > ? OR …))`: portable keyset condition that still uses the index. */
const keyset = (
  dialect: Dialect,
  orderBy: ReadonlyArray<string>,
  cursor: ReadonlyArray<unknown>,
  params: Params,
  i = 0
): string => {
  const column = dialect.quote(orderBy[i]!)
  if (i === orderBy.length - 1) return `${column} > ${params.add(cursor[i])}`
  return `(${column} > ${params.add(cursor[i])} OR (${column} = ${params.add(cursor[i])} AND ${
    keyset(dialect, orderBy, cursor, params, i + 1)
  }))`
}

/**
 * The SELECT of the page after `cursor` (the first page without one), at most `limit` rows.
 *
 * @internal
 */
export const pageStatement = (
  dialect: Dialect,
  plan: ReadPlan,
  cursor: ReadonlyArray<unknown> | undefined,
  limit: number
): { readonly statement: string; readonly values: ReadonlyArray<unknown> } => {
  const { orderBy } = plan
  const params = makeParams(dialect)
  const conditions = whereClause(dialect, plan.where, params, plan.columns)
  if (cursor !== undefined) {
    // The redundant bound on the first column is what lets every planner seek the index to the cursor:
    // the OR-expanded condition alone makes them scan from the start of the range on every page.
    if (orderBy.length > 1) conditions.push(`${dialect.quote(orderBy[0]!)} >= ${params.add(cursor[0])}`)
    conditions.push(keyset(dialect, orderBy, cursor, params))
  }
  const filter = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : ""
  const statement = `SELECT ${plan.selected} FROM ${plan.from}${filter} ORDER BY ${
    orderBy.map(dialect.quote).join(", ")
  } LIMIT ${limit}`
  return { statement, values: params.values }
}

/** The size of a page's values as `maxBytes` counts it. */
const pageBytes = (rows: ReadonlyArray<ReadonlyArray<unknown> | Row>): number => {
  let bytes = 0
  for (const row of rows) {
    for (const value of Array.isArray(row) ? row : Object.values(row)) {
      bytes += typeof value === "string" ? value.length : value instanceof Uint8Array ? value.byteLength : 8
    }
  }
  return bytes
}

/**
 * The row limit of the page after one of `pageLimit` that read `rows`: `batchSize`, or under a byte budget
 * as many as it holds at their average size, at most twice `pageLimit`.
 *
 * @internal
 */
export const nextPageLimit = (
  plan: Pick<ReadPlan, "batchSize" | "maxBytes">,
  rows: ReadonlyArray<ReadonlyArray<unknown> | Row>,
  pageLimit: number
): number => {
  if (plan.maxBytes === undefined) return plan.batchSize
  if (rows.length === 0) return pageLimit
  const average = Math.max(1, pageBytes(rows) / rows.length)
  return Math.max(1, Math.min(plan.batchSize, pageLimit * 2, Math.floor(plan.maxBytes / average)))
}

/** The key after `rows`' last row, or none when the page (of at most `pageLimit` rows) was the last one. */
const nextCursor = <R>(rows: ReadonlyArray<R>, pageLimit: number, keyOf: (row: R) => ReadonlyArray<unknown>) => {
  const last = rows[rows.length - 1]
  return rows.length < pageLimit || last === undefined ? Option.none() : Option.some(keyOf(last))
}

const firstLimit = (plan: ReadPlan) =>
  plan.maxBytes === undefined ? plan.batchSize : Math.min(plan.batchSize, firstBudgetedPage)

/** Pages of `SELECT *` rows as the driver returns them. */
const streamObjects = (core: DbCore, plan: ReadPlan): Stream.Stream<Chunk.Chunk<Row>, DbError> => {
  let limit = firstLimit(plan)
  return Stream.paginateEffect(plan.start, (cursor) => {
    const pageLimit = limit
    const { statement, values } = pageStatement(core.dialect, plan, cursor, pageLimit)
    return Effect.map(run(core, statement, values, plan.what), (rows) => {
      limit = nextPageLimit(plan, rows, pageLimit)
      return [
        Chunk.unsafeFromArray(rows as Array<Row>),
        nextCursor(rows, pageLimit, (last) => plan.orderBy.map((column) => last[column]))
      ] as const
    })
  }).pipe(Stream.filter(Chunk.isNonEmpty))
}

/** Decodes a page's arrays, fresh ones of this page: in place, no second array per row. */
const pageDecoder = (
  core: DbCore,
  plan: ReadPlan,
  shape: "rows" | "tuples"
): (rows: ReadonlyArray<ReadonlyArray<unknown>>) => Array<Row | ReadonlyArray<unknown>> => {
  if (shape === "rows") {
    const decode = valuesDecoder(core.dialect.name, plan.names!, plan.decodeAs!)
    return (rows) => rows.map((row) => decode(row as Array<unknown>))
  }
  const decode = tupleDecoder(core.dialect.name, plan.names!, plan.decodeAs!)
  return (rows) => {
    for (const row of rows) decode(row as Array<unknown>)
    return rows as Array<ReadonlyArray<unknown>>
  }
}

/** Pages of known columns, read as arrays (no driver object per row) and decoded by position. */
const streamDecoded = (
  core: DbCore,
  plan: ReadPlan,
  shape: "rows" | "tuples"
): Stream.Stream<Chunk.Chunk<Row | ReadonlyArray<unknown>>, DbError> => {
  const names = plan.names!
  const decodeRows = pageDecoder(core, plan, shape)
  const cursorAt = plan.orderBy.map((column) => names.indexOf(column))
  let limit = firstLimit(plan)
  return Stream.paginateEffect(plan.start, (cursor) => {
    const pageLimit = limit
    const { statement, values } = pageStatement(core.dialect, plan, cursor, pageLimit)
    // SQLite returns 64-bit integers exactly only as bigint; the decoders turn safe ones back into numbers.
    return Effect.flatMap(runValues(core, statement, values, names, plan.what), (rows) => {
      // Read before decoding: the cursor is the key as the database returned it.
      const next = nextCursor(rows, pageLimit, (last) => cursorAt.map((i) => last[i]))
      limit = nextPageLimit(plan, rows, pageLimit)
      try {
        return Effect.succeed([Chunk.unsafeFromArray(decodeRows(rows)), next] as const)
      } catch (error) {
        const detail = error instanceof DbError ? error.detail : String(error)
        return Effect.fail(new DbError({ reason: "Decode", detail: `${plan.what}: ${detail}` }))
      }
    })
  }).pipe(Stream.filter(Chunk.isNonEmpty))
}

/** Pages of rows, as objects (`Row`) or, with known columns, as arrays of their values in `columns` order. */
const stream = (
  core: DbCore,
  table: string,
  options: StreamRowsOptions,
  shape: "rows" | "tuples"
): Stream.Stream<Chunk.Chunk<Row | ReadonlyArray<unknown>>, DbError> =>
  Stream.suspend(() => {
    const plan = readPlan(core.dialect, table, options, shape)
    if (Either.isLeft(plan)) return Stream.fail(plan.left)
    return plan.right.names === undefined ? streamObjects(core, plan.right) : streamDecoded(core, plan.right, shape)
  })

/** @internal */
export const streamRows = (core: DbCore, table: string, options: StreamRowsOptions) =>
  stream(core, table, options, "rows") as Stream.Stream<Chunk.Chunk<Row>, DbError>

/** @internal */
export const streamTuples = (core: DbCore, table: string, options: StreamTuplesOptions) =>
  stream(core, table, options, "tuples") as Stream.Stream<Chunk.Chunk<ReadonlyArray<unknown>>, DbError>

/** @internal */
export const streamById = (core: DbCore, table: string, options: StreamByIdOptions = {}) =>
  streamRows(core, table, {
    orderBy: ["id"],
    ...(options.where === undefined ? {} : { where: options.where }),
    ...(options.afterId === undefined ? {} : { after: [options.afterId] }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.bytesAsText === undefined ? {} : { bytesAsText: options.bytesAsText }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes })
  })
