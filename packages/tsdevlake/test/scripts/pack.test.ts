import { execFile, execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { promisify } from "node:util"
import ts from "typescript"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cleanEnv, installOffline, pack, type Packed, repoRoot } from "./offlineInstall.js"

// The framework as a project outside this repository gets it: `npm pack` of tsdevlake and @tsdevlake/testing,
// installed from the tarballs into a folder under the system's temporary directory, loaded by plain node (no
// TypeScript) and type-checked against the shipped declarations. One pack and one install for the whole file.

const packages = ["tsdevlake", "testing"] as const

// Asynchronous: a test worker that blocks for a minute misses the test runner's calls.
const run = (file: string, args: ReadonlyArray<string>, cwd: string) =>
  promisify(execFile)(file, args, { cwd, env: cleanEnv(), encoding: "utf8" }).then(
    ({ stdout }) => ({ status: 0, stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      status: error.code ?? 1,
      stdout: `${error.stdout ?? ""}${error.stderr ?? ""}`
    })
  )

const manifestOf = (pkg: string) =>
  JSON.parse(fs.readFileSync(path.join(repoRoot, "packages", pkg, "package.json"), "utf8")) as {
    readonly dependencies?: Record<string, string>
    readonly peerDependencies?: Record<string, string>
  }

const jsFiles = (dir: string): Array<string> =>
  fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"))

/** The packages a built module imports (static, dynamic and re-exports, as TypeScript's scanner finds them). */
const bareImports = (code: string): Array<string> =>
  ts.preProcessFile(code, true, true).importedFiles.map(({ fileName }) => fileName)
    .filter((spec) => !spec.startsWith("."))
    .map((spec) => spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!)

const probe = `
import * as fs from "node:fs"
import { createRequire } from "node:module"
import { Effect } from "effect"
import * as Tsdevlake from "tsdevlake"
import * as Runtime from "tsdevlake/runtime"
import * as Testing from "@tsdevlake/testing"

const rows = await Effect.runPromise(
  Effect.flatMap(Runtime.Db.Database, (db) => db.execute("select 1 + 1 as two")).pipe(Effect.provide(Runtime.Db.layerMemory))
)
const fromFramework = createRequire(createRequire(import.meta.url).resolve("tsdevlake")).resolve("effect")
console.log(JSON.stringify({
  tsdevlake: Object.keys(Tsdevlake).sort(),
  runtime: Object.keys(Runtime).sort(),
  testing: Object.keys(Testing).sort(),
  rows,
  effect: fs.realpathSync(fromFramework) === fs.realpathSync(createRequire(import.meta.url).resolve("effect"))
}))
`

const typed = `
import { Effect, Schema } from "effect"
import { Model, type Plugin } from "tsdevlake"
import { Db } from "tsdevlake/runtime"
import * as Testing from "@tsdevlake/testing"

export class Conn extends Model.Connection<Conn>("Conn")({ url: Schema.String, token: Model.Secret }) {}

export const rows: Effect.Effect<ReadonlyArray<Db.Row>, Db.DbError> = Effect.flatMap(
  Db.Database,
  (db) => db.execute("select 1")
).pipe(Effect.provide(Db.layerMemory))

export const check: (plugin: Plugin.Plugin) => void = Testing.assertValidPlugin

// @ts-expect-error the shipped declarations are types, not \`any\`
export const missing = Db.noSuchExport
`

describe("npm pack", () => {
  let dir = ""
  let packed: ReadonlyArray<Packed> = []

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-pack-"))
    packed = await pack(packages.map((pkg) => `./packages/${pkg}`), dir)
    await installOffline(dir, packed, ["@types/node"])
  }, 600_000)

  afterAll(() => {
    if (dir !== "") fs.rmSync(dir, { recursive: true, force: true })
  })

  it("ships built JavaScript, declarations and the CHANGELOG, no tests", () => {
    for (const { filename } of packed) {
      const files = execFileSync("tar", ["-tzf", path.join(dir, filename)], { encoding: "utf8" }).split("\n")
      expect(files, filename).toContain("package/dist/index.js")
      expect(files, filename).toContain("package/dist/index.d.ts")
      expect(files, filename).toContain("package/CHANGELOG.md")
      expect(files.filter((file) => /\/test\/|\.test\.|tsbuildinfo/.test(file)), filename).toEqual([])
    }
  })

  it("declares every package its built modules import", () => {
    for (const pkg of packages) {
      const manifest = manifestOf(pkg)
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {})
      ])
      const dist = path.join(repoRoot, "packages", pkg, "dist")
      const imported = new Set(
        jsFiles(dist).flatMap((file) => bareImports(fs.readFileSync(path.join(dist, file), "utf8")))
      )
      const undeclared = [...imported].filter((name) => !name.startsWith("node:") && !declared.has(name))
      expect(undeclared, pkg).toEqual([])
    }
  })

  it("loads in plain node, with the public API of the sources and one copy of effect", async () => {
    const out = await run(process.execPath, ["--input-type=module", "-e", probe], dir)
    expect(out.status, out.stdout).toBe(0)
    const result = JSON.parse(out.stdout) as Record<string, unknown>
    const keys = (module: object) => Object.keys(module).sort()
    expect(result).toEqual({
      tsdevlake: keys(await import("tsdevlake")),
      runtime: keys(await import("tsdevlake/runtime")),
      testing: keys(await import("@tsdevlake/testing")),
      rows: [{ two: 2 }],
      effect: true
    })
    expect(fs.existsSync(path.join(dir, "node_modules/tsdevlake/node_modules/effect"))).toBe(false)
  })

  it("type-checks a plugin's imports against the shipped declarations", async () => {
    fs.writeFileSync(path.join(dir, "check.ts"), typed)
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          types: ["node"]
        },
        files: ["check.ts"]
      })
    )
    const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc")
    expect(await run(process.execPath, [tsc, "-p", dir], dir)).toEqual({ status: 0, stdout: "" })
    // The declarations tsc read are the tarball's, not this repository's sources.
    const files = (await run(process.execPath, [tsc, "-p", dir, "--listFilesOnly"], dir)).stdout
    expect(files).toContain(path.join(fs.realpathSync(dir), "node_modules/tsdevlake/dist/index.d.ts"))
    expect(files).toContain(path.join(fs.realpathSync(dir), "node_modules/@tsdevlake/testing/dist/index.d.ts"))
    expect(files).not.toContain("/src/")
  })
})
