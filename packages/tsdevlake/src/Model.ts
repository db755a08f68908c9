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
import { Option, Schema, SchemaAST } from "effect"
import { withFastConstructor } from "./internal/model/fastConstruct.js"
import * as naming from "./internal/model/names.js"
import { layers } from "./internal/model/ast.js"

/** @since 0.1.0 @category annotations */
export const PrimaryKeyId: unique symbol = Symbol.for("tsdevlake/Model/PrimaryKey")
/** @since 0.1.0 @category annotations */
export const AutoIncrementId: unique symbol = Symbol.for("tsdevlake/Model/AutoIncrement")
/** @since 0.1.0 @category annotations */
export const SourceId: unique symbol = Symbol.for("tsdevlake/Model/Source")
/** @since 0.1.0 @category annotations */
export const MaxLengthId: unique symbol = Symbol.for("tsdevlake/Model/MaxLength")
/** @since 0.1.0 @category annotations */
export const ColumnTypeId: unique symbol = Symbol.for("tsdevlake/Model/ColumnType")
/** @since 0.1.0 @category annotations */
export const ColumnNameId: unique symbol = Symbol.for("tsdevlake/Model/ColumnName")
/** @since 0.1.0 @category annotations */
export const RequiredId: unique symbol = Symbol.for("tsdevlake/Model/Required")
/** @since 0.1.0 @category annotations */
export const ModelKindId: unique symbol = Symbol.for("tsdevlake/Model/Kind")
/** @since 0.1.0 @category annotations */
export const TableNameId: unique symbol = Symbol.for("tsdevlake/Model/TableName")
/** @since 0.1.0 @category annotations */
export const DomainScopeTypeId: unique symbol = Symbol.for("tsdevlake/Model/DomainScopeType")

/**
 * The kind of a model class, which decides its base fields and where its rows live.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "connection" | "scope" | "scopeConfig" | "tool" | "domain" | "domainScope"

/**
 * Column types a field maps to; `json` covers arrays and objects (DevLake stores them as JSON).
 *
 * @since 0.1.0
 * @category models
 */
export type ColumnType = "integer" | "number" | "boolean" | "string" | "datetime" | "json" | "bytes"

interface Annotatable<S> {
  annotations(annotations: SchemaAST.Annotations): S
}

/**
 * Marks a field as (part of) the primary key.
 *
 * @example
 * class Build extends Model.ToolModel<Build>("Build")({ id: Schema.Int.pipe(Model.primaryKey) }) {}
 *
 * @since 0.1.0
 * @category annotations
 */
export const primaryKey = <S extends Annotatable<S>>(self: S): S => self.annotations({ [PrimaryKeyId]: true })

/**
 * Sets gorm's `autoIncrement` for an integer primary key; DevLake makes a lone integer key
 * auto-incrementing unless told `false`, which breaks ids that come from the source API.
 *
 * @since 0.1.0
 * @category annotations
 */
export const autoIncrement = (enabled: boolean) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [AutoIncrementId]: enabled })

/**
 * Where the default extractor reads this field in the raw JSON record, as a JSON pointer (RFC 6901).
 *
 * @example
 * const title = Schema.String.pipe(Model.source("/profile/title"))
 *
 * @since 0.1.0
 * @category annotations
 */
export const source = (pointer: string) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [SourceId]: pointer })

/**
 * Bounds a string column: up to 255 it becomes `varchar(n)` on the Go side, beyond that `text`. Also
 * validates the length when decoding.
 *
 * @since 0.1.0
 * @category annotations
 */
export const maxLength = (n: number) => <A extends string, I, R>(self: Schema.Schema<A, I, R>) =>
  self.pipe(Schema.maxLength(n)).annotations({ [MaxLengthId]: n })

/**
 * Overrides the inferred column type (for example `json` for a field whose schema is a custom declaration).
 *
 * @since 0.1.0
 * @category annotations
 */
export const columnType = (type: ColumnType) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [ColumnTypeId]: type })

/**
 * Overrides the DB column name (by default gorm's snake_case of the JSON key).
 *
 * @since 0.1.0
 * @category annotations
 */
export const columnName = (name: string) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [ColumnNameId]: name })

/**
 * Lists the field in the json_schema `required` array even though decoding supplies a default (the Go
 * server then validates it on `POST connections`).
 *
 * @since 0.1.0
 * @category annotations
 */
