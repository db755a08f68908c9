/**
 * A fast constructor for `Schema.Class` models. Effect's constructor copies the props, merges the
 * constructor defaults and runs the full parser on every call (about 5 µs for a domain model); convertors
 * build 100,000+ rows per run. For the field types models use (strings, numbers, literals, unions,
 * refinements such as `Int` and `maxLength`, `Date`s, optional keys) a plain checker compiled once per class
 * decides whether Effect's validation would accept the props unchanged; only then is the instance built
 * directly. Anything the checker cannot prove valid (invalid props, an unsupported schema) goes through
 * Effect's constructor, so errors and results stay Effect's own.
 *
 * @internal
 */
import { Predicate, Schema, SchemaAST } from "effect"

/** A class, as the registry of fast constructors keys it. @internal */
export type AnyClass = abstract new(...args: any) => unknown

/**
 * Returns the props as Effect's constructor would validate them (defaults merged, declared keys only, in
 * declaration order), or `undefined` when it cannot prove Effect would accept them unchanged.
 *
 * @internal
 */
export type Checker = (props: unknown) => Record<string, unknown> | undefined

/**
 * Like {@link Checker}, but sets the validated props on `Object.create(proto)` (unless `proto` is
 * `undefined`): the instance Effect's constructor would build for the class whose prototype is `proto`.
 *
 * @internal
 */
export type Construct = (props: unknown, proto: object | undefined) => object | undefined

const dateFromSelf = SchemaAST.typeAST(Schema.DateFromSelf.ast)
// `DateFromSelf` keeps its parse function through `annotations()` and `typeAST`, so identity recognises
// it whatever it is annotated with (`Schema.Date`'s type side is a `validDate` refinement of it).
const isDateFromSelf = (ast: SchemaAST.Declaration): boolean =>
  dateFromSelf._tag === "Declaration" && ast.decodeUnknown === dateFromSelf.decodeUnknown &&
  ast.typeParameters.length === 0

// Annotations that change what a successful parse returns (a fallback value) or how nodes below parse.
const changesParsing = (annotations: SchemaAST.Annotations | undefined): boolean =>
  annotations !== undefined &&
  (annotations[SchemaAST.ParseOptionsAnnotationId] !== undefined ||
    annotations[SchemaAST.DecodingFallbackAnnotationId] !== undefined)

const MAX_SUSPEND_DEPTH = 16

/** Values the generated code refers to, each as a variable `e<i>` of the generating closure. */
class Env {
  readonly values: Array<unknown> = []
  ref(value: unknown): string {
    this.values.push(value)
    return `e${this.values.length - 1}`
  }
}

/**
 * A JavaScript boolean expression over the variable `v`, true exactly when Effect's type-side parser of
 * `ast` accepts `v` and returns it unchanged; `undefined` for nodes whose parser may transform the input,
 * run effects or depend on parse options.
 */
const compileAst = (ast: SchemaAST.AST, v: string, env: Env, depth: number): string | undefined => {
  if (changesParsing(ast.annotations)) return undefined
  switch (ast._tag) {
    case "StringKeyword":
      return `typeof ${v} === "string"`
    case "NumberKeyword":
      return `typeof ${v} === "number"`
    case "BooleanKeyword":
      return `typeof ${v} === "boolean"`
    case "BigIntKeyword":
      return `typeof ${v} === "bigint"`
    case "SymbolKeyword":
      return `typeof ${v} === "symbol"`
    case "UndefinedKeyword":
      return `${v} === undefined`
    case "UnknownKeyword":
    case "AnyKeyword":
    case "VoidKeyword":
      return "true"
    case "ObjectKeyword":
      return `${env.ref(Predicate.isObject)}(${v})`
    case "Literal":
      return ast.literal === null ? `${v} === null` : `${v} === ${env.ref(ast.literal)}`
    case "UniqueSymbol":
      return `${v} === ${env.ref(ast.symbol)}`
    case "Enums":
      return ast.enums.length === 0
        ? "false"
        : `(${ast.enums.map(([, value]) => `${v} === ${env.ref(value)}`).join(" || ")})`
    case "Refinement": {
      const from = compileAst(ast.from, v, env, depth)
      if (from === undefined) return undefined
      // Effect calls the filter with `options ?? defaultParseOption` and the refinement node; `None` means valid.
      const filter = env.ref(ast.filter)
      return `(${from}) && ${filter}(${v}, ${env.ref(SchemaAST.defaultParseOption)}, ${env.ref(ast)})._tag === "None"`
    }
    case "Declaration": {
      // A surrogate would make the declaration a keyed member of a union's search tree.
      if (ast.annotations[SchemaAST.SurrogateAnnotationId] !== undefined) return undefined
      return isDateFromSelf(ast) ? `${v} instanceof ${env.ref(Date)}` : undefined
    }
    case "Union": {
      // Every supported member returns its input unchanged, so the union accepts a value iff some member
      // does, whatever the order Effect tries them in.
      const members: Array<string> = []
      for (const type of ast.types) {
        const member = compileAst(type, v, env, depth)
        if (member === undefined) return undefined
        members.push(`(${member})`)
      }
      return members.length === 0 ? "false" : `(${members.join(" || ")})`
    }
    case "Suspend":
      return depth >= MAX_SUSPEND_DEPTH ? undefined : compileAst(ast.f(), v, env, depth + 1)
  }
  return undefined
}

