/**
 * Human-facing extras of a json_schema property (title, description, default), read from a model field's
 * Schema annotations. Go ignores all of them.
 *
 * @internal
 */
import { Option, ParseResult, Schema, SchemaAST } from "effect"
import { layers } from "./ast.js"

// Effect puts a title and description on its own schemas ("a string", "int", "maxLength(255)"): those say
// nothing the `type` does not, so only texts a plugin author wrote are kept.
let builtins: { readonly titles: Set<unknown>; readonly descriptions: Set<unknown> } | undefined
const builtinTexts = () => {
  if (builtins !== undefined) return builtins
  const titles = new Set<unknown>()
  const descriptions = new Set<unknown>()
  for (const value of Object.values(Schema)) {
    if (!Schema.isSchema(value)) continue
    for (const layer of layers(value.ast)) {
      titles.add(layer.annotations[SchemaAST.TitleAnnotationId])
      descriptions.add(layer.annotations[SchemaAST.DescriptionAnnotationId])
    }
  }
  builtins = { titles, descriptions }
  return builtins
}

const generatedDescription =
  /^an? .*(character\(s\)|than|between|divisible by|pattern|starting with|ending with|including|items?|instance)|^[A-Za-z.]+\(.*\)$/
const generatedTitle = /^[A-Za-z.]+\(.*\)$/

const annotationSources = (field: Schema.Struct.Field): Array<SchemaAST.Annotations> => {
  const ast = field.ast as SchemaAST.AST | Schema.PropertySignature.AST
  if (ast instanceof Schema.PropertySignatureDeclaration) {
    return [
      ast.annotations,
      ...layers(ast.type).map((l) => l.annotations)
    ]
  }
  if (ast instanceof Schema.PropertySignatureTransformation) {
    return [ast.to.annotations, ast.from.annotations, ...layers(ast.from.type).map((l) => l.annotations)]
  }
  return layers(ast as SchemaAST.AST).map((l) => l.annotations)
}

const firstText = (
  sources: ReadonlyArray<SchemaAST.Annotations>,
  id: symbol,
  builtin: Set<unknown>,
  generated: RegExp
): string | undefined => {
  for (const annotations of sources) {
    const text = annotations[id]
    if (typeof text === "string" && !builtin.has(text) && !generated.test(text)) return text
  }
  return undefined
}

/**
 * The title and description a plugin author gave a field, if any.
 *
 * @internal
 */
export const fieldTexts = (
  field: Schema.Struct.Field
): { readonly title: string | undefined; readonly description: string | undefined } => {
  const sources = annotationSources(field)
  const { descriptions, titles } = builtinTexts()
  return {
    title: firstText(sources, SchemaAST.TitleAnnotationId, titles, generatedTitle),
    description: firstText(sources, SchemaAST.DescriptionAnnotationId, descriptions, generatedDescription)
  }
}

/**
 * The description given to a model class, if any.
 *
 * @internal
 */
export const modelDescription = (ast: SchemaAST.AST): string | undefined => {
  const text = SchemaAST.typeAST(ast).annotations[SchemaAST.DescriptionAnnotationId] ??
    ast.annotations[SchemaAST.DescriptionAnnotationId]
  return typeof text === "string" && !builtinTexts().descriptions.has(text) ? text : undefined
}

const isPlainJson = (u: unknown): boolean => {
  switch (typeof u) {
    case "string":
    case "boolean":
      return true
    case "number":
      return Number.isFinite(u)
    case "object":
      if (u === null) return true
      if (Array.isArray(u)) return u.every(isPlainJson)
      return Object.getPrototypeOf(u) === Object.prototype && Object.values(u).every(isPlainJson)
    default:
      return false
  }
}

/**
 * The decoding default of a field (from `Schema.optionalWith(S, { default })`) in its JSON form, when it
 * has one that encodes to plain JSON.
 *
 * @internal
 */
export const encodedDefault = (field: Schema.Struct.Field): Option.Option<unknown> => {
  const ast = field.ast as SchemaAST.AST | Schema.PropertySignature.AST
  if (!(ast instanceof Schema.PropertySignatureTransformation) || ast.to.defaultValue === undefined) {
    return Option.none()
  }
  const value = ast.to.defaultValue()
  return ParseResult.encodeUnknownOption(Schema.make(ast.from.type))(value).pipe(Option.filter(isPlainJson))
}

/**
 * The JSON kind of a field's encoded value, when it is certain: what the Go server receives for it.
 *
 * @internal
 */
export type JsonKind = "string" | "number" | "boolean" | "array" | "object"

const kindOfAst = (ast: SchemaAST.AST): JsonKind | "null" | undefined => {
  switch (ast._tag) {
    case "Refinement":
      return kindOfAst(ast.from)
    case "Suspend":
      return kindOfAst(ast.f())
    case "StringKeyword":
    case "TemplateLiteral":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "TupleType":
      return "array"
    case "TypeLiteral":
      return "object"
    case "UndefinedKeyword":
    case "VoidKeyword":
      return "null"
    case "Literal":
      return ast.literal === null ? "null" : typeof ast.literal === "string"
        ? "string"
        : typeof ast.literal === "number"
        ? "number"
        : typeof ast.literal === "boolean"
        ? "boolean"
        : undefined
    case "Enums":
      return ast.enums.every(([, v]) => typeof v === "string")
        ? "string"
        : ast.enums.every(([, v]) => typeof v === "number")
        ? "number"
        : undefined
    case "Union": {
      const kinds = new Set(ast.types.map(kindOfAst).filter((k) => k !== "null"))
      if (kinds.size !== 1) return undefined
      return [...kinds][0]
    }
    default:
      return undefined
  }
}

/**
 * The JSON kind of a field's encoded side, or `undefined` when it is not a plain JSON kind or not certain.
 *
 * @internal
 */
export const encodedJsonKind = (field: Schema.Struct.Field): JsonKind | undefined => {
  const ast = field.ast as SchemaAST.AST | Schema.PropertySignature.AST
  const typeAst = ast instanceof Schema.PropertySignatureDeclaration
    ? ast.type
    : ast instanceof Schema.PropertySignatureTransformation
    ? ast.from.type
    : ast as SchemaAST.AST
  const kind = kindOfAst(SchemaAST.encodedAST(typeAst))
  return kind === "null" ? undefined : kind
}
