import { Schema } from "effect"
import { Model, type Plugin } from "tsdevlake"
import { describe, expect, it } from "vitest"
import { FakePipelineStream, FakePlugin } from "../../../plugins/fakeplugin/src/plugin.js"
import * as Testing from "../src/index.js"

// A connection field Go cannot turn into a struct field, and a scope config with no defaults.
class BadConnection extends Model.Connection<BadConnection>("BadConnection")({ "bad-name": Schema.String }) {}
class StrictConfig extends Model.ScopeConfig<StrictConfig>("StrictConfig")({ env: Schema.String }) {}

const broken = (overrides: Partial<Plugin.Plugin>): Plugin.Plugin =>
  ({ ...FakePlugin, name: "broken", ...overrides }) as Plugin.Plugin

describe("assertValidPlugin", () => {
  it("passes on the fake plugin", () => {
    expect(Testing.pluginProblems(FakePlugin)).toEqual([])
    expect(() => Testing.assertValidPlugin(FakePlugin)).not.toThrow()
  })

  it("fails naming the plugin, the model and the field of a schema Go rejects", () => {
    expect(() => Testing.assertValidPlugin(broken({ connection: BadConnection }))).toThrow(
      /^plugin broken is not valid:\n- plugin-info cannot be made: Model BadConnection, field "bad-name": /
    )
  })

  it("fails on a scope config that does not decode from {} or null", () => {
    const problems = Testing.pluginProblems(broken({ scopeConfig: StrictConfig }))
    expect(problems.map((p) => p.split(" (every")[0])).toEqual([
      "the scope config StrictConfig does not decode from {}",
      "the scope config StrictConfig does not decode from null"
    ])
    expect(problems[0]).toContain("[\"env\"]\n")
  })

  it("fails on no streams and on a stream with no domain types, naming the stream", () => {
    expect(Testing.pluginProblems(broken({ streams: [] }))).toEqual(["it has no streams"])
    expect(() =>
      Testing.assertValidPlugin(
        broken({ streams: [{ ...FakePipelineStream, domainTypes: [] } as typeof FakePipelineStream] })
      )
    )
      .toThrow("plugin broken is not valid:\n- stream \"fakepipelinestream\" has no domain types")
  })
})