export const required = <S extends Annotatable<S>>(self: S): S => self.annotations({ [RequiredId]: true })

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
export const Secret = Schema.Redacted(Schema.String).annotations({ format: "password" })

/**
 * A date-time field: an RFC 3339 string in JSON, a `Date` in plugin code, `datetime(3)` / `timestamptz`
 * in the database. Go's zero time (`0001-01-01T00:00:00Z`) decodes to that date, not to an error.
 *
 * @since 0.1.0
 * @category fields
 */
export const DateTime = Schema.Date.annotations({ format: "date-time" })

const originFields = {
  rawDataParams: Schema.optional(Schema.NullOr(Schema.String.pipe(maxLength(255)))).pipe(
    Schema.fromKey("_raw_data_params")
  ),
  rawDataTable: Schema.optional(Schema.NullOr(Schema.String.pipe(maxLength(255)))).pipe(
    Schema.fromKey("_raw_data_table")
  ),
  rawDataId: Schema.optional(Schema.NullOr(Schema.Int)).pipe(Schema.fromKey("_raw_data_id")),
  rawDataRemark: Schema.optional(Schema.NullOr(Schema.String)).pipe(Schema.fromKey("_raw_data_remark"))
}

const timestampFields = {
  createdAt: Schema.optional(Schema.NullOr(DateTime)),
  updatedAt: Schema.optional(Schema.NullOr(DateTime))
}

/**
 * Base fields of every connection: `id`, `name`, `proxy`, `createdAt`, `updatedAt`. `name` defaults to
 * `"Test connection"` because `POST connections/:id/test` sends only `proxy` and `token`.
 *
 * @since 0.1.0
 * @category fields
 */
export const connectionFields = {
  id: Schema.optionalWith(Schema.Int, { default: () => 0 }).pipe(primaryKey),
  name: Schema.optionalWith(Schema.String.pipe(maxLength(100)), { default: () => "Test connection" }).pipe(required),
  proxy: Schema.optional(Schema.NullOr(Schema.String)),
  ...timestampFields
}

/**
 * Base fields of every tool model: the connection id (part of the primary key) and the raw-data origin.
 *
 * @since 0.1.0
 * @category fields
 */
export const toolModelFields = {
  connectionId: Schema.optional(Schema.Int).pipe(primaryKey, autoIncrement(false)),
  ...originFields,
  ...timestampFields
}

/**
 * Base fields of every scope: `id` (string key), `name`, `connectionId`, `scopeConfigId`, plus the tool
 * model fields.
 *
 * @since 0.1.0
 * @category fields
 */
export const scopeFields = {
  ...toolModelFields,
  id: Schema.String.pipe(maxLength(255), primaryKey),
  name: Schema.optionalWith(Schema.String.pipe(maxLength(255)), { default: () => "" }),
  scopeConfigId: Schema.optional(Schema.NullOr(Schema.Int))
}

/**
 * Domain types a scope config can enable (`entities`), as in DevLake's `core/plugin/plugin_task.go`.
 *
 * @since 0.1.0
 * @category models
 */
export const DomainType = Schema.Literal("CODE", "TICKET", "CODEREVIEW", "CROSS", "CICD", "CODEQUALITY")

/** @since 0.1.0 @category models */
export type DomainType = typeof DomainType.Type

/** @since 0.1.0 @category constants */
export const allDomainTypes: ReadonlyArray<DomainType> = DomainType.literals

/**
 * Base fields of every scope config: `id`, `name`, `connectionId`, `entities` (enabled domain types, all by
 * default).
 *
 * @since 0.1.0
 * @category fields
 */
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

/**
 * Base fields of every domain model: the string `id` (set by the convertor to the tool row's domain id
 * unless the converter sets it) and the raw-data origin.
 *
 * @since 0.1.0
 * @category fields
 */
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

/**
 * Options of a model class.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelOptions {
  /** Table name; tool-side tables default to `_tool_<plugin folder>_<plural of class name>`. */
  readonly table?: string
}

const modelClass = <K extends Kind>(kind: K) =>
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
export const Connection = modelClass("connection")

