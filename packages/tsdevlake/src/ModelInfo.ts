/**
 * Model class → DevLake `DynamicModelInfo` (`{ json_schema, table_name }`): the schema the Go server turns
 * into a gorm struct for its connection/scope/scope-config APIs, for scope-data deletion and, through
 * `create_table` migrations, for creating the plugin's tables.
 *
 * The json_schema holds only what Go reads (`properties` with `type`, `format`, `primaryKey`,
 * `autoIncrement`, `maxLength`; `required`) plus a few keys for humans (`title`, `description`, `enum`,
 * `default`, `source`). {@link make} refuses models Go would reject or turn into different columns;
 * {@link validate} replays Go's conversion on any json_schema.
 *
 * @since 0.1.0
 */
import * as internal from "./internal/model/modelInfo.js"

/**
 * The json_schema `type`s Go's `getGoType` supports.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PropertyType = internal.PropertyType

/** @since 0.1.0 @category schemas */
export type PropertyType = internal.PropertyType

/**
 * One json_schema property. Go reads `type`, `format`, `primaryKey`, `autoIncrement` and `maxLength`; the
 * rest is for humans and for pydevlake-style extraction (`source`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PropertySchema = internal.PropertySchema

/** @since 0.1.0 @category schemas */
export type PropertySchema = internal.PropertySchema

/**
 * A model's json_schema. `required` may be absent in schemas from other producers (pydantic omits it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const JsonSchema = internal.JsonSchema

/** @since 0.1.0 @category schemas */
export type JsonSchema = internal.JsonSchema

/**
 * DevLake's `DynamicModelInfo`, as in `plugin-info` (`connection_model_info`, ...) and in `create_table`
 * (also `Message.DynamicModelInfo`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DynamicModelInfo = internal.DynamicModelInfo

/** @since 0.1.0 @category schemas */
export type DynamicModelInfo = internal.DynamicModelInfo

export {
  /**
   * A model (or json_schema) the Go server would reject, crash on, or map to other columns than ours.
   *
   * @since 0.1.0
   * @category errors
   */
  ModelInfoError
} from "./internal/model/modelInfo.js"

/**
 * The Go base structs a json_schema can be loaded with: `common.Model` (connections), `ScopeModel`
 * (scopes), `ScopeConfigModel` (scope configs), `ToolModel` (tool models), `common.NoPKModel` (every
 * `create_table` migration).
 *
 * @since 0.1.0
 * @category models
 */
export type Base = internal.Base

/**
 * A field of a Go base struct (flattened through embedded structs; `column` is absent for the embedded
 * structs themselves).
 *
 * @since 0.1.0
 * @category models
 */
export type BaseField = internal.BaseField

/**
 * The fields of each Go base struct. A property whose name equals one of them once lower-cased and
 * stripped of `_` is not generated: the base field takes its place (`_raw_data_params`,
 * `rawDataParams` and `RawDataParams` all land in the column `_raw_data_params`).
 *
 * @since 0.1.0
 * @category models
 */
export const baseFields: Record<Base, ReadonlyArray<BaseField>> = internal.baseFields

/**
 * The base struct Go loads a model kind's json_schema with at plugin load (domain models have none: the
 * Go server owns their tables).
 *
 * @since 0.1.0
 * @category models
 */
export const baseOf = internal.baseOf

/**
 * The Go struct the server builds from a json_schema: the generated fields (Go name, type, struct tag,
 * gorm column) and the properties left to the base struct.
 *
 * @since 0.1.0
 * @category models
 */
export type GoStruct = internal.GoStruct

/** @since 0.1.0 @category models */
export type GoField = internal.GoField

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
 * @since 0.1.0
 * @category validation
 */
export const validate = internal.validate

/**
 * Options of {@link make}: the table name, or the plugin folder to derive it from (`Model.tableName`).
 *
 * @since 0.1.0
 * @category models
 */
export type MakeOptions = internal.MakeOptions

/**
 * The `DynamicModelInfo` of a model class, checked against what the Go server does with it both at plugin
 * load (with the base struct of the model's kind) and in a `create_table` migration (with
 * `common.NoPKModel`). Throws a {@link ModelInfoError} naming the model and field when:
 *
 * - a property name is not an ASCII Go identifier (`[A-Za-z][A-Za-z0-9_]*`) and not a base field Go skips
 *   (`_raw_data_params`, `_raw_data_table`, `_raw_data_id`, `_raw_data_remark` on tool models and scopes);
 * - a property would be hidden by an embedded Go struct (`model`, `noPKModel`, ...) or collide with another;
 * - a field's DB column differs from the one Go creates (a `Model.columnName` override, or a key whose gorm
 *   column is not the base column that takes it);
 * - `autoIncrement` is set on something other than an integer primary key, `maxLength` is not positive, or a
 *   string primary key is longer than 255 (Go would make it TEXT);
 * - in a connection, scope or scope config (whose JSON the Go server decodes), the encoded JSON value of a
 *   field is not of its json_schema type (e.g. `Schema.NumberFromString` is a number in code but a string
 *   in JSON).
 *
 * Integer primary keys get `autoIncrement: false` unless annotated otherwise, except the `id` of
 * connections and scope configs, which the database generates. Booleans are never listed in `required`:
 * the Go validator's `required` rejects `false`.
 *
 * @example
 * ModelInfo.make(FakePipeline, { pluginFolder: "fakeplugin" }).table_name // "_tool_fakeplugin_fakepipelines"
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = internal.make