const defaultValueOf = (field: Schema.Struct.Field): (() => unknown) | undefined => {
  if (!Schema.isPropertySignature(field)) return undefined
  const ast = field.ast
  return ast._tag === "PropertySignatureDeclaration" ? ast.defaultValue : ast.to.defaultValue
}

/**
 * Compiles the constructor for a class built with `Schema.Class(identifier)(fields, annotations)`, or
 * returns `undefined` when some field (or the class annotations) is outside what it can prove.
 *
 * The code is generated JavaScript: one straight-line block per field with the key as a constant, so
 * every property access has its own inline cache (a loop over field names makes them megamorphic, and
 * costs about as much as it saves). Names are embedded with `JSON.stringify`; every other value is passed
 * in `env`.
 *
 * @internal
 */
export const compileConstruct = (
  fields: Schema.Struct.Fields,
  annotations?: SchemaAST.Annotations | undefined
): Construct | undefined => {
  if (changesParsing(annotations)) return undefined
  // The exact node Effect's constructor validates against: `validateSync(Struct(fields))`.
  const ast = SchemaAST.typeAST(Schema.Struct(fields).ast)
  if (ast._tag !== "TypeLiteral" || changesParsing(ast.annotations)) return undefined
  // Without property signatures Effect returns the props copy itself, excess keys included.
  if (ast.indexSignatures.length > 0 || ast.propertySignatures.length === 0) return undefined
  if (Reflect.ownKeys(fields).length !== ast.propertySignatures.length) return undefined
  const env = new Env()
  const hasOwn = env.ref(Object.hasOwn)
  const objectPrototype = env.ref(Object.prototype)
  const objectCreate = env.ref(Object.create)
  // Effect's `lazilyMergeDefaults`, in the fields' key order, into locals rather than onto the copy: adding
  // keys to the copy makes V8 change its shape once per default, which costs more than all the checks.
  const defaults: Array<string> = []
  const defaulted = new Map<string, string>()
  for (const name of Reflect.ownKeys(fields)) {
    if (typeof name !== "string") return undefined
    const defaultValue = defaultValueOf(fields[name]!)
    if (defaultValue !== undefined) {
      const key = JSON.stringify(name)
      const local = `d${defaulted.size}`
      defaulted.set(name, local)
      defaults.push(`var ${local} = input[${key}]`, `if (${local} === undefined) ${local} = ${env.ref(defaultValue)}()`)
    }
  }
  // Effect's TypeLiteral parser with the default options, in the property signatures' order.
  const checks: Array<string> = []
  const stores: Array<string> = []
  for (let i = 0; i < ast.propertySignatures.length; i++) {
    const ps = ast.propertySignatures[i]!
    const name = ps.name
    // `__proto__` (like any name Object.prototype has) would read or set the prototype.
    if (typeof name !== "string" || name in Object.prototype || !Object.hasOwn(fields, name)) return undefined
    const key = JSON.stringify(name)
    const v = `v${i}`
    const check = compileAst(ps.type, v, env, 0)
    if (check === undefined) return undefined
    const local = defaulted.get(name)
    if (local !== undefined) {
      // A key with a default is always present after the merge.
      checks.push(`var ${v} = ${local}`)
      checks.push(`if (!(${check})) return undefined`)
      stores.push(`out[${key}] = ${v}`)
    } else if (ps.isOptional) {
      // An absent optional key is skipped; a present one is validated and kept.
      const has = `h${i}`
      // The copy inherits only from Object.prototype: unless that has the key, `in` is `hasOwnProperty`.
      const own = `${key} in ${objectPrototype} ? ${hasOwn}(input, ${key}) : ${v} !== undefined || ${key} in input`
      checks.push(`var ${v} = input[${key}], ${has} = ${own}`)
      checks.push(`if (${has} && !(${check})) return undefined`)
      stores.push(`if (${has}) out[${key}] = ${v}`)
    } else {
      // A missing required key is validated as `undefined` (it passes only if the type accepts it).
      checks.push(`var ${v} = input[${key}]`)
      checks.push(`if (!(${check})) return undefined`)
      stores.push(`out[${key}] = ${v}`)
    }
  }
  const body = [
    "\"use strict\"",
    ...env.values.map((_, i) => `var e${i} = env[${i}]`),
    "return function construct(props, proto) {",
    // Effect's first step, which also turns `undefined`/`null` into `{}` and keeps own enumerable keys only.
    "var input = { ...props }",
    ...defaults,
    ...checks,
    // `Object.create(proto)` then sets in order: what Data.Class's `Object.assign(this, validated)` does.
    `var out = proto === undefined ? {} : ${objectCreate}(proto)`,
    ...stores,
    "return out",
    "}"
  ].join("\n")
  return new Function("env", body)(env.values) as Construct
}

