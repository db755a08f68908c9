/**
 * The default extractor: reads a tool model's fields from a raw JSON record and decodes them exactly as
 * `Schema.decodeUnknownEither(Schema.Struct(fields), { errors: "first" })` would, without running Schema's
 * interpreter for the common field types.
 *
 * Each field schema is compiled once into a plain function that mirrors, node for node, what
 * `ParseResult` does when decoding it (see `effect/src/ParseResult.ts`, `go`, and `Schema.ts`,
 * `getDefaultTypeLiteralAST`). Only nodes whose decoding is fully understood are compiled; a field with any
 * other node is decoded by Schema on its own. Any failure re-runs Schema's decode of the whole record, so
 * the `ParseError` a user sees is the one Schema builds.
 *
 * @internal
 */
import { Either, Option, type ParseResult, Schema, SchemaAST } from "effect"
import type * as Model from "../../Model.js"
import { toolModelFields } from "../model/classes.js"
import { fieldsOf } from "../model/fields.js"

// An RFC 6901 JSON pointer, parsed once: resolving it per record is then a few property reads.
const compilePointer = (pointer: string): (document: unknown) => unknown => {
  if (pointer === "") return (document) => document
  const tokens = pointer.slice(1).split("/").map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
  return (document) => {
    let current: any = document
    for (const token of tokens) {
      if (current === null || typeof current !== "object") return undefined
      current = current[token]
    }
    return current
  }
}

const snakeCase = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()

const baseToolKeys = new Set(Object.keys(toolModelFields))

// The options Schema's decode is run with; filters receive this very object, as they do inside Schema.
const parseOptions: SchemaAST.ParseOptions = { errors: "first" }

const FAIL: unique symbol = Symbol("tsdevlake/extractor/FAIL")

/** Decodes one value as Schema would, or returns `FAIL` where Schema would fail. */
type Decoder = (value: unknown) => unknown

const identity: Decoder = (value) => value

const dateFromStringTransformation = (Schema.DateFromString.ast as SchemaAST.Transformation).transformation
const dateFromSelfDecode = (Schema.DateFromSelf.ast as SchemaAST.Declaration).decodeUnknown

// ParseResult wraps a node's parser when it carries these annotations; such nodes are left to Schema.
const changesParsing = (ast: SchemaAST.AST) =>
  Option.isSome(SchemaAST.getParseOptionsAnnotation(ast)) ||
  Option.isSome(SchemaAST.getDecodingFallbackAnnotation(ast))

const intFilter = (Schema.Int.ast as SchemaAST.Refinement).filter
const validDateFilter = (Schema.Date.ast as SchemaAST.Refinement).filter

const isPlain = (ast: SchemaAST.AST, tag: "StringKeyword" | "NumberKeyword") => ast._tag === tag && !changesParsing(ast)

// Schema.DateFromString exactly: a plain string, `new Date`, a plain DateFromSelf.
const isDateFromString = (ast: SchemaAST.AST) =>
  ast._tag === "Transformation" && ast.transformation === dateFromStringTransformation &&
  !changesParsing(ast) && isPlain(ast.from, "StringKeyword") && ast.to._tag === "Declaration" &&
  ast.to.decodeUnknown === dateFromSelfDecode && !changesParsing(ast.to)

/** A refinement: its filter after the `from` side (Schema's own filters without the `Option` round trip). */
const compileRefinement = (ast: SchemaAST.Refinement): Decoder | undefined => {
  const from = compile(ast.from)
  if (from === undefined) return undefined
  const filter = ast.filter
  // Schema's own filters, whose predicate is known: the same test without the `Option` round trip.
  if (filter === intFilter && isPlain(ast.from, "NumberKeyword")) {
    return (value) => typeof value === "number" && Number.isSafeInteger(value) ? value : FAIL
  }
  if (filter === validDateFilter && isDateFromString(ast.from)) {
    return (value) => {
      if (typeof value !== "string") return FAIL
      const date = new Date(value)
      return Number.isNaN(date.getTime()) ? FAIL : date
    }
  }
  if (isPlain(ast.from, "StringKeyword")) {
    return (value) => typeof value === "string" && Option.isNone(filter(value, parseOptions, ast)) ? value : FAIL
  }
  if (isPlain(ast.from, "NumberKeyword")) {
    return (value) => typeof value === "number" && Option.isNone(filter(value, parseOptions, ast)) ? value : FAIL
  }
  return (value) => {
    const a = from(value)
    return a === FAIL || Option.isSome(filter(a, parseOptions, ast)) ? FAIL : a
  }
}

