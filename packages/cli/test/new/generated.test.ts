/**
 * The author's loop from an empty folder outside this repository: `tsdevlake new demo`, then, in the project,
 * `npm install` with no registry (its dependencies link this checkout), `npm test`, `npm run build`, run.sh, and
 * `npm start` against the project's own mock API. Slow: one project, built once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll } from "vitest"
import { tsdevlake } from "../bin.js"
import { sh } from "./projectShell.js"

const root = path.resolve(import.meta.dirname, "../../../..")
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-demo-"))
const project = path.join(tmp, "demo")

const inProject = (command: string, args: ReadonlyArray<string>) => sh(project, command, args)

// The project loads the framework's built JavaScript (dist/), as from npm: `tsdevlake new` emits it from this
// checkout, as the README's first line does on a fresh clone.
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

    await inProject("npm", ["install", "--offline", "--no-audit", "--no-fund"])
    expect(fs.realpathSync(path.join(project, "node_modules/tsdevlake"))).toBe(path.join(root, "packages/tsdevlake"))

    const started = (await inProject("npm", ["start"])).output
    expect(started).toMatch(/_tool_demo_tasks\s+5/)
    expect(started).toMatch(/issues\s+5/)

    expect((await inProject("npm", ["test"])).output).toMatch(/Tests\s+6 passed \(6\)/)

    const info = JSON.parse((await inProject("./run.sh", ["plugin-info", "{}"])).fd3)
    expect(info.name).toBe("demo")
    expect(info.plugin_path).toBe(path.join(project, "run.sh"))
    expect(info.subtask_metas.map((meta: { name: string }) => meta.name)).toEqual([
      "Collect Tasks",
      "Extract Tasks",
      "Convert Tasks"
    ])
  }, 600_000)
})
