/**
 * The tables the framework writes: a raw table's columns, a model field's column, and a model's table as the
 * subtask engine needs it.
 *
 * @internal
 */
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { fieldsOf } from "./fields.js"

/**
 * The columns of a raw table, as pydevlake creates them (`RawModel`), `params` indexed for DevLake's
 * scope deletion.
 *
 * @internal
 */
export const rawTableSpec = (name: string): Db.TableSpec => ({
  name,
  columns: [
    { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
    { name: "params", type: "string", maxLength: 255, index: true },
    { name: "data", type: "bytes" },
    { name: "url", type: "string" },
    { name: "input", type: "bytes" },
    { name: "created_at", type: "datetime" }
  ]
})

/**
 * The column spec of a model field.
 *
 * @internal
 */
export const columnSpec = (field: Model.Field): Db.ColumnSpec => ({
  name: field.column,
  type: field.key === "_raw_data_id" ? "unsignedInteger" : field.type,
  ...(field.maxLength === undefined ? {} : { maxLength: field.maxLength }),
  primaryKey: field.primaryKey,
  autoIncrement: field.autoIncrement ?? false,
  nullable: !field.primaryKey,
  index: field.key === "_raw_data_params"
})

/**
 * Everything the subtask runner needs about one model: its fields and their columns.
 *
 * @internal
 */
export interface ModelTable {
  readonly model: Model.Any
  readonly table: string
  readonly fields: ReadonlyArray<Model.Field>
  readonly columns: ReadonlyArray<Db.ColumnSpec>
  readonly keyColumns: ReadonlyArray<string>
  readonly has: (name: string) => boolean
}

/**
 * @internal
 */
export const modelTable = (model: Model.Any, table: string): ModelTable => {
  const fields = fieldsOf(model)
  const names = new Set(fields.map((f) => f.name))
  return {
    model,
    table,
    fields,
    columns: fields.map(columnSpec),
    keyColumns: fields.filter((f) => f.primaryKey).map((f) => f.column),
    has: (name) => names.has(name)
  }
}

