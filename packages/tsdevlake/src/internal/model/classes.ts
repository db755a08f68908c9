/**
 * The base fields of each model kind and the Schema class constructors that add them (connection, scope,
 * scope config, tool, domain, domain relation and domain scope models).
 *
 * @internal
 */
import { Schema } from "effect"
import {
  autoIncrement,
  DomainScopeTypeId,
  type Kind,
  maxLength,
  ModelKindId,
  primaryKey,
  required,
  TableNameId
} from "./annotations.js"
import { withFastConstructor } from "./fastConstruct.js"
import { rawDataKeys } from "./names.js"

/** A secret string: `Redacted` in plugin code, `format: "password"` in the json_schema. @internal */
export const Secret = Schema.Redacted(Schema.String).annotations({ format: "password" })

/** A date-time field: an RFC 3339 string in JSON, a `Date` in plugin code. @internal */
export const DateTime = Schema.Date.annotations({ format: "date-time" })

const originFields = {
  rawDataParams: Schema.optional(Schema.NullOr(Schema.String.pipe(maxLength(255)))).pipe(
    Schema.fromKey(rawDataKeys.params)
  ),
  rawDataTable: Schema.optional(Schema.NullOr(Schema.String.pipe(maxLength(255)))).pipe(
    Schema.fromKey(rawDataKeys.table)
  ),
  rawDataId: Schema.optional(Schema.NullOr(Schema.Int)).pipe(Schema.fromKey(rawDataKeys.id)),
  rawDataRemark: Schema.optional(Schema.NullOr(Schema.String)).pipe(Schema.fromKey(rawDataKeys.remark))
}

const timestampFields = {
  createdAt: Schema.optional(Schema.NullOr(DateTime)),
  updatedAt: Schema.optional(Schema.NullOr(DateTime))
}

// `name` defaults to "Test connection" because `POST connections/:id/test` sends only `proxy` and `token`.
// `proxy` is `format: uri` in the json_schema as pydevlake's `Optional[AnyUrl]` (the UI reads it); "" still means
// none, as pydevlake's validator allows, and the API client refuses anything but an http(s) URL.
/** @internal */
export const connectionFields = {
  id: Schema.optionalWith(Schema.Int, { default: () => 0 }).pipe(primaryKey),
  name: Schema.optionalWith(Schema.String.pipe(maxLength(100)), { default: () => "Test connection" }).pipe(required),
  proxy: Schema.optional(Schema.NullOr(Schema.String)).annotations({ format: "uri" }),
  ...timestampFields
}

/** @internal */
export const toolModelFields = {
  connectionId: Schema.optional(Schema.Int).pipe(primaryKey, autoIncrement(false)),
  ...originFields,
  ...timestampFields
}

/** @internal */
export const scopeFields = {
  ...toolModelFields,
  id: Schema.String.pipe(maxLength(255), primaryKey),
  // Required in the json_schema, as pydevlake's `name: str` (the UI asks for it); decoding still defaults it to ""
  // so that a scope row or test input without one converts.
  name: Schema.optionalWith(Schema.String.pipe(maxLength(255)), { default: () => "" }).pipe(required),
  scopeConfigId: Schema.optional(Schema.NullOr(Schema.Int))
}

/** Domain types a scope config can enable (`entities`), as in DevLake's `core/plugin/plugin_task.go`. @internal */
export const DomainType = Schema.Literal("CODE", "TICKET", "CODEREVIEW", "CROSS", "CICD", "CODEQUALITY")

/** @internal */
export type DomainType = typeof DomainType.Type

/** @internal */
export const allDomainTypes: ReadonlyArray<DomainType> = DomainType.literals

/** @internal */
export const scopeConfigFields = {
  id: Schema.optionalWith(Schema.Int, { default: () => 0 }).pipe(primaryKey),
  name: Schema.optionalWith(Schema.String.pipe(maxLength(255)), { default: () => "default" }),
  connectionId: Schema.optional(Schema.NullOr(Schema.Int)),
  entities: Schema.optionalWith(Schema.Array(Schema.String), {
    default: () => [...allDomainTypes],
    nullable: true
  }),
  ...timestampFields
}

/** @internal */
export const domainModelFields = {
  id: Schema.optionalWith(Schema.String.pipe(maxLength(255)), { default: () => "" }).pipe(primaryKey),
  ...originFields,
  ...timestampFields
}

const baseFields = {
  connection: connectionFields,
  scope: scopeFields,
  scopeConfig: scopeConfigFields,
  tool: toolModelFields,
  domain: domainModelFields,
  domainScope: domainModelFields
} as const

/** Options of a model class. @internal */
export interface ModelOptions {
  /** Table name; tool-side tables default to `_tool_<plugin folder>_<plural of class name>`. */
  readonly table?: string
}

const modelClass =
  <K extends Kind>(kind: K) =>
  <Self = never>(identifier: string, options: ModelOptions = {}) =>
  <const Fields extends Schema.Struct.Fields>(fields: Fields, annotations?: Schema.Annotations.Schema<Self>) => {
    const classAnnotations = {
      ...annotations,
      [ModelKindId]: kind,
      ...(options.table === undefined ? {} : { [TableNameId]: options.table })
    }
    return withFastConstructor(
      Schema.Class<Self>(identifier)(
        { ...baseFields[kind], ...fields } as (typeof baseFields)[K] & Fields,
        classAnnotations
      ),
      classAnnotations
    )
  }

/** @internal */
export const Connection = modelClass("connection")

/** @internal */
export const ToolScope = modelClass("scope")

/** @internal */
export const ScopeConfig = modelClass("scopeConfig")

/** @internal */
export const ToolModel = modelClass("tool")

/** @internal */
export const DomainModel = modelClass("domain")

const { id: _domainId, ...relationFields } = domainModelFields

/** A domain relation table keyed by its own columns, without DevLake's string `id`. @internal */
export const DomainRelation =
  <Self = never>(identifier: string, options: { readonly table: string }) =>
  <const Fields extends Schema.Struct.Fields>(fields: Fields, annotations?: Schema.Annotations.Schema<Self>) => {
    const classAnnotations = { ...annotations, [ModelKindId]: "domain", [TableNameId]: options.table }
    return withFastConstructor(
      Schema.Class<Self>(identifier)(
        { ...relationFields, ...fields } as typeof relationFields & Fields,
        classAnnotations
      ),
      classAnnotations
    )
  }

/** A domain scope (`Repo`, `CicdScope`, `Board`, `CqProject`). @internal */
export const DomainScope =
  <Self = never>(identifier: string, options: ModelOptions = {}) =>
  <const Fields extends Schema.Struct.Fields>(fields: Fields, annotations?: Schema.Annotations.Schema<Self>) =>
    modelClass("domainScope")<Self>(identifier, options)(fields, {
      ...annotations,
      [DomainScopeTypeId]: identifier
    })