/**
 * A tool scope (for example a repository). Base fields: {@link scopeFields}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ToolScope = modelClass("scope")

/**
 * A scope config: per-scope settings, such as transformation rules. Base fields: {@link scopeConfigFields}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ScopeConfig = modelClass("scopeConfig")

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
export const ToolModel = modelClass("tool")

/**
 * A DevLake domain-layer model, written by convertors into a table the Go server owns (give `table`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const DomainModel = modelClass("domain")

const { id: _domainId, ...relationFields } = domainModelFields

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
export const DomainRelation = <Self = never>(identifier: string, options: { readonly table: string }) =>
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

/**
 * A domain scope (`Repo`, `CicdScope`, `Board`, `CqProject`): returned by `make-pipeline` and stored by Go.
 *
 * @since 0.1.0
 * @category constructors
 */
export const DomainScope = <Self = never>(identifier: string, options: ModelOptions = {}) =>
<const Fields extends Schema.Struct.Fields>(fields: Fields, annotations?: Schema.Annotations.Schema<Self>) =>
  modelClass("domainScope")<Self>(identifier, options)(fields, {
    ...annotations,
    [DomainScopeTypeId]: identifier
  })

/**
 * What every model class offers to the framework: its schema, identifier and fields.
 *
 * @since 0.1.0
 * @category models
 */
export interface Any extends Schema.Schema<any, any, never> {
  readonly identifier: string
  readonly fields: Schema.Struct.Fields
}

/**
 * One field of a model, as the database and the Go server see it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Field {
  /** Property name in plugin code. */
  readonly name: string
  /** JSON key (encoded side): the json_schema property the Go server turns into a Go field. */
  readonly key: string
  /** DB column: gorm's snake_case of `key` unless overridden. */
  readonly column: string
  readonly type: ColumnType
  /** The json_schema `type` Go reads. */
  readonly jsonType: "integer" | "number" | "boolean" | "string" | "array" | "object"
  readonly format: "date-time" | "password" | undefined
  readonly maxLength: number | undefined
  readonly primaryKey: boolean
  readonly autoIncrement: boolean | undefined
  readonly source: string | undefined
  /** Whether the value may be absent (optional, or nullable). */
  readonly optional: boolean
  /** Whether the schema accepts `null`. */
  readonly nullable: boolean
  /** Whether the json_schema lists it in `required`. */
  readonly required: boolean
  /** Whether plugin code holds it as `Redacted`. */
  readonly secret: boolean
  /** String literal values when the field is an enumeration. */
  readonly enum: ReadonlyArray<string | number> | undefined
}

const collectAnnotations = (asts: ReadonlyArray<SchemaAST.Annotations>): Record<symbol | string, unknown> => {
  const out: Record<symbol | string, unknown> = {}
  for (const annotations of asts) {
    for (const key of Reflect.ownKeys(annotations)) {
      if (!(key in out)) out[key as any] = (annotations as any)[key]
    }
  }
  return out
}

const isNullish = (ast: SchemaAST.AST) =>
  ast._tag === "UndefinedKeyword" || ast._tag === "VoidKeyword" || (ast._tag === "Literal" && ast.literal === null)

interface Classified {
  readonly type: ColumnType
  readonly jsonType: Field["jsonType"]
  readonly format: Field["format"]
  readonly nullable: boolean
  readonly secret: boolean
  readonly enum: ReadonlyArray<string | number> | undefined
}

const declarationKind = (ast: SchemaAST.Declaration): "date" | "redacted" | "bytes" | "bigint" | undefined => {
  const id = Option.getOrElse(SchemaAST.getIdentifierAnnotation(ast), () => "")
  const ctor = (ast.annotations[SchemaAST.TypeConstructorAnnotationId] as { _tag?: string } | undefined)?._tag
  if (/^(Valid)?DateFromSelf$|^DateTimeUtcFromSelf$|^DateTimeZonedFromSelf$/.test(id)) return "date"
  if (ctor === "effect/Redacted" || id.startsWith("Redacted")) return "redacted"
  if (id === "Uint8ArrayFromSelf") return "bytes"
  if (id === "BigIntFromSelf") return "bigint"
  return undefined
}

const isIntegerRefinement = (ast: SchemaAST.AST): boolean => {
  for (const layer of layers(ast)) {
    const jsonSchema = SchemaAST.getJSONSchemaAnnotation(layer)
    if (Option.isSome(jsonSchema) && (jsonSchema.value as any).type === "integer") return true
    if (Option.getOrElse(SchemaAST.getIdentifierAnnotation(layer), () => "") === "Int") return true
  }
  return false
}

