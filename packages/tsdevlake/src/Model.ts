/**
 * Schema class constructors for the models a plugin declares (connection, scope, scope config, tool and
 * domain models) and the field annotations DevLake needs: primary keys, JSON-pointer sources, secrets and
 * maximum lengths.
 *
 * A model is an ordinary `Schema.Class`: its encoded form is the JSON the Go server exchanges (camelCase
 * keys), its type form is what plugin code works with, and {@link fieldsOf} turns it into the column list
 * the database and `plugin-info` need.
 *
 * @since 0.1.0
 */
import * as annotations from "./internal/model/annotations.js"
import * as classes from "./internal/model/classes.js"
import * as fields from "./internal/model/fields.js"
import * as names from "./internal/model/names.js"

export {
  /** @since 0.1.0 @category annotations */
  AutoIncrementId,
  /** @since 0.1.0 @category annotations */
  ColumnNameId,
  /** @since 0.1.0 @category annotations */
  ColumnTypeId,
  /** @since 0.1.0 @category annotations */
  DomainScopeTypeId,
  /** @since 0.1.0 @category annotations */
  MaxLengthId,
  /** @since 0.1.0 @category annotations */
  ModelKindId,
  /** @since 0.1.0 @category annotations */
  PrimaryKeyId,
  /** @since 0.1.0 @category annotations */
  RequiredId,
  /** @since 0.1.0 @category annotations */
  SourceId,
  /** @since 0.1.0 @category annotations */
  TableNameId
} from "./internal/model/annotations.js"

/**
 * The kind of a model class, which decides its base fields and where its rows live.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = annotations.Kind

/**
 * Column types a field maps to; `json` covers arrays and objects (DevLake stores them as JSON).
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnType = annotations.ColumnType

/**
 * Marks a field as (part of) the primary key.
 *
 * @example
 * class Build extends Model.ToolModel<Build>("Build")({ id: Schema.Int.pipe(Model.primaryKey) }) {}
 *
 * @since 0.1.0
 * @category annotations
 */
export const primaryKey = annotations.primaryKey

/**
 * Sets gorm's `autoIncrement` for an integer primary key; DevLake makes a lone integer key
 * auto-incrementing unless told `false`, which breaks ids that come from the source API.
 *
 * @since 0.1.0
 * @category annotations
 */
export const autoIncrement = annotations.autoIncrement

/**
 * Where the default extractor reads this field in the raw JSON record, as a JSON pointer (RFC 6901).
 *
 * @example
 * const title = Schema.String.pipe(Model.source("/profile/title"))
 *
 * @since 0.1.0
 * @category annotations
 */
export const source = annotations.source

/**
 * Bounds a string column: up to 255 it becomes `varchar(n)` on the Go side, beyond that `text`. Also
 * validates the length when decoding.
 *
 * @since 0.1.0
 * @category annotations
 */
export const maxLength = annotations.maxLength

/**
 * Overrides the inferred column type (for example `json` for a field whose schema is a custom declaration).
 *
 * @since 0.1.0
 * @category annotations
 */
export const columnType = annotations.columnType

/**
 * Overrides the DB column name (by default gorm's snake_case of the JSON key).
 *
 * @since 0.1.0
 * @category annotations
 */
export const columnName = annotations.columnName

/**
 * Lists the field in the json_schema `required` array even though decoding supplies a default (the Go
 * server then validates it on `POST connections`).
 *
 * @since 0.1.0
 * @category annotations
 */
export const required = annotations.required

/**
 * A secret string: `Redacted` in plugin code (never printed), `format: "password"` in the json_schema, so
 * DevLake encrypts it at rest.
 *
 * @example
 * class MyConnection extends Model.Connection<MyConnection>("MyConnection")({ token: Model.Secret }) {}
 *
 * @since 0.1.0
 * @category fields
 */
export const Secret = classes.Secret

/**
 * A date-time field: an RFC 3339 string in JSON, a `Date` in plugin code, `datetime(3)` / `timestamptz`
 * in the database. Go's zero time (`0001-01-01T00:00:00Z`) decodes to that date, not to an error.
 *
 * @since 0.1.0
 * @category fields
 */
export const DateTime = classes.DateTime

/**
 * Base fields of every connection: `id`, `name`, `proxy`, `createdAt`, `updatedAt`. `name` defaults to
 * `"Test connection"` because `POST connections/:id/test` sends only `proxy` and `token`.
 *
 * @since 0.1.0
 * @category fields
 */
export const connectionFields = classes.connectionFields

/**
 * Base fields of every tool model: the connection id (part of the primary key) and the raw-data origin.
 *
 * @since 0.1.0
 * @category fields
 */
export const toolModelFields = classes.toolModelFields

/**
 * Base fields of every scope: `id` (string key), `name`, `connectionId`, `scopeConfigId`, plus the tool
 * model fields.
 *
 * @since 0.1.0
 * @category fields
 */
