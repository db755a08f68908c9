/**
 * What the Go server does with a `json_schema` (`backend/server/services/remote/models/conversion.go`):
 * which properties it skips as fields of the base struct, which Go struct field, type and tags it
 * generates for the others, and where it errors or panics. Reimplemented so that `plugin-info` output can
 * be checked here instead of by a crashing server.
 *
 * @internal
 */
import * as naming from "./names.js"

/**
 * Go base structs a dynamic model embeds: `common.Model` (connections), `ScopeModel` (scopes),
 * `ScopeConfigModel` (scope configs), `ToolModel` (tool models) and `common.NoPKModel` (every table made by
 * a `create_table` migration).
 *
 * @internal
 */
export type Base = "common.Model" | "common.NoPKModel" | "ScopeModel" | "ScopeConfigModel" | "ToolModel"

/**
 * A field of a base struct, flattened through embedded structs. `column` is absent for an embedded struct:
 * its name still hides a property (Go compares every field name, embedded ones included).
 *
 * @internal
 */
export interface BaseField {
  readonly name: string
  readonly column: string | undefined
}

const field = (name: string, column?: string): BaseField => ({ name, column })

const rawDataOrigin: ReadonlyArray<BaseField> = [
  field("RawDataOrigin"),
  field("RawDataParams", "_raw_data_params"),
  field("RawDataTable", "_raw_data_table"),
  field("RawDataId", "_raw_data_id"),
  field("RawDataRemark", "_raw_data_remark")
]

const noPKModel: ReadonlyArray<BaseField> = [
  field("CreatedAt", "created_at"),
  field("UpdatedAt", "updated_at"),
  ...rawDataOrigin
]

const commonModel: ReadonlyArray<BaseField> = [
  field("ID", "id"),
  field("CreatedAt", "created_at"),
  field("UpdatedAt", "updated_at")
]

/**
 * The fields of each base struct (`core/models/common/base.go`, `server/services/remote/models/models.go`).
 *
 * @internal
 */
export const baseFields: Record<Base, ReadonlyArray<BaseField>> = {
  "common.Model": commonModel,
  "common.NoPKModel": noPKModel,
  ScopeModel: [
    field("NoPKModel"),
    ...noPKModel,
    field("Id", "id"),
    field("ConnectionId", "connection_id"),
    field("Name", "name"),
    field("ScopeConfigId", "scope_config_id")
  ],
  ScopeConfigModel: [
    field("ScopeConfig"),
    field("Model"),
    ...commonModel,
    field("Entities", "entities"),
    field("ConnectionId", "connection_id"),
    field("Name", "name")
  ],
  ToolModel: [field("NoPKModel"), ...noPKModel, field("ConnectionId", "connection_id")]
}

/**
 * Go's `reflect.Type.Name()` of each base: the name of the anonymous field `GenerateStructType` adds.
 *
 * @internal
 */
export const baseTypeName: Record<Base, string> = {
  "common.Model": "Model",
  "common.NoPKModel": "NoPKModel",
  ScopeModel: "ScopeModel",
  ScopeConfigModel: "ScopeConfigModel",
  ToolModel: "ToolModel"
}

/**
 * Go's `canonicalFieldName`: lower case, underscores removed.
 *
 * @internal
 */
export const canonicalFieldName = (name: string): string => name.replaceAll("_", "").toLowerCase()

/**
 * The base field that makes Go skip `property` (`isBaseTypeField`), if any.
 *
 * @internal
 */
export const skippedBy = (property: string, base: Base): BaseField | undefined => {
  const canonical = canonicalFieldName(property)
  return baseFields[base].find((f) => canonicalFieldName(f.name) === canonical)
}

const isGoSeparator = (c: string): boolean => {
  if (c.length === 1 && c.charCodeAt(0) <= 0x7f) return !/[0-9A-Za-z_]/.test(c)
  if (/[\p{L}\p{Nd}]/u.test(c)) return false
  return /\s/u.test(c)
}

/**
 * Go's (deprecated) `strings.Title`: upper-cases every letter that follows a separator. In an identifier
 * that is only the first letter.
 *
 * @internal
 */
export const goTitle = (s: string): string => {
  let prev = " "
  let out = ""
  for (const c of s) {
    if (isGoSeparator(prev)) {
      const upper = c.toUpperCase()
      out += [...upper].length === 1 ? upper : c
    } else {
      out += c
    }
    prev = c
  }
  return out
}

/**
 * Whether `key` can become an exported Go struct field (`reflect.StructOf` panics otherwise). Keys starting
 * with `_` are allowed only when Go skips them as fields of the base model (the `_raw_data_*` columns).
 *
 * @internal
 */
export const isGoIdentifier = (key: string): boolean => /^[A-Za-z][A-Za-z0-9_]*$/.test(key)

const isGoLetter = (c: string): boolean => /^[A-Za-z_]$/.test(c) || (c.codePointAt(0)! >= 0x80 && /^\p{L}$/u.test(c))

/**
 * `reflect.StructOf`'s field name rules: a non-empty identifier (letters, `_`, Unicode digits), and, since
 * generated fields have no PkgPath, not starting with `a`–`z` or `_` (it panics otherwise).
 *
 * @internal
 */
export const goFieldNameProblem = (name: string): string | undefined => {
  if (name === "") return "an empty name is not a Go struct field"
  const chars = [...name]
  if (!isGoLetter(chars[0]!)) return `Go field "${name}" does not start with a letter`
  for (const c of chars) {
    if (!isGoLetter(c) && !/^\p{Nd}$/u.test(c)) {
      return `Go field "${name}" contains "${c}", which is not a letter or digit`
    }
  }
  if (/^[a-z_]/.test(name)) return `Go field "${name}" would be unexported (reflect.StructOf panics)`
  return undefined
}

