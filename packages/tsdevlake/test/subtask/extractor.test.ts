import { assert, describe, it } from "@effect/vitest"
import { Either, Option, type ParseResult, Redacted, Schema } from "effect"
import * as Model from "../../src/Model.js"
import { describeParseError } from "../../src/internal/process/arguments.js"
import * as extractor from "../../src/internal/subtask/extractor.js"

// The extractor as it was before it was compiled: lookups, then Schema's decode of the whole struct. The
// compiled one must return the same thing for every input.
const baseToolKeys = new Set(Object.keys(Model.toolModelFields))
const pointer = (source: string) => {
  const tokens = source.slice(1).split("/").map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
  return (document: unknown) => {
    let current: any = document
    for (const token of tokens) {
      if (current === null || typeof current !== "object") return undefined
      current = current[token]
    }
    return current
  }
}
const referenceExtractor = (model: Model.Any) => {
  const fields = Model.fieldsOf(model).filter((f) => !baseToolKeys.has(f.name))
  const struct = Schema.Struct(Object.fromEntries(fields.map((f) => [f.name, model.fields[f.name]!])))
  const decode = Schema.decodeUnknownEither(struct as unknown as Schema.Schema<unknown, unknown, never>, {
    errors: "first"
  })
  const lookups = fields.map((field) => {
    if (field.source !== undefined) return [field.key, pointer(field.source)] as const
    const snake = field.key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()
    const candidates = [...new Set([field.key, field.name, snake])]
    return [field.key, (data: any) => {
      for (const candidate of candidates) {
        if (data[candidate] !== undefined) return data[candidate]
      }
      return undefined
    }] as const
  })
  return (data: unknown): Either.Either<unknown, ParseResult.ParseError> => {
    const encoded: Record<string, unknown> = {}
    if (data !== null && typeof data === "object") {
      for (const [key, lookup] of lookups) {
        const v = lookup(data)
        if (v !== undefined) encoded[key] = v
      }
    }
    return decode(encoded)
  }
}

// A comparable form: objects as entry lists (so key order counts), dates by time, invalid dates marked.
const normalize = (value: unknown): unknown => {
  if (value instanceof Date) return ["Date", Number.isNaN(value.getTime()) ? "invalid" : value.getTime()]
  if (Redacted.isRedacted(value)) return ["Redacted", normalize(Redacted.value(value))]
  if (Option.isOption(value)) return ["Option", Option.isSome(value) ? normalize(value.value) : "none"]
  if (Array.isArray(value)) return ["Array", value.map(normalize)]
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, normalize(v)])
    return ["Object", Object.getPrototypeOf(value) === Object.prototype, entries]
  }
  return [typeof value, value]
}

const show = (value: unknown) => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Asserts that the compiled extractor and the reference agree on every input; returns how many failed. */
const agree = (model: Model.Any, inputs: ReadonlyArray<unknown>): { readonly ok: number; readonly failed: number } => {
  const fast = extractor.defaultExtractor(model)
  const fastPath = extractor.fastPath(model)
  const reference = referenceExtractor(model)
  let ok = 0
  let failed = 0
  for (const input of inputs) {
    const got = fast(input)
    const want = reference(input)
    const where = `${model.identifier} on ${show(input)}`
    // The fallback alone would also give Schema's results: the extractor's own path must succeed exactly
    // where Schema does (except for non-objects, always left to Schema), with the same fields.
    const own = fastPath?.(input)
    if (Either.isRight(want)) {
      const error = Either.isLeft(got) ? got.left.message : ""
      assert.isTrue(Either.isRight(got), `${where}: expected success, got ${error}`)
      assert.deepStrictEqual(normalize(Either.getOrThrow(got)), normalize(want.right), where)
      if (fastPath !== undefined && input !== null && typeof input === "object") {
        assert.isDefined(own, `${where}: decoded by the fallback`)
        assert.deepStrictEqual(normalize(own), normalize(want.right), where)
      }
      ok++
    } else {
      assert.isUndefined(own, `${where}: the extractor's own path accepts what Schema rejects`)
      assert.isTrue(Either.isLeft(got), `${where}: expected failure ${want.left.message}`)
      const error = Either.getLeft(got).pipe(Option.getOrThrow)
      assert.strictEqual(describeParseError(error), describeParseError(want.left), where)
      assert.strictEqual(error.message, want.left.message, where)
      failed++
    }
  }
  return { ok, failed }
}

