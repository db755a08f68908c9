import { assert, describe, it } from "@effect/vitest"
import { Effect, Equal, Hash, Schema, SchemaAST } from "effect"
import { inspect } from "node:util"
import * as Domain from "../../src/Domain/index.js"
import * as Model from "../../src/Model.js"
import {
  type AnyClass,
  compile,
  effectClass,
  isFast,
  withFastConstructor
} from "../../src/internal/model/fastConstruct.js"

enum Color {
  Red = "red",
  Blue = 2
}

const kitchenFields = {
  name: Schema.String.pipe(Model.maxLength(10)),
  count: Schema.Int,
  ratio: Schema.Number,
  flag: Schema.Boolean,
  big: Schema.BigIntFromSelf,
  status: Schema.Literal("OPEN", "CLOSED"),
  color: Schema.Enums(Color),
  even: Schema.Number.pipe(Schema.filter((n) => n % 2 === 0, { message: () => "must be even" })),
  note: Schema.optional(Schema.NullOr(Schema.String)),
  exact: Schema.optionalWith(Schema.String, { exact: true }),
  withDefault: Schema.optionalWith(Schema.String.pipe(Model.maxLength(5)), { default: () => "dflt" }),
  intDefault: Schema.optionalWith(Schema.Int, { default: () => 7 }),
  at: Schema.optional(Schema.NullOr(Model.DateTime)),
  seen: Schema.DateFromSelf,
  maybe: Schema.UndefinedOr(Schema.String),
  anything: Schema.Unknown,
  renamed: Schema.optional(Schema.Int).pipe(Schema.fromKey("renamed_key")),
  lazy: Schema.suspend((): Schema.Schema<string> => Schema.String.pipe(Schema.minLength(1)))
}

const kitchenAnnotations = { [Model.ModelKindId]: "tool" }

class Kitchen extends withFastConstructor(
  Schema.Class<Kitchen>("Kitchen")(kitchenFields, kitchenAnnotations),
  kitchenAnnotations
) {}

// The same class as Effect builds it, without the fast constructor.
class PlainKitchen extends Schema.Class<PlainKitchen>("Kitchen")(kitchenFields, kitchenAnnotations) {}

const date = new Date("2024-05-06T07:08:09.123Z")

const base: Record<PropertyKey, unknown> = {
  name: "pan",
  count: 3,
  ratio: 0.5,
  flag: false,
  big: 12n,
  status: "OPEN",
  color: Color.Blue,
  even: 4,
  note: "hot",
  exact: "yes",
  withDefault: "set",
  intDefault: 1,
  at: date,
  seen: date,
  maybe: "m",
  anything: { nested: [1] },
  renamed: 5,
  lazy: "l"
}

const without = (props: Record<PropertyKey, unknown>, ...keys: Array<string>) => {
  const out = { ...props }
  for (const key of keys) delete out[key]
  return out
}

const withInherited = (inherited: Record<string, unknown>, own: Record<PropertyKey, unknown>) =>
  Object.assign(Object.create(inherited), own)

const withHidden = (props: Record<PropertyKey, unknown>, key: string, value: unknown) =>
  Object.defineProperty({ ...props }, key, { value, enumerable: false })

const validCases: ReadonlyArray<readonly [string, unknown]> = [
  ["every field set", base],
  ["optional keys absent", without(base, "note", "exact", "at", "renamed")],
  ["defaults applied to absent keys", without(base, "withDefault", "intDefault")],
  ["defaults applied to undefined values", { ...base, withDefault: undefined, intDefault: undefined }],
  ["null for nullable optional fields", { ...base, note: null, at: null }],
  ["undefined for optional fields", { ...base, note: undefined, at: undefined, renamed: undefined }],
  ["excess keys dropped", { ...base, extra: 1, [Symbol.for("extra")]: 2, renamed_key: 9 }],
  ["required key accepting undefined, absent", without(base, "maybe")],
  ["required key accepting undefined, undefined", { ...base, maybe: undefined }],
  ["unknown field absent", without(base, "anything")],
  ["invalid Date for DateFromSelf", { ...base, seen: new Date(Number.NaN) }],
  ["NaN and Infinity for Number", { ...base, ratio: Number.NaN, even: 0 }],
  ["negative zero for Int", { ...base, count: -0 }],
  ["other enum member", { ...base, color: Color.Red, status: "CLOSED" }],
  ["inherited value for a defaulted key ignored", withInherited({ withDefault: "inh" }, without(base, "withDefault"))],
  ["non-enumerable exact key ignored", withHidden(without(base, "exact"), "exact", 1)],
  ["an instance as props", new PlainKitchen(base as any)]
]

