/**
 * Model class → DevLake `DynamicModelInfo` (`{ json_schema, table_name }`), checked against what the Go
 * server does with it; and the replay of Go's conversion of any json_schema (`validate`).
 *
 * @internal
 */
import { Either, Option, Schema } from "effect"
import type * as Model from "../../Model.js"
import { kindOf } from "./annotations.js"
import { fieldsOf } from "./fields.js"
import * as go from "./goRules.js"
import * as naming from "./names.js"
import * as extras from "./propertyExtras.js"

/**
 * The json_schema `type`s Go's `getGoType` supports.
 *
 * @internal
 */
export const PropertyType = Schema.Literal("integer", "number", "boolean", "string", "array", "object")

/** @internal */
export type PropertyType = typeof PropertyType.Type

/**
 * One json_schema property. Go reads `type`, `format`, `primaryKey`, `autoIncrement` and `maxLength`; the
 * rest is for humans and for pydevlake-style extraction (`source`).
 *
 * @internal
 */
export const PropertySchema = Schema.Struct({
  type: PropertyType,
  format: Schema.optional(Schema.String),
  primaryKey: Schema.optional(Schema.Boolean),
  autoIncrement: Schema.optional(Schema.Boolean),
  maxLength: Schema.optional(Schema.Number),
  title: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  enum: Schema.optional(Schema.Array(Schema.Union(Schema.String, Schema.Number))),
  default: Schema.optional(Schema.Unknown),
  source: Schema.optional(Schema.String)
})

/** @internal */
export type PropertySchema = typeof PropertySchema.Type

/**
 * A model's json_schema. `required` may be absent in schemas from other producers (pydantic omits it).
 *
 * @internal
 */
export const JsonSchema = Schema.Struct({
  type: Schema.optional(Schema.Literal("object")),
  title: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  properties: Schema.Record({ key: Schema.String, value: PropertySchema }),
  required: Schema.optional(Schema.Array(Schema.String))
})

/** @internal */
export type JsonSchema = typeof JsonSchema.Type

/**
 * DevLake's `DynamicModelInfo`, as in `plugin-info` (`connection_model_info`, ...) and in `create_table`.
 *
 * @internal
 */
export const DynamicModelInfo = Schema.Struct({
  json_schema: JsonSchema,
  table_name: Schema.String
})

/** @internal */
export type DynamicModelInfo = typeof DynamicModelInfo.Type

/**
 * A model (or json_schema) the Go server would reject, crash on, or map to other columns than ours.
 *
 * @internal
 */
export class ModelInfoError extends Schema.TaggedError<ModelInfoError>("tsdevlake/ModelInfo/ModelInfoError")(
  "ModelInfoError",
  {
    model: Schema.String,
    field: Schema.optional(Schema.String),
    reason: Schema.String
  }
) {
  override get message(): string {
    return `Model ${this.model}${this.field === undefined ? "" : `, field "${this.field}"`}: ${this.reason}`
  }
}

/**
 * The Go base structs a json_schema can be loaded with: `common.Model` (connections), `ScopeModel`
 * (scopes), `ScopeConfigModel` (scope configs), `ToolModel` (tool models), `common.NoPKModel` (every
 * `create_table` migration).
 *
 * @internal
 */
export type Base = go.Base

/**
 * A field of a Go base struct (flattened through embedded structs; `column` is absent for the embedded
 * structs themselves).
 *
 * @internal
 */
export type BaseField = go.BaseField

/**
 * The fields of each Go base struct. A property whose name equals one of them once lower-cased and
 * stripped of `_` is not generated: the base field takes its place (`_raw_data_params`,
 * `rawDataParams` and `RawDataParams` all land in the column `_raw_data_params`).
 *
 * @internal
 */
export const baseFields: Record<Base, ReadonlyArray<BaseField>> = go.baseFields

/**
 * The base struct Go loads a model kind's json_schema with at plugin load (domain models have none: the
 * Go server owns their tables).
 *
 * @internal
 */
export const baseOf = (kind: Model.Kind | undefined): Base | undefined => {
  switch (kind) {
    case "connection":
      return "common.Model"
    case "scope":
      return "ScopeModel"
    case "scopeConfig":
      return "ScopeConfigModel"
    case "tool":
      return "ToolModel"
    default:
      return undefined
  }
}

/**
 * The Go struct the server builds from a json_schema: the generated fields (Go name, type, struct tag,
 * gorm column) and the properties left to the base struct.
 *
 * @internal
 */
export type GoStruct = go.GoStruct

/** @internal */
export type GoField = go.GoField

