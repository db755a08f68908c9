/**
 * A plugin's migration scripts as data: their schemas (the JSON `plugin-info` sends), constructors and checks.
 * They live in `plugin/`, not `migration/`, because they are part of a plugin's definition: `Plugin.make`
 * checks its scripts and `plugin-info` encodes them, with no database at hand. `internal/migration/` is the
 * other half, the runner that applies scripts to a database (and so needs `db/`).
 *
 * @internal
 */
import { Either, type ParseResult, Schema } from "effect"
import type * as Model from "../../Model.js"
import { tableSpecOf } from "../model/createTable.js"
import * as ModelInfo from "../model/modelInfo.js"
import { noPKColumns, tableName as tableNameIn } from "../model/names.js"
import { deferred, placeholderTable, tableArgument, unboundProblem } from "./folderBinding.js"

/**
 * The dialect a migration `execute` targets, as the Go server names it (gorm's dialector names): the statement
 * runs only on a database of that dialect. Not `Db.Dialect` (the dialect implementation) nor `Db.DialectName`
 * (which includes SQLite, where DevLake never runs scripts).
 *
 * @internal
 */
export const Dialect = Schema.Literal("mysql", "postgres")

/** @internal */
export type Dialect = typeof Dialect.Type

/**
 * Why a 14-digit `YYYYMMDDhhmmss` version is invalid, or `undefined` when it is a real date and time.
 *
 * @internal
 */
export const versionProblem = (version: unknown): string | undefined => {
  const text = typeof version === "number" || typeof version === "bigint" ? String(version) : undefined
  if (text === undefined || !/^\d{14}$/.test(text)) {
    return `invalid version ${String(version)}: must be 14 digits in YYYYMMDDhhmmss format`
  }
  const [year, month, day, hour, minute, second] = [
    text.slice(0, 4),
    text.slice(4, 6),
    text.slice(6, 8),
    text.slice(8, 10),
    text.slice(10, 12),
    text.slice(12, 14)
  ].map(Number) as [number, number, number, number, number, number]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return `invalid version ${text}: ${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)} ${text.slice(8, 10)}:${
      text.slice(10, 12)
    }:${text.slice(12, 14)} is not a real date and time (YYYYMMDDhhmmss)`
  }
  return undefined
}

/**
 * A script version: 14 digits, `YYYYMMDDhhmmss`, a real date and time (pydevlake's `_validate_version`).
 *
 * @internal
 */
export const Version = Schema.Number.pipe(
  Schema.filter((n) => versionProblem(n) ?? true),
  Schema.annotations({ identifier: "Version" })
)

/**
 * `execute`: raw SQL, only on `dialect` when given; errors ignored with `ignoreError`.
 *
 * @internal
 */
export const Execute = Schema.Struct({
  type: Schema.Literal("execute"),
  sql: Schema.String,
  dialect: Schema.optionalWith(Dialect, { nullable: true }),
  ignoreError: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }).pipe(
    Schema.fromKey("ignore_error")
  )
})

/**
 * `add_column`: `ALTER TABLE table ADD column columnType` unless the column exists (`columnType` is raw SQL).
 *
 * @internal
 */
export const AddColumn = Schema.Struct({
  type: Schema.Literal("add_column"),
  table: Schema.String,
  column: Schema.String,
  columnType: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("column_type"))
})

/**
 * `drop_column`: drops the column if it exists.
 *
 * @internal
 */
export const DropColumn = Schema.Struct({
  type: Schema.Literal("drop_column"),
  table: Schema.String,
  column: Schema.String
})

/**
 * `drop_table`: drops the table if it exists.
 *
 * @internal
 */
export const DropTable = Schema.Struct({
  type: Schema.Literal("drop_table"),
  table: Schema.String
})

/**
 * `rename_column`: no-op when `oldName` is missing; an existing `newName` column is dropped first.
 *
 * @internal
 */
export const RenameColumn = Schema.Struct({
  type: Schema.Literal("rename_column"),
  table: Schema.String,
  oldName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("old_name")),
  newName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("new_name"))
})

