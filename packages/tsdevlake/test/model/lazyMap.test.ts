import { describe, expect, it } from "@effect/vitest"
import { lazyMap } from "../../src/internal/model/lazyMap.js"

describe("lazyMap", () => {
  it("builds the map on the first read only, then answers every read from it", () => {
    let builds = 0
    const map = lazyMap(() => {
      builds++
      return new Map([["a", 1], ["b", 2]])
    })
    expect(builds).toBe(0)
    expect(map.get("a")).toBe(1)
    expect(map.has("b")).toBe(true)
    expect(map.size).toBe(2)
    expect([...map]).toEqual([["a", 1], ["b", 2]])
    expect([...map.keys()]).toEqual(["a", "b"])
    expect([...map.values()]).toEqual([1, 2])
    expect([...map.entries()]).toEqual([["a", 1], ["b", 2]])
    const seen: Array<string> = []
    map.forEach((_, key) => seen.push(key))
    expect(seen).toEqual(["a", "b"])
    expect(builds).toBe(1)
  })
})
