/**
 * drivers.mjs on a made-up installation: which packages a plugin's dist/node_modules gets, where, and without what.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { copyDrivers, runShFiles } from "../../src/builder/drivers.mjs"

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
}

const manifest = (name: string, dependencies: Record<string, string> = {}) => JSON.stringify({ name, dependencies })

describe("copyDrivers", () => {
  it("copies the drivers the plugin resolves with their dependencies, nested as installed, minus build leftovers", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-drivers-"))
    try {
      const modules = path.join(root, "node_modules")
      write(path.join(root, "plugin/package.json"), manifest("plugin"))
      write(path.join(modules, "pg/package.json"), manifest("pg", { "pg-types": "1", split2: "1" }))
      write(path.join(modules, "pg/lib/index.js"), "")
      write(path.join(modules, "pg/node_modules/pg-types/package.json"), manifest("pg-types"))
      write(path.join(modules, "split2/package.json"), manifest("split2"))
      write(path.join(modules, "pg-types/package.json"), manifest("pg-types, another version"))
      write(path.join(modules, "better-sqlite3/package.json"), manifest("better-sqlite3", { "prebuild-install": "1" }))
      write(path.join(modules, "better-sqlite3/lib/index.js"), "")
      write(path.join(modules, "better-sqlite3/deps/sqlite3.c"), "")
      write(path.join(modules, "better-sqlite3/build/Release/better_sqlite3.node"), "")
      write(path.join(modules, "better-sqlite3/build/Release/obj/x.o"), "")
      write(path.join(modules, "better-sqlite3/build/Makefile"), "")
      write(path.join(modules, "prebuild-install/package.json"), manifest("prebuild-install"))
      const dist = path.join(root, "plugin/dist")
      expect(copyDrivers(path.join(root, "plugin"), dist)).toEqual(["better-sqlite3", "pg"])
      const files = fs.readdirSync(path.join(dist, "node_modules"), { recursive: true }).map(String).sort()
      expect(files).toEqual([
        "better-sqlite3",
        "better-sqlite3/build",
        "better-sqlite3/build/Release",
        "better-sqlite3/build/Release/better_sqlite3.node",
        "better-sqlite3/lib",
        "better-sqlite3/lib/index.js",
        "better-sqlite3/package.json",
        "pg",
        "pg/lib",
        "pg/lib/index.js",
        "pg/node_modules",
        "pg/node_modules/pg-types",
        "pg/node_modules/pg-types/package.json",
        "pg/package.json",
        "split2",
        "split2/package.json"
      ])
    } finally {
      fs.rmSync(root, { recursive: true })
    }
  })
})

describe("runShFiles", () => {
  it("finds every file named run.sh, however deep", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-runsh-"))
    try {
      write(path.join(root, "node_modules/x/scripts/run.sh"), "")
      write(path.join(root, "run.sh.map"), "")
      fs.mkdirSync(path.join(root, "y/run.sh"), { recursive: true })
      expect(runShFiles(root)).toEqual([path.join(root, "node_modules/x/scripts/run.sh")])
    } finally {
      fs.rmSync(root, { recursive: true })
    }
  })
})
