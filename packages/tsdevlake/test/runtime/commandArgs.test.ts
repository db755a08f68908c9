import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import type * as plugins from "../../src/internal/plugin/definition.js"
import { decodeJson, pluginSchemas, withConfig } from "../../src/internal/runtime/commandArgs.js"

class Conf extends Schema.Class<Conf>("Conf")({
  entities: Schema.optionalWith(Schema.Array(Schema.String), { default: () => ["ALL"] })
}) {}

const plugin = {
  name: "p",
  connection: Schema.Struct({ id: Schema.Number }),
  scope: Schema.Struct({}),
  scopeConfig: Conf
} as unknown as plugins.Plugin

describe("decodeJson", () => {
  it.effect("parses and decodes, naming the argument on failure", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* decodeJson(Schema.Struct({ id: Schema.Number }), "{\"id\":1,\"x\":2}", "connection"),
        { id: 1 }
      )
      const notJson = yield* Effect.flip(decodeJson(Schema.String, "{", "stream argument"))
      assert.match(notJson.message, /^invalid stream argument: not valid JSON/)
      const wrong = yield* Effect.flip(decodeJson(Schema.String, "1", "stream argument"))
      assert.strictEqual(wrong.message, "invalid stream argument: Expected string")
    }))
})

describe("withConfig", () => {
  it.effect("runs the body when the config is a JSON object", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* withConfig("p", "plugin-info", "{\"log_level\":\"warn\"}", Effect.succeed(42)), 42)
      assert.strictEqual(yield* withConfig("p", "plugin-info", "{}", Effect.succeed(1)), 1)
    }))

  it.effect("fails with an argument error, without running the body, when the config is not JSON", () =>
    Effect.gen(function*() {
      let ran = false
      const error = yield* Effect.flip(withConfig("p", "collect", "not json", Effect.sync(() => ran = true)))
      assert.strictEqual(error._tag, "ArgumentError")
      assert.match(error.message, /^invalid config argument: not valid JSON/)
      assert.isFalse(ran)
    }))
})

describe("pluginSchemas", () => {
  it.effect("a null scope config decodes as the config's defaults", () =>
    Effect.gen(function*() {
      const { scopeConfig } = pluginSchemas(plugin)
      const decoded = yield* Schema.decodeUnknown(scopeConfig)(null)
      assert.instanceOf(decoded, Conf)
      assert.deepStrictEqual(decoded.entities, ["ALL"])
      assert.deepStrictEqual((yield* Schema.decodeUnknown(scopeConfig)({ entities: ["CICD"] })).entities, ["CICD"])
    }))
})
