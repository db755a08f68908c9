/**
 * Human-facing extras of a json_schema property (title, description, default), read from a model field's
 * Schema annotations. Go ignores all of them.
 *
 * @internal
 */
import { Option, ParseResult, Schema, SchemaAST } from "effect"

const layers = (ast: SchemaAST.AST): Array<SchemaAST.AST> => {
  const out: Array<SchemaAST.AST> = [ast]
  switch (ast._tag) {
    case "Refinement":
      out.push(...layers(ast.from))
      break
    case "Transformation":
      out.push(...layers(ast.to), ...layers(ast.from))
      break
    case "Union":
      for (const member of ast.types) out.push(...layers(member))
      break
  }
  return out
}

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
  if (ast instanceof Schema.PropertySignatureDeclaration) return [ast.annotations, ...layers(ast.type).map((l) => l.annotations)]
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
