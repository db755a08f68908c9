/**
 * The framework as an author outside this repository gets it from npm: `npm pack` of tsdevlake, @tsdevlake/testing
 * and @tsdevlake/cli, `tsdevlake new demo --framework <the tarballs>` in a temporary folder, `npm install` from the
 * tarballs with no network, then the project's tests, build, run.sh plugin-info, `tsdevlake check` and
 * `tsdevlake run` (npm start) through the bin of the installed cli tarball. Slow: one pack, one project.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll } from "vitest"
// The helper pack.test.ts installs the framework's tarballs with (a lock seeded from this repository's).
import { installProjectOffline, pack, repoRoot } from "../../../tsdevlake/test/scripts/offlineInstall.js"
import { tsdevlake } from "../bin.js"
import { sh } from "./projectShell.js"

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-tarballs-"))
const tarballs = path.join(tmp, "tarballs")
const project = path.join(tmp, "demo")
const installedBin = path.join(project, "node_modules/.bin/tsdevlake")

const inProject = (command: string, args: ReadonlyArray<string>, expected = 0) => sh(project, command, args, expected)

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe("tsdevlake new demo on the packed framework, outside the repository", () => {
  it("installs from the tarballs offline, passes its tests, builds, checks and runs against its mock", async () => {
    expect(path.relative(repoRoot, tmp).startsWith("..")).toBe(true)
    fs.mkdirSync(tarballs)
    const packed = await pack(["./packages/tsdevlake", "./packages/testing", "./packages/cli"], tarballs)
    expect(packed.map((p) => p.name)).toEqual(["tsdevlake", "@tsdevlake/testing", "@tsdevlake/cli"])

    const created = tsdevlake(["new", "demo", "--dir", tmp, "--framework", tarballs])
    expect(created.stderr).toBe("")
    expect(created.status).toBe(0)
    const manifest = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"))
    for (const p of packed) {
      const deps = { ...manifest.dependencies, ...manifest.devDependencies }
      expect(deps[p.name]).toBe(`file:${path.join(tarballs, p.filename)}`)
    }

    await installProjectOffline(project, tarballs, packed)
    // Installed copies, not links into this checkout.
    for (const name of ["tsdevlake", "@tsdevlake/testing", "@tsdevlake/cli"]) {
      const installed = fs.realpathSync(path.join(project, "node_modules", name))
      expect(installed.startsWith(fs.realpathSync(project))).toBe(true)
    }
    expect(fs.existsSync(path.join(project, "node_modules/tsdevlake/dist/index.js"))).toBe(true)

    // The cli tarball's bin, as npm linked it.
    const help = (await inProject(installedBin, ["--help"])).output
    for (const command of ["build", "check", "new", "run"]) expect(help).toMatch(new RegExp(`^\\s+- ${command} `, "m"))

    expect((await inProject("npm", ["test"])).output).toMatch(/Tests\s+6 passed \(6\)/)
    await inProject("npm", ["run", "build"])

    const info = JSON.parse((await inProject("./run.sh", ["plugin-info", "{}"])).fd3)
    expect(info.name).toBe("demo")
    expect(info.subtask_metas.map((meta: { name: string }) => meta.name)).toEqual([
      "Collect Tasks",
      "Extract Tasks",
      "Convert Tasks"
    ])
    // Go's rules on that reply (run's checkPluginInfo), the migrations' tables and the domain types.
    expect((await inProject(installedBin, ["check", "."])).output).toContain("OK")

    // `tsdevlake run` (the installed bin on npm's PATH) against the project's mock: raw, tool and domain rows.
    const started = (await inProject("npm", ["start"])).output
    expect(started).toMatch(/_raw_demo_tasks\s+[1-9]/)
    expect(started).toMatch(/_tool_demo_tasks\s+5/)
    expect(started).toMatch(/issues\s+5/)
  }, 900_000)
})
