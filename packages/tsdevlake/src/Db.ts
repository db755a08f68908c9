/**
 * The database: DevLake's `db_url` → an `@effect/sql` `SqlClient` plus the `Database` service, whose `dialect`
 * is the one place that knows how SQLite, MySQL/MariaDB and PostgreSQL differ.
 *
 * ```ts
 * import { Effect } from "effect"
 * import { Db } from "tsdevlake/runtime"
 *
 * const program = Effect.gen(function*() {
 *   const db = yield* Db.Database
 *   yield* db.createTableIfNotExists({
 *     name: "_raw_myplugin_users",
 *     columns: [
 *       { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
 *       { name: "params", type: "string", maxLength: 255, index: true },
 *       { name: "data", type: "bytes" }
 *     ]
 *   })
 * })
 *
 * // Bind the layer once (each call of Db.layer opens a new pool).
 * const DbLive = Db.layer("mysql://merico:merico@127.0.0.1:3306/lake?charset=utf8mb4&parseTime=True&loc=UTC")
 * Effect.runPromise(Effect.provide(program, DbLive))
 * ```
 *
 * @since 0.1.0
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { Chunk, Context, Effect, Either, Layer, Stream } from "effect"
import type * as Scope from "effect/Scope"
import * as database from "./internal/db/database.js"
import type * as dialect from "./internal/db/dialect.js"
import * as errors from "./internal/db/errors.js"
import * as layers from "./internal/db/layer.js"
import type * as read from "./internal/db/read.js"
import * as url from "./internal/db/url.js"

/**
 * A `db_url` that cannot be used (unknown scheme, missing host or database, bad port, bad
 * parameter). Its `url` field and `message` show the URL with the password replaced by `***`.
 *
 * @since 0.1.0
 * @category errors
 */
export const DbUrlError: typeof errors.DbUrlError = errors.DbUrlError

/**
 * @since 0.1.0
 * @category errors
 */
export type DbUrlError = errors.DbUrlError

/**
 * A database failure. `reason` tells which kind (`Driver`, `Connect`, `Query`, `Encode`, `Decode`,
 * `InvalidSpec`); `message` is one line naming the operation and table or host, never a password or
 * a bound value.
 *
 * @since 0.1.0
 * @category errors
 */
export const DbError: typeof errors.DbError = errors.DbError

/**
 * @since 0.1.0
 * @category errors
 */
export type DbError = errors.DbError

/**
 * Dialect names as DevLake spells them (migration `dialect` field); `@effect/sql` calls Postgres `pg`.
 *
 * @since 0.1.0
 * @category models
 */
export type DialectName = "sqlite" | "mysql" | "postgres"

/**
 * Logical column types. Mapping to DevLake json_schema: `integer` ← `integer`, `number` ← `number`,
 * `boolean` ← `boolean`, `string` ← `string`, `datetime` ← `string` + `format: date-time`,
 * `json` ← `array`/`object`. `unsignedInteger` is gorm's uint64 (`_raw_data_id`); `bytes` is raw
 * payload storage (`_raw_*.data`).
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnType = "integer" | "unsignedInteger" | "number" | "boolean" | "string" | "datetime" | "json" | "bytes"

/**
 * One column. `maxLength` drives string types like Go does (≤ 255 → `varchar(n)`, longer or absent →
 * `text`, absent on a primary key → `varchar(255)`). `autoIncrement` must be explicit (gorm's implicit
 * "single integer PK" rule belongs to whoever converts a json_schema). Columns are nullable unless
 * `nullable: false` or part of the primary key. `index` creates gorm-named `idx_<table>_<column>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ColumnSpec {
  readonly name: string
  readonly type: ColumnType
  readonly maxLength?: number
  readonly primaryKey?: boolean
  readonly autoIncrement?: boolean
  readonly nullable?: boolean
  readonly index?: boolean
}

/**
 * A column given by its raw SQL type, as DevLake's `add_column` migration op does (`column_type`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RawColumnSpec {
  readonly name: string
  readonly sqlType: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface TableSpec {
  readonly name: string
  readonly columns: ReadonlyArray<ColumnSpec>
}

/**
 * A row keyed by column name.
 *
 * @since 0.1.0
 * @category models
 */
export type Row = Readonly<Record<string, unknown>>

/**
 * Equality conditions, ANDed: `{ params: "…", connection_id: 1 }`. `null` means `IS NULL`; an array
 * means `IN (…)` (an empty array matches nothing).
 *
 * @since 0.1.0
 * @category models
 */
export type Where = Readonly<Record<string, unknown>>

