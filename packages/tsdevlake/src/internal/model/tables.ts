/**
 * A model's table as the framework writes it: a field's column spec, a domain model's table spec, and a
 * model's table as the subtask engine needs it. The names come from `names.ts`.
 *
 * @internal
 */
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { fieldsOf } from "./fields.js"
import { domainTableName, rawDataKeys } from "./names.js"

/**
 * The column spec of a model field.
 *
 * @internal
 */
export const columnSpec = (field: Model.Field): Db.ColumnSpec => ({
  name: field.column,
  type: field.key === rawDataKeys.id ? "unsignedInteger" : field.type,
  ...(field.maxLength === undefined ? {} : { maxLength: field.maxLength }),
  primaryKey: field.primaryKey,
  autoIncrement: field.autoIncrement ?? false,
  nullable: !field.primaryKey,
  index: field.key === rawDataKeys.params
})

/**
 * The table of a domain model, with the columns of DevLake's Go domain model.
 *
 * @internal
 */
export const domainTableSpec = (model: Model.Any): Db.TableSpec => ({
  name: domainTableName(model),
  columns: fieldsOf(model).map(columnSpec)
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
