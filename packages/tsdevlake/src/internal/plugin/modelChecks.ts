/**
 * The checks `Plugin.make` runs on a plugin's models: every stream's tool model has a key of its own, and the
 * migration scripts create every model's table and column. Both mistakes would otherwise surface only in a
 * pipeline (rows overwriting each other under `connection_id` alone, `table … does not exist` at extract).
 *
 * @internal
 */
import type * as Model from "../../Model.js"
import type { ColumnType } from "../model/annotations.js"
import { fieldsOf, primaryKeyOf } from "../model/fields.js"
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

const sqlTypeOf = (field: Model.Field): readonly [mysql: string, postgres?: string] => {
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
  const [mysql, postgres] = sqlTypeOf(missing)
  return `field ${model.identifier}.${missing.name}: no migration script adds its column ${missing.column} to ` +
    `${table}: add Migration.addColumn(${model.identifier}, "${missing.column}", "${mysql}") to a migration script` +
    (postgres === undefined ? "" : ` ("${postgres}" on PostgreSQL: one Migration.execute per dialect)`)
}
