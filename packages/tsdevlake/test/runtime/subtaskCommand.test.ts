import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import type * as plugins from "../../src/internal/plugin/definition.js"
import { findStream, taskContextSchema } from "../../src/internal/runtime/subtaskCommand.js"

const plugin = { name: "p", streams: [{ name: "users" }, { name: "issues" }] } as unknown as plugins.Plugin

describe("findStream", () => {
  it.effect("is the stream of that name", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* findStream(plugin, "issues")).name, "issues")
    }))

  it.effect("an unknown name is an argument error naming the streams there are", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(findStream(plugin, "nope"))
      assert.strictEqual(error._tag, "ArgumentError")
      assert.strictEqual(
        error.message,
        "invalid stream argument: unknown stream \"nope\"; this plugin has \"users\", \"issues\""
      )
    }))
})

describe("taskContextSchema", () => {
  const schema = taskContextSchema({
    connection: Schema.Struct({ id: Schema.Number }),
    scope: Schema.Struct({ id: Schema.String }),
    scopeConfig: Schema.Unknown
  })
  const decode = Schema.decodeUnknownSync(schema)

  it("defaults an absent scope config to null and absent or null options to {}", () => {
    const base = { db_url: "sqlite://x.db", scope: { id: "s" }, connection: { id: 1 } }
    assert.deepStrictEqual(decode(base), { ...base, scope_config: null, options: {} })
    assert.deepStrictEqual(decode({ ...base, options: null }).options, {})
    assert.deepStrictEqual(decode({ ...base, scope_config: { a: 1 }, options: { k: "v" } }), {
      ...base,
      scope_config: { a: 1 },
      options: { k: "v" }
    })
  })

  it("requires db_url, scope and connection", () => {
    assert.throws(() => decode({ scope: { id: "s" }, connection: { id: 1 } }))
    assert.throws(() => decode({ db_url: "x", connection: { id: 1 } }))
  })
})