/**
 * A column as the database reports it. `type` is the database's own spelling (`bigint`,
 * `varchar(255)`, `timestamp with time zone`, …).
 *
 * @since 0.1.0
 * @category models
 */
export interface ColumnInfo {
  readonly name: string
  readonly type: string
  readonly nullable: boolean
  readonly primaryKey: boolean
}

/**
 * Keyset-paginated reading: rows in `orderBy` order (ascending), `batchSize` at a time, each page
 * fetched with `WHERE <where> AND (<orderBy> > <last row's>) ORDER BY <orderBy> LIMIT <batchSize>`,
 * so memory stays constant whatever the table size. `orderBy` columns must be non-null and together
 * unique (a primary key). `after` starts after that key (exclusive). With `columns`, only those
 * columns (plus `orderBy`) are selected and each value is decoded to the same JS value that was
 * written; without, rows are `SELECT *` as the driver returns them.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamRowsOptions = read.StreamRowsOptions

/**
 * `streamTuples` reads as `streamRows` does, with `columns` required: each row is an array of its values,
 * decoded as `streamRows` decodes them, in `columns` order, followed by any `orderBy` column not among
 * `columns`. No object per row: for hot loops that know their columns.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamTuplesOptions = read.StreamTuplesOptions

/**
 * `streamRows` ordered by the integer `id` column (raw tables).
 *
 * @since 0.1.0
 * @category models
 */
export type StreamByIdOptions = read.StreamByIdOptions

/**
 * A statement with its bound values, in the dialect's placeholder style (`?`, or `$1…` on Postgres).
 *
 * @since 0.1.0
 * @category models
 */
export interface Statement {
  readonly sql: string
  readonly params: ReadonlyArray<unknown>
}

/**
 * Rows for one table: upserted by `keyColumns` when given (the primary key or a unique index), else
 * inserted. Rows come keyed by column name (`rows`), or as `tuples` of values in `columns` order, which
 * saves building an object per row.
 *
 * @since 0.1.0
 * @category models
 */
export type TableWrite =
  & {
    readonly table: string
    readonly columns: ReadonlyArray<ColumnSpec>
    readonly keyColumns?: ReadonlyArray<string>
  }
  & ({ readonly rows: ReadonlyArray<Row> } | { readonly tuples: ReadonlyArray<ReadonlyArray<unknown>> })

/**
 * What one transaction commits: the writes, then `statements` (a checkpoint, say).
 *
 * @since 0.1.0
 * @category models
 */
export interface Batch {
  readonly writes: ReadonlyArray<TableWrite>
  readonly statements?: ReadonlyArray<Statement>
  /**
   * Called once the batch's transaction has committed (batches commit in order, so these calls come in
   * order): how a caller reports progress that never runs ahead of what is committed.
   */
  readonly onCommitted?: () => void
}

/**
 * Commits batches in the order they are submitted, each in one transaction of its own.
 *
 * `submit` may return before its batch is committed (it is encoded and queued; it waits only while
 * `depth` batches are already queued), so the caller prepares the next batch while the database writes
 * this one. A batch that fails fails a later `submit` or `flush`, and no batch after it is committed:
 * the committed batches are always a prefix of the submitted ones. `flush` waits until every submitted
 * batch is committed.
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchWriter {
  /** `true` when `submit` returns before its batch is committed (a writer thread): `flush` before reading it back. */
  readonly concurrent: boolean
  readonly submit: (batch: Batch) => Effect.Effect<void, DbError>
  readonly flush: Effect.Effect<void, DbError>
}

/**
 * What differs between SQLite, MySQL/MariaDB and PostgreSQL, as `Database.dialect`.
 *
 * @example
 * db.execute(`ANALYZE ${db.dialect.quote(table)}`) // when db.dialect.name === "postgres"
 *
 * @since 0.1.0
 * @category models
 */
export type Dialect = dialect.Dialect

/**
 * The database service. Every method maps driver failures to `DbError`; identifiers are always quoted,
 * values always bound (never interpolated).
 *
 * Writes: `insertBatch` / `upsertBatch` do nothing for no rows, take each value by column name (missing → NULL),
 * encode it for the column type, split the rows into statements under the dialect's limits, run several in one
 * transaction (a savepoint inside one), and leave out an auto-increment column that no row sets.
 *
 * @since 0.1.0
 * @category models
 */
