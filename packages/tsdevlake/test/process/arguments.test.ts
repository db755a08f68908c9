import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Option, type ParseResult, Schema } from "effect"
import * as Model from "../../src/Model.js"
import {
  ArgumentError,
  decodeArgument,
  describeParseError,
  parseJsonArgument,
  withConnectionId
} from "../../src/internal/process/arguments.js"

describe("argument decoding never echoes values", () => {
  class Conn extends Model.Connection<Conn>("Conn")({ token: Model.Secret, port: Schema.optional(Schema.Int) }) {}
  const secret = "ghp_S3cr3tT0kenValue"

  const decodeError = (schema: Schema.Schema<any, any>, input: unknown) => {
    const result = Schema.decodeUnknownEither(schema, { errors: "all" })(input)
    return describeParseError(Option.getOrThrow(Either.getLeft(result)) as ParseResult.ParseError)
  }

  it("a wrong-typed secret: names the field, not the value", () => {
    for (const token of [918273645, { value: secret }, [secret], true]) {
      const text = decodeError(Conn, { id: 1, name: "c", token })
      assert.include(text, "token")
      assert.notInclude(text, "918273645")
      assert.notInclude(text, secret)
    }
  })

  it("refinements and literals: the expectation, not the value", () => {
    const schema = Schema.Struct({
      token: Schema.String.pipe(Schema.minLength(50)),
      kind: Schema.Literal("a", "b"),
      name: Schema.String.pipe(Schema.pattern(/^x/))
    })
    const text = decodeError(schema, { token: secret, kind: secret, name: secret })
    assert.notInclude(text, secret)
    assert.include(text, "token Expected a string at least 50 character(s) long")
    assert.include(text, "kind")
  })

  // Transformation failures word the value into the message itself ("Unable to decode \"…\" into a
  // number", JSON.parse's excerpt): only the kind of failure may be shown.
  it("transformation failures do not echo the value either", () => {
    const schema = Schema.Struct({
      port: Schema.NumberFromString,
      creds: Schema.parseJson(Schema.Struct({ key: Schema.String }))
    })
    const text = decodeError(schema, { port: secret, creds: `x${secret}` })
    assert.notInclude(text, secret)
  })

  it.effect("decodeArgument names the argument and the field; parseJsonArgument hides the text", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(decodeArgument(Conn, "connection")({ id: 1, name: "c", token: 42424242 }))
      assert.instanceOf(error, ArgumentError)
      assert.strictEqual(error.message, "invalid connection: token Expected string")
      const bad = yield* Effect.flip(parseJsonArgument(`{"token": "${secret}"`, "connection"))
      assert.include(bad.message, "invalid connection: not valid JSON")
      assert.notInclude(bad.message, secret)
      const bad2 = yield* Effect.flip(parseJsonArgument(`{"token": ${secret}}`, "connection"))
      assert.notInclude(bad2.message, secret)
    }))

  it.effect("parseJsonArgument takes a bare word as a string only when asked; JSON stays exact", () =>
    Effect.gen(function*() {
      // pydevlake's guide writes `… $CTX users`: the shell has removed no quotes because there were none.
      assert.strictEqual(yield* parseJsonArgument("tasks", "stream argument", true), "tasks")
      assert.strictEqual(yield* parseJsonArgument("my-stream_2.x", "stream argument", true), "my-stream_2.x")
      // DevLake's JSON: parsed as before, so a JSON string is the same name and a JSON literal stays itself.
      assert.strictEqual(yield* parseJsonArgument("\"tasks\"", "stream argument", true), "tasks")
      assert.strictEqual(yield* parseJsonArgument("true", "stream argument", true), true)
      assert.strictEqual(yield* parseJsonArgument("12", "stream argument", true), 12)
      // Not a bare word (a broken object, spaces), or not asked for: refused, and the text not shown.
      for (const text of ["{tasks", "two words", "\"unterminated"]) {
        const broken = yield* Effect.flip(parseJsonArgument(text, "stream argument", true))
        assert.match(broken.message, /^invalid stream argument: not valid JSON \(/, text)
      }
      const plain = yield* Effect.flip(parseJsonArgument("tasks", "stream argument"))
      assert.match(plain.message, /^invalid stream argument: not valid JSON \(/)
      const conn = yield* Effect.flip(parseJsonArgument(secret, "connection"))
      assert.match(conn.message, /^invalid connection: not valid JSON \(/)
      assert.notInclude(conn.message, secret)
    }))
})

describe("withConnectionId (issue 13, finding 12)", () => {
  class Conn extends Model.Connection<Conn>("Conn")({ token: Model.Secret }) {}
  const decode = (id: unknown) =>
    Effect.runSync(Effect.either(decodeArgument(withConnectionId(Conn), "connection")({ id, name: "c", token: "t" })))

  it("refuses an id Go's uint64 cannot hold, naming the field, as an argument error", () => {
    for (const id of [-1, -42]) {
      const result = decode(id)
      assert.isTrue(Either.isLeft(result), String(id))
      if (Either.isLeft(result)) {
        assert.instanceOf(result.left, ArgumentError)
        assert.strictEqual(
          result.left.message,
          "invalid connection: id must be a whole number from 0 to 9007199254740991 (DevLake's connection id)"
        )
      }
    }
  })

  it("leaves the model's own check first: an id that is no safe integer fails as the model says", () => {
    assert.isTrue(Either.isLeft(decode(9007199254740992)))
  })

  it("accepts 0 (test-connection's unsaved connection) and any other uint64 the id can be", () => {
    for (const id of [0, 1, 9007199254740991]) assert.isTrue(Either.isRight(decode(id)), String(id))
  })
})