const invalidCases: ReadonlyArray<readonly [string, unknown]> = [
  ["wrong type", { ...base, name: 1 }],
  ["missing required key", without(base, "name")],
  ["undefined for a required key", { ...base, name: undefined }],
  ["maxLength exceeded", { ...base, name: "x".repeat(11) }],
  ["maxLength exceeded on a defaulted key", { ...base, withDefault: "toolong" }],
  ["non-integer for Int", { ...base, count: 1.5 }],
  ["NaN for Int", { ...base, count: Number.NaN }],
  ["string for Int", { ...base, count: "1" }],
  ["invalid Date", { ...base, at: new Date(Number.NaN) }],
  ["string for Date", { ...base, at: "2024-01-01T00:00:00Z" }],
  ["string for DateFromSelf", { ...base, seen: "2024" }],
  ["null where not allowed", { ...base, flag: null }],
  ["bad literal", { ...base, status: "MERGED" }],
  ["bad enum member", { ...base, color: "blue" }],
  ["number for bigint", { ...base, big: 12 }],
  ["user filter fails", { ...base, even: 3 }],
  ["undefined for an exact optional key", { ...base, exact: undefined }],
  ["suspended refinement fails", { ...base, lazy: "" }],
  ["inherited required key", withInherited({ name: "inh" }, without(base, "name"))],
  ["non-enumerable required key", withHidden(without(base, "name"), "name", "pan")],
  ["no props", undefined],
  ["null props", null]
]

const viaEffect = (klass: AnyClass, props: unknown): any => Reflect.construct(effectClass(klass)!, [props], klass)

const outcome = (f: () => unknown): { readonly ok: unknown } | { readonly error: unknown } => {
  try {
    return { ok: f() }
  } catch (error) {
    return { error }
  }
}

const json = (u: unknown) => outcome(() => JSON.stringify(u, (_, v) => (typeof v === "bigint" ? `${v}n` : v)))

/**
 * Asserts that an instance is indistinguishable from the one `makeSlow` builds with Effect's constructor:
 * same prototype, keys, values, equality, hash, printing and encoding.
 */
const assertSameInstance = (klass: Schema.Schema<any, any, never>, fast: any, makeSlow: () => any) => {
  const slow = makeSlow()
  assert.strictEqual(Object.getPrototypeOf(fast), Object.getPrototypeOf(slow))
  assert.deepStrictEqual(Reflect.ownKeys(fast), Reflect.ownKeys(slow))
  for (const key of Reflect.ownKeys(slow)) {
    assert.isTrue(Object.is(fast[key], slow[key]), `value of ${String(key)}`)
  }
  assert.deepStrictEqual(Object.getOwnPropertyDescriptors(fast), Object.getOwnPropertyDescriptors(slow))
  // Effect's own instances are not equal when a field is NaN: compare with what it says of two of its own.
  assert.strictEqual(Equal.equals(fast, slow), Equal.equals(makeSlow(), slow))
  assert.strictEqual(Equal.equals(slow, fast), Equal.equals(slow, makeSlow()))
  assert.strictEqual(Hash.hash(fast), Hash.hash(slow))
  assert.deepStrictEqual(json(fast), json(slow))
  assert.strictEqual(String(fast), String(slow))
  assert.strictEqual(inspect(fast, { depth: 5 }), inspect(slow, { depth: 5 }))
  assert.isTrue(Schema.is(klass)(fast))
  assert.deepStrictEqual(outcome(() => Schema.encodeSync(klass)(fast)), outcome(() => Schema.encodeSync(klass)(slow)))
}

const errorMessage = (f: () => unknown): string => {
  const result = outcome(f)
  if (!("error" in result)) throw new Error("expected a thrown error")
  return String((result.error as Error).message)
}