/**
 * Compiles the checker for a class built with `Schema.Class(identifier)(fields, annotations)`, or returns
 * `undefined` when some field (or the class annotations) is outside what the checker can prove.
 *
 * @example
 * const check = compile(Account.fields)
 * check?.({ email: "a@b.c" }) // { id: "", email: "a@b.c", fullName: "", ... } in declaration order
 *
 * @internal
 */
export const compile = (
  fields: Schema.Struct.Fields,
  annotations?: SchemaAST.Annotations | undefined
): Checker | undefined => {
  const construct = compileConstruct(fields, annotations)
  return construct === undefined
    ? undefined
    : (props) => construct(props, undefined) as Record<string, unknown> | undefined
}

// Effect's `getDisableValidationMakeOption`.
const disablesValidation = (options: unknown): boolean =>
  typeof options === "boolean"
    ? options
    : (options as { readonly disableValidation?: boolean } | undefined)?.disableValidation ?? false

interface State {
  construct: Construct | null | undefined
  readonly compile: () => Construct | null
  /** The `Schema.Class` result that was subclassed. */
  readonly effectClass: AnyClass
}

const states = new WeakMap<AnyClass, State>()

/**
 * Subclasses a `Schema.Class` result so that valid props skip Effect's validation. `annotations` are those
 * given to `Schema.Class`. The returned class has the same statics, name and type; instances have the same
 * prototype chain and own keys (in the same order) as Effect's.
 *
 * @example
 * const Account = withFastConstructor(Schema.Class<Account>("Account")(fields, annotations), annotations)
 *
 * @internal
 */
export const withFastConstructor = <C>(klass: C, annotations?: SchemaAST.Annotations | undefined): C => {
  const Base = klass as unknown as (new(props?: unknown, options?: unknown) => object) & {
    readonly fields: Schema.Struct.Fields
  }
  const state: State = {
    effectClass: Base,
    construct: undefined,
    compile: () => {
      if (state.construct === undefined) {
        let construct: Construct | null
        try {
          construct = compileConstruct(Base.fields, annotations) ?? null
        } catch {
          construct = null
        }
        state.construct = construct
      }
      return state.construct
    }
  }
  const Fast = class extends Base {
    constructor(props: unknown = {}, options: unknown = false) {
      if (!disablesValidation(options)) {
        const construct = state.construct === undefined ? state.compile() : state.construct
        if (construct !== null) {
          let instance: object | undefined
          try {
            instance = construct(props, new.target.prototype)
          } catch {
            // A throwing filter, getter or setter: let Effect's constructor produce its own outcome.
            instance = undefined
          }
          // A derived constructor may return an object instead of calling super: this one is what
          // Data.Class builds (`Object.assign(this, validated)` on an object of `new.target`'s prototype).
          if (instance !== undefined) return instance
        }
      }
      super(props, options)
    }
  }
  Object.defineProperty(Fast, "name", { value: (klass as unknown as AnyClass).name, configurable: true })
  states.set(Fast, state)
  return Fast as unknown as C
}

// The state of the class `withFastConstructor` made for `klass`, when `klass` is that class or a plain
// subclass of it. A class made by `.extend` (any function with its own `fields`) is Effect's own class.
const stateOf = (klass: AnyClass): State | undefined => {
  for (let c: unknown = klass; typeof c === "function"; c = Object.getPrototypeOf(c)) {
    const state = states.get(c as AnyClass)
    if (state !== undefined) return state
    if (Object.hasOwn(c, "fields")) return undefined
  }
  return undefined
}

/**
 * Whether `new klass(props)` builds its instance with a compiled checker when the props are valid; compiles
 * the checker if no instance was built yet.
 *
 * @example
 * isFast(Domain.Crossdomain.Account) // true
 *
 * @internal
 */
export const isFast = (klass: AnyClass): boolean => {
  const state = stateOf(klass)
  return state !== undefined && state.compile() !== null
}

/**
 * The `Schema.Class` that {@link withFastConstructor} subclassed for `klass`: its constructor always
 * validates with Effect. `Reflect.construct(effectClass(X)!, [props], X)` is what `new X(props)` would be
 * without the fast path.
 *
 * @internal
 */
export const effectClass = (klass: AnyClass): AnyClass | undefined => stateOf(klass)?.effectClass