/**
 * `rename_table`: no-op when `oldName` is missing.
 *
 * @internal
 */
export const RenameTable = Schema.Struct({
  type: Schema.Literal("rename_table"),
  oldName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("old_name")),
  newName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("new_name"))
})

/**
 * `create_table`: skipped when the table exists; otherwise gorm `AutoMigrate` of the json_schema with base
 * `common.NoPKModel` (so `created_at`, `updated_at` and the `_raw_data_*` columns are always added).
 *
 * @internal
 */
export const CreateTable = Schema.Struct({
  type: Schema.Literal("create_table"),
  modelInfo: Schema.propertySignature(ModelInfo.DynamicModelInfo).pipe(Schema.fromKey("model_info"))
})

/**
 * One migration operation, discriminated by `type`: camelCase fields in code, snake_case in JSON.
 *
 * @internal
 */
export const Operation = Schema.Union(Execute, AddColumn, DropColumn, DropTable, RenameColumn, RenameTable, CreateTable)

/** @internal */
export type Operation = typeof Operation.Type

/**
 * A migration script: `{"version": number, "name": string, "operations": [...]}` in JSON.
 *
 * @internal
 */
export const Script = Schema.Struct({
  version: Version,
  name: Schema.String.pipe(Schema.minLength(1)),
  operations: Schema.Array(Operation)
})

/** @internal */
export type Script = typeof Script.Type

/**
 * The JSON form of a script, as `plugin-info` sends it.
 *
 * @internal
 */
export type EncodedScript = typeof Script.Encoded

/**
 * An invalid migration script or list of scripts.
 *
 * @internal
 */
export class MigrationError extends Schema.TaggedError<MigrationError>("tsdevlake/Migration/MigrationError")(
  "MigrationError",
  {
    script: Schema.optional(Schema.String),
    reason: Schema.String
  }
) {
  override get message(): string {
    return this.script === undefined ? this.reason : `Migration script ${this.script}: ${this.reason}`
  }
}

const scriptId = (script: { readonly name: string; readonly version: number }) => `"${script.name}:${script.version}"`

/**
 * A migration script. Throws a {@link MigrationError} when the version is not a real `YYYYMMDDhhmmss`
 * date and time or the name is empty.
 *
 * @example
 * Migration.script({ version: 20230530000001, name: "init schemas", operations: [Migration.dropTable("t")] })
 *
 * @internal
 */
export const script = (options: {
  readonly version: number
  readonly name: string
  readonly operations: ReadonlyArray<Operation>
}): Script => {
  const problem = versionProblem(options.version)
  if (problem !== undefined) throw new MigrationError({ script: scriptId(options), reason: problem })
  if (options.name === "") throw new MigrationError({ script: scriptId(options), reason: "the name is empty" })
  return { version: options.version, name: options.name, operations: [...options.operations] }
}

/**
 * Creates the table of a model (skipped if it exists), from `ModelInfo.make`: throws its
 * `ModelInfoError` when Go could not build the table. Without options, the table is in the folder of the plugin
 * the script is given to (bound by `Plugin.make`).
 *
 * @example
 * Migration.createTable(FakePipeline)
 *
 * @internal
 */
export const createTable = (model: Model.Any, options?: ModelInfo.MakeOptions): Operation => {
  const make = (makeOptions: ModelInfo.MakeOptions): Operation => ({
    type: "create_table",
    modelInfo: ModelInfo.make(model, makeOptions)
  })
  if (options !== undefined) return make(options)
  return deferred(
    `create_table of ${model.identifier}`,
    placeholderTable(model).needsFolder,
    (pluginFolder) => make({ pluginFolder })
  )
}

/** A table argument of an operation: its name, or a model (its table in the plugin's folder). @internal */
export type TableArgument = string | Model.Any

/**
 * Adds a column unless it exists; `columnType` is raw SQL (`"varchar(255)"`, `"bigint"`, `"text"`, ...).
 *
 * @example
 * Migration.addColumn("_tool_fakeplugin_fakepipelines", "duration_sec", "bigint")
 *
 * @internal
 */