const classify = (typeAst: SchemaAST.AST, path: string): Classified => {
  let ast = typeAst
  while (ast._tag === "Refinement" || ast._tag === "Suspend") {
    if (ast._tag === "Refinement") {
      if (isIntegerRefinement(ast)) {
        return { type: "integer", jsonType: "integer", format: undefined, nullable: false, secret: false, enum: undefined }
      }
      ast = ast.from
    } else {
      ast = ast.f()
    }
  }
  const base = { format: undefined, nullable: false, secret: false, enum: undefined }
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return { ...base, type: "string", jsonType: "string" }
    case "NumberKeyword":
      return { ...base, type: "number", jsonType: "number" }
    case "BooleanKeyword":
      return { ...base, type: "boolean", jsonType: "boolean" }
    case "BigIntKeyword":
      return { ...base, type: "integer", jsonType: "integer" }
    case "TupleType":
      return { ...base, type: "json", jsonType: "array" }
    case "TypeLiteral":
    case "ObjectKeyword":
      return { ...base, type: "json", jsonType: "object" }
    case "Literal": {
      const lit = ast.literal
      if (typeof lit === "string") return { ...base, type: "string", jsonType: "string", enum: [lit] }
      if (typeof lit === "number") {
        return Number.isInteger(lit)
          ? { ...base, type: "integer", jsonType: "integer", enum: [lit] }
          : { ...base, type: "number", jsonType: "number", enum: [lit] }
      }
      if (typeof lit === "boolean") return { ...base, type: "boolean", jsonType: "boolean" }
      break
    }
    case "Enums": {
      const values = ast.enums.map(([, v]) => v)
      return values.every((v) => typeof v === "string")
        ? { ...base, type: "string", jsonType: "string", enum: values }
        : { ...base, type: "integer", jsonType: "integer", enum: values }
    }
    case "Declaration": {
      const kind = declarationKind(ast)
      if (kind === "date") return { ...base, type: "datetime", jsonType: "string", format: "date-time" }
      if (kind === "redacted") return { ...base, type: "string", jsonType: "string", format: "password", secret: true }
      if (kind === "bytes") return { ...base, type: "bytes", jsonType: "string" }
      if (kind === "bigint") return { ...base, type: "integer", jsonType: "integer" }
      // Schema classes and other declarations nested in a model are stored as JSON documents.
      return { ...base, type: "json", jsonType: "object" }
    }
    case "Transformation":
      return classify(ast.to, path)
    case "Union": {
      const members = ast.types.filter((t) => !isNullish(t))
      const nullable = members.length !== ast.types.length
      if (members.length === 0) break
      const classified = members.map((m) => classify(m, path))
      const first = classified[0]!
      if (classified.every((c) => c.type === first.type && c.jsonType === first.jsonType)) {
        const enums = classified.every((c) => c.enum !== undefined)
          ? classified.flatMap((c) => c.enum ?? [])
          : undefined
        return { ...first, nullable: nullable || first.nullable, enum: enums }
      }
      if (classified.every((c) => c.type === "integer" || c.type === "number")) {
        return { ...first, type: "number", jsonType: "number", nullable, enum: undefined }
      }
      return { ...base, type: "json", jsonType: "object", nullable }
    }
  }
  throw new Error(`Model field ${path}: cannot map schema ${String(typeAst)} to a DevLake column type`)
}

// With an explicit column type, a schema classify cannot map (e.g. `Schema.Unknown`) is still a valid field.
const classifyOr = (ast: SchemaAST.AST, path: string, explicitType: ColumnType | undefined): Classified => {
  if (explicitType === undefined) return classify(ast, path)
  try {
    return classify(ast, path)
  } catch {
    return { type: explicitType, jsonType: "object", format: undefined, nullable: false, secret: false, enum: undefined }
  }
}

/**
 * The kind of a model class, if it was built with this module's constructors.
 *
 * @since 0.1.0
 * @category accessors
 */
export const kindOf = (model: Any): Kind | undefined => classAnnotation(model, ModelKindId) as Kind | undefined