/**
 * Replays the Go server's conversion of a json_schema (`GenerateStructType`, `getGoType`, `getGormTag`,
 * `reflect.StructOf`): fails where Go errors or panics (missing `properties`, non-string or unsupported
 * `type`, a name that is not an exported Go identifier after `strings.Title`, duplicate Go fields),
 * otherwise returns the struct Go would build. Pass the base Go loads it with (`undefined` for none).
 *
 * @example
 * ModelInfo.validate({ properties: { i: { type: "integer" } }, required: ["i"] }, undefined)
 * // Right({ fields: [{ name: "I", type: "int64", tag: 'json:"i" validate:"required"', ... }], ... })
 *
 * @internal
 */
export const validate = (jsonSchema: unknown, base: Base | undefined): Either.Either<GoStruct, ModelInfoError> => {
  const result = go.goStruct(jsonSchema, base)
  if ("struct" in result) return Either.right(result.struct)
  const title = typeof jsonSchema === "object" && jsonSchema !== null
    ? (jsonSchema as { title?: unknown }).title
    : undefined
  return Either.left(
    new ModelInfoError({
      model: typeof title === "string" ? title : "(untitled json_schema)",
      ...(result.problem.property === undefined ? {} : { field: result.problem.property }),
      reason: base === undefined ? result.problem.reason : `${result.problem.reason} (base ${base})`
    })
  )
}

/**
 * Options of {@link make}: the table name, or the plugin folder to derive it from (`Model.tableName`).
 *
 * @internal
 */
export type MakeOptions =
  | { readonly tableName: string; readonly pluginFolder?: string }
  | { readonly pluginFolder: string; readonly tableName?: string }

// Only ids the database generates keep gorm's default (auto-increment for a lone or `id` integer key):
// everything else a plugin writes comes from the source API, and an auto-increment column inside a
// composite key is rejected by MySQL.
const generatedIdKinds: ReadonlySet<Model.Kind | undefined> = new Set(["connection", "scopeConfig"])

// Kinds whose rows the Go server decodes from and encodes to JSON (its connection, scope and scope-config APIs).
const goJsonKinds: ReadonlySet<Model.Kind | undefined> = new Set(["connection", "scope", "scopeConfig"])

const jsonKindOfType: Record<PropertyType, extras.JsonKind> = {
  integer: "number",
  number: "number",
  boolean: "boolean",
  string: "string",
  array: "array",
  object: "object"
}

const autoIncrementOf = (kind: Model.Kind | undefined, field: Model.Field): boolean | undefined => {
  if (!field.primaryKey || field.jsonType !== "integer") return field.autoIncrement
  if (field.autoIncrement !== undefined) return field.autoIncrement
  return generatedIdKinds.has(kind) && field.key === "id" ? undefined : false
}

const propertyOf = (
  model: Model.Any,
  kind: Model.Kind | undefined,
  field: Model.Field,
  fail: (reason: string) => never
): PropertySchema => {
  if (field.autoIncrement !== undefined && !(field.primaryKey && field.jsonType === "integer")) {
    fail("autoIncrement applies to integer primary keys only")
  }
  if (field.maxLength !== undefined && !(Number.isInteger(field.maxLength) && field.maxLength > 0)) {
    fail(`maxLength must be a positive integer, got ${field.maxLength}`)
  }
  if (field.primaryKey && field.jsonType === "string" && field.maxLength !== undefined && field.maxLength > 255) {
    fail(`a string primary key needs maxLength ≤ 255 (Go makes longer strings TEXT, which MySQL cannot index)`)
  }
  const schemaField = model.fields[field.name]!
  if (goJsonKinds.has(kind)) {
    const encoded = extras.encodedJsonKind(schemaField)
    if (encoded !== undefined && encoded !== jsonKindOfType[field.jsonType]) {
      fail(
        `its JSON value is ${
          encoded === "array" || encoded === "object" ? "an" : "a"
        } ${encoded} but its json_schema ` +
          `type is "${field.jsonType}": the Go server would fail to decode it`
      )
    }
  }
  const { description, title } = extras.fieldTexts(schemaField)
  const defaultValue = field.secret ? Option.none() : extras.encodedDefault(schemaField)
  const autoIncrement = autoIncrementOf(kind, field)
  return {
    type: field.jsonType,
    ...(field.format === undefined ? {} : { format: field.format }),
    ...(field.primaryKey ? { primaryKey: true } : {}),
    ...(autoIncrement === undefined ? {} : { autoIncrement }),
    ...(field.maxLength === undefined ? {} : { maxLength: field.maxLength }),
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
    ...(field.enum === undefined ? {} : { enum: field.enum }),
    ...(Option.isSome(defaultValue) ? { default: defaultValue.value } : {}),
    ...(field.source === undefined ? {} : { source: field.source })
  }
}

