/**
 * Schema AST to fields: a model's properties as the database and the Go server see them (JSON key, column,
 * column and json_schema types, key, length, source pointer), read once per model class.
 *
 * @internal
 */
import { Option, Schema, SchemaAST } from "effect"
import {
  AutoIncrementId,
  ColumnNameId,
  type ColumnType,
  ColumnTypeId,
  MaxLengthId,
  PrimaryKeyId,
  RequiredId,
  SourceId
} from "./annotations.js"
import { layers } from "./ast.js"
import * as naming from "./names.js"

/** What every model class offers to the framework: its schema, identifier and fields. @internal */
export interface Any extends Schema.Schema<any, any, never> {
  readonly identifier: string
  readonly fields: Schema.Struct.Fields
}

/** One field of a model, as the database and the Go server see it. @internal */
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
  readonly format: "date-time" | "password" | "uri" | undefined
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

const integer: Classified = {
  type: "integer",
  jsonType: "integer",
  format: undefined,
  nullable: false,
  secret: false,
  enum: undefined
}
const base = { format: undefined, nullable: false, secret: false, enum: undefined }

// Refinements and suspensions down to the schema that says the type; an integer refinement says it itself.
const unwrap = (typeAst: SchemaAST.AST): SchemaAST.AST | typeof integer => {
  let ast = typeAst
  while (ast._tag === "Refinement" || ast._tag === "Suspend") {
    if (ast._tag === "Refinement") {
      if (isIntegerRefinement(ast)) return integer
      ast = ast.from
    } else {
      ast = ast.f()
    }
  }
  return ast
}

const classifyLiteral = (lit: SchemaAST.LiteralValue): Classified | undefined => {
  if (typeof lit === "string") return { ...base, type: "string", jsonType: "string", enum: [lit] }
  if (typeof lit === "number") {
    return Number.isInteger(lit)
      ? { ...base, type: "integer", jsonType: "integer", enum: [lit] }
      : { ...base, type: "number", jsonType: "number", enum: [lit] }
  }
  if (typeof lit === "boolean") return { ...base, type: "boolean", jsonType: "boolean" }
  return undefined
}

const classifyDeclaration = (ast: SchemaAST.Declaration): Classified => {
  const kind = declarationKind(ast)
  if (kind === "date") return { ...base, type: "datetime", jsonType: "string", format: "date-time" }
  if (kind === "redacted") return { ...base, type: "string", jsonType: "string", format: "password", secret: true }
  if (kind === "bytes") return { ...base, type: "bytes", jsonType: "string" }
  if (kind === "bigint") return { ...base, type: "integer", jsonType: "integer" }
  // Schema classes and other declarations nested in a model are stored as JSON documents.
  return { ...base, type: "json", jsonType: "object" }
}

const classifyUnion = (ast: SchemaAST.Union, path: string): Classified | undefined => {
  const members = ast.types.filter((t) => !isNullish(t))
  const nullable = members.length !== ast.types.length
  if (members.length === 0) return undefined
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

const classifyKnown = (ast: SchemaAST.AST, path: string): Classified | undefined => {
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
    case "Literal":
      return classifyLiteral(ast.literal)
    case "Enums": {
      const values = ast.enums.map(([, v]) => v)
      return values.every((v) => typeof v === "string")
        ? { ...base, type: "string", jsonType: "string", enum: values }
        : { ...base, type: "integer", jsonType: "integer", enum: values }
    }
    case "Declaration":
      return classifyDeclaration(ast)
    case "Transformation":
      return classify(ast.to, path)
    case "Union":
      return classifyUnion(ast, path)
  }
  return undefined
}

const classify = (typeAst: SchemaAST.AST, path: string): Classified => {
  const ast = unwrap(typeAst)
  const classified = ast === integer ? integer : classifyKnown(ast as SchemaAST.AST, path)
  if (classified !== undefined) return classified
  throw new Error(`Model field ${path}: cannot map schema ${String(typeAst)} to a DevLake column type`)
}

// With an explicit column type, a schema classify cannot map (e.g. `Schema.Unknown`) is still a valid field.
const classifyOr = (ast: SchemaAST.AST, path: string, explicitType: ColumnType | undefined): Classified => {
  if (explicitType === undefined) return classify(ast, path)
  try {
    return classify(ast, path)
  } catch {
    return {
      type: explicitType,
      jsonType: "object",
      format: undefined,
      nullable: false,
      secret: false,
      enum: undefined
    }
  }
}

// The encoded JSON key, the type AST, whether the key may be missing, and the annotations of every layer
// (outermost first) of one property.
const propertyOf = (name: string, field: Schema.Struct.Field) => {
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
  return { key, typeAst, optional, annotations: collectAnnotations(annotationSources) }
}

const jsonTypeOf = (explicitType: ColumnType): Field["jsonType"] =>
  explicitType === "json"
    ? "object"
    : explicitType === "datetime" || explicitType === "bytes"
    ? "string"
    : explicitType

const fieldOf = (model: Any, name: string, schemaField: Schema.Struct.Field): Field => {
  const { annotations, key, optional, typeAst } = propertyOf(name, schemaField)
  const explicitType = annotations[ColumnTypeId] as ColumnType | undefined
  const classified = classifyOr(SchemaAST.typeAST(typeAst), `${model.identifier}.${name}`, explicitType)
  const type = explicitType ?? classified.type
  const format = (annotations["format"] === "password" || classified.secret)
    ? "password"
    : type === "datetime"
    ? "date-time"
    : annotations["format"] === "uri"
    ? "uri"
    : classified.format
  return {
    name,
    key,
    column: (annotations[ColumnNameId] as string | undefined) ?? naming.columnName(key),
    type,
    jsonType: explicitType === undefined ? classified.jsonType : jsonTypeOf(explicitType),
    format,
    maxLength: annotations[MaxLengthId] as number | undefined,
    primaryKey: annotations[PrimaryKeyId] === true,
    autoIncrement: annotations[AutoIncrementId] as boolean | undefined,
    source: annotations[SourceId] as string | undefined,
    optional: optional || classified.nullable,
    nullable: classified.nullable,
    required: annotations[RequiredId] === true || !(optional || classified.nullable),
    secret: classified.secret,
    enum: classified.enum
  }
}

const fieldCache = new WeakMap<object, ReadonlyArray<Field>>()

/** The fields of a model class in declaration order (base fields first). @internal */
export const fieldsOf = (model: Any): ReadonlyArray<Field> => {
  const cached = fieldCache.get(model)
  if (cached) return cached
  const out = Object.entries(model.fields).map(([name, field]) => fieldOf(model, name, field))
  fieldCache.set(model, out)
  return out
}

/** Primary-key fields of a model, in declaration order. @internal */
export const primaryKeyOf = (model: Any): ReadonlyArray<Field> => fieldsOf(model).filter((f) => f.primaryKey)