/**
 * Schema.DateFromString (under Schema.Date / Model.DateTime): the string, `new Date(string)`, then the `to` side
 * decoded as well; Schema.Date's validDate filter is the Refinement around it. No other transformation.
 */
const compileTransformation = (ast: SchemaAST.Transformation): Decoder | undefined => {
  if (ast.transformation !== dateFromStringTransformation) return undefined
  const from = compile(ast.from)
  const to = compile(ast.to)
  if (from === undefined || to === undefined) return undefined
  return (value) => {
    const a = from(value)
    return a === FAIL ? FAIL : to(new Date(a as string))
  }
}

/**
 * Schema tries a union's members in order and returns the first success; it narrows the candidates only for
 * members with literal-valued properties (structs, tuples), which are never compiled here, so every member is
 * tried, in declaration order.
 */
const compileUnion = (ast: SchemaAST.Union): Decoder | undefined => {
  const members: Array<Decoder> = []
  for (const member of ast.types) {
    const decoder = compile(member)
    if (decoder === undefined) return undefined
    members.push(decoder)
  }
  return (value) => {
    for (const member of members) {
      const a = member(value)
      if (a !== FAIL) return a
    }
    return FAIL
  }
}

/** Schema.DateFromSelf: `Predicate.isDate`, the value itself on success. No other declaration. */
const compileDeclaration = (ast: SchemaAST.Declaration): Decoder | undefined =>
  ast.decodeUnknown === dateFromSelfDecode && ast.typeParameters.length === 0 &&
    Option.isNone(SchemaAST.getSurrogateAnnotation(ast))
    ? (value) => value instanceof Date ? value : FAIL
    : undefined

/**
 * The decoder of one schema node, or `undefined` when the node (or one below it) is not one whose decoding
 * this module reproduces exactly.
 */
const compile = (ast: SchemaAST.AST): Decoder | undefined => {
  if (changesParsing(ast)) return undefined
  switch (ast._tag) {
    case "StringKeyword":
      return (value) => typeof value === "string" ? value : FAIL
    case "NumberKeyword":
      return (value) => typeof value === "number" ? value : FAIL
    case "BooleanKeyword":
      return (value) => typeof value === "boolean" ? value : FAIL
    case "BigIntKeyword":
      return (value) => typeof value === "bigint" ? value : FAIL
    case "UndefinedKeyword":
      return (value) => value === undefined ? value : FAIL
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return identity
    case "Literal": {
      const literal = ast.literal
      return (value) => value === literal ? value : FAIL
    }
    case "Enums": {
      const values = ast.enums.map(([, value]) => value)
      return (value) => values.some((v) => v === value) ? value : FAIL
    }
    case "Refinement":
      return compileRefinement(ast)
    case "Declaration":
      return compileDeclaration(ast)
    case "Transformation":
      return compileTransformation(ast)
    case "Union":
      return compileUnion(ast)
    default:
      return undefined
  }
}

type Lookup = (data: any) => unknown

const lookupOf = (field: Model.Field): Lookup => {
  if (field.source !== undefined) return compilePointer(field.source)
  const candidates = [...new Set([field.key, field.name, snakeCase(field.key)])]
  // Unrolled: this runs once per field per record.
  const [c0, c1, c2] = candidates as [string, string | undefined, string | undefined]
  if (c1 === undefined) return (data) => data[c0]
  if (c2 === undefined) {
    return (data) => {
      const v = data[c0]
      return v !== undefined ? v : data[c1]
    }
  }
  return (data) => {
    let v = data[c0]
    if (v !== undefined) return v
    v = data[c1]
    return v !== undefined ? v : data[c2]
  }
}

/** Adds one decoded field to `out` as Schema's struct decode would; `false` where Schema would fail. */
type Step = (data: object, out: Record<string, unknown>) => boolean

/**
 * How one field is decoded: `plain` (the common case, inlined in the generated extractor) is a property
 * decoded by `from`, skipped when `optional` and absent; `step` is any other field.
 */
type FieldPlan =
  | {
    readonly _tag: "plain"
    readonly name: string
    readonly lookup: Lookup
    readonly optional: boolean
    readonly from: Decoder
  }
  | {
    readonly _tag: "step"
    readonly name: string
    /** Whether the field is decoded without Schema. */
    readonly compiled: boolean
    readonly step: Step
  }

