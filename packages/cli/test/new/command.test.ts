// `tsdevlake new` as an author types it: one line and exit 1 for a bad name or a taken folder.
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll } from "vitest"
import { tsdevlake } from "../bin.js"

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-new-cli-"))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe("tsdevlake new", () => {
  it("refuses a name DevLake refuses, in one line", () => {
    const { status, stdout, stderr } = tsdevlake(["new", "My-Plugin", "--dir", tmp])
    expect({ status, stdout, stderr }).toEqual({
      status: 1,
      stdout: "",
      stderr: "tsdevlake: new: plugin name \"My-Plugin\" must be lower-case letters and digits\n"
    })
    expect(fs.readdirSync(tmp)).toEqual([])
  })

  it("refuses a folder that exists and is not empty, in one line", () => {
    fs.mkdirSync(path.join(tmp, "taken"))
    fs.writeFileSync(path.join(tmp, "taken", "keep.txt"), "mine")
    const { status, stderr } = tsdevlake(["new", "taken", "--dir", tmp])
    expect(status).toBe(1)
    expect(stderr).toBe(
      `tsdevlake: new: ${path.join(tmp, "taken")} already exists and is not empty; choose another name or --dir\n`
    )
    expect(fs.readdirSync(path.join(tmp, "taken"))).toEqual(["keep.txt"])
  })

  it("says where the project is and its two commands", () => {
    const { status, stdout } = tsdevlake(["new", "fine"], { cwd: tmp })
    expect(status).toBe(0)
    expect(stdout).toMatch(/^created fine in .*fine, with the framework linked from the checkout at /)
    expect(stdout).toContain("\n  cd fine\n  npm install && npm start ")
    expect(fs.existsSync(path.join(tmp, "fine", "src", "plugin.ts"))).toBe(true)
    expect(tsdevlake(["new", "other", "--dir", path.join(tmp, "fine")], { cwd: path.join(tmp, "fine", "src") }).stdout)
      .toContain(
        `\n  cd ${path.join(tmp, "fine", "other")}\n`
      )
  })

  it("lists new in its help", () => {
    expect(tsdevlake(["--help"]).stdout).toMatch(/- new .*<name>/)
  })
})
