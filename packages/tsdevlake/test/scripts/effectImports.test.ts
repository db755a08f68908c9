/**
 * packages/cli/src/builder/effectImports.mjs: the build's rewrite of `import { … } from "effect"` into imports of Effect's
 * modules, so that a bundle holds only the modules it uses.
 */
import { describe, expect, it } from "@effect/vitest"
import { build } from "esbuild"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import {
  effectImportsPlugin,
  effectIndexExports,
  rewriteEffectImports
} from "../../../cli/src/builder/effectImports.mjs"

const repoRoot = path.resolve(import.meta.dirname, "../../../..")
const exports = effectIndexExports(
  fs.readFileSync(path.join(repoRoot, "node_modules/effect/dist/esm/index.js"), "utf8")
)

describe("effectIndexExports", () => {
  it("reads every namespace of the installed index and the functions it re-exports", () => {
    expect(exports.namespaces.size).toBeGreaterThan(150)
    for (const name of ["Effect", "Schema", "Stream", "Layer", "SchemaAST", "ParseResult", "Function"]) {
      expect(exports.namespaces.has(name), name).toBe(true)
    }
    expect([...exports.functions].sort()).toEqual(["absurd", "flow", "hole", "identity", "pipe", "unsafeCoerce"])
  })
})

describe("rewriteEffectImports", () => {
  it("imports each namespace from its module and each function from effect/Function", () => {
    const source = [
      `import { Effect, Schema as S, pipe, identity as id } from "effect"`,
      `const x = pipe(1, id)`
    ].join("\n")
    expect(rewriteEffectImports(source, exports)).toBe([
      `import * as Effect from "effect/Effect"; import * as S from "effect/Schema"; ` +
      `import { pipe, identity as id } from "effect/Function";`,
      `const x = pipe(1, id)`
    ].join("\n"))
  })

  it("keeps the line count of a multi-line import, so source maps still match", () => {
    const source = `import {\n  Chunk,\n  type Context,\n  Effect\n} from "effect"\nexport const line6 = 6\n`
    const rewritten = rewriteEffectImports(source, exports)
    expect(rewritten.split("\n")).toHaveLength(source.split("\n").length)
    expect(rewritten.split("\n")[5]).toBe("export const line6 = 6")
    expect(rewritten).toContain(`import * as Chunk from "effect/Chunk"; import * as Effect from "effect/Effect";`)
    expect(rewritten).not.toContain("Context")
  })

  it("leaves names it does not know on the index, and other import forms as they are", () => {
    const unknown = `import { Effect, NotAnEffectModule } from "effect"`
    expect(rewriteEffectImports(unknown, exports)).toBe(
      `import * as Effect from "effect/Effect"; import { NotAnEffectModule } from "effect";`
    )
    const untouched = [
      `import type { Effect } from "effect"`,
      `import * as E from "effect"`,
      `export { Effect } from "effect"`,
      `import { Effect as Other } from "effect/Effect"`,
      `import { Effect } from "not-effect"`
    ].join("\n")
    expect(rewriteEffectImports(untouched, exports)).toBe(untouched)
  })

  it("rewrites import declarations only, not text that looks like one", () => {
    const source = [
      "// import { Effect } from \"effect\"",
      "const template = `",
      "import { Effect } from \"effect\"",
      "`",
      "/**",
      " * import { Schema } from \"effect\"",
      " */"
    ].join("\n")
    expect(rewriteEffectImports(source, exports)).toBe(source)
  })
})

describe("effectImportsPlugin", () => {
  it("rewrites installed packages' sources too, as an installed tsdevlake ships its TypeScript", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-effect-imports-"))
    try {
      const pkg = path.join(dir, "node_modules", "some-plugin-lib")
      fs.mkdirSync(pkg, { recursive: true })
      fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "some-plugin-lib", main: "index.ts" }))
      fs.writeFileSync(
        path.join(pkg, "index.ts"),
        `import { Effect } from "effect"\nexport const one = Effect.succeed(1)\n`
      )
      fs.writeFileSync(path.join(dir, "entry.ts"), `import { one } from "some-plugin-lib"\nconsole.log(one)\n`)
      const modules = async (plugins: Array<never>) => {
        const result = await build({
          entryPoints: [path.join(dir, "entry.ts")],
          bundle: true,
          write: false,
          format: "cjs",
          platform: "node",
          logLevel: "silent",
          nodePaths: [path.join(repoRoot, "node_modules")],
          plugins
        })
        return result.outputFiles[0]!.text.match(/^\/\/ \S*node_modules\/effect\/\S+$/gm) ?? []
      }
      // Through the index, esbuild keeps every export of each namespace used (Effect: ~140 modules); through
      // `effect/Effect` it keeps what `Effect.succeed` needs.
      const plain = await modules([])
      const rewritten = await modules([effectImportsPlugin(repoRoot) as never])
      expect(rewritten.length).toBeGreaterThan(0)
      expect(rewritten.length).toBeLessThan(plain.length / 2)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("the built bundles", () => {
  it("hold Effect's modules the plugin uses, not its whole index", () => {
    // npm test builds every plugin first; the bench plugin imports from "effect" in its own sources too.
    for (const plugin of ["bench/benchplugin", "plugins/fakeplugin"]) {
      const bundle = fs.readFileSync(path.join(repoRoot, plugin, "dist/plugin.cjs"), "utf8")
      expect(bundle).toContain("// node_modules/effect/dist/esm/Effect.js")
      expect(bundle, plugin).not.toContain("// node_modules/effect/dist/esm/index.js")
    }
  })
})
