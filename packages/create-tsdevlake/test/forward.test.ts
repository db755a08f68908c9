// `npm create tsdevlake <name>` runs create-tsdevlake's bin with `<name>` and the options after it: the bin is
// `tsdevlake new` with the same arguments, its output and its exit code.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const bin = path.join(import.meta.dirname, "../bin/create-tsdevlake.mjs")
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "create-tsdevlake-"))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const create = (args: ReadonlyArray<string>) => {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: "utf8" })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe("create-tsdevlake", () => {
  it("creates the project tsdevlake new creates, with the name and options it is given", () => {
    const { status, stdout, stderr } = create(["demo", "--dir", path.join(tmp, "plugins")])
    expect(stderr).toBe("")
    expect(status).toBe(0)
    expect(stdout).toMatch(/^created demo in .*plugins\/demo, /)
    const manifest = JSON.parse(fs.readFileSync(path.join(tmp, "plugins/demo/package.json"), "utf8"))
    expect(manifest.name).toBe("demo")
    expect(fs.existsSync(path.join(tmp, "plugins/demo/src/plugin.ts"))).toBe(true)
  })

  it("passes on tsdevlake new's one-line error and its exit code", () => {
    expect(create(["My-Plugin"])).toEqual({
      status: 1,
      stdout: "",
      stderr: "tsdevlake: new: plugin name \"My-Plugin\" must be lower-case letters and digits\n"
    })
    expect(fs.readdirSync(tmp)).toEqual(["plugins"])
  })
})