const ABSENT = Symbol("absent")
type Edit = (record: any) => void

/** Sets (or deletes, with ABSENT) the value at a path, creating intermediate objects. */
const at = (path: ReadonlyArray<string>, value: unknown): Edit => (record) => {
  let current = record
  for (const key of path.slice(0, -1)) {
    if (current[key] === null || typeof current[key] !== "object") current[key] = {}
    current = current[key]
  }
  const last = path[path.length - 1]!
  if (value === ABSENT) delete current[last]
  else current[last] = value
}

/** The base record, then one input per edit, then inputs that are not objects. */
const inputsOf = (base: object, edits: ReadonlyArray<Edit | ReadonlyArray<Edit>>): Array<unknown> => [
  base,
  ...edits.map((edit) => {
    const record = structuredClone(base)
    for (const e of Array.isArray(edit) ? edit : [edit]) e(record)
    return record
  }),
  null,
  undefined,
  42,
  "text",
  [],
  {}
]

/** One edit per value at a path. */
const each = (path: ReadonlyArray<string>, values: ReadonlyArray<unknown>): Array<Edit> =>
  values.map((value) => at(path, value))

const notInts = [1.5, Number.NaN, Number.POSITIVE_INFINITY, "1", null, true, 2 ** 53, ABSENT]
const notStrings = [1, null, true, {}, [], ABSENT]
const dates = ["2023-01-10T11:00:00.000Z", "2023-01-10", "0001-01-01T00:00:00Z", "not a date", "", 1673348400000, null]

// The shape of bench/benchplugin's BenchUser, restated: the framework's tests do not import a plugin.
class Bench extends Model.ToolModel<Bench>("ExtractorBench")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  login: Schema.String,
  name: Schema.String,
  email: Schema.String,
  avatarUrl: Schema.String,
  joinedAt: Model.DateTime,
  active: Schema.Boolean,
  title: Schema.String.pipe(Model.source("/profile/title")),
  department: Schema.String.pipe(Model.source("/profile/department")),
  city: Schema.String.pipe(Model.source("/profile/location/city")),
  country: Schema.String.pipe(Model.source("/profile/location/country"))
}) {}

const benchRecord = {
  id: 7,
  login: "user7",
  name: "User Number 7",
  email: "user7@example.com",
  avatarUrl: "https://avatars.example.com/u/7.png",
  joinedAt: "2024-01-01T00:07:00.000Z",
  active: true,
  profile: {
    title: "Engineer",
    department: "Platform",
    location: { city: "Lyon", country: "FR" },
    tags: ["synthetic"]
  },
  extra: "ignored"
}

