// The registry versions a new project depends on are the ones this repository is tested with.
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { registryVersions } from "../../src/new/framework.js"

const root = path.resolve(import.meta.dirname, "../../../..")
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(root, dir, "package.json"), "utf8"))

describe("tsdevlake new: versions", () => {
  it("match this repository's package.json files", () => {
    const declared = {
      ...manifest(".").devDependencies,
      ...manifest("packages/cli").dependencies
    } as Record<string, string>
    for (const [name, range] of Object.entries(registryVersions)) expect(declared[name], name).toBe(range)
  })
})
