/**
 * scripts/build.mjs on fixture plugins: one whose modules cannot be snapshotted (the build still succeeds, says
 * why there is no startup snapshot, and every command starts from the code cache instead), and one that shows
 * each process started from the snapshot drawing its own random numbers; and one whose definition is invalid, which
 * fails the build, and whose run.sh says why, each in one line.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const repoRoot = path.resolve(import.meta.dirname, "../../../..")
const pluginDir = path.join(import.meta.dirname, "../fixtures/unsnapshottable")
const randomDir = path.join(import.meta.dirname, "../fixtures/random")
const badStreamDir = path.join(import.meta.dirname, "../fixtures/badstream")

describe("scripts/build.mjs", () => {
  it("builds a plugin that cannot be snapshotted, which then runs from the code cache", () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), pluginDir], {
      encoding: "utf8"
    })
    expect(build.status, build.stderr).toBe(0)
    expect(build.stderr).toMatch(
      /unsnapshottable: no startup snapshot \(the plugin starts from the code cache\): Error: Cannot find module 'better-sqlite3'/
    )
    expect(fs.existsSync(path.join(pluginDir, "dist/snapshot.blob"))).toBe(false)
    const reply = execFileSync("sh", ["-c", `${path.join(pluginDir, "run.sh")} plugin-info '{}' 3>&1 1>/dev/null`], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" }
    })
    expect(JSON.parse(reply).name).toBe("fake")
  }, 60_000)

  it("reports a definition error in one line, from the build and from run.sh, with no stack trace", () => {
    const reason = `DataStream name "Pipelines" must be lower-case letters, digits and "_" (it names a table)`
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), badStreamDir], {
      encoding: "utf8"
    })
    expect(build.status).toBe(1)
    expect(build.stderr).toBe(`build failed: packages/tsdevlake/test/fixtures/badstream: ${reason}\n`)
    expect(build.stdout).toBe("")
    // The build stopped after writing the launcher, so run.sh runs (no snapshot: the bundle throws as it loads).
    for (const args of [["plugin-info", "{}"], ["anything"]]) {
      const run = spawnSync(path.join(badStreamDir, "run.sh"), args, {
        env: { ...process.env, NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "pipe", "pipe"],
        encoding: "utf8"
      })
      expect(run.status).toBe(1)
      expect(run.stderr).toBe(`error: badstream: ${reason}\n`)
      expect(run.stdout).toBe("")
    }
  }, 60_000)

  it("gives every process started from the snapshot its own Random seed", () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), randomDir], {
      encoding: "utf8"
    })
    expect(build.status, build.stderr).toBe(0)
    expect(fs.existsSync(path.join(randomDir, "dist/snapshot.blob"))).toBe(true)
    // Effect seeds its default Random when its module loads, which happened once, at build time.
    const draw = () => {
      const result = spawnSync("sh", [
        "-x",
        path.join(randomDir, "dist/run"),
        "test-connection",
        "{}",
        `{"name":"x","token":"t"}`
      ], {
        env: { ...process.env, NODE_OPTIONS: "" },
        stdio: ["ignore", "ignore", "pipe", "pipe"],
        encoding: "utf8"
      })
      expect(result.status, result.stderr).toBe(0)
      expect(result.stderr).toContain("--snapshot-blob dist/snapshot.blob")
      return JSON.parse(String(result.output[3])).message as string
    }
    const numbers = [draw(), draw(), draw()]
    for (const n of numbers) expect(Number(n)).toBeGreaterThanOrEqual(0)
    expect(new Set(numbers).size).toBe(3)
  }, 60_000)
})
