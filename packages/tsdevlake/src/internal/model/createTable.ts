/**
 * The table Go's `create_table` creates from a model info, reproduced so that a local database gets the
 * same columns, keys and auto-increments as one DevLake migrated.
 *
 * @internal
 */
import { Either } from "effect"
import type * as Db from "../../Db.js"
import * as go from "./goRules.js"
import { noPKColumns } from "./names.js"

const goColumnType = (type: go.GoType): Db.ColumnType => {
  switch (type) {
    case "int64":
      return "integer"
    case "float64":
      return "number"
    case "bool":
      return "boolean"
    case "string":
      return "string"
    case "time.Time":
    case "*time.Time":
      return "datetime"
    case "datatypes.JSON":
    case "datatypes.JSONMap":
      return "json"
  }
}

// The column gorm migrates for one generated Go field; `prioritized` is the field gorm auto-increments.
const columnOf = (
  field: go.GoField,
  spec: Record<string, unknown>,
  prioritized: go.GoField | undefined
): Db.ColumnSpec => {
  const type = goColumnType(field.type)
  const primaryKey = spec["primaryKey"] === true
  const explicit = typeof spec["autoIncrement"] === "boolean" ? spec["autoIncrement"] as boolean : undefined
  const maxLength = typeof spec["maxLength"] === "number" ? Math.trunc(spec["maxLength"] as number) : undefined
  return {
    name: field.column,
    type,
    ...(type === "string" && maxLength !== undefined ? { maxLength } : {}),
    ...(type === "string" && maxLength === undefined && primaryKey ? { maxLength: 255 } : {}),
    primaryKey,
    autoIncrement: explicit ?? (field === prioritized && type === "integer"),
    nullable: !primaryKey
  }
}

/**
 * The table Go's `create_table` creates from a model info: `common.NoPKModel`'s columns plus one column
 * per property, typed as gorm types the generated struct (including gorm's rule that the prioritised
 * integer primary key — the one named `id`, or the only one — auto-increments unless told otherwise).
 *
 * @internal
 */
export const tableSpecOf = (
  modelInfo: { readonly json_schema: unknown; readonly table_name: string }
): Either.Either<Db.TableSpec, string> => {
  const result = go.goStruct(modelInfo.json_schema, "common.NoPKModel")
  if ("problem" in result) {
    return Either.left(`${modelInfo.table_name}: ${result.problem.property ?? ""} ${result.problem.reason}`)
  }
  const properties = (modelInfo.json_schema as { properties: Record<string, Record<string, unknown>> }).properties
  const fields = result.struct.fields
  const keys = fields.filter((f) => properties[f.property]!["primaryKey"] === true)
  const prioritized = keys.find((f) => f.column === "id") ?? (keys.length === 1 ? keys[0] : undefined)
  const columns = fields.map((f) => columnOf(f, properties[f.property]!, prioritized))
  return Either.right({ name: modelInfo.table_name, columns: [...noPKColumns, ...columns] })
}
