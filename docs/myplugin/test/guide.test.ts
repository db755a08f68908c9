/**
 * docs/guide.md is code: its TypeScript blocks are cut from this plugin's sources and tests, its JSON block is
 * this package.json, its run.sh is this run.sh, and its shell blocks run (test/standalone.sh, against the fake
 * API).
 */
import Database from "better-sqlite3"
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { serve } from "./fakeApi.js"

const pluginDir = path.resolve(import.meta.dirname, "..")
const root = path.resolve(pluginDir, "../..")
const guide = fs.readFileSync(path.join(root, "docs/guide.md"), "utf8")
const read = (file: string) => fs.readFileSync(path.join(pluginDir, file), "utf8")
const blocks = (language: string) =>
  [...guide.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!)
const normalize = (s: string) => s.replace(/\s+/g, " ").trim()
const sourceFiles = (dir: string): Array<string> =>
  fs.readdirSync(path.join(pluginDir, dir)).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f))

describe("docs/guide.md", () => {
  it("cuts every TypeScript block from the plugin's sources and tests", () => {
    const sources = normalize([...sourceFiles("src"), ...sourceFiles("test"), "vitest.config.ts"].map(read).join("\n"))
    const ts = blocks("ts")
    expect(ts.length).toBeGreaterThanOrEqual(10)
    for (const block of ts) expect(sources, block).toContain(normalize(block))
  })

  it("shows the plugin's package.json and run.sh as they are", () => {
    expect(blocks("json")).toEqual([read("package.json")])
    expect(guide).toContain("```sh\n" + read("run.sh") + "```")
  })

  it("shows the Dockerfile as it is: it copies run.sh and dist/", () => {
    const dockerfile = read("Dockerfile")
    expect(blocks("dockerfile")).toEqual([dockerfile])
    const copied = [...dockerfile.matchAll(/^COPY --chown=\S+ (\S+) /gm)].map((m) => m[1]!)
    expect(copied).toEqual(["run.sh", "dist"])
  })

  it("sends DevLake JSON bodies that parse", () => {
    const bodies = [...blocks("console").join("\n").matchAll(/-d '([^']*)'/g)].map((m) => m[1]!)
    expect(bodies.length).toBeGreaterThanOrEqual(4)
    for (const body of bodies) expect(() => JSON.parse(body), body).not.toThrow()
  })

  it("creates the project folder as it says", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guide-"))
    fs.mkdirSync(path.join(dir, "plugins/fakeplugin"), { recursive: true })
    fs.copyFileSync(path.join(root, "plugins/fakeplugin/run.sh"), path.join(dir, "plugins/fakeplugin/run.sh"))
    const create = blocks("sh").find((b) => b.startsWith("mkdir"))!
    expect(spawnSync("sh", ["-e", "-c", create], { cwd: dir }).status).toBe(0)
    expect(fs.readFileSync(path.join(dir, "plugins/myplugin/run.sh"), "utf8")).toBe(read("run.sh"))
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

const runBash = (script: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("bash", ["-e", "-c", script], { cwd: pluginDir })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.once("error", reject)
    child.once("close", (status) => resolve({ status, stdout, stderr }))
  })

describe("the guide's standalone run", () => {
  let api: Awaited<ReturnType<typeof serve>>
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guide-run-"))
  beforeAll(async () => {
    api = await serve()
  })
  afterAll(async () => {
    await api?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it("shows the commands of test/standalone.sh", () => {
    const script = normalize(read("test/standalone.sh"))
    const shown = blocks("sh").filter((b) => b.includes("./run.sh"))
    expect(shown.length).toBe(4)
    for (const block of shown) expect(script, block).toContain(normalize(block))
  })

  it("runs them: plugin-info, test-connection, remote-scopes, migrate and every subtask", async () => {
    const db = path.join(dir, "myplugin.db")
    const script = read("test/standalone.sh").replaceAll("http://127.0.0.1:8080", api.url)
      // A free port for the inspector: 9229 may be taken.
      .replaceAll("TSDEVLAKE_INSPECT=9229", "TSDEVLAKE_INSPECT=127.0.0.1:0").replaceAll(
        "/tmp/myplugin.db",
        db
      )
    // Not spawnSync: the fake API answers from this process.
    const run = await runBash(script)
    expect(run.status, run.stderr + run.stdout).toBe(0)
    expect(run.stdout).toContain("\"name\":\"myplugin\"")
    expect(run.stdout).toContain("\"success\":true")
    expect(run.stdout).toContain("\"id\":\"p1\"")
    expect(run.stdout).not.toContain("guide-secret-token")
    expect(run.stderr).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:\d+/)
    // What the Dockerfile copies: dist/ holds no other run.sh for DevLake to take as a plugin.
    const runShs = fs.readdirSync(path.join(pluginDir, "dist"), { recursive: true, encoding: "utf8" })
      .filter((f) => path.basename(f) === "run.sh")
    expect(runShs).toEqual([])
    const sqlite = new Database(db, { readonly: true })
    const count = (table: string) => (sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
    expect([count("issues"), count("issue_comments"), count("_tool_myplugin_comments")]).toEqual([120, 240, 240])
    sqlite.close()
  })
})
