import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Model from "../../src/Model.js"
import {
  domainId,
  domainIdFromKeys,
  domainIds,
  domainKeyNames,
  rawDataParams
} from "../../src/internal/plugin/identity.js"

class Build extends Model.ToolModel<Build>("Build")({
  id: Schema.Int.pipe(Model.primaryKey),
  startedAt: Model.DateTime.pipe(Model.primaryKey)
}) {}

describe("domainId", () => {
  it("is <folder>:<ToolClass>:<connectionId>:<primary key values other than the connection id>", () => {
    const startedAt = new Date("2024-01-02T03:04:05.678Z")
    assert.strictEqual(
      domainId({ folder: "fake" }, Build, 3, { connectionId: 3, id: 42, startedAt }),
      "fake:Build:3:42:2024-01-02T03:04:05.678Z"
    )
    assert.strictEqual(domainIdFromKeys({ folder: "fake" }, Build, 3, [42, "x"]), "fake:Build:3:42:x")
  })
})

describe("domainIds", () => {
  class Pipeline extends Model.ToolModel<Pipeline>("Pipeline")({
    projectId: Schema.String.pipe(Model.primaryKey),
    number: Schema.Int.pipe(Model.primaryKey)
  }) {}

  it("is domainId of one plugin and connection, for any model, whatever connection id the row has", () => {
    const ids = domainIds({ folder: "fake" }, 3)
    const startedAt = new Date("2024-01-02T03:04:05.678Z")
    const build = { connectionId: 9, id: 42, startedAt }
    assert.strictEqual(ids(Build, build), domainId({ folder: "fake" }, Build, 3, build))
    assert.strictEqual(ids(Build, build), "fake:Build:3:42:2024-01-02T03:04:05.678Z")
    assert.strictEqual(ids(Pipeline, { projectId: "p", number: 7 }), "fake:Pipeline:3:p:7")
    // Again, from the key names it found on the first row.
    assert.strictEqual(ids(Pipeline, { projectId: "q", number: 8 }), "fake:Pipeline:3:q:8")
  })

  it("keys on the primary key other than the connection id, in declaration order", () => {
    assert.deepStrictEqual(domainKeyNames(Build), ["id", "startedAt"])
    assert.deepStrictEqual(domainKeyNames(Pipeline), ["projectId", "number"])
  })
})

describe("rawDataParams", () => {
  const table: ReadonlyArray<readonly [number, string, string]> = [
    [1, "p1", "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"],
    [42, "group/project", "{\"ConnectionId\":42,\"ScopeId\":\"group/project\"}"],
    [3, "<a&b>", "{\"ConnectionId\":3,\"ScopeId\":\"\\u003ca\\u0026b\\u003e\"}"],
    [7, "Projekt ü 🚀", "{\"ConnectionId\":7,\"ScopeId\":\"Projekt ü 🚀\"}"],
    [8, "a\"b\\c", "{\"ConnectionId\":8,\"ScopeId\":\"a\\\"b\\\\c\"}"],
    [0, "", "{\"ConnectionId\":0,\"ScopeId\":\"\"}"]
  ]
  for (const [connectionId, scopeId, expected] of table) {
    it(`(${connectionId}, ${JSON.stringify(scopeId)})`, () => {
      assert.strictEqual(rawDataParams(connectionId, scopeId), expected)
    })
  }

  it("matches pydevlake's json.dumps(separators=(',', ':')) for ASCII ids", () => {
    assert.strictEqual(rawDataParams(12, "org/repo-1"), JSON.stringify({ ConnectionId: 12, ScopeId: "org/repo-1" }))
  })

  it("rejects connection ids that are not uint64", () => {
    assert.throws(() => rawDataParams(-1, "x"), /uint64/)
    assert.throws(() => rawDataParams(1.5, "x"), /uint64/)
    assert.throws(() => rawDataParams(2n ** 64n, "x"), /uint64/)
    assert.strictEqual(rawDataParams(2n ** 64n - 1n, "x"), "{\"ConnectionId\":18446744073709551615,\"ScopeId\":\"x\"}")
    assert.strictEqual(rawDataParams(-0, "x"), "{\"ConnectionId\":0,\"ScopeId\":\"x\"}")
  })
})
