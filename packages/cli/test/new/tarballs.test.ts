/**
 * The framework as an author outside this repository gets it from npm: `npm pack` of tsdevlake, @tsdevlake/testing
 * and @tsdevlake/cli, `tsdevlake new demo --framework <the tarballs>` in a temporary folder, `npm install` from the
 * tarballs with no network, then the project's tests, build, run.sh plugin-info, `tsdevlake check` and
 * `tsdevlake run` (npm start) through the bin of the installed cli tarball. Slow: one pack, one project.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { once } from "node:events"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Readable } from "node:stream"
import { afterAll } from "vitest"
// The helper pack.test.ts installs the framework's tarballs with (a lock seeded from this repository's).
import { installProjectOffline, pack, repoRoot } from "../../../tsdevlake/test/scripts/offlineInstall.js"
import { tsdevlake } from "../bin.js"

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-tarballs-"))
const tarballs = path.join(tmp, "tarballs")
const project = path.join(tmp, "demo")
const installedBin = path.join(project, "node_modules/.bin/tsdevlake")

// The project's npm and vitest must not see this repository's npm run or vitest worker (nor its colours).
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|FORCE_COLOR$)/.test(key))
)

// Asynchronous, so that vitest's worker keeps answering while npm runs for a minute.
const sh = async (command: string, args: ReadonlyArray<string>, expected = 0) => {
  const child = spawn(command, args, { cwd: project, env, stdio: ["ignore", "pipe", "pipe", "pipe"] })
  const chunks = { out: [] as Array<Buffer>, fd3: [] as Array<Buffer> }
  child.stdout!.on("data", (chunk: Buffer) => chunks.out.push(chunk))
  child.stderr!.on("data", (chunk: Buffer) => chunks.out.push(chunk))
  ;(child.stdio[3] as Readable).on("data", (chunk: Buffer) => chunks.fd3.push(chunk))
  const [status] = (await once(child, "close")) as [number | null]
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
  const output = Buffer.concat(chunks.out).toString("utf8").replace(/\u001b\[[0-9;]*m/g, "")
  expect(status, `${command} ${args.join(" ")}:\n${output.slice(-3000)}`).toBe(expected)
  return { output, fd3: Buffer.concat(chunks.fd3).toString("utf8") }
}

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
    const help = (await sh(installedBin, ["--help"])).output
    for (const command of ["build", "check", "new", "run"]) expect(help).toMatch(new RegExp(`^\\s+- ${command} `, "m"))

    expect((await sh("npm", ["test"])).output).toMatch(/Tests\s+6 passed \(6\)/)
    await sh("npm", ["run", "build"])

    const info = JSON.parse((await sh("./run.sh", ["plugin-info", "{}"])).fd3)
    expect(info.name).toBe("demo")
    expect(info.subtask_metas.map((meta: { name: string }) => meta.name)).toEqual([
      "Collect Tasks",
      "Extract Tasks",
      "Convert Tasks"
    ])
    // Go's rules on that reply (run's checkPluginInfo), the migrations' tables and the domain types.
    expect((await sh(installedBin, ["check", "."])).output).toContain("OK")

    // `tsdevlake run` (the installed bin on npm's PATH) against the project's mock: raw, tool and domain rows.
    const started = (await sh("npm", ["start"])).output
    expect(started).toMatch(/_raw_demo_tasks\s+[1-9]/)
    expect(started).toMatch(/_tool_demo_tasks\s+5/)
    expect(started).toMatch(/issues\s+5/)
  }, 900_000)
})