describe("fastConstruct", () => {
  describe("compile", () => {
    const check = compile(Kitchen.fields, kitchenAnnotations)!

    it("accepts every valid case, with Effect's validated props", () => {
      const validate = Schema.validateSync(Schema.Struct(kitchenFields))
      for (const [name, props] of validCases) {
        const checked = check(props)
        assert.isDefined(checked, name)
        // What Effect's constructor validates: the props copy with defaults merged.
        const merged: Record<PropertyKey, unknown> = { ...(props as object) }
        if (merged.withDefault === undefined) merged.withDefault = "dflt"
        if (merged.intDefault === undefined) merged.intDefault = 7
        const expected = validate(merged as any)
        assert.deepStrictEqual(Reflect.ownKeys(checked!), Reflect.ownKeys(expected), name)
        assert.deepStrictEqual(checked, expected, name)
      }
    })

    it("rejects every invalid case", () => {
      for (const [name, props] of invalidCases) assert.isUndefined(check(props), name)
    })

    it("gives up on schemas it cannot prove", () => {
      const unsupported: ReadonlyArray<Schema.Struct.Fields> = [
        { tags: Schema.Array(Schema.String) },
        { nested: Schema.Struct({ a: Schema.String }) },
        { secret: Model.Secret },
        { option: Schema.OptionFromSelf(Schema.String) },
        { asOption: Schema.optionalWith(Schema.String, { as: "Option" }) },
        { template: Schema.TemplateLiteral("a", Schema.String) },
        { fallback: Schema.String.annotations({ decodingFallback: () => Effect.succeed("x") }) },
        { options: Schema.Int.annotations({ parseOptions: { errors: "all" } }) },
        { record: Schema.Record({ key: Schema.String, value: Schema.String }) },
        { toString: Schema.String },
        { [Symbol.for("symbolKey")]: Schema.String },
        {}
      ]
      for (const fields of unsupported) {
        assert.isUndefined(compile(fields), String(Reflect.ownKeys(fields).map(String)))
      }
      assert.isUndefined(compile({ a: Schema.String }, { [SchemaAST.ParseOptionsAnnotationId]: { exact: true } }))
      assert.isDefined(compile({ a: Schema.String }, { title: "A" }))
    })
  })

  describe("withFastConstructor", () => {
    it("builds, for valid props, the instance Effect's constructor builds", () => {
      assert.isTrue(isFast(Kitchen))
      for (const [name, props] of validCases) {
        const fast = new Kitchen(props as any)
        assert.instanceOf(fast, Kitchen, name)
        assertSameInstance(Kitchen, fast, () => viaEffect(Kitchen, props))
        // The plain Schema.Class built from the same fields holds the same data in the same order.
        const plain = new PlainKitchen(props as any)
        assert.deepStrictEqual(Object.entries(fast), Object.entries(plain), name)
        assert.strictEqual(String(fast), String(plain), name)
      }
    })

    it("throws Effect's own error for invalid props", () => {
      for (const [name, props] of invalidCases) {
        const message = errorMessage(() => viaEffect(Kitchen, props))
        assert.strictEqual(errorMessage(() => new Kitchen(props as any)), message, name)
        assert.strictEqual(errorMessage(() => new PlainKitchen(props as any)), message, name)
      }
    })

    it("skips validation when told to, as Effect does", () => {
      const bad = { ...base, name: 1, count: "x" }
      for (const options of [true, { disableValidation: true }] as const) {
        const fast = new Kitchen(bad as any, options)
        assert.strictEqual((fast as any).name, 1)
        assertSameInstance(Kitchen, fast, () => Reflect.construct(effectClass(Kitchen)!, [bad, options], Kitchen))
      }
      assert.throws(() => new Kitchen(bad as any, { disableValidation: false }))
      assert.throws(() => new Kitchen(bad as any, false))
    })

    it("keeps the statics, name and schema behaviour of the class", () => {
      const Anonymous = withFastConstructor(Schema.Class<any>("Anon")({ a: Schema.String }), undefined)
      const original = Schema.Class<any>("Anon")({ a: Schema.String })
      assert.strictEqual(Anonymous.name, original.name)
      assert.strictEqual(Anonymous.length, original.length)
      assert.strictEqual(Kitchen.identifier, "Kitchen")
      assert.deepStrictEqual(Object.keys(Kitchen.fields), Object.keys(kitchenFields))
      assert.strictEqual(String(Kitchen), String(PlainKitchen))
      assert.strictEqual(Model.kindOf(Kitchen), "tool")
      const made = Kitchen.make(base as any)
      assertSameInstance(Kitchen, made, () => viaEffect(Kitchen, base))
      const encoded = Schema.encodeSync(Kitchen)(made)
      const decoded = Schema.decodeUnknownSync(Kitchen)(encoded)
      assert.instanceOf(decoded, Kitchen)
      assert.isTrue(Equal.equals(decoded, made))
    })

    it("runs a subclass's field initializers and extends like a Schema.Class", () => {
      class WithExtra extends Kitchen {
        readonly extra = "initialised"
      }
      const fast = new WithExtra(base as any)
      assert.instanceOf(fast, WithExtra)
      // `viaEffect` skips WithExtra's own constructor, hence its initializer.
      const expected = [...Object.entries(viaEffect(WithExtra, base)), ["extra", "initialised"]]
      assert.deepStrictEqual(Object.entries(fast), expected)
      class Extended extends Kitchen.extend<Extended>("Extended")({ more: Schema.Int }) {}
      const extended = new Extended({ ...base, more: 1 } as any)
      assert.instanceOf(extended, Kitchen)
      assert.strictEqual(extended.more, 1)
      assert.strictEqual(extended.name, "pan")
      assert.throws(() => new Extended({ ...base, more: 1.5 } as any))
      // A plain subclass keeps the fast constructor; a class made by `extend` validates with Effect.
      assert.isTrue(isFast(WithExtra))
      assert.isFalse(isFast(Extended))
      assert.isUndefined(effectClass(Extended))
    })

    it("falls back to Effect's constructor for classes it cannot compile", () => {
      class Conn extends Model.Connection<Conn>("Conn")({ token: Model.Secret, tags: Schema.Array(Schema.String) }) {}
      assert.isFalse(isFast(Conn))
      const conn = new Conn({ token: Schema.decodeSync(Model.Secret)("t"), tags: ["a"] })
      assert.deepStrictEqual(conn.tags, ["a"])
      assert.throws(() => new Conn({ token: "t", tags: ["a"] } as any))
    })
  })

  describe("domain models", () => {
    const valueFor = (field: Model.Field, i: number): unknown => {
      if (field.enum !== undefined) return field.enum[i % field.enum.length]
      switch (field.type) {
        case "string":
          return "k".repeat(Math.min(field.maxLength ?? 8, 1 + (i % 5)))
        case "integer":
          return i
        case "number":
          return i + 0.5
        case "boolean":
          return i % 2 === 0
        case "datetime":
          return new Date(Date.UTC(2024, 0, 1 + i))
        default:
          throw new Error(`no sample value for ${field.name} (${field.type})`)
      }
    }

    const requiredNames = (model: Model.Any): ReadonlySet<string> => {
      const ast = SchemaAST.typeAST(Schema.Struct(model.fields).ast) as SchemaAST.TypeLiteral
      return new Set(
        ast.propertySignatures
          .filter((ps) => {
            const field = model.fields[ps.name as string]
            const hasDefault = Schema.isPropertySignature(field) &&
              (field.ast._tag === "PropertySignatureDeclaration"
                  ? field.ast.defaultValue
                  : field.ast.to.defaultValue) !== undefined
            return !ps.isOptional && !hasDefault
          })
          .map((ps) => ps.name as string)
      )
    }

    it("every domain class takes the fast path and builds Effect's instances", () => {
      assert.isAbove(Domain.all.length, 50)
      for (const model of Domain.all) {
        const klass = model as unknown as new(props: unknown) => object
        assert.isTrue(isFast(klass), model.identifier)
        const fields = Model.fieldsOf(model)
        const required = requiredNames(model)
        const minimal = Object.fromEntries(
          fields.filter((f) => required.has(f.name)).map((f, i) => [f.name, valueFor(f, i)])
        )
        const full = Object.fromEntries(fields.map((f, i) => [f.name, valueFor(f, i)]))
        for (const props of [minimal, full]) {
          assert.isDefined(compile(model.fields)!(props), model.identifier)
          assertSameInstance(model, new klass(props), () => viaEffect(klass, props))
        }
        for (const name of required) {
          const props = without(minimal, name)
          const message = errorMessage(() => viaEffect(klass, props))
          assert.strictEqual(errorMessage(() => new klass(props)), message, `${model.identifier} without ${name}`)
        }
      }
    })

    it("Crossdomain.Account is built by the fast path", () => {
      assert.isTrue(isFast(Domain.Crossdomain.Account))
      const props = { email: "octocat@example.com", userName: "octocat", createdDate: date, status: 1 }
      assert.isDefined(compile(Domain.Crossdomain.Account.fields)!(props))
      const account = new Domain.Crossdomain.Account(props)
      assertSameInstance(Domain.Crossdomain.Account, account, () => viaEffect(Domain.Crossdomain.Account, props))
      assert.strictEqual(account.fullName, "")
      assert.strictEqual(account.id, "")
    })
  })
})