export interface Database {
  /** What differs between the databases: name, quoting, column types, value encoding, limits. */
  readonly dialect: Dialect
  /** The underlying client, for queries this service does not cover. */
  readonly sql: SqlClient.SqlClient
  /** Decodes the listed columns of a row; other keys are copied unchanged. */
  readonly decodeRow: (columns: ReadonlyArray<ColumnSpec>, row: Row) => Either.Either<Row, DbError>
  /**
   * Runs one statement (placeholders `?` on SQLite/MySQL, `$1…` on Postgres). Without parameters it
   * runs unprepared on MySQL/Postgres, so DDL and several `;`-separated statements work there.
   */
  readonly execute: (statement: string, params?: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<Row>, DbError>
  readonly tableExists: (table: string) => Effect.Effect<boolean, DbError>
  /** The columns of a table in table order; empty when the table does not exist. */
  readonly columnsOf: (table: string) => Effect.Effect<ReadonlyArray<ColumnInfo>, DbError>
  /**
   * Creates the table and its indexes unless it exists; `true` when this call created it (on SQLite,
   * two processes racing may both see `true`). Safe to race from several sessions or processes
   * (Postgres: serialised with an advisory lock, since its `IF NOT EXISTS` is not race-free).
   */
  readonly createTableIfNotExists: (spec: TableSpec) => Effect.Effect<boolean, DbError>
  /** `ALTER TABLE … ADD COLUMN` unless the column exists; `true` when added. */
  readonly addColumnIfMissing: (table: string, column: ColumnSpec | RawColumnSpec) => Effect.Effect<boolean, DbError>
  /** Creates an index on existing columns unless an index of that name exists; `true` when created. */
  readonly createIndexIfNotExists: (
    table: string,
    index: string,
    columns: ReadonlyArray<string>
  ) => Effect.Effect<boolean, DbError>
  /** Drops the column if it exists (on SQLite, indexes on it first); `true` when dropped. */
  readonly dropColumn: (table: string, column: string) => Effect.Effect<boolean, DbError>
  /** `true` when a table was dropped. */
  readonly dropTableIfExists: (table: string) => Effect.Effect<boolean, DbError>
  /**
   * DevLake `rename_column` semantics: nothing when `from` is missing; an existing `to` column is
   * dropped first; `true` when renamed.
   */
  readonly renameColumn: (table: string, from: string, to: string) => Effect.Effect<boolean, DbError>
  /** Nothing when `from` is missing; `true` when renamed. */
  readonly renameTable: (from: string, to: string) => Effect.Effect<boolean, DbError>
  readonly insertBatch: (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    rows: ReadonlyArray<Row>
  ) => Effect.Effect<void, DbError>
  /**
   * Insert or update by `keyColumns` (which must be the primary key or a unique index): SQLite/PG
   * `ON CONFLICT (keys) DO UPDATE SET c = excluded.c`, MySQL `ON DUPLICATE KEY UPDATE c = VALUES(c)`
   * (MariaDB has no row-alias form). Rows repeating a key keep the last one, as sequential upserts would.
   */
  readonly upsertBatch: (
    table: string,
    columns: ReadonlyArray<ColumnSpec>,
    keyColumns: ReadonlyArray<string>,
    rows: ReadonlyArray<Row>
  ) => Effect.Effect<void, DbError>
  /**
   * Writes each `TableWrite` in order, rows or tuples: upserted by its `keyColumns` as `upsertBatch` does,
   * inserted as `insertBatch` does without them. Inside `withTransaction` they share its transaction.
   *
   * @example
   * db.withTransaction(db.write([{ table: "items", columns, keyColumns: ["id"], tuples: [[1, "a"]] }]))
   */
  readonly write: (writes: ReadonlyArray<TableWrite>) => Effect.Effect<void, DbError>
  /** Deletes the matching rows and returns how many; refuses an empty condition. */
  readonly deleteWhere: (table: string, where: Where) => Effect.Effect<number, DbError>
  /** Counts the matching rows (an empty condition counts the whole table). */
  readonly countWhere: (table: string, where: Where) => Effect.Effect<number, DbError>
  readonly streamRows: (table: string, options: StreamRowsOptions) => Stream.Stream<Chunk.Chunk<Row>, DbError>
  /**
   * `streamRows` with rows as arrays of their values (see {@link StreamTuplesOptions}).
   *
   * @example
   * db.streamTuples("items", { orderBy: ["id"], columns: [{ name: "id", type: "integer" }, { name: "name", type: "string" }] })
   * // Stream of Chunks of [id, name]
   */
  readonly streamTuples: (
    table: string,
    options: StreamTuplesOptions
  ) => Stream.Stream<Chunk.Chunk<ReadonlyArray<unknown>>, DbError>
  readonly streamById: (table: string, options?: StreamByIdOptions) => Stream.Stream<Chunk.Chunk<Row>, DbError>
  /**
   * Runs `self` in a transaction of the client (nested calls use savepoints); every statement of this
   * service and of `sql` inside `self` joins it. On SQLite the outermost transaction is
   * `BEGIN IMMEDIATE` (waits for the write lock instead of failing when another process writes).
   * `self`'s own failures pass through unchanged. Note that MySQL commits implicitly on DDL.
   */
  readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | DbError, R>
  /**
   * A `BatchWriter` for the scope. On a SQLite file it writes on a thread of its own, through a second connection
   * (WAL lets this process read meanwhile); until that thread has started (about 50 ms), batches commit inline
   * on this connection, unless `inlineWhileStarting` is false. On MySQL and PostgreSQL each batch is a
   * transaction on a pooled connection, in a background fiber; on an in-memory SQLite database each `submit`
   * commits before it returns. Use it outside `withTransaction` (its batches are transactions of their own),
   * and `flush` before other code writes the same rows. The scope's end waits for the submitted batches.
   */
  readonly batchWriter: (
    options?: { readonly depth?: number; readonly inlineWhileStarting?: boolean }
  ) => Effect.Effect<BatchWriter, DbError, Scope.Scope>
}

/**
 * @since 0.1.0
 * @category tags
 */
export const Database: Context.Tag<Database, Database> = database.Database

/**
 * A parsed `db_url`.
 *
 * @since 0.1.0
 * @category models
 */
export type DbConfig = url.DbConfig

/**
 * Parses a `db_url`: `mysql://user:pass@host:port/db?charset=…&parseTime=…&loc=…&tls=…&ca-cert=…` (also Go's
 * `timeout` and `readTimeout`), `postgres://`, `postgresql://`, `pg://` (with `sslmode`, `sslrootcert`,
 * `connect_timeout`, `statement_timeout`),
 * `sqlite://<path>`, `sqlite::memory:`, `:memory:` or a bare file path. Schemes are case-insensitive,
 * user and password %-decoded, Go-only `parseTime`/`loc` dropped (datetimes are always UTC).
 *
 * @example
 * ```ts
 * Db.parseUrl("pg://u:p%40ss@db:5432/lake") // Effect<DbConfig, DbUrlError>
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseUrl: (url: string) => Effect.Effect<DbConfig, DbUrlError> = url.parseDbUrl

/**
 * The URL with its password (userinfo and any `password=` parameter) replaced by `***`, for logs.
 *
 * @example
 * ```ts
 * Db.redactDbUrl("mysql://merico:secret@db:3306/lake") // "mysql://merico:***@db:3306/lake"
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const redactDbUrl: (url: string) => string = url.redactDbUrl

/**
 * Builds the `Database` service over the `SqlClient` in context (detecting the dialect from it), for
 * callers that construct their own client.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromClient: Layer.Layer<Database, DbError, SqlClient.SqlClient> = layers.layerFromClient

/**
 * `SqlClient` + `Database` for a parsed config. The driver module is imported only here, lazily.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromConfig: (config: DbConfig) => Layer.Layer<SqlClient.SqlClient | Database, DbError> =
  layers.layerFromConfig

/**
 * `SqlClient` + `Database` for a DevLake `db_url` (see `parseUrl` for the accepted forms).
 *
 * - SQLite: WAL journal, 30 s busy timeout (several processes of one plugin may write at once),
 *   `synchronous = NORMAL`. On a file, `batchWriter` writes on a thread with a connection of its own,
 *   and keyset streams outside a transaction read through a second connection (rows as arrays, exact
 *   64-bit integers), so reading, preparing and writing overlap.
 * - MySQL/MariaDB: mysql2 with `timezone: "Z"` (datetimes round-trip as UTC, like DevLake's
 *   `loc=UTC`), `jsonStrings` (JSON columns decoded by `Dialect.decodeValue`), the URL's charset,
 *   TLS from `tls`/`ca-cert`.
 * - PostgreSQL: node-postgres without any name transforms (raw JSON keys stay as they are).
 *
 * A connection failure is a one-line `DbError` naming dialect, host and database (never the password).
 * Each call builds a new pool: bind the layer to a constant and provide it once.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (url: string) => Layer.Layer<SqlClient.SqlClient | Database, DbError | DbUrlError> = layers.layer

/**
 * A private in-memory SQLite database, for tests. A new database for every build of the layer
 * (`Effect.provide` call), shared within one.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<SqlClient.SqlClient | Database, DbError> = layers.layerMemory