// Schema.Class keeps class annotations on the type side (its declaration), not on the outer transformation.
const classAnnotation = (model: Any, id: symbol): unknown =>
  SchemaAST.typeAST(model.ast).annotations[id] ?? model.ast.annotations[id]

/**
 * Explicit table name of a model (given with `{ table }`), if any.
 *
 * @since 0.1.0
 * @category accessors
 */
export const explicitTableName = (model: Any): string | undefined =>
  classAnnotation(model, TableNameId) as string | undefined

/**
 * Table name of a model within a plugin whose folder is `pluginFolder`: the explicit one, else pydevlake's
 * `_tool_<folder>_<plural>`.
 *
 * @example
 * Model.tableName(FakePipeline, "fakeplugin") // "_tool_fakeplugin_fakepipelines"
 *
 * @since 0.1.0
 * @category accessors
 */
export const tableName = (model: Any, pluginFolder: string): string =>
  explicitTableName(model) ?? naming.toolTableName(pluginFolder, model.identifier)

/**
 * The domain scope type name (`Repo`, `CicdScope`, `Board`, `CqProject`) of a domain scope class.
 *
 * @since 0.1.0
 * @category accessors
 */
export const domainScopeType = (model: Any): string | undefined =>
  classAnnotation(model, DomainScopeTypeId) as string | undefined

const fieldCache = new WeakMap<object, ReadonlyArray<Field>>()

/**
 * The fields of a model class in declaration order (base fields first), with their JSON keys, columns and
 * types.
 *
 * @since 0.1.0
 * @category accessors
 */
export const fieldsOf = (model: Any): ReadonlyArray<Field> => {
  const cached = fieldCache.get(model)
  if (cached) return cached
  const out: Array<Field> = []
  for (const [name, field] of Object.entries(model.fields)) {
    const ast = (field as any).ast as SchemaAST.AST | Schema.PropertySignature.AST
    let key = name
    let typeAst: SchemaAST.AST
    // Only the encoded side decides whether a JSON key may be missing: a constructor default
    // (`withConstructorDefault`, also set by `optionalWith({ default })` on the type side) does not.
    let optional = false
    const annotationSources: Array<SchemaAST.Annotations> = []
    if (ast instanceof Schema.PropertySignatureDeclaration) {
      typeAst = ast.type
      optional = ast.isOptional
      annotationSources.push(ast.annotations)
    } else if (ast instanceof Schema.PropertySignatureTransformation) {
      typeAst = ast.from.type
      optional = ast.from.isOptional
      if (typeof ast.from.fromKey === "string") key = ast.from.fromKey
      annotationSources.push(ast.to.annotations, ast.from.annotations)
    } else {
      typeAst = ast as SchemaAST.AST
    }
    for (const layer of layers(typeAst)) annotationSources.push(layer.annotations)
    const annotations = collectAnnotations(annotationSources)
    const explicitType = annotations[ColumnTypeId] as ColumnType | undefined
    const classified = classifyOr(SchemaAST.typeAST(typeAst), `${model.identifier}.${name}`, explicitType)
    const type = explicitType ?? classified.type
    const jsonType = explicitType === undefined
      ? classified.jsonType
      : explicitType === "json"
      ? "object"
      : explicitType === "datetime" || explicitType === "bytes"
      ? "string"
      : explicitType
    const format = (annotations["format"] === "password" || classified.secret)
      ? "password"
      : type === "datetime"
      ? "date-time"
      : classified.format
    const maxLengthValue = annotations[MaxLengthId] as number | undefined
    out.push({
      name,
      key,
      column: (annotations[ColumnNameId] as string | undefined) ?? naming.columnName(key),
      type,
      jsonType,
      format,
      maxLength: maxLengthValue,
      primaryKey: annotations[PrimaryKeyId] === true,
      autoIncrement: annotations[AutoIncrementId] as boolean | undefined,
      source: annotations[SourceId] as string | undefined,
      optional: optional || classified.nullable,
      nullable: classified.nullable,
      required: annotations[RequiredId] === true || !(optional || classified.nullable),
      secret: classified.secret,
      enum: classified.enum
    })
  }
  fieldCache.set(model, out)
  return out
}

/**
 * Primary-key fields of a model, in declaration order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const primaryKeyOf = (model: Any): ReadonlyArray<Field> => fieldsOf(model).filter((f) => f.primaryKey)
