// The dependency check (`npm run deps`) and ARCHITECTURE.md's "Allowed arrows" table: the check catches what it
// is there to catch, ignores type-only imports, and the table names exactly the concerns that exist.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..")
const { parseAllowedArrows, readAllowedArrows } = createRequire(import.meta.url)(
  path.join(root, "scripts/architecture.cjs")
) as {
  readonly parseAllowedArrows: (markdown: string) => Map<string, ReadonlyArray<string>>
  readonly readAllowedArrows: (file: string) => Map<string, ReadonlyArray<string>>
}

interface Violation {
  readonly from: string
  readonly to: string
  readonly rule: { readonly name: string; readonly severity: string }
  readonly cycle?: ReadonlyArray<{ readonly name: string }>
}

// The fixture: the repository's relative layout, each file one kind of arrow.
const fixture: Record<string, string> = {
  "packages/tsdevlake/src/Model.ts": "export const model = 1\nexport type Model = number\n",
  "packages/tsdevlake/src/Cli.ts": "export const cli = 1\n",
  "packages/tsdevlake/src/Db.ts": "export const db = 1\n",
  // Plugin.main is Cli.main, the one allowed bridge from the author's modules to the runtime's; Db is not.
  "packages/tsdevlake/src/Plugin.ts":
    "import { cli } from \"./Cli.js\"\nimport { db } from \"./Db.js\"\nexport const plugin = [cli, db]\n",
  "packages/tsdevlake/src/DataStream.ts": "import { cli } from \"./Cli.js\"\nexport const stream = cli\n",
  "packages/tsdevlake/src/internal/api/y.ts": "export const y = 1\nexport type Y = number\n",
  "packages/tsdevlake/src/internal/api/types.ts": "export type T = number\nexport const unused = 1\n",
  // A forbidden arrow: db may import no other concern.
  "packages/tsdevlake/src/internal/db/x.ts": "import { y } from \"../api/y.js\"\nexport const x = y\n",
  // Type-only imports of another concern and of a public module, in the three spellings: none is an arrow.
  "packages/tsdevlake/src/internal/db/typeOnly.ts": [
    "import type { T } from \"../api/types.js\"",
    "import { type Model } from \"../../Model.js\"",
    "import { unused } from \"../api/types.js\"",
    "export const t: T | Model | typeof unused = 1",
    ""
  ].join("\n"),
  // An allowed arrow: api may import stream.
  "packages/tsdevlake/src/internal/api/z.ts": "import { a } from \"../stream/a.js\"\nexport const z = a\n",
  // A value cycle.
  "packages/tsdevlake/src/internal/stream/a.ts":
    "import { b } from \"./b.js\"\nexport const a = 1\nexport const ab = () => b\n",
  "packages/tsdevlake/src/internal/stream/b.ts": "import { a } from \"./a.js\"\nexport const b = () => a\n",
  // A type-only cycle: not a cycle at run time.
  "packages/tsdevlake/src/internal/stream/c.ts":
    "import type { D } from \"./d.js\"\nexport type C = { d?: D }\nexport const c = 1\n",
  "packages/tsdevlake/src/internal/stream/d.ts":
    "import type { C } from \"./c.js\"\nexport type D = { c?: C }\nexport const d = 1\n",
  // internal/ importing a public module's value.
  "packages/tsdevlake/src/internal/model/m.ts": "import { model } from \"../../Model.js\"\nexport const m = model\n",
  // A plugin reaching into the framework by a relative path.
  "plugins/p/src/main.ts":
    "import { model } from \"../../../packages/tsdevlake/src/Model.js\"\nexport const main = model\n"
}

