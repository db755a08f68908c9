import { assert, describe, it } from "@effect/vitest"
import * as go from "../../src/internal/model/goRules.js"

describe("isGoIdentifier", () => {
  const table: ReadonlyArray<readonly [string, boolean]> = [
    ["id", true],
    ["scopeConfigId", true],
    ["some_field", true],
    ["field2", true],
    ["X", true],
    ["_raw_data_params", false],
    ["2fa", false],
    ["with-dash", false],
    ["with space", false],
    ["dotted.name", false],
    ["ümlaut", false],
    ["", false]
  ]
  for (const [key, expected] of table) {
    it(`${JSON.stringify(key)} → ${expected}`, () => {
      assert.strictEqual(go.isGoIdentifier(key), expected)
    })
  }
})