export const scopeFields = classes.scopeFields

/**
 * Domain types a scope config can enable (`entities`), as in DevLake's `core/plugin/plugin_task.go`.
 *
 * @since 0.1.0
 * @category models
 */
export const DomainType = classes.DomainType

/** @since 0.1.0 @category models */
export type DomainType = classes.DomainType

/** @since 0.1.0 @category constants */
export const allDomainTypes: ReadonlyArray<DomainType> = classes.allDomainTypes

/**
 * Base fields of every scope config: `id`, `name`, `connectionId`, `entities` (enabled domain types, all by
 * default).
 *
 * @since 0.1.0
 * @category fields
 */
export const scopeConfigFields = classes.scopeConfigFields

/**
 * Base fields of every domain model: the string `id` (set by the convertor to the tool row's domain id
 * unless the converter sets it) and the raw-data origin.
 *
 * @since 0.1.0
 * @category fields
 */
export const domainModelFields = classes.domainModelFields

/**
 * Options of a model class.
 *
 * @since 0.1.0
 * @category models
 */
export type ModelOptions = classes.ModelOptions

/**
 * A connection: the credentials and settings of one data source. Base fields: {@link connectionFields}.
 *
 * @example
 * class MyConnection extends Model.Connection<MyConnection>("MyConnection")({
 *   url: Schema.String,
 *   token: Model.Secret
 * }) {}
 *
 * @since 0.1.0
 * @category constructors
 */
export const Connection = classes.Connection

/**
 * A tool scope (for example a repository). Base fields: {@link scopeFields}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ToolScope = classes.ToolScope

/**
 * A scope config: per-scope settings, such as transformation rules. Base fields: {@link scopeConfigFields}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScopeConfig = classes.ScopeConfig

/**
 * A tool model: one `_tool_*` table filled by a stream's extractor. Base fields: {@link toolModelFields}.
 *
 * @example
 * class User extends Model.ToolModel<User>("User")({
 *   id: Schema.String.pipe(Model.primaryKey),
 *   team: Schema.optional(Schema.String).pipe(Model.source("/team/name"))
 * }) {}
 *
 * @since 0.1.0
 * @category constructors
 */
export const ToolModel = classes.ToolModel

/**
 * A DevLake domain-layer model, written by convertors into a table the Go server owns (give `table`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const DomainModel = classes.DomainModel

/**
 * A domain relation table keyed by its own columns, without DevLake's string `id` (Go's `common.NoPKModel`
 * tables: `board_issues`, `cicd_pipeline_commits`, …). Mark its key columns with {@link primaryKey}; the
 * convertor upserts by them and sets the raw-data origin as for any domain model.
 *
 * @example
 * class BuildCommit extends Model.DomainRelation<BuildCommit>("BuildCommit", { table: "myplugin_build_commits" })({
 *   buildId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
 *   commitSha: Schema.String.pipe(Model.maxLength(40), Model.primaryKey)
 * }) {}
 *
 * @since 0.1.0
 * @category constructors
 */
export const DomainRelation = classes.DomainRelation

/**
 * A domain scope (`Repo`, `CicdScope`, `Board`, `CqProject`): returned by `make-pipeline` and stored by Go.
 *
 * @since 0.1.0
 * @category constructors
 */
export const DomainScope = classes.DomainScope

/**
 * What every model class offers to the framework: its schema, identifier and fields.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = fields.Any

/**
 * One field of a model, as the database and the Go server see it.
 *
 * @since 0.1.0
 * @category models
 */
export type Field = fields.Field

/**
 * The kind of a model class, if it was built with this module's constructors.
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindOf = annotations.kindOf

/**
 * Explicit table name of a model (given with `{ table }`), if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const explicitTableName = annotations.explicitTableName

/**
 * Table name of a model within a plugin (or a plugin folder): the explicit one, else pydevlake's
 * `_tool_<folder>_<plural>`.
 *
 * @example
 * Model.tableName(FakePipeline, FakePlugin) // "_tool_fakeplugin_fakepipelines"
 * Model.tableName(FakePipeline, "fakeplugin") // the same
 *
 * @since 0.1.0
 * @category accessors
 */
export const tableName = names.tableName

/**
 * The domain scope type name (`Repo`, `CicdScope`, `Board`, `CqProject`) of a domain scope class.
 *
 * @since 0.1.0
 * @category accessors
 */
export const domainScopeType = annotations.domainScopeType

/**
 * The fields of a model class in declaration order (base fields first), with their JSON keys, columns and
 * types.
 *
 * @since 0.1.0
 * @category accessors
 */
export const fieldsOf = fields.fieldsOf

/**
 * Primary-key fields of a model, in declaration order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const primaryKeyOf = fields.primaryKeyOf