// The column the Go side gives a property under `base`: the base field's for skipped properties, gorm's
// naming of the generated field otherwise.
const goColumn = (key: string, base: Base): { readonly column: string } | { readonly hiddenBy: string } => {
  const baseField = go.skippedBy(key, base)
  if (baseField === undefined) return { column: naming.columnName(key) }
  if (baseField.column === undefined) return { hiddenBy: baseField.name }
  return { column: baseField.column }
}

// A property name must be a Go identifier unless every base Go loads it with skips it (the `_raw_data_*` keys).
const checkGoName = (key: string, bases: ReadonlyArray<Base>, fail: (reason: string) => never) => {
  const skippedIn = bases.filter((base) => go.skippedBy(key, base) !== undefined)
  if (go.isGoIdentifier(key) || skippedIn.length === bases.length) return
  fail(
    `"${key}" is not a Go identifier ([A-Za-z][A-Za-z0-9_]*)` +
      (skippedIn.length > 0
        ? `; Go skips it only with base ${skippedIn.join(", ")}, not with ${
          bases.filter((b) => !skippedIn.includes(b)).join(", ")
        }`
        : "; the Go server would panic building its struct")
  )
}

// Under each base, the column Go gives the property must be the field's own.
const checkGoColumn = (field: Model.Field, bases: ReadonlyArray<Base>, fail: (reason: string) => never) => {
  for (const base of bases) {
    const target = goColumn(field.key, base)
    if ("hiddenBy" in target) {
      fail(`Go drops it: its name matches the embedded struct ${target.hiddenBy} of base ${base}`)
    } else if (target.column !== field.column) {
      fail(`its column is "${field.column}" but the Go server's column for it is "${target.column}" (base ${base})`)
    }
  }
}

const tableOfOptions = (model: Model.Any, options: MakeOptions): string | undefined =>
  options.tableName ?? (options.pluginFolder === undefined ? undefined : naming.tableName(model, options.pluginFolder))

// The json_schema of the model's fields, each checked for what Go would reject or map to another column.
const jsonSchemaOf = (
  model: Model.Any,
  fields: ReadonlyArray<Model.Field>,
  bases: ReadonlyArray<Base>,
  fail: (reason: string, field?: string) => never
): JsonSchema => {
  const kind = kindOf(model)
  const properties: Record<string, PropertySchema> = {}
  const required: Array<string> = []
  const columns = new Map<string, string>()
  for (const field of fields) {
    const failField = (reason: string): never => fail(reason, field.key)
    checkGoName(field.key, bases, failField)
    checkGoColumn(field, bases, failField)
    const previous = columns.get(field.column)
    if (previous !== undefined) failField(`column "${field.column}" is also the column of "${previous}"`)
    columns.set(field.column, field.key)
    if (properties[field.key] !== undefined) failField("duplicate property")
    properties[field.key] = propertyOf(model, kind, field, failField)
    if (field.required && field.jsonType !== "boolean") required.push(field.key)
  }
  const description = extras.modelDescription(model.ast)
  return {
    type: "object",
    title: model.identifier,
    ...(description === undefined ? {} : { description }),
    properties,
    required
  }
}

/**
 * The `DynamicModelInfo` of a model class, checked against what the Go server does with it both at plugin
 * load (with the base struct of the model's kind) and in a `create_table` migration (with
 * `common.NoPKModel`). Throws a {@link ModelInfoError} naming the model and field (see `ModelInfo.make`).
 *
 * @internal
 */
export const make = (model: Model.Any, options: MakeOptions): DynamicModelInfo => {
  const fail = (reason: string, field?: string): never => {
    throw new ModelInfoError({ model: model.identifier, ...(field === undefined ? {} : { field }), reason })
  }
  const table = tableOfOptions(model, options)
  if (table === undefined || table === "") return fail("no table name (give tableName or pluginFolder)")
  let fields: ReadonlyArray<Model.Field>
  try {
    fields = fieldsOf(model)
  } catch (cause) {
    return fail(cause instanceof Error ? cause.message : String(cause))
  }
  const loadBase = baseOf(kindOf(model))
  const bases: ReadonlyArray<Base> = loadBase === undefined ? ["common.NoPKModel"] : [loadBase, "common.NoPKModel"]
  const jsonSchema = jsonSchemaOf(model, fields, bases, fail)
  for (const base of bases) {
    const checked = validate(jsonSchema, base)
    if (Either.isLeft(checked)) throw checked.left
  }
  return { json_schema: jsonSchema, table_name: table }
}