export const addColumn = (table: TableArgument, column: string, columnType: string): Operation =>
  tableArgument(table, "add_column", (name) => ({ type: "add_column", table: name, column, columnType }))

/**
 * Drops a column if it exists.
 *
 * @internal
 */
export const dropColumn = (table: TableArgument, column: string): Operation =>
  tableArgument(table, "drop_column", (name) => ({ type: "drop_column", table: name, column }))

/**
 * Renames a column; ⚠ Go drops an existing `newName` column first.
 *
 * @internal
 */
export const renameColumn = (table: TableArgument, oldName: string, newName: string): Operation =>
  tableArgument(table, "rename_column", (name) => ({ type: "rename_column", table: name, oldName, newName }))

/**
 * Drops a table if it exists.
 *
 * @internal
 */
export const dropTable = (table: TableArgument): Operation =>
  tableArgument(table, "drop_table", (name) => ({ type: "drop_table", table: name }))

/**
 * Renames a table if it exists.
 *
 * @internal
 */
export const renameTable = (oldName: string, newName: string): Operation => ({
  type: "rename_table",
  oldName,
  newName
})

/** Names a model's table in a migration's SQL: `` (t) => `UPDATE ${t(FakeProject)} SET …` ``. @internal */
export type TableNamer = (model: Model.Any) => string

/**
 * Runs raw SQL, verbatim: give `dialect` for anything not portable between MySQL and PostgreSQL. As a function
 * of a {@link TableNamer}, the SQL names models' tables in the folder of the plugin the script is given to.
 *
 * @example
 * Migration.execute("ALTER TABLE t DROP PRIMARY KEY", { dialect: "mysql" })
 * Migration.execute((t) => `UPDATE ${t(FakeProject)} SET url = '' WHERE url IS NULL`)
 *
 * @internal
 */
export const execute = (
  sql: string | ((table: TableNamer) => string),
  options: { readonly dialect?: Dialect | undefined; readonly ignoreError?: boolean | undefined } = {}
): Operation => {
  const make = (text: string): Operation => ({
    type: "execute",
    sql: text,
    ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
    ignoreError: options.ignoreError ?? false
  })
  if (typeof sql === "string") return make(sql)
  const named: Array<string> = []
  let needsFolder = false
  sql((model) => {
    named.push(model.identifier)
    const placeholder = placeholderTable(model)
    needsFolder ||= placeholder.needsFolder
    return placeholder.table
  })
  return deferred(
    `execute on ${named.join(", ")}`,
    needsFolder,
    (folder) => make(sql((model) => tableNameIn(model, folder)))
  )
}

const problem = (reason: string, script?: Script) =>
  Either.left(new MigrationError({ ...(script === undefined ? {} : { script: scriptId(script) }), reason }))

/**
 * Checks the scripts of one plugin: valid versions, non-empty names, versions strictly increasing in list
 * order (so `name:version` is unique), and every `create_table` schema acceptable to Go's conversion with
 * base `common.NoPKModel`. Identities must also be unique across plugins; only the caller can see those.
 *
 * @internal
 */
export const check = (scripts: ReadonlyArray<Script>): Either.Either<ReadonlyArray<Script>, MigrationError> => {
  const seen = new Set<string>()
  let previous: Script | undefined
  for (const current of scripts) {
    const versionError = versionProblem(current.version)
    if (versionError !== undefined) return problem(versionError, current)
    if (current.name === "") return problem("the name is empty", current)
    const id = scriptId(current)
    if (seen.has(id)) return problem("appears twice", current)
    seen.add(id)
    if (previous !== undefined && current.version <= previous.version) {
      return problem(`its version is not greater than that of the previous script ${scriptId(previous)}`, current)
    }
    for (const op of current.operations) {
      const unbound = unboundProblem(op)
      if (unbound !== undefined) return problem(unbound, current)
      if (op.type !== "create_table") continue
      const checked = ModelInfo.validate(op.modelInfo.json_schema, "common.NoPKModel")
      if (Either.isLeft(checked)) {
        return problem(`create_table ${op.modelInfo.table_name}: ${checked.left.message}`, current)
      }
    }
    previous = current
  }
  return Either.right(scripts)
}

