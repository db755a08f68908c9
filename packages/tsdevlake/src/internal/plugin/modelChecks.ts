/**
 * The checks `Plugin.make` runs on a plugin's models: every stream's tool model has a key of its own, no model
 * declares a column the framework or DevLake fills in itself, and the migration scripts create every model's
 * table and column. Each mistake would otherwise surface only in a pipeline, or not at all (rows overwriting
 * each other under `connection_id` alone, an API's `createdAt` silently replaced by the extraction time,
 * `table … does not exist` at extract). The same column-type advice serves the run-time check of a table
 * created before a field existed (`columnProblem`).
 *
 * @internal
 */
import type * as Model from "../../Model.js"
import { type ColumnType, type Kind, kindOf } from "../model/annotations.js"
import { connectionFields, scopeConfigFields, scopeFields, toolModelFields } from "../model/classes.js"
import { type Field, fieldsOf, primaryKeyOf } from "../model/fields.js"
import { tableName } from "../model/names.js"
import type { SchemaAfter } from "./migrationScripts.js"

// The framework's key column of every tool model (`toolModelFields.connectionId`).
const connectionIdColumn = "connection_id"

/**
 * Why a tool model has no primary key of its own (only the framework's `connection_id`), or `undefined`.
 * pydevlake's tool models must declare theirs too; without one every row of a connection has the same key.
 *
 * @internal
 */
export const ownKeyProblem = (model: Model.Any): string | undefined =>
  primaryKeyOf(model).some((field) => field.column !== connectionIdColumn)
    ? undefined
    : `tool model ${model.identifier} has no primary key of its own (only ${connectionIdColumn}, so every row of a ` +
      `connection would overwrite the last): mark the field(s) that identify a record with Model.primaryKey`

// The type Go's create_table would give the column (gorm's), as raw SQL for `Migration.addColumn`: MySQL's,
// with PostgreSQL's after it where the dialects differ.
const sqlTypes: Record<ColumnType, readonly [mysql: string, postgres?: string]> = {
  integer: ["bigint"],
  number: ["double precision"],
  boolean: ["boolean"],
  string: ["text"],
  datetime: ["datetime(3)", "timestamptz"],
  json: ["json"],
  bytes: ["longblob", "bytea"]
}

/**
 * The column type to give `Migration.addColumn` for a field: MySQL's, and PostgreSQL's where it differs.
 *
 * @internal
 */
export const sqlTypeOf = (field: Model.Field): readonly [mysql: string, postgres?: string] => {
  if (field.type !== "string") return sqlTypes[field.type]
  if (field.maxLength !== undefined) return [field.maxLength > 255 ? "text" : `varchar(${field.maxLength})`]
  return [field.primaryKey ? "varchar(255)" : "text"]
}

/**
 * Why the scripts leave a model without its table or one of its columns, or `undefined`. A table whose name
 * an `execute` statement mentions is not judged: raw SQL may create or alter it in ways this cannot follow.
 *
 * @internal
 */
export const migrationProblem = (model: Model.Any, folder: string, schema: SchemaAfter): string | undefined => {
  const table = tableName(model, folder)
  const lower = table.toLowerCase()
  if (schema.executed.some((sql) => sql.toLowerCase().includes(lower))) return undefined
  const columns = schema.tables.get(table)
  if (columns === undefined) {
    return `model ${model.identifier}: no migration script creates its table ${table}: add ` +
      `Migration.createTable(${model.identifier}) to a migration script`
  }
  const missing = fieldsOf(model).find((field) => !columns.has(field.column))
  if (missing === undefined) return undefined
  return `field ${model.identifier}.${missing.name}: no migration script adds its column ${missing.column} to ` +
    `${table}: add ${addColumnOf(model, missing)} to a migration script${postgresNote(missing)}`
}

const addColumnOf = (model: Model.Any, field: Field) =>
  `Migration.addColumn(${model.identifier}, "${field.column}", "${sqlTypeOf(field)[0]}")`

const postgresNote = (field: Field) => {
  const postgres = sqlTypeOf(field)[1]
  return postgres === undefined ? "" : ` ("${postgres}" on PostgreSQL: one Migration.execute per dialect)`
}

/**
 * Why a table the database has lacks a column of its model, or `undefined`: the first field whose column is not
 * in `columns` (the table's, from the catalog). A table of the plugin's migrations created before the field
 * existed needs a new script (`Migration.createTable(Model)` reads the class as it is now, so the script that
 * created the table passes the definition checks); a domain table is DevLake's, older than the framework's.
 *
 * @internal
 */