/**
 * One field as `Schema.Struct` decodes it: the encoded key's value decoded with `from`; for a property
 * signature transformation (`optionalWith`, `fromKey`) its `decode` over `Option`; and, when the struct is
 * a transformation, the result decoded again with the type side (`to`), which Schema does too.
 */
const compiledStep = (
  name: string,
  lookup: Lookup,
  fromOptional: boolean,
  from: Decoder,
  transform: ((o: Option.Option<unknown>) => Option.Option<unknown>) | undefined,
  toOptional: boolean,
  to: Decoder | undefined
): Step =>
(data, out) => {
  const v = lookup(data)
  let has = false
  let value: unknown = undefined
  if (v !== undefined || !fromOptional) {
    value = from(v)
    if (value === FAIL) return false
    has = true
  }
  if (transform !== undefined) {
    const o = transform(has ? Option.some(value) : Option.none())
    has = Option.isSome(o)
    value = has ? (o as Option.Some<unknown>).value : undefined
  }
  if (to !== undefined) {
    if (!has && toOptional) return true
    value = to(value)
    if (value === FAIL) return false
    has = true
  }
  if (has) out[name] = value
  return true
}

const planField = (
  field: Model.Field,
  schema: Schema.Struct.Field,
  lookup: Lookup,
  structIsTransformation: boolean
): FieldPlan => {
  const name = field.name
  const ast = schema.ast
  if (ast instanceof Schema.PropertySignatureTransformation) {
    const from = compile(ast.from.type)
    const to = compile(ast.to.type)
    if (from !== undefined && to !== undefined) {
      const step = compiledStep(name, lookup, ast.from.isOptional, from, ast.decode, ast.to.isOptional, to)
      return { _tag: "step", name, compiled: true, step }
    }
  } else {
    const type = ast instanceof Schema.PropertySignatureDeclaration ? ast.type : ast as SchemaAST.AST
    const optional = ast instanceof Schema.PropertySignatureDeclaration && ast.isOptional
    const from = compile(type)
    if (from !== undefined && !structIsTransformation) return { _tag: "plain", name, lookup, optional, from }
    const to = structIsTransformation ? compile(SchemaAST.typeAST(type)) : undefined
    if (from !== undefined && to !== undefined) {
      const step = compiledStep(name, lookup, optional, from, undefined, optional, to)
      return { _tag: "step", name, compiled: true, step }
    }
  }
  // Decoded by a one-field struct: the same property signature, so the same optionality, default and key.
  // Inside a transformation struct Schema also decodes a plain field's value with its type side; a one-field
  // struct without a transformation does not, so that step is added.
  const single = Schema.Struct({ [name]: schema }) as unknown as Schema.Schema<any, unknown, never>
  const decodeSingle = Schema.decodeUnknownEither(single, parseOptions)
  const checkSingle = structIsTransformation && single.ast._tag !== "Transformation"
    ? Schema.decodeUnknownEither(Schema.typeSchema(single), parseOptions)
    : undefined
  const key = field.key
  return {
    _tag: "step",
    name,
    compiled: false,
    step: (data, out) => {
      const v = lookup(data)
      let result = decodeSingle(v === undefined ? {} : { [key]: v })
      if (checkSingle !== undefined) result = Either.flatMap(result, checkSingle)
      if (Either.isLeft(result)) return false
      if (Object.prototype.hasOwnProperty.call(result.right, name)) out[name] = result.right[name]
      return true
    }
  }
}

/**
 * The fields' decoders assembled into one function, generated once per model: each field gets its own call
 * and store sites, which the JIT then specialises to that field (shared closures would see every field and
 * stay generic, about twice as slow). Returns `undefined` where Schema would fail. Field names enter the
 * source only as JSON string literals.
 */
const assemble = (fields: ReadonlyArray<FieldPlan>): (data: object) => Record<string, unknown> | undefined => {
  const env: Array<unknown> = [FAIL]
  const lines = ["\"use strict\"", "var FAIL = env[0]"]
  const body: Array<string> = []
  fields.forEach((field, i) => {
    const key = JSON.stringify(field.name)
    if (field._tag === "step") {
      env.push(field.step)
      lines.push(`var s${i} = env[${env.length - 1}]`)
      body.push(`if (!s${i}(data, out)) return undefined`)
      return
    }
    env.push(field.lookup, field.from)
    lines.push(`var l${i} = env[${env.length - 2}], f${i} = env[${env.length - 1}]`)
    if (field.optional) {
      body.push(`v = l${i}(data)`, `if (v !== undefined) {`, `a = f${i}(v)`, "if (a === FAIL) return undefined")
      body.push(`out[${key}] = a`, "}")
    } else {
      body.push(`a = f${i}(l${i}(data))`, "if (a === FAIL) return undefined", `out[${key}] = a`)
    }
  })
  const source = [...lines, "return function extract(data) {", "var v, a, out = {}", ...body, "return out", "}"]
  return new Function("env", source.join("\n"))(env)
}