/**
 * {@link check} that throws the {@link MigrationError}: for plugin definitions, which fail at load.
 *
 * @internal
 */
export const validate = (scripts: ReadonlyArray<Script>): ReadonlyArray<Script> => {
  const checked = check(scripts)
  if (Either.isLeft(checked)) throw checked.left
  return checked.right
}

const encodeScripts = Schema.encodeSync(Schema.Array(Script))

/**
 * The `migration_scripts` JSON of `plugin-info`, exactly as Go's `RemoteMigrationScript.UnmarshalJSON`
 * reads it: `{"version", "name", "operations": [{"type", ...snake_case fields}]}`, absent options left out.
 * Throws a {@link MigrationError} when {@link check} fails.
 *
 * @example
 * Migration.encode([Migration.script({ version: 20230420123456, name: "test", operations: [Migration.dropTable("t")] })])
 * // [{ version: 20230420123456, name: "test", operations: [{ type: "drop_table", table: "t" }] }]
 *
 * @internal
 */
export const encode = (scripts: ReadonlyArray<Script>): ReadonlyArray<EncodedScript> => encodeScripts(validate(scripts))

/**
 * Decodes `migration_scripts` JSON (ours or pydevlake's) back into scripts, e.g. for a local `migrate`.
 *
 * @internal
 */
export const decode: (json: unknown) => Either.Either<ReadonlyArray<Script>, ParseResult.ParseError> = Schema
  .decodeUnknownEither(Schema.Array(Script))

/**
 * The tables and columns after running the scripts on an empty database, as far as the operations say, and the
 * raw SQL of their `execute` operations (which cannot be analysed).
 *
 * @internal
 */
export interface SchemaAfter {
  readonly tables: ReadonlyMap<string, ReadonlySet<string>>
  readonly executed: ReadonlyArray<string>
}

// The columns Go's `create_table` makes, from the same TableSpec the local runner creates (a json_schema Go
// rejects is reported by the script check; here it leaves `common.NoPKModel`'s columns).
const createdColumns = (modelInfo: { readonly json_schema: unknown; readonly table_name: string }): Set<string> =>
  new Set(
    Either.match(tableSpecOf(modelInfo), { onLeft: () => noPKColumns, onRight: (spec) => spec.columns })
      .map((column) => column.name)
  )

// One operation applied as the Go server applies it (each is a no-op when what it needs is missing).
const apply = (tables: Map<string, Set<string>>, executed: Array<string>, op: Operation): void => {
  switch (op.type) {
    case "create_table":
      if (!tables.has(op.modelInfo.table_name)) tables.set(op.modelInfo.table_name, createdColumns(op.modelInfo))
      break
    case "add_column":
      tables.get(op.table)?.add(op.column)
      break
    case "drop_column":
      tables.get(op.table)?.delete(op.column)
      break
    case "rename_column": {
      const columns = tables.get(op.table)
      if (columns?.delete(op.oldName)) columns.add(op.newName)
      break
    }
    case "rename_table": {
      const columns = tables.get(op.oldName)
      if (columns !== undefined) {
        tables.delete(op.oldName)
        tables.set(op.newName, columns)
      }
      break
    }
    case "drop_table":
      tables.delete(op.table)
      break
    case "execute":
      executed.push(op.sql)
  }
}

/**
 * {@link SchemaAfter} the scripts, in order.
 *
 * @internal
 */
export const schemaAfter = (scripts: ReadonlyArray<Script>): SchemaAfter => {
  const tables = new Map<string, Set<string>>()
  const executed: Array<string> = []
  for (const script of scripts) for (const op of script.operations) apply(tables, executed, op)
  return { tables, executed }
}

/**
 * The tables that exist after running the scripts on an empty database, as far as the operations say:
 * `create_table` adds, `rename_table` renames, `drop_table` removes. Useful to check that every model
 * table of a plugin is created.
 *
 * @internal
 */
export const tablesAfter = (scripts: ReadonlyArray<Script>): ReadonlySet<string> =>
  new Set(schemaAfter(scripts).tables.keys())
