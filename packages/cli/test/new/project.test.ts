/**
 * `tsdevlake new` without installing anything: the name and folder checks, the framework source, and the files.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll } from "vitest"
import { dependencies, isCheckout, ownCheckout, publishedRange, resolveSource } from "../../src/new/framework.js"
import { createProject, targetFolder, validateName } from "../../src/new/project.js"

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-new-"))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const message = <E extends { readonly message: string }>(effect: Effect.Effect<unknown, E>) =>
  Effect.runSync(Effect.flip(effect)).message

describe("tsdevlake new: checks", () => {
  it("refuses a name DevLake refuses, in one line, with the framework's rule", () => {
    for (const name of ["My-Plugin", "my_plugin", "1plugin", "", "plugin name"]) {
      expect(message(validateName(name))).toBe(`new: plugin name "${name}" must be lower-case letters and digits`)
    }
    expect(Effect.runSync(validateName("gitlab2"))).toBe("gitlab2")
  })

  it("refuses an existing non-empty folder or a file, and takes an empty folder", () => {
    fs.mkdirSync(path.join(tmp, "full"))
    fs.writeFileSync(path.join(tmp, "full", "notes.txt"), "")
    fs.mkdirSync(path.join(tmp, "empty"))
    fs.writeFileSync(path.join(tmp, "file"), "")
    expect(message(targetFolder(tmp, "full"))).toBe(
      `new: ${path.join(tmp, "full")} already exists and is not empty; choose another name or --dir`
    )
    expect(message(targetFolder(tmp, "file"))).toBe(`new: ${path.join(tmp, "file")} already exists and is not a folder`)
    expect(Effect.runSync(targetFolder(tmp, "empty"))).toBe(path.join(tmp, "empty"))
    expect(Effect.runSync(targetFolder(tmp, "fresh"))).toBe(path.join(tmp, "fresh"))
  })
})

describe("tsdevlake new: framework source", () => {
  const checkout = ownCheckout()

  it("finds the checkout it runs from", () => {
    expect(checkout).toBe(path.resolve(import.meta.dirname, "../../../.."))
    expect(isCheckout(checkout!)).toBe(true)
    expect(isCheckout(tmp)).toBe(false)
  })

  it.effect("on a checkout, links its packages and its installed registry packages", () =>
    Effect.gen(function*() {
      const deps = yield* dependencies(yield* resolveSource(undefined, () => checkout))
      expect(deps.dependencies["tsdevlake"]).toBe(`file:${path.join(checkout!, "packages/tsdevlake")}`)
      expect(deps.dependencies["effect"]).toBe(`file:${path.join(checkout!, "node_modules/effect")}`)
      expect(deps.dependencies["better-sqlite3"]).toBe(`file:${path.join(checkout!, "node_modules/better-sqlite3")}`)
      expect(deps.devDependencies["@tsdevlake/testing"]).toBe(`file:${path.join(checkout!, "packages/testing")}`)
      expect(deps.devDependencies["@tsdevlake/cli"]).toBe(`file:${path.join(checkout!, "packages/cli")}`)
      for (const spec of [...Object.values(deps.dependencies), ...Object.values(deps.devDependencies)]) {
        expect(spec).toMatch(/^file:\//)
      }
    }))

  it.effect("installed from npm, depends on the published versions", () =>
    Effect.gen(function*() {
      const source = yield* resolveSource(undefined, () => undefined)
      expect(source._tag).toBe("Registry")
      const deps = yield* dependencies(source)
      expect(deps.dependencies).toEqual({ tsdevlake: publishedRange, effect: "~3.22.4", "@effect/platform": "~0.97.2" })
      expect(deps.devDependencies["@tsdevlake/testing"]).toBe(publishedRange)
      expect(deps.devDependencies["@tsdevlake/cli"]).toBe(publishedRange)
    }))

  it.effect("--framework takes a folder of npm pack tarballs, and names a missing one", () =>
    Effect.gen(function*() {
      const packs = path.join(tmp, "packs")
      fs.mkdirSync(packs)
      for (const file of ["tsdevlake-0.1.0.tgz", "tsdevlake-testing-0.1.0.tgz"]) {
        fs.writeFileSync(path.join(packs, file), "")
      }
      expect(message(resolveSource(packs))).toBe(
        `new: --framework ${packs}: neither a checkout of tsdevlake nor a folder of its npm pack tarballs (no tarball of @tsdevlake/cli)`
      )
      fs.writeFileSync(path.join(packs, "tsdevlake-cli-0.1.0.tgz"), "")
      const deps = yield* dependencies(yield* resolveSource(packs))
      expect(deps.dependencies["tsdevlake"]).toBe(`file:${path.join(packs, "tsdevlake-0.1.0.tgz")}`)
      expect(deps.devDependencies["@tsdevlake/testing"]).toBe(`file:${path.join(packs, "tsdevlake-testing-0.1.0.tgz")}`)
      expect(deps.dependencies["effect"]).toBe("~3.22.4")
      expect(message(resolveSource(path.join(tmp, "nowhere")))).toBe(
        `new: --framework ${path.join(tmp, "nowhere")}: no such folder`
      )
    }))
})

describe("tsdevlake new: the project", () => {
  it.effect("writes every file, with the names filled in and run.sh executable", () =>
    Effect.gen(function*() {
      const created = yield* createProject({
        name: "acme",
        dir: tmp,
        source: { _tag: "Registry" },
        now: new Date("2026-03-04T05:06:07Z")
      })
      expect(created.folder).toBe(path.join(tmp, "acme"))
      expect(created.files).toEqual([
        ".gitignore",
        "README.md",
        "mock/api.ts",
        "mock/start.ts",
        "package.json",
        "run.sh",
        "src/main.ts",
        "src/migrations.ts",
        "src/models.ts",
        "src/plugin.ts",
        "test/mock.test.ts",
        "test/plugin.test.ts",
        "tsconfig.json",
        "vitest.config.ts"
      ])
      const read = (file: string) => fs.readFileSync(path.join(created.folder, file), "utf8")
      for (const file of created.files) expect(read(file), file).not.toMatch(/\{\{\w+\}\}/)
      expect(read("src/plugin.ts")).toContain("export const AcmePlugin = definition.make({")
      expect(read("src/plugin.ts")).toContain("name: \"acme\"")
      expect(read("src/migrations.ts")).toContain("version: 20260304000001")
      expect(read("README.md")).toContain("npm install && npm start")
      expect(fs.statSync(path.join(created.folder, "run.sh")).mode & 0o111).toBe(0o111)
      const pkg = JSON.parse(read("package.json"))
      expect(pkg.name).toBe("acme")
      expect(pkg.scripts).toEqual({
        build: "tsdevlake build",
        start: "npm run build --silent && tsx mock/start.ts",
        test: "tsc && vitest run"
      })
      // A second time: the folder is no longer empty.
      expect(message(createProject({ name: "acme", dir: tmp, source: { _tag: "Registry" } }))).toMatch(
        /already exists and is not empty/
      )
    }))
})
