/**
 * scripts/build.mjs for a plugin whose modules cannot be snapshotted: the build still succeeds, says why there
 * is no startup snapshot, and every command starts from the code cache instead.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const repoRoot = path.resolve(import.meta.dirname, "../../..")
const pluginDir = path.join(import.meta.dirname, "fixtures/unsnapshottable")

describe("scripts/build.mjs", () => {
  it("builds a plugin that cannot be snapshotted, which then runs from the code cache", () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), pluginDir], { encoding: "utf8" })
    expect(build.status, build.stderr).toBe(0)
    expect(build.stderr).toMatch(/unsnapshottable: no startup snapshot \(the plugin starts from the code cache\): Error: Cannot find module 'better-sqlite3'/)
    expect(fs.existsSync(path.join(pluginDir, "dist/snapshot.blob"))).toBe(false)
    const reply = execFileSync("sh", ["-c", `${path.join(pluginDir, "run.sh")} plugin-info '{}' 3>&1 1>/dev/null`], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" }
    })
    expect(JSON.parse(reply).name).toBe("fake")
  }, 60_000)
})
