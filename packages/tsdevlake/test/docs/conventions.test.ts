/**
 * The naming conventions of the public modules (the brief's "Conventions"), checked on what the two entries
 * actually export: every `Schema.TaggedError` has the identifier `tsdevlake/<Module>/<Name>` and every Context
 * tag the key `tsdevlake/<Module>/<Name>`, where `<Module>` is the namespace of `tsdevlake` or
 * `tsdevlake/runtime` that exports it under `<Name>`. An error may be exported by several modules (Migration
 * re-exports ModelInfo's `ModelInfoError`): one of its exports must match. An identifier that names a module
 * which does not export it makes the error hard to find from a log line or an encoded failure.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Option, Schema, SchemaAST } from "effect"
import * as Public from "../../src/index.js"
import * as Runtime from "../../src/runtime.js"

type Modules = Readonly<Record<string, object>>

/** A class made by `Schema.TaggedError` (or `Schema.TaggedError`-like): a schema whose instances are errors. */
const isErrorClass = (value: unknown): value is Schema.Schema.Any & { readonly ast: SchemaAST.AST } =>
  typeof value === "function" && Schema.isSchema(value) && value.prototype instanceof Error

/** A class's identifier is annotated on its type side (the class's `ast` is the transformation to it). */
const identifierOf = (schema: { readonly ast: SchemaAST.AST }): string | undefined =>
  Option.getOrUndefined(SchemaAST.getIdentifierAnnotation(SchemaAST.typeAST(schema.ast)))

const expected = (module: string, name: string) => `tsdevlake/${module}/${name}`

/**
 * Every error class and Context tag of `modules` whose identifier (key) is not `tsdevlake/<Module>/<Name>` for
 * any of the places it is exported from, as "what (identifier), exported as Module.Name, …".
 */
const conventionViolations = (modules: Modules): Array<string> => {
  const exports = new Map<unknown, Array<{ readonly module: string; readonly name: string }>>()
  for (const [module, namespace] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(namespace)) {
      if (!isErrorClass(value) && !Context.isTag(value)) continue
      exports.set(value, [...(exports.get(value) ?? []), { module, name }])
    }
  }
  const violations: Array<string> = []
  for (const [value, places] of exports) {
    const what = isErrorClass(value) ? "error identifier" : "Context tag key"
    const actual = isErrorClass(value) ? identifierOf(value) : (value as Context.Tag<unknown, unknown>).key
    if (places.some(({ module, name }) => actual === expected(module, name))) continue
    const where = places.map(({ module, name }) => `${module}.${name}`).join(", ")
    violations.push(
      `${what} ${JSON.stringify(actual)} of ${where}: expected ${expected(places[0]!.module, places[0]!.name)}`
    )
  }
  return violations
}

// A fake module set with one export of each kind, right and wrong, to show the check catches what it should.
class Good extends Schema.TaggedError<Good>("tsdevlake/Fake/Good")("Good", {}) {}
class Misplaced extends Schema.TaggedError<Misplaced>("tsdevlake/Elsewhere/Misplaced")("Misplaced", {}) {}
class Unnamed extends Schema.TaggedError<Unnamed>()("Unnamed", {}) {}
class Shared extends Schema.TaggedError<Shared>("tsdevlake/Owner/Shared")("Shared", {}) {}
class GoodTag extends Context.Tag("tsdevlake/Fake/GoodTag")<GoodTag, number>() {}
class ShortTag extends Context.Tag("tsdevlake/Fake")<ShortTag, number>() {}
class NotAnError extends Schema.Class<NotAnError>("tsdevlake/Wherever/NotAnError")({}) {}

const fake: Modules = {
  Fake: { Good, Misplaced, Unnamed, Shared, GoodTag, ShortTag, NotAnError, helper: () => 1, constant: 2 },
  Owner: { Shared }
}

describe("conventions", () => {
  it("the check reports a misplaced or missing error identifier and a short tag key, and nothing else", () => {
    assert.deepStrictEqual(conventionViolations(fake), [
      `error identifier "tsdevlake/Elsewhere/Misplaced" of Fake.Misplaced: expected tsdevlake/Fake/Misplaced`,
      `error identifier "Unnamed" of Fake.Unnamed: expected tsdevlake/Fake/Unnamed`,
      `Context tag key "tsdevlake/Fake" of Fake.ShortTag: expected tsdevlake/Fake/ShortTag`
    ])
  })

  it("an error exported by two modules passes when one of them is the module its identifier names", () => {
    assert.deepStrictEqual(conventionViolations({ Fake: { Shared }, Owner: { Shared } }), [])
    assert.deepStrictEqual(conventionViolations({ Fake: { Shared } }), [
      `error identifier "tsdevlake/Owner/Shared" of Fake.Shared: expected tsdevlake/Fake/Shared`
    ])
  })

  it("every error and Context tag of tsdevlake and tsdevlake/runtime is named tsdevlake/<Module>/<Name>", () => {
    const modules: Modules = { ...Public, ...Runtime }
    // The check must see the modules' errors and tags, or it would pass by looking at nothing.
    assert.isAbove(Object.values(modules).flatMap((m) => Object.values(m).filter(isErrorClass)).length, 10)
    assert.isTrue(Object.values(modules).some((m) => Object.values(m).some((v) => Context.isTag(v))))
    assert.deepStrictEqual(conventionViolations(modules), [])
  })
})
