/**
 * DevLake migration scripts as data: what `plugin-info` sends as `migration_scripts` and the Go server
 * runs once each (identity `"<name>:<version>"`, shared by every plugin), and what the local `migrate`
 * command replays. Tables of a remote plugin are created only by these scripts.
 *
 * @example
 * export const migrations = [
 *   Migration.script({
 *     version: 20230530000001,
 *     name: "init schemas",
 *     // Tables in the folder of the plugin these scripts are given to: Plugin.make binds them to it.
 *     operations: [Migration.createTable(FakeConnection), Migration.createTable(FakePipeline)]
 *   }),
 *   Migration.script({
 *     version: 20230630000001,
 *     name: "populate _raw_data_table",
 *     operations: [
 *       Migration.execute((t) => `UPDATE ${t(FakePipeline)} SET _raw_data_table = "_raw_fake"`, { dialect: "mysql" }),
 *       Migration.execute((t) => `UPDATE ${t(FakePipeline)} SET _raw_data_table = '_raw_fake'`, { dialect: "postgres" })
 *     ]
 *   })
 * ]
 *
 * Until a plugin binds them, such operations name their tables in the folder `<plugin folder>`: send and apply
 * the plugin's `migrations` (bound), not the array given to it.
 *
 * @since 0.1.0
 */
import * as internal from "./internal/plugin/migrationScripts.js"

/**
 * The dialect a migration {@link execute} targets, as the Go server names it (gorm's dialector names): the
 * statement runs only on a database of that dialect. Not `Db.Dialect` (the runtime's dialect implementation)
 * nor `Db.DialectName` (which also names SQLite).
 *
 * @example
 * const dialect: Migration.Dialect = "postgres"
 *
 * @since 0.1.0
 * @category schemas
 */
export const Dialect = internal.Dialect

/** @since 0.1.0 @category schemas */
export type Dialect = internal.Dialect

/**
 * Why a 14-digit `YYYYMMDDhhmmss` version is invalid, or `undefined` when it is a real date and time.
 *
 * @since 0.1.0
 * @category validation
 */
export const versionProblem = internal.versionProblem

/**
 * A script version: 14 digits, `YYYYMMDDhhmmss`, a real date and time (pydevlake's `_validate_version`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Version = internal.Version

/**
 * `execute`: raw SQL, only on `dialect` when given; errors ignored with `ignoreError`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Execute = internal.Execute

/**
 * `add_column`: `ALTER TABLE table ADD column columnType` unless the column exists (`columnType` is raw SQL).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AddColumn = internal.AddColumn

/**
 * `drop_column`: drops the column if it exists.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DropColumn = internal.DropColumn

/**
 * `drop_table`: drops the table if it exists.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DropTable = internal.DropTable

/**
 * `rename_column`: no-op when `oldName` is missing; an existing `newName` column is dropped first.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RenameColumn = internal.RenameColumn

/**
 * `rename_table`: no-op when `oldName` is missing.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RenameTable = internal.RenameTable

/**
 * `create_table`: skipped when the table exists; otherwise gorm `AutoMigrate` of the json_schema with base
 * `common.NoPKModel` (so `created_at`, `updated_at` and the `_raw_data_*` columns are always added).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateTable = internal.CreateTable

/**
 * One migration operation, discriminated by `type`: camelCase fields in code, snake_case in JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Operation = internal.Operation

/** @since 0.1.0 @category schemas */
export type Operation = internal.Operation

/**
 * A migration script: `{"version": number, "name": string, "operations": [...]}` in JSON.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Script = internal.Script

/** @since 0.1.0 @category schemas */
export type Script = internal.Script

/**
 * The JSON form of a script, as `plugin-info` sends it.
 *
 * @since 0.1.0
 * @category schemas
 */
export type EncodedScript = internal.EncodedScript

export {
  /**
   * An invalid migration script or list of scripts.
   *
   * @since 0.1.0
   * @category errors
   */
  MigrationError
} from "./internal/plugin/migrationScripts.js"

export {
  /**
   * A model whose table Go could not build: what {@link createTable} throws (the same class as
   * `ModelInfo.ModelInfoError` of `tsdevlake/runtime`).
   *
   * @since 0.1.0
   * @category errors
   */
  ModelInfoError
} from "./internal/model/modelInfo.js"