interface Plan {
  readonly decode: (encoded: unknown) => Either.Either<unknown, ParseResult.ParseError>
  readonly lookups: ReadonlyArray<readonly [string, Lookup]>
  /** `undefined` when every record goes through Schema's decode. */
  readonly fields: ReadonlyArray<FieldPlan> | undefined
}

const plan = (model: Model.Any): Plan => {
  const fields = fieldsOf(model).filter((f) => !baseToolKeys.has(f.name))
  const struct = Schema.Struct(Object.fromEntries(fields.map((f) => [f.name, model.fields[f.name]!])))
  const decode = Schema.decodeUnknownEither(struct as unknown as Schema.Schema<unknown, unknown, never>, parseOptions)
  const lookups = fields.map((field) => [field.key, lookupOf(field)] as const)
  const names = new Set(fields.map((f) => f.name))
  // Cases where decoding field by field would differ from Schema's struct: a key that is another field's
  // name (the struct's key renaming would then move values between fields), `__proto__` (assigning it
  // does not create an own key), a symbol `fromKey` (never found in the JSON object).
  const fieldByField = fields.every((f) => {
    const ast = (model.fields[f.name] as Schema.Struct.Field).ast
    if (ast instanceof Schema.PropertySignatureTransformation && typeof (ast.from.fromKey ?? f.name) !== "string") {
      return false
    }
    return f.name !== "__proto__" && f.key !== "__proto__" && (f.key === f.name || !names.has(f.key))
  })
  if (!fieldByField) return { decode, lookups, fields: undefined }
  const structIsTransformation = struct.ast._tag === "Transformation"
  return {
    decode,
    lookups,
    fields: fields.map((field, i) =>
      planField(field, model.fields[field.name] as Schema.Struct.Field, lookups[i]![1], structIsTransformation)
    )
  }
}

const decodeWithSchema = (self: Plan, data: unknown) => {
  const encoded: Record<string, unknown> = {}
  if (data !== null && typeof data === "object") {
    for (const [key, lookup] of self.lookups) {
      const v = lookup(data)
      if (v !== undefined) encoded[key] = v
    }
  }
  return self.decode(encoded)
}

/**
 * The default extractor: each field from the raw JSON by its `source` JSON pointer, else by its JSON key,
 * property name or snake_case name; then decoded with the tool model's field schemas, as
 * `Schema.decodeUnknownEither(Schema.Struct(fields), { errors: "first" })` does. Returns the decoded fields
 * keyed by property name (not a class instance).
 *
 * @internal
 */
export const defaultExtractor = (model: Model.Any) => {
  const self = plan(model)
  if (self.fields === undefined) return (data: unknown) => decodeWithSchema(self, data)
  const extract = assemble(self.fields)
  return (data: unknown): Either.Either<unknown, ParseResult.ParseError> => {
    // Not an object: every field is absent, a rare case left to Schema.
    if (data === null || typeof data !== "object") return decodeWithSchema(self, data)
    const out = extract(data)
    return out === undefined ? decodeWithSchema(self, data) : Either.right(out)
  }
}

/**
 * How many of a model's extracted fields are decoded without Schema (0 when every record goes through
 * Schema's decode).
 *
 * @internal
 */
export const fastFieldCount = (model: Model.Any): number =>
  plan(model).fields?.filter((f) => f._tag === "plain" || f.compiled).length ?? 0

/**
 * The extractor's own path without the fallback: the decoded fields, or `undefined` where it hands the record
 * to Schema's decode of the whole struct (a model it leaves to Schema entirely has none). For tests: it must
 * succeed exactly where Schema does.
 *
 * @internal
 */
export const fastPath = (model: Model.Any): ((data: unknown) => Record<string, unknown> | undefined) | undefined => {
  const fields = plan(model).fields
  if (fields === undefined) return undefined
  const extract = assemble(fields)
  return (data) => data !== null && typeof data === "object" ? extract(data) : undefined
}
