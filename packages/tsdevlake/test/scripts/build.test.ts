/**
 * scripts/build.mjs on fixture plugins: one whose modules cannot be snapshotted (the build still succeeds, says
 * why there is no startup snapshot, and every command starts from the code cache instead), and one that shows
 * each process started from the snapshot drawing its own random numbers (from the dist/ the build swapped in); one
 * whose definition is invalid, which fails the build in one line and leaves the previous dist/; and the launcher's
 * one line for a definition that fails where the plugin is deployed.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
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

  it("reports a definition error in one line, with no stack trace, and keeps the previous dist/", () => {
    const reason = `DataStream name "Pipelines" must be lower-case letters, digits and "_" (it names a table)`
    const dist = path.join(badStreamDir, "dist")
    fs.rmSync(dist, { recursive: true, force: true })
    fs.mkdirSync(dist)
    fs.writeFileSync(path.join(dist, "previous"), "the last good build")
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), badStreamDir], {
      encoding: "utf8"
    })
    expect(build.status).toBe(1)
    expect(build.stderr).toBe(`build failed: packages/tsdevlake/test/fixtures/badstream: ${reason}\n`)
    expect(build.stdout).toBe("")
    // The build happened in a staging folder, removed; dist/ is the previous build, untouched.
    expect(fs.readdirSync(dist)).toEqual(["previous"])
    expect(fs.readdirSync(badStreamDir).filter((name) => name.startsWith(".dist-"))).toEqual([])
  }, 60_000)

  it("gives every process started from the snapshot its own Random seed", () => {
    const build = spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), randomDir], {
      encoding: "utf8"
    })
    expect(build.status, build.stderr).toBe(0)
    expect(fs.existsSync(path.join(randomDir, "dist/snapshot.blob"))).toBe(true)
    // DevLake takes every run.sh below REMOTE_PLUGIN_DIR for a plugin: the plugin's own, never one in dist/.
    expect(fs.readdirSync(path.join(randomDir, "dist")).sort()).toEqual(
      ["main.cjs", "node_modules", "plugin.cjs", "plugin.cjs.cache", "plugin.cjs.map", "run", "snapshot.blob"]
    )
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

  it("names the bundle dist/plugin.cjs in the code cache it leaves, as stack traces and the inspector see it", () => {
    // The build made the cache in a staging folder; V8 keeps the name a cached script was compiled under. A
    // probe loaded with -r (a node option, so the cache is still accepted) records the files on the stack of the
    // plugin's first JSON.stringify.
    const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-probe-")), "probe.cjs")
    fs.writeFileSync(
      probe,
      `const stringify = JSON.stringify
JSON.stringify = function (...args) {
  const capture = {}
  const prepare = Error.prepareStackTrace
  Error.prepareStackTrace = (_, frames) => frames.map((frame) => frame.getFileName())
  Error.captureStackTrace(capture)
  const files = capture.stack
  Error.prepareStackTrace = prepare
  if (files.some((file) => String(file).endsWith("plugin.cjs"))) {
    JSON.stringify = stringify
    process.stderr.write("bundle: " + files.find((file) => String(file).endsWith("plugin.cjs")) + "\\n")
  }
  return stringify.apply(this, args)
}
`
    )
    const cache = path.join(randomDir, "dist/plugin.cjs.cache")
    const cached = fs.readFileSync(cache)
    const devNull = fs.openSync("/dev/null", "w")
    const run = spawnSync(
      process.execPath,
      ["--max-semi-space-size=4", "--max-old-space-size=512", "-r", probe, "dist/main.cjs", "plugin-info", "{}"],
      { cwd: randomDir, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "ignore", "pipe", devNull] }
    )
    fs.closeSync(devNull)
    fs.rmSync(path.dirname(probe), { recursive: true, force: true })
    expect(run.status, String(run.stderr)).toBe(0)
    expect(String(run.stderr)).toContain(`bundle: ${path.join(randomDir, "dist/plugin.cjs")}\n`)
    // The cache was accepted, not rejected and written again under the right name.
    expect(fs.readFileSync(cache).equals(cached)).toBe(true)
  }, 60_000)

  it("has the launcher report a definition error thrown as the plugin loads in one line", () => {
    // A plugin whose definition fails only where it is deployed: the good build of the test above, whose bundle
    // then throws as Plugin.make does. Without the snapshot (it would have thrown at build time) nor the code cache.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-launcher-"))
    const plugin = path.join(copy, "myplugin")
    fs.cpSync(randomDir, plugin, { recursive: true, filter: (source) => !source.endsWith(".blob") })
    const bundle = path.join(plugin, "dist/plugin.cjs")
    fs.rmSync(`${bundle}.cache`, { force: true })
    fs.writeFileSync(
      bundle,
      `throw Object.assign(new Error("Plugin name must be set\\nsecond line"), { name: "PluginDefinitionError" })\n`
    )
    try {
      for (const args of [["plugin-info", "{}"], ["anything"]]) {
        const run = spawnSync(path.join(plugin, "run.sh"), args, {
          env: { ...process.env, NODE_OPTIONS: "" },
          stdio: ["ignore", "pipe", "pipe", "pipe"],
          encoding: "utf8"
        })
        expect(run.stderr).toBe("error: myplugin: Plugin name must be set\n")
        expect(run.status).toBe(1)
        expect(run.stdout).toBe("")
      }
    } finally {
      fs.rmSync(copy, { recursive: true, force: true })
    }
  }, 60_000)

  // `npm start` runs it with --if-stale right after `npm install` built everything.
  it("with --if-stale, leaves a plugin alone until one of its inputs is newer than its build", () => {
    const build = () =>
      spawnSync(process.execPath, [path.join(repoRoot, "scripts/build.mjs"), "--if-stale", randomDir], {
        encoding: "utf8"
      })
    const source = path.join(randomDir, "src/main.ts")
    // Its source newer than any build it may have: built.
    const later = new Date(Date.now() + 1000)
    fs.utimesSync(source, later, later)
    const first = build()
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^built .*random in \d+ ms$/m)
    const builtAt = fs.statSync(path.join(randomDir, "dist/run")).mtimeMs
    const again = build()
    expect(again.status, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/^up to date: .*random$/m)
    expect(fs.statSync(path.join(randomDir, "dist/run")).mtimeMs).toBe(builtAt)
    // An input touched after the build: built again.
    const after = new Date(builtAt + 2000)
    fs.utimesSync(source, after, after)
    const third = build()
    expect(third.stdout).toMatch(/^built .*random in \d+ ms$/m)
  }, 120_000)
})