/**
 * The Go type `getGoType` picks.
 *
 * @internal
 */
export type GoType =
  | "int64"
  | "float64"
  | "bool"
  | "string"
  | "time.Time"
  | "*time.Time"
  | "datatypes.JSON"
  | "datatypes.JSONMap"

/**
 * A field Go generates for a property.
 *
 * @internal
 */
export interface GoField {
  readonly property: string
  readonly name: string
  readonly type: GoType
  /** The struct tag, exactly as `getTag` builds it. */
  readonly tag: string
  /** gorm's column for the field. */
  readonly column: string
  readonly required: boolean
}

/**
 * The struct Go builds from a json_schema, or why it cannot.
 *
 * @internal
 */
export interface GoStruct {
  readonly base: Base | undefined
  readonly fields: ReadonlyArray<GoField>
  /** Properties Go leaves to the base struct, with the base field that takes them. */
  readonly skipped: ReadonlyArray<{ readonly property: string; readonly baseField: BaseField }>
}

/**
 * A reason Go would reject a json_schema, with the property concerned.
 *
 * @internal
 */
export interface GoProblem {
  readonly property: string | undefined
  readonly reason: string
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

// utils.Convert[[]string]: every element must be a string, otherwise the whole list is dropped.
const requiredOf = (schema: Record<string, unknown>): ReadonlyArray<string> => {
  const required = schema["required"]
  if (!Array.isArray(required) || !required.every((r) => typeof r === "string")) return []
  return required
}

const goType = (spec: Record<string, unknown>, required: boolean): GoType | string => {
  const type = spec["type"]
  if (typeof type !== "string") return "\"type\" property must be a string"
  switch (type) {
    case "integer":
      return "int64"
    case "number":
      return "float64"
    case "boolean":
      return "bool"
    case "string":
      return spec["format"] === "date-time" ? (required ? "time.Time" : "*time.Time") : "string"
    case "array":
      return "datatypes.JSON"
    case "object":
      return "datatypes.JSONMap"
    default:
      return `Unsupported type ${type}`
  }
}

const goTypes: ReadonlySet<string> = new Set<GoType>([
  "int64",
  "float64",
  "bool",
  "string",
  "time.Time",
  "*time.Time",
  "datatypes.JSON",
  "datatypes.JSONMap"
])

/**
 * `getGormTag`: the gorm tag value, or `undefined` when Go emits none.
 *
 * @internal
 */
export const gormTag = (spec: Record<string, unknown>, type: GoType): string | undefined => {
  const tags: Array<string> = []
  const primaryKey = spec["primaryKey"] === true
  if (primaryKey) tags.push("primaryKey")
  if (typeof spec["autoIncrement"] === "boolean") tags.push(`autoIncrement:${spec["autoIncrement"]}`)
  if (type === "string") {
    const maxLength = spec["maxLength"]
    if (typeof maxLength === "number") {
      const n = Math.trunc(maxLength)
      tags.push(n > 255 ? "type:text" : `type:varchar(${n})`)
    } else if (primaryKey) {
      tags.push("type:varchar(255)")
    } else {
      tags.push("type:text")
    }
  }
  if (spec["format"] === "password") tags.push("serializer:encdec")
  return tags.length === 0 ? undefined : tags.join(";")
}

/**
 * Runs Go's `GenerateStructType` + `reflect.StructOf` checks on a json_schema. Properties are visited in
 * key order (Go uses random map order; the result does not depend on it).
 *
 * @internal
 */
export const goStruct = (
  schema: unknown,
  base: Base | undefined
): { readonly struct: GoStruct } | { readonly problem: GoProblem } => {
  if (!isObject(schema)) return { problem: { property: undefined, reason: "json_schema is not a JSON object" } }
  const properties = schema["properties"]
  if (!isObject(properties)) {
    return { problem: { property: undefined, reason: "\"properties\" is missing or not a JSON object" } }
  }
  const required = requiredOf(schema)
  const fields: Array<GoField> = []
  const skipped: Array<{ property: string; baseField: BaseField }> = []
  const names = new Map<string, string>()
  if (base !== undefined) names.set(baseTypeName[base], `the embedded base struct ${base}`)
  for (const [property, spec] of Object.entries(properties)) {
    const baseField = base === undefined ? undefined : skippedBy(property, base)
    if (baseField !== undefined) {
      skipped.push({ property, baseField })
      continue
    }
    if (!isObject(spec)) return { problem: { property, reason: "property schema is not a JSON object (Go panics)" } }
    const isRequired = required.includes(property)
    const type = goType(spec, isRequired)
    if (!goTypes.has(type)) {
      return { problem: { property, reason: `couldn't resolve type for field: "${property}": ${type}` } }
    }
    const name = goTitle(property)
    const nameProblem = goFieldNameProblem(name)
    if (nameProblem !== undefined) return { problem: { property, reason: nameProblem } }
    const previous = names.get(name)
    if (previous !== undefined) {
      return { problem: { property, reason: `Go field "${name}" is also generated for ${previous} (duplicate field)` } }
    }
    names.set(name, `property "${property}"`)
    const gorm = gormTag(spec, type as GoType)
    const tag = [`json:"${property}"`, ...(gorm === undefined ? [] : [`gorm:"${gorm}"`])]
    if (isRequired) tag.push(`validate:"required"`)
    fields.push({
      property,
      name,
      type: type as GoType,
      tag: tag.join(" "),
      column: naming.columnName(name),
      required: isRequired
    })
  }
  return { struct: { base, fields, skipped } }
}