describe("extractor.defaultExtractor", () => {
  it("decodes a BenchUser-shaped model without Schema, as Schema does", () => {
    assert.strictEqual(extractor.fastFieldCount(Bench), 11)
    const result = extractor.defaultExtractor(Bench)(benchRecord)
    const fields = Either.getOrThrow(result) as Record<string, unknown>
    assert.deepStrictEqual(Object.keys(fields), [
      "id",
      "login",
      "name",
      "email",
      "avatarUrl",
      "joinedAt",
      "active",
      "title",
      "department",
      "city",
      "country"
    ])
    assert.instanceOf(fields["joinedAt"], Date)
    const counts = agree(
      Bench,
      inputsOf(benchRecord, [
        ...each(["id"], [0, -3, 2 ** 53 - 1, ...notInts]),
        ...each(["login"], ["", ...notStrings]),
        ...each(["joinedAt"], dates),
        ...each(["active"], [false, 0, "true", null, ABSENT]),
        // camelCase key, snake_case fallback, and the key winning over the snake_case spelling
        [at(["avatarUrl"], ABSENT), at(["avatar_url"], "snake")],
        at(["avatar_url"], "snake"),
        [at(["avatarUrl"], ABSENT), at(["avatar_url"], 3)],
        [at(["joinedAt"], ABSENT), at(["joined_at"], "2020-02-02T00:00:00Z")],
        // pointers: a missing intermediate object, a null one, a string in the way, an array
        at(["profile"], ABSENT),
        at(["profile"], null),
        at(["profile", "location"], "Lyon"),
        at(["profile", "location"], ["Lyon", "FR"]),
        ...each(["profile", "location", "city"], ["", ...notStrings]),
        // a top-level key with the pointer's name is not what the pointer reads
        [at(["profile", "title"], ABSENT), at(["title"], "top level")]
      ])
    )
    assert.isAbove(counts.ok, 10)
    assert.isAbove(counts.failed, 20)
  })

  class Kinds extends Model.ToolModel<Kinds>("ExtractorKinds")({
    id: Schema.Int.pipe(Model.primaryKey),
    count: Schema.Number,
    flag: Schema.Boolean,
    state: Schema.Literal("open", "closed"),
    level: Schema.Literal(1, 2, 3),
    note: Schema.NullOr(Schema.String),
    short: Schema.String.pipe(Model.maxLength(5)),
    even: Schema.String.pipe(Schema.filter((s) => s.length % 2 === 0 || "an even length")),
    positive: Schema.Number.pipe(Schema.positive()),
    size: Schema.NonNegativeInt,
    at: Model.DateTime,
    maybeAt: Schema.NullOr(Model.DateTime),
    dateOrText: Schema.Union(Model.DateTime, Schema.String),
    textOrDate: Schema.Union(Schema.String, Model.DateTime),
    recent: Model.DateTime.pipe(Schema.filter((d) => d.getUTCFullYear() >= 2000)),
    plainDate: Schema.Date,
    undefinedOr: Schema.UndefinedOr(Schema.String),
    maybe: Schema.optional(Schema.NullOr(Schema.Int)),
    first: Schema.optional(Schema.String).pipe(Model.source("/items/0/name")),
    odd: Schema.optional(Schema.String).pipe(Model.source("/a~1b/c~0d"))
  }) {}

  const kindsRecord = {
    id: 1,
    count: 2.5,
    flag: false,
    state: "open",
    level: 2,
    note: null,
    short: "abc",
    even: "ab",
    positive: 0.1,
    size: 0,
    at: "2023-01-10T11:00:00.000Z",
    maybeAt: null,
    dateOrText: "2023-01-10T11:00:00.000Z",
    textOrDate: "2023-01-10T11:00:00.000Z",
    recent: "2023-01-10T11:00:00.000Z",
    plainDate: "2023-01-10T11:00:00.000Z",
    undefinedOr: "u",
    maybe: 3,
    items: [{ name: "first" }, { name: "second" }],
    "a/b": { "c~d": "escaped" }
  }

  it("decodes every supported kind of field as Schema does, valid and invalid", () => {
    assert.strictEqual(extractor.fastFieldCount(Kinds), 20)
    const counts = agree(
      Kinds,
      inputsOf(kindsRecord, [
        ...each(["id"], notInts),
        ...each(["count"], [0, -1, Number.NaN, "1", null, ABSENT]),
        ...each(["flag"], [true, "false", ABSENT]),
        ...each(["state"], ["closed", "Open", 1, ABSENT]),
        ...each(["level"], [1, 3, 4, "2", ABSENT]),
        ...each(["note"], ["text", 1, ABSENT]),
        ...each(["short"], ["", "abcde", "abcdef", 5, ABSENT]),
        ...each(["even"], ["", "abc", "abcd", 2, ABSENT]),
        ...each(["positive"], [0, -1, 3, "3", ABSENT]),
        ...each(["size"], [3, -1, 1.5, ABSENT]),
        ...each(["at"], [...dates, ABSENT]),
        ...each(["maybeAt"], [...dates, ABSENT]),
        ...each(["dateOrText"], [...dates, ABSENT]),
        ...each(["textOrDate"], [...dates, ABSENT]),
        ...each(["recent"], ["1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z", "not a date", 5, ABSENT]),
        ...each(["plainDate"], [...dates, ABSENT]),
        ...each(["undefinedOr"], [ABSENT, null, 1]),
        ...each(["maybe"], [null, 1.5, "3", ABSENT]),
        ...each(["items"], [[], [{ name: 1 }], [{}], { 0: { name: "object" } }, "x", ABSENT]),
        ...each(["a/b", "c~d"], [1, ABSENT]),
        ...each(["a/b"], [null, ABSENT])
      ])
    )
    assert.isAbove(counts.ok, 30)
    assert.isAbove(counts.failed, 40)
  })

  it("keeps a required key whose schema accepts undefined, and drops an absent optional one", () => {
    const { maybe: _maybe, undefinedOr: _undefinedOr, ...rest } = kindsRecord
    const fields = Either.getOrThrow(extractor.defaultExtractor(Kinds)(rest)) as Record<string, unknown>
    assert.isTrue(Object.prototype.hasOwnProperty.call(fields, "undefinedOr"))
    assert.isFalse(Object.prototype.hasOwnProperty.call(fields, "maybe"))
  })

  it("decodes a union to the first member that succeeds, as Schema does", () => {
    const extract = extractor.defaultExtractor(Kinds)
    const fields = Either.getOrThrow(extract({ ...kindsRecord, dateOrText: "not a date" })) as Record<string, unknown>
    assert.strictEqual(fields["dateOrText"], "not a date")
    assert.instanceOf(fields["at"], Date)
    assert.strictEqual(fields["textOrDate"], "2023-01-10T11:00:00.000Z")
  })

  class Optionals extends Model.ToolModel<Optionals>("ExtractorOptionals")({
    id: Schema.String.pipe(Model.primaryKey),
    displayName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("display_name")),
    team: Schema.optional(Schema.String).pipe(Model.source("/team/name")),
    startedAt: Schema.optional(Schema.NullOr(Model.DateTime)),
    size: Schema.optionalWith(Schema.Int, { default: () => 7 }),
    label: Schema.optionalWith(Schema.String, { nullable: true }),
    exactLabel: Schema.optionalWith(Schema.String, { exact: true }),
    nullableDefault: Schema.optionalWith(Schema.String, { nullable: true, default: () => "none" }),
    exactDefault: Schema.optionalWith(Schema.Int, { exact: true, default: () => 0 }),
    since: Schema.optionalWith(Model.DateTime, { default: () => new Date(0) }),
    renamed: Schema.optional(Schema.String).pipe(Schema.fromKey("renamed_key")),
    undefinedOr: Schema.UndefinedOr(Schema.String),
    plain: Schema.Int,
    checked: Schema.optionalWith(Schema.String.pipe(Schema.filter((s) => s !== "bad")), { default: () => "ok" })
  }) {}

  const optionalsRecord = { id: "x1", display_name: "D", plain: 1 }

  it("decodes optional, nullable and defaulted fields (a struct with key renaming) as Schema does", () => {
    assert.strictEqual(extractor.fastFieldCount(Optionals), 14)
    const full = {
      ...optionalsRecord,
      team: { name: "core" },
      startedAt: "2023-01-10T11:00:00.000Z",
      size: 3,
      label: "l",
      exactLabel: "e",
      nullableDefault: "n",
      exactDefault: 4,
      since: "2020-01-01T00:00:00Z",
      renamed_key: "r",
      undefinedOr: "u",
      checked: "fine"
    }
    const counts = agree(Optionals, [
      ...inputsOf(optionalsRecord, [
        at(["displayName"], "by name"),
        [at(["display_name"], ABSENT), at(["displayName"], "by name")],
        ...each(["display_name"], notStrings),
        ...each(["team"], [null, "core", { name: 1 }, { name: null }]),
        ...each(["startedAt"], dates),
        ...each(["size"], [0, 3, ...notInts]),
        ...each(["label"], ["l", null, 1]),
        ...each(["exactLabel"], ["e", null, 1]),
        ...each(["nullableDefault"], ["n", null, 1]),
        ...each(["exactDefault"], [4, null, 1.5]),
        ...each(["since"], dates),
        ...each(["renamed_key"], ["r", 1, null]),
        at(["renamed"], "by name"),
        ...each(["undefinedOr"], ["u", null, 1]),
        ...each(["plain"], notInts),
        ...each(["checked"], ["fine", "bad", 1, null])
      ]),
      ...inputsOf(full, [at(["size"], ABSENT), at(["since"], "bad date"), at(["checked"], "bad")])
    ])
    assert.isAbove(counts.ok, 20)
    assert.isAbove(counts.failed, 20)
  })

  it("applies defaults and keeps Schema's key order", () => {
    const fields = Either.getOrThrow(extractor.defaultExtractor(Optionals)(optionalsRecord)) as Record<string, unknown>
    assert.deepStrictEqual(Object.keys(fields), [
      "id",
      "displayName",
      "size",
      "nullableDefault",
      "exactDefault",
      "since",
      "undefinedOr",
      "plain",
      "checked"
    ])
    assert.strictEqual(fields["size"], 7)
    assert.strictEqual(fields["nullableDefault"], "none")
    assert.deepStrictEqual(fields["since"], new Date(0))
  })

  class BadDefault extends Model.ToolModel<BadDefault>("ExtractorBadDefault")({
    id: Schema.String.pipe(Model.primaryKey),
    n: Schema.optionalWith(Schema.Int, { default: () => 1.5 })
  }) {}

  it("fails as Schema does when a default does not fit its own type", () => {
    assert.strictEqual(extractor.fastFieldCount(BadDefault), 2)
    const counts = agree(BadDefault, [{ id: "a" }, { id: "a", n: 2 }, { id: "a", n: 2.5 }])
    assert.deepStrictEqual(counts, { ok: 1, failed: 2 })
  })

  const Address = Schema.Struct({ street: Schema.String, zip: Schema.optional(Schema.String) })

  const mixedFields = {
    id: Schema.Int.pipe(Model.primaryKey),
    name: Schema.String,
    amount: Schema.NumberFromString,
    doubled: Schema.transform(Schema.Number, Schema.Number, {
      strict: true,
      decode: (n) => n * 2,
      encode: (n) => n / 2
    }),
    address: Address.pipe(Model.columnType("json")),
    tags: Schema.Array(Schema.String).pipe(Model.columnType("json")),
    secret: Model.Secret,
    at: Model.DateTime
  }

  class Mixed extends Model.ToolModel<Mixed>("ExtractorMixed")(mixedFields) {}

  class MixedWithDefaults extends Model.ToolModel<MixedWithDefaults>("ExtractorMixedWithDefaults")({
    ...mixedFields,
    size: Schema.optionalWith(Schema.Int, { default: () => 7 }),
    optAddress: Schema.optional(Address).pipe(Model.columnType("json")),
    defaultTags: Schema.optionalWith(Schema.Array(Schema.String), { default: () => ["none"] }).pipe(
      Model.columnType("json")
    )
  }) {}

  const mixedRecord = {
    id: 1,
    name: "n",
    amount: "12.5",
    doubled: 4,
    address: { street: "Main", zip: "1000", extra: "dropped" },
    tags: ["a", "b"],
    secret: "s3cret",
    at: "2023-01-10T11:00:00.000Z"
  }

  const mixedEdits = [
    ...each(["amount"], ["x", 12, ABSENT]),
    ...each(["doubled"], ["4", ABSENT]),
    ...each(["address"], [{ street: 1 }, { street: "s" }, null, ABSENT]),
    ...each(["tags"], [[], [1], "a", ABSENT]),
    ...each(["secret"], [1, "", ABSENT]),
    ...each(["name"], notStrings),
    ...each(["at"], dates)
  ]

  it("decodes unsupported fields (transformations, structs, arrays, secrets) with Schema, the others without", () => {
    assert.strictEqual(extractor.fastFieldCount(Mixed), 3)
    const counts = agree(Mixed, inputsOf(mixedRecord, mixedEdits))
    assert.isAbove(counts.ok, 5)
    assert.isAbove(counts.failed, 15)
  })

  it("does the same in a struct with key renaming, where Schema also checks each value's type side", () => {
    assert.strictEqual(extractor.fastFieldCount(MixedWithDefaults), 4)
    const counts = agree(MixedWithDefaults, [
      ...inputsOf(mixedRecord, [
        ...mixedEdits,
        ...each(["size"], [3, 1.5]),
        ...each(["optAddress"], [{ street: "s" }, { street: 1 }, null]),
        ...each(["defaultTags"], [["x"], [1], null])
      ])
    ])
    assert.isAbove(counts.ok, 8)
    assert.isAbove(counts.failed, 15)
  })

  class Swapped extends Model.ToolModel<Swapped>("ExtractorSwapped")({
    id: Schema.String.pipe(Model.primaryKey),
    a: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("b")),
    b: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("a"))
  }) {}

  it("leaves a model whose JSON keys are other fields' names entirely to Schema", () => {
    assert.strictEqual(extractor.fastFieldCount(Swapped), 0)
    agree(Swapped, inputsOf({ id: "x", a: "from a", b: "from b" }, [at(["a"], ABSENT), at(["b"], 1)]))
  })
})
