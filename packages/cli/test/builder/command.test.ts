/**
 * `tsdevlake build`: what it leaves in dist/ (the global setup built the fixture with it), its one-line errors,
 * and the launcher's inspector switch (TSDEVLAKE_INSPECT, TSDEVLAKE_INSPECT_BRK).
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fixture, tsdevlake } from "../bin.js"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    }).on("error", reject)
  })

// NODE_OPTIONS empty: dist/run starts the short commands from the snapshot only then.
const pluginInfo = (env: NodeJS.ProcessEnv) =>
  spawnSync("sh", ["-x", path.join(fixture, "dist/run"), "plugin-info", "{}"], {
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    encoding: "utf8"
  })

describe("tsdevlake build", () => {
  it("leaves the bundle, code cache, snapshot and launcher in dist/, and no run.sh nor staging folder", () => {
    expect(fs.readdirSync(path.join(fixture, "dist")).sort()).toEqual(
      ["main.cjs", "node_modules", "plugin.cjs", "plugin.cjs.cache", "plugin.cjs.map", "run", "snapshot.blob"]
    )
    // DevLake takes every run.sh below REMOTE_PLUGIN_DIR for a plugin.
    const files = fs.readdirSync(path.join(fixture, "dist"), { recursive: true }).map(String)
    expect(files.filter((file) => path.basename(file) === "run.sh")).toEqual([])
    expect(fs.readdirSync(fixture).sort()).toEqual(["dist", "run.sh", "src"])
    const run = pluginInfo({})
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain("--snapshot-blob dist/snapshot.blob")
    expect(JSON.parse(String(run.output[3])).name).toBe("fake")
  })

  it("makes run.sh and dist/ alone a plugin that runs anywhere, with its database drivers in dist/node_modules", () => {
    const deployed = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-deployed-"))
    try {
      fs.cpSync(path.join(fixture, "run.sh"), path.join(deployed, "fake/run.sh"))
      fs.cpSync(path.join(fixture, "dist"), path.join(deployed, "fake/dist"), { recursive: true })
      // Outside the repository, so no node_modules folder above it has the drivers.
      const load = spawnSync(process.execPath, [
        "-e",
        `const load = require("node:module").createRequire(process.argv[1])
        for (const driver of ["better-sqlite3", "mysql2", "pg"]) console.log(load.resolve(driver))
        new (load("better-sqlite3"))(":memory:").close()`,
        path.join(deployed, "fake/dist/plugin.cjs")
      ], { encoding: "utf8" })
      expect(load.stderr).toBe("")
      for (const line of load.stdout.trim().split("\n")) {
        expect(line.startsWith(`${deployed}/fake/dist/node_modules/`)).toBe(true)
      }
      const migrate = spawnSync(
        path.join(deployed, "fake/run.sh"),
        ["migrate", "{}", JSON.stringify({ db_url: `sqlite://${deployed}/lake.db` })],
        { cwd: deployed, stdio: ["ignore", "pipe", "pipe", "pipe"], encoding: "utf8" }
      )
      expect(migrate.stderr).toBe("")
      expect(migrate.status).toBe(0)
      expect(migrate.stdout).toContain("2 script(s) applied")
    } finally {
      fs.rmSync(deployed, { recursive: true })
    }
  })

  it("says in one line that a folder has no plugin entry", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-build-"))
    try {
      const { status, stdout, stderr } = tsdevlake(["build"], { cwd: empty })
      expect(stderr).toBe(`tsdevlake: build: .: no src/main.ts (the plugin's entry)\n`)
      expect(status).toBe(1)
      expect(stdout).toBe("")
    } finally {
      fs.rmSync(empty, { recursive: true })
    }
  })

  it("says why each plugin did not build, and keeps no staging folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-build-"))
    try {
      for (const plugin of ["a", "b"]) {
        fs.mkdirSync(path.join(dir, plugin, "src"), { recursive: true })
        fs.writeFileSync(path.join(dir, plugin, "src/main.ts"), "export const = 1\n")
      }
      const { status, stderr } = tsdevlake(["build", "a", "b"], { cwd: dir })
      // esbuild prints its errors in full first.
      const lines = stderr.trimEnd().split("\n")
      expect(lines.slice(-2)).toEqual([
        "build failed: a: Build failed with 1 error:",
        "tsdevlake: build failed: b: Build failed with 1 error:"
      ])
      expect(status).toBe(1)
      expect(fs.readdirSync(path.join(dir, "a")).sort()).toEqual(["src"])
    } finally {
      fs.rmSync(dir, { recursive: true })
    }
  })

  it("rejects a folder that does not exist in one line, with exit code 2", () => {
    const { status, stderr } = tsdevlake(["build", "no/such/folder"])
    expect(stderr).toBe(`tsdevlake: Path 'no/such/folder' must exist\n`)
    expect(status).toBe(2)
  })
})

describe("TSDEVLAKE_INSPECT", () => {
  it("starts the plugin under the inspector on the given address, from the code cache", async () => {
    const port = await freePort()
    const run = pluginInfo({ TSDEVLAKE_INSPECT: `127.0.0.1:${port}` })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain(`--inspect=127.0.0.1:${port} dist/main.cjs plugin-info`)
    expect(run.stderr).not.toContain("--snapshot-blob")
    expect(run.stderr).toMatch(new RegExp(`^Debugger listening on ws://127\\.0\\.0\\.1:${port}/`, "m"))
    expect(JSON.parse(String(run.output[3])).name).toBe("fake")
  })

  it("is off when 0", () => {
    const run = pluginInfo({ TSDEVLAKE_INSPECT: "0" })
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).not.toContain("--inspect")
    expect(run.stderr).not.toContain("Debugger listening")
  })

  it("waits for a debugger before the first line with TSDEVLAKE_INSPECT_BRK", async () => {
    const port = await freePort()
    const child = spawn(path.join(fixture, "run.sh"), ["plugin-info", "{}"], {
      env: { ...process.env, NODE_OPTIONS: "", TSDEVLAKE_INSPECT_BRK: String(port) },
      stdio: ["ignore", "ignore", "pipe", "pipe"]
    })
    let stderr = ""
    let reply = ""
    child.stderr!.on("data", (chunk) => (stderr += chunk))
    child.stdio[3]!.on("data", (chunk) => (reply += chunk))
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve))
    try {
      for (let i = 0; i < 100 && !stderr.includes("Debugger listening"); i++) {
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(stderr).toMatch(new RegExp(`^Debugger listening on ws://127\\.0\\.0\\.1:${port}/`, "m"))
      // plugin-info takes well under a second; paused at the first line, it has not replied.
      await new Promise((r) => setTimeout(r, 1000))
      expect(child.exitCode).toBe(null)
      expect(reply).toBe("")
    } finally {
      child.kill()
      await exited
    }
  })
})