export const columnProblem = (
  model: Model.Any,
  table: string,
  columns: ReadonlyArray<string>,
  namesEqual: (a: string, b: string) => boolean
): string | undefined => {
  const missing = fieldsOf(model).find((field) => !columns.some((column) => namesEqual(column, field.column)))
  if (missing === undefined) return undefined
  const column = missing.column === missing.name ? "" : ` ${missing.column}`
  const head = `field ${missing.name} has no column${column} in ${table}`
  return kindOf(model) === "domain" || kindOf(model) === "domainScope"
    ? `domain model ${model.identifier}: ${head} (the table is DevLake's, older than the framework's domain ` +
      `models): upgrade DevLake, or locally drop the table and run.sh migrate again`
    : `model ${model.identifier}: ${head} (the table was created before the field existed): add a new migration ` +
      `script with ${addColumnOf(model, missing)}${postgresNote(missing)}`
}

/** What fills a framework column in: its meaning, and who sets it. */
interface Filled {
  readonly meaning: string
  readonly setBy: string
}

const byDevLake = (meaning: string): Filled => ({ meaning, setBy: "DevLake sets" })

const timestamps = (setBy: string) => ({
  createdAt: { meaning: "the row's creation time", setBy },
  updatedAt: { meaning: "the row's last update time", setBy }
})

// The base fields each kind's rows get from the framework or DevLake, never from the author. Left out, and so
// open to re-declaration: a scope's `id` and `name` and a connection's or scope config's `name` (the author's to
// narrow), a connection's `proxy` and a scope config's `entities` (the user's input, which the author may default).
const filledFields: Partial<Record<Kind, Record<string, Filled>>> = {
  tool: {
    connectionId: { meaning: "the row's connection", setBy: "extraction sets" },
    rawDataParams: { meaning: "the row's scope", setBy: "extraction sets" },
    rawDataTable: { meaning: "the raw table the row came from", setBy: "extraction sets" },
    rawDataId: { meaning: "the raw row the row came from", setBy: "extraction sets" },
    rawDataRemark: { meaning: "a note on the row's origin", setBy: "the default extractor skips" },
    ...timestamps("extraction sets")
  },
  scope: {
    connectionId: { meaning: "the scope's connection", setBy: "remote-scopes sets" },
    rawDataParams: { meaning: "the scope's raw-data params", setBy: "remote-scopes sets" },
    rawDataTable: { meaning: "the raw scope table", setBy: "remote-scopes sets" },
    scopeConfigId: byDevLake("the scope config the user chose"),
    ...timestamps("DevLake sets")
  },
  connection: { id: byDevLake("the connection's id"), ...timestamps("DevLake sets") },
  scopeConfig: {
    id: byDevLake("the scope config's id"),
    connectionId: byDevLake("the scope config's connection"),
    ...timestamps("DevLake sets")
  }
}

const baseFieldsOf: Partial<Record<Kind, Record<string, unknown>>> = {
  tool: toolModelFields,
  scope: scopeFields,
  connection: connectionFields,
  scopeConfig: scopeConfigFields
}

const kindNames: Partial<Record<Kind, string>> = {
  tool: "tool model",
  scope: "scope model",
  connection: "connection model",
  scopeConfig: "scope config model"
}

// A name and a schema for the author's own field, in the message's example.
const renamed: Record<string, string> = { createdAt: "created", updatedAt: "updated" }
const schemaText: Partial<Record<ColumnType, string>> = {
  datetime: "Model.DateTime",
  integer: "Schema.Int",
  number: "Schema.Number",
  boolean: "Schema.Boolean",
  string: "Schema.String"
}

/**
 * Why a model re-declares a base field that the framework or DevLake fills in itself (so the author's value
 * would be silently replaced or dropped), or `undefined`. A base field the model did not re-declare is the
 * very schema of the base fields; a re-declared one is another.
 *
 * @internal
 */
export const frameworkFieldProblem = (model: Model.Any): string | undefined => {
  const kind = kindOf(model)
  const filled = kind === undefined ? undefined : filledFields[kind]
  const base = kind === undefined ? undefined : baseFieldsOf[kind]
  if (filled === undefined || base === undefined) return undefined
  const fields = model.fields as Record<string, unknown>
  const name = Object.keys(filled).find((key) => key in fields && fields[key] !== base[key])
  if (name === undefined) return undefined
  const field = fieldsOf(model).find((f) => f.name === name)!
  const own = renamed[name] ?? `api${name[0]!.toUpperCase()}${name.slice(1)}`
  const schema = schemaText[field.type] ?? "…"
  const example = kind === "tool" ? `${own}: ${schema}.pipe(Model.source("/${field.key}"))` : `${own}: ${schema}`
  return `${kindNames[kind!]} ${model.identifier}: field ${name} is the framework's own column ` +
    `(${filled[name]!.meaning}), which ${filled[name]!.setBy}; name yours otherwise, e.g. ${example}`
}
