/**
 * The author's loop from an empty folder outside this repository: `tsdevlake new demo`, then, in the project,
 * `npm install` with no registry (its dependencies link this checkout), `npm test`, `npm run build`, run.sh, and
 * `npm start` against the project's own mock API. Slow: one project, built once.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { once } from "node:events"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Readable } from "node:stream"
import { afterAll, beforeAll } from "vitest"
import { tsdevlake } from "../bin.js"

const root = path.resolve(import.meta.dirname, "../../../..")
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-demo-"))
const project = path.join(tmp, "demo")

// The project's npm and vitest must not see this repository's npm run or vitest worker (nor its colours).
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|FORCE_COLOR$)/.test(key))
)

// Asynchronous, so that vitest's worker keeps answering while npm runs for a minute.
const sh = async (command: string, args: ReadonlyArray<string>, cwd = project) => {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe", "pipe"] })
  const chunks = { out: [] as Array<Buffer>, fd3: [] as Array<Buffer> }
  child.stdout!.on("data", (chunk: Buffer) => chunks.out.push(chunk))
  child.stderr!.on("data", (chunk: Buffer) => chunks.out.push(chunk))
  ;(child.stdio[3] as Readable).on("data", (chunk: Buffer) => chunks.fd3.push(chunk))
  const [status] = (await once(child, "close")) as [number | null]
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
  const output = Buffer.concat(chunks.out).toString("utf8").replace(/\u001b\[[0-9;]*m/g, "")
  expect(status, `${command} ${args.join(" ")} in ${cwd}:\n${output.slice(-3000)}`).toBe(0)
  return { output, fd3: Buffer.concat(chunks.fd3).toString("utf8") }
}

beforeAll(async () => {
  // The project loads the framework's built JavaScript (dist/), as from npm.
  await sh("npm", ["run", "build:packages", "--silent"], root)
}, 300_000)
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** The commands of the README's "Your own plugin", comments dropped. */
const readmeCommands = (): ReadonlyArray<string> => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
  const block = readme.split("## Your own plugin")[1]!.split("```sh\n")[1]!.split("```")[0]!
  return block.split("\n").map((line) => line.replace(/#.*$/, "").trim()).filter((line) => line !== "")
}

describe("tsdevlake new demo, outside the repository", () => {
  it("is what the README's \"Your own plugin\" says, line by line", () => {
    expect(readmeCommands()).toEqual(["npx tsdevlake new demo", "cd demo", "npm install && npm start", "npm test"])
  })

  // The README's four lines, in a folder outside the repository: `npx tsdevlake` is the checkout's bin (run
  // directly, with --dir), and `npm install` is told to stay offline, which the README says it can.
  it("installs offline, runs against its mock, passes its tests and answers plugin-info", async () => {
    expect(path.relative(root, tmp).startsWith("..")).toBe(true)
    const created = tsdevlake(["new", "demo", "--dir", tmp])
    expect(created.stderr).toBe("")
    expect(created.status).toBe(0)
    expect(created.stdout).toContain(
      `created demo in ${project}, with the framework linked from the checkout at ${root}`
    )

    await sh("npm", ["install", "--offline", "--no-audit", "--no-fund"])
    expect(fs.realpathSync(path.join(project, "node_modules/tsdevlake"))).toBe(path.join(root, "packages/tsdevlake"))

    const started = (await sh("npm", ["start"])).output
    expect(started).toMatch(/_tool_demo_tasks\s+5/)
    expect(started).toMatch(/issues\s+5/)

    expect((await sh("npm", ["test"])).output).toMatch(/Tests\s+6 passed \(6\)/)

    const info = JSON.parse((await sh("./run.sh", ["plugin-info", "{}"])).fd3)
    expect(info.name).toBe("demo")
    expect(info.plugin_path).toBe(path.join(project, "run.sh"))
    expect(info.subtask_metas.map((meta: { name: string }) => meta.name)).toEqual([
      "Collect Tasks",
      "Extract Tasks",
      "Convert Tasks"
    ])
  }, 600_000)
})
