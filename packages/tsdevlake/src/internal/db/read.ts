import { Chunk, Effect, Option, Stream } from "effect"
import type { ColumnSpec, Row, StreamByIdOptions, StreamRowsOptions, StreamTuplesOptions } from "../../Db.js"
import { type DbCore, makeParams, type Params } from "./core.js"
import { encodeLoose } from "./codec.js"
import { bytesAsText } from "./ddl.js"
import { DbError } from "./errors.js"

/** Keyset-paginated reads. */

const defaultBatchSize = 1000

/** Rows in the first page read under a byte budget (`maxBytes`), before any row size is known. */
const firstBudgetedPage = 16

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

/** @internal */
export const makeReadOps = (core: DbCore) => {
  const { name, quote, run, runValues, tupleDecoder, valuesDecoder, whereClause } = core

  /** Pages of rows, as objects (`Row`) or, with known columns, as arrays of their values in `columns` order. */
  function stream(table: string, options: StreamRowsOptions, shape: "rows"): Stream.Stream<Chunk.Chunk<Row>, DbError>
  function stream(
    table: string,
    options: StreamRowsOptions,
    shape: "tuples"
  ): Stream.Stream<Chunk.Chunk<ReadonlyArray<unknown>>, DbError>
  function stream(
    table: string,
    options: StreamRowsOptions,
    shape: "rows" | "tuples"
  ): Stream.Stream<Chunk.Chunk<Row | ReadonlyArray<unknown>>, DbError> {
    return Stream.suspend(() => {
      const orderBy = options.orderBy
      const batchSize = Math.max(1, Math.floor(options.batchSize ?? defaultBatchSize))
      if (orderBy.length === 0) {
        return Stream.fail(new DbError({ reason: "InvalidSpec", detail: `cannot stream ${table}: orderBy is empty` }))
      }
      if (options.after !== undefined && options.after.length !== orderBy.length) {
        return Stream.fail(
          new DbError({
            reason: "InvalidSpec",
            detail: `cannot stream ${table}: after has ${options.after.length} values for ${orderBy.length} orderBy columns`
          })
        )
      }
      const columns = options.columns
      if (shape === "tuples" && columns === undefined) {
        return Stream.fail(new DbError({ reason: "InvalidSpec", detail: `cannot stream ${table} as tuples: no columns` }))
      }
      const names = columns === undefined
        ? undefined
        : [...columns.map((c) => c.name), ...orderBy.filter((o) => !columns.some((c) => c.name === o))]
      const asText = new Set(options.bytesAsText ?? [])
      const selected = names === undefined
        ? "*"
        : names.map((n) => asText.has(n) ? `${bytesAsText(name, quote(n))} AS ${quote(n)}` : quote(n)).join(", ")
      const what = `reading ${table}`
      const maxBytes = options.maxBytes
      // The row limit of the next page: with a byte budget it starts small and follows the rows' size.
      let limit = maxBytes === undefined ? batchSize : Math.min(batchSize, firstBudgetedPage)
      const nextLimit = (rows: ReadonlyArray<ReadonlyArray<unknown> | Row>, pageLimit: number) => {
        if (maxBytes === undefined || rows.length === 0) return
        const average = Math.max(1, pageBytes(rows) / rows.length)
        limit = Math.max(1, Math.min(batchSize, pageLimit * 2, Math.floor(maxBytes / average)))
      }

      /** `(a > ?) OR (a = ? AND (b > ? OR …))`: portable keyset condition that still uses the index. */
      const keyset = (cursor: ReadonlyArray<unknown>, params: Params, i = 0): string => {
        const column = quote(orderBy[i]!)
        if (i === orderBy.length - 1) return `${column} > ${params.add(cursor[i])}`
        return `(${column} > ${params.add(cursor[i])} OR (${column} = ${params.add(cursor[i])} AND ${
          keyset(cursor, params, i + 1)
        }))`
      }

      const page = (cursor: ReadonlyArray<unknown> | undefined, pageLimit: number) => {
        const params = makeParams(name)
        const conditions = whereClause(options.where, params, columns)
        if (cursor !== undefined) {
          // The redundant bound on the first column is what lets every planner seek the index to the cursor:
          // the OR-expanded condition alone makes them scan from the start of the range on every page.
          if (orderBy.length > 1) conditions.push(`${quote(orderBy[0]!)} >= ${params.add(cursor[0])}`)
          conditions.push(keyset(cursor, params))
        }
        const filter = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : ""
        const statement = `SELECT ${selected} FROM ${quote(table)}${filter} ORDER BY ${
          orderBy.map(quote).join(", ")
        } LIMIT ${pageLimit}`
        return { statement, values: params.values }
      }

      /** The key after `rows`' last row, or none when the page (of at most `pageLimit` rows) was the last one. */
      const nextCursor = <R>(rows: ReadonlyArray<R>, pageLimit: number, keyOf: (row: R) => ReadonlyArray<unknown>) => {
        const last = rows[rows.length - 1]
        return rows.length < pageLimit || last === undefined ? Option.none() : Option.some(keyOf(last))
      }

      const start: ReadonlyArray<unknown> | undefined = options.after?.map((value) => encodeLoose(name, value))
      if (names === undefined) {
        return Stream.paginateEffect(start, (cursor) => {
          const pageLimit = limit
          const { statement, values } = page(cursor, pageLimit)
          return Effect.map(run(statement, values, what), (rows) => {
            nextLimit(rows, pageLimit)
            return [
              Chunk.unsafeFromArray(rows as Array<Row>),
              nextCursor(rows, pageLimit, (last) => orderBy.map((column) => last[column]))
            ] as const
          })
        }).pipe(Stream.filter(Chunk.isNonEmpty))
      }
      // Known columns: rows come as arrays (no driver object per row) and are decoded by position.
      const specs = columns!.map((c): ColumnSpec => asText.has(c.name) ? { ...c, type: "string" } : c)
      // The driver's arrays are fresh ones of this page: decoded in place, no second array per row.
      let decodeRows: (rows: ReadonlyArray<ReadonlyArray<unknown>>) => Array<Row | ReadonlyArray<unknown>>
      if (shape === "rows") {
        const decode = valuesDecoder(names, specs)
        decodeRows = (rows) => rows.map((row) => decode(row as Array<unknown>))
      } else {
        const decode = tupleDecoder(names, specs)
        decodeRows = (rows) => {
          for (const row of rows) decode(row as Array<unknown>)
          return rows as Array<ReadonlyArray<unknown>>
        }
      }
      const cursorAt = orderBy.map((column) => names.indexOf(column))
      return Stream.paginateEffect(start, (cursor) => {
        const pageLimit = limit
        const { statement, values } = page(cursor, pageLimit)
        // SQLite returns 64-bit integers exactly only as bigint; the decoders turn safe ones back into numbers.
        return Effect.flatMap(
          runValues(statement, values, names, what),
          (rows) => {
            // Read before decoding: the cursor is the key as the database returned it.
            const next = nextCursor(rows, pageLimit, (last) => cursorAt.map((i) => last[i]))
            nextLimit(rows, pageLimit)
            try {
              return Effect.succeed([Chunk.unsafeFromArray(decodeRows(rows)), next] as const)
            } catch (error) {
              const detail = error instanceof DbError ? error.detail : String(error)
              return Effect.fail(new DbError({ reason: "Decode", detail: `${what}: ${detail}` }))
            }
          }
        )
      }).pipe(Stream.filter(Chunk.isNonEmpty))
    })
  }

  const streamRows = (table: string, options: StreamRowsOptions) => stream(table, options, "rows")

  const streamTuples = (table: string, options: StreamTuplesOptions) => stream(table, options, "tuples")

  const streamById = (table: string, options: StreamByIdOptions = {}) =>
    streamRows(table, {
      orderBy: ["id"],
      ...(options.where === undefined ? {} : { where: options.where }),
      ...(options.afterId === undefined ? {} : { after: [options.afterId] }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.columns === undefined ? {} : { columns: options.columns }),
      ...(options.bytesAsText === undefined ? {} : { bytesAsText: options.bytesAsText }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes })
    })

  return { streamRows, streamTuples, streamById }
}