describe("the dependency check (.dependency-cruiser.cjs)", () => {
  let dir: string
  let violations: ReadonlyArray<Violation>
  let output: { readonly modules: ReadonlyArray<{ readonly source: string }> }

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-architecture-"))
    for (const [file, text] of Object.entries(fixture)) {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true })
      fs.writeFileSync(path.join(dir, file), text)
    }
    fs.copyFileSync(path.join(root, "ARCHITECTURE.md"), path.join(dir, "ARCHITECTURE.md"))
    const run = spawnSync(process.execPath, [
      path.join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"),
      "--config",
      path.join(root, ".dependency-cruiser.cjs"),
      "--output-type",
      "json",
      "packages",
      "plugins"
    ], { cwd: dir, encoding: "utf8" })
    if (run.stdout === "") throw new Error(`dependency-cruiser printed nothing: ${run.stderr}`)
    output = JSON.parse(run.stdout)
    violations = (JSON.parse(run.stdout) as { summary: { violations: ReadonlyArray<Violation> } }).summary.violations
  })
  afterAll(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true })
  })

  const reported = (rule: string) => violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} -> ${v.to}`)
  const src = "packages/tsdevlake/src/"

  it("reads every file of the fixture", () => {
    expect(output.modules.map((m) => m.source).sort()).toEqual(Object.keys(fixture).sort())
  })

  it("reports an arrow that the table does not allow", () => {
    expect(reported("concern-db")).toEqual([`${src}internal/db/x.ts -> ${src}internal/api/y.ts`])
  })

  it("does not report an arrow that the table allows", () => {
    expect(violations.filter((v) => v.from === `${src}internal/api/z.ts`)).toEqual([])
  })

  it("reports a cycle of value imports, once", () => {
    const cycles = violations.filter((v) => v.rule.name === "no-circular")
    expect(cycles).toHaveLength(1)
    expect([cycles[0]!.from, ...(cycles[0]!.cycle ?? []).map((step) => step.name)].sort()).toEqual([
      `${src}internal/stream/a.ts`,
      `${src}internal/stream/a.ts`,
      `${src}internal/stream/b.ts`
    ])
  })

  it("reports internal/ importing a public module's value", () => {
    expect(reported("internal-imports-no-public-value")).toEqual([`${src}internal/model/m.ts -> ${src}Model.ts`])
  })

  it("reports an author module importing a runtime module's value", () => {
    expect(reported("author-imports-no-runtime-value").sort()).toEqual([
      `${src}DataStream.ts -> ${src}Cli.ts`,
      `${src}Plugin.ts -> ${src}Db.ts`
    ])
  })

  it("reports a plugin importing the framework by a relative path", () => {
    expect(reported("plugins-use-the-package-name")).toEqual([`plugins/p/src/main.ts -> ${src}Model.ts`])
  })

  it("does not count type-only imports", () => {
    const typeOnly = [`${src}internal/db/typeOnly.ts`, `${src}internal/stream/c.ts`, `${src}internal/stream/d.ts`]
    expect(violations.filter((v) => typeOnly.includes(v.from))).toEqual([])
  })
})

describe("npm test", () => {
  // README and ARCHITECTURE.md say npm test checks the formatting, lints and checks the dependency rules.
  it("runs the format check, the lint and the dependency check before the suite", () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      readonly scripts: Record<string, string>
    }).scripts
    const test = scripts["test"] ?? ""
    const checks = test.includes("npm run verify") ? scripts["verify"] ?? "" : test
    for (const check of ["format:check", "lint", "deps"]) expect(checks).toContain(`npm run ${check}`)
    expect(test.indexOf("vitest run")).toBeGreaterThan(test.indexOf("npm run verify"))
    expect(scripts["deps"]).toContain(".dependency-cruiser.cjs")
  })
})

describe("ARCHITECTURE.md's allowed arrows", () => {
  const arrows = readAllowedArrows(path.join(root, "ARCHITECTURE.md"))

  it("names the concerns, each with the concerns it may import", () => {
    expect(arrows.get("stream")).toEqual([])
    expect(arrows.get("plugin")).toEqual(["model", "process", "stream"])
    expect(arrows.size).toBeGreaterThan(0)
  })

  it("names exactly the folders under packages/tsdevlake/src/internal/", () => {
    const folders = fs.readdirSync(path.join(root, "packages/tsdevlake/src/internal"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
    expect([...arrows.keys()].sort()).toEqual(folders.sort())
  })

  it("shows every folder of the framework's sources in its tree, one line each", () => {
    const page = fs.readFileSync(path.join(root, "ARCHITECTURE.md"), "utf8")
    const tree = /## Layout\n\n```\n([\s\S]*?)```/.exec(page)?.[1] ?? ""
    const folders = (dir: string): Array<string> =>
      fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((entry) => [
        entry.name,
        ...folders(path.join(dir, entry.name))
      ])
    const shown = tree.split("\n").map((line) => /── ([A-Za-z]+)\//.exec(line)?.[1]).filter((name) =>
      name !== undefined
    )
    expect(shown.sort()).toEqual(folders(path.join(root, "packages/tsdevlake/src")).sort())
  })

  it("rejects a page without the table, or a row naming no concern", () => {
    expect(() => parseAllowedArrows("# Architecture\n")).toThrow(/Allowed arrows/)
    const page = (row: string) =>
      `## Allowed arrows\n\n| concern | may import |\n| --- | --- |\n| \`db\` | (none) |\n${row}\n`
    expect(parseAllowedArrows(page("| `api` | `db` |")).get("api")).toEqual(["db"])
    expect(() => parseAllowedArrows(page("| `api` | `nowhere` |"))).toThrow(/nowhere/)
    expect(() => parseAllowedArrows(page("| api | db |"))).toThrow(/api/)
  })
})