/**
 * A migration script. Throws a {@link MigrationError} when the version is not a real `YYYYMMDDhhmmss`
 * date and time or the name is empty.
 *
 * @example
 * Migration.script({ version: 20230530000001, name: "init schemas", operations: [Migration.dropTable("t")] })
 *
 * @since 0.1.0
 * @category constructors
 */
export const script = internal.script

/**
 * Creates the table of a model (skipped if it exists), from `ModelInfo.make`: throws a
 * {@link ModelInfoError} when Go could not build the table. With no options the table is in the folder of the
 * plugin the script is given to (`Plugin.make` binds it); `{ pluginFolder }` or `{ tableName }` name it here.
 *
 * @example
 * Migration.createTable(FakePipeline) // _tool_<the plugin's folder>_fakepipelines
 * Migration.createTable(FakePipeline, { pluginFolder: "fakeplugin" }) // _tool_fakeplugin_fakepipelines
 *
 * @since 0.1.0
 * @category constructors
 */
export const createTable = internal.createTable

/**
 * A table an operation names: a table name, or a model (its table in the folder of the plugin the script is
 * given to).
 *
 * @since 0.1.0
 * @category models
 */
export type TableArgument = internal.TableArgument

/**
 * Names a model's table in the SQL of {@link execute}: its table in the folder of the plugin the script is
 * given to.
 *
 * @since 0.1.0
 * @category models
 */
export type TableNamer = internal.TableNamer

/**
 * Adds a column unless it exists; `columnType` is raw SQL (`"varchar(255)"`, `"bigint"`, `"text"`, ...).
 *
 * @example
 * Migration.addColumn(FakePipeline, "duration_sec", "bigint")
 * Migration.addColumn("_tool_fakeplugin_fakepipelines", "duration_sec", "bigint")
 *
 * @since 0.1.0
 * @category constructors
 */
export const addColumn = internal.addColumn

/**
 * Drops a column if it exists.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dropColumn = internal.dropColumn

/**
 * Renames a column; ⚠ Go drops an existing `newName` column first.
 *
 * @since 0.1.0
 * @category constructors
 */
export const renameColumn = internal.renameColumn

/**
 * Drops a table if it exists.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dropTable = internal.dropTable

/**
 * Renames a table if it exists.
 *
 * @since 0.1.0
 * @category constructors
 */
export const renameTable = internal.renameTable

/**
 * Runs raw SQL, verbatim: give `dialect` for anything not portable between MySQL and PostgreSQL. Given as a
 * function of a {@link TableNamer}, the SQL names models' tables without spelling the plugin's folder.
 *
 * @example
 * Migration.execute("ALTER TABLE t DROP PRIMARY KEY", { dialect: "mysql" })
 * Migration.execute((t) => `UPDATE ${t(FakeProject)} SET url = '' WHERE url IS NULL`)
 *
 * @since 0.1.0
 * @category constructors
 */
export const execute = internal.execute

/**
 * Checks the scripts of one plugin: valid versions, non-empty names, versions strictly increasing in list
 * order (so `name:version` is unique), every `create_table` schema acceptable to Go's conversion with
 * base `common.NoPKModel`, and no operation still waiting for its plugin's folder. Identities must also be
 * unique across plugins; only the caller can see those.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = internal.check

/**
 * {@link check} that throws the {@link MigrationError}: for plugin definitions, which fail at load.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = internal.validate

/**
 * The `migration_scripts` JSON of `plugin-info`, exactly as Go's `RemoteMigrationScript.UnmarshalJSON`
 * reads it: `{"version", "name", "operations": [{"type", ...snake_case fields}]}`, absent options left out.
 * Throws a {@link MigrationError} when {@link check} fails.
 *
 * @example
 * Migration.encode([Migration.script({ version: 20230420123456, name: "test", operations: [Migration.dropTable("t")] })])
 * // [{ version: 20230420123456, name: "test", operations: [{ type: "drop_table", table: "t" }] }]
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = internal.encode

/**
 * Decodes `migration_scripts` JSON (ours or pydevlake's) back into scripts, e.g. for a local `migrate`.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = internal.decode

/**
 * The tables that exist after running the scripts on an empty database, as far as the operations say:
 * `create_table` adds, `rename_table` renames, `drop_table` removes. Useful to check that every model
 * table of a plugin is created.
 *
 * @since 0.1.0
 * @category accessors
 */
export const tablesAfter = internal.tablesAfter
