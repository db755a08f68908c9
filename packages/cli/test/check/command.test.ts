/**
 * `tsdevlake check` as an author runs it: on a built plugin, on a saved plugin-info reply, and its one-line
 * errors.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fixture, fixtureReply, tsdevlake } from "../bin.js"

const inTempDir = <A>(f: (dir: string) => A): A => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-check-"))
  try {
    return f(dir)
  } finally {
    fs.rmSync(dir, { recursive: true })
  }
}

describe("tsdevlake check", () => {
  it("says OK in one line for a built plugin DevLake accepts", () => {
    const { status, stdout, stderr } = tsdevlake(["check", fixture])
    expect(stderr).toBe("")
    expect(stdout).toBe(`${path.relative(process.cwd(), fixture)}: OK (plugin fake, 3 subtasks, as DevLake reads it)\n`)
    expect(status).toBe(0)
  })

  it("prints one line per problem of a saved reply, then exits with 1", () =>
    inTempDir((dir) => {
      const reply = fixtureReply()
      reply.subtask_metas.push(reply.subtask_metas[0])
      reply.subtask_metas[1].domain_types = ["SCM"]
      fs.writeFileSync(path.join(dir, "reply.json"), JSON.stringify(reply))
      const { status, stdout, stderr } = tsdevlake(["check", "reply.json"], { cwd: dir })
      expect(stderr.split("\n")).toEqual([
        `reply.json: two subtasks are named "Collect Fakepipelinestream"`,
        expect.stringMatching(/^reply\.json: subtask "Extract Fakepipelinestream" has the unknown domain type "SCM"/),
        "tsdevlake: check: reply.json: 2 problems",
        ""
      ])
      expect(stdout).toBe("")
      expect(status).toBe(1)
    }))

  it("says in one line that a plugin is not built, or that its plugin-info failed", () =>
    inTempDir((dir) => {
      fs.writeFileSync(path.join(dir, "run.sh"), `#!/bin/sh\nexec "$(dirname "$0")/dist/run" "$@"\n`, { mode: 0o755 })
      const notBuilt = tsdevlake(["check", "."], { cwd: dir })
      expect(notBuilt.stderr).toBe("tsdevlake: check: .: not built (no dist/run): run tsdevlake build . first\n")
      expect(notBuilt.status).toBe(1)
      fs.mkdirSync(path.join(dir, "dist"))
      fs.writeFileSync(path.join(dir, "dist/run"), `#!/bin/sh\necho "error: x: no name" >&2\nexit 1\n`, { mode: 0o755 })
      const failed = tsdevlake(["check", "."], { cwd: dir })
      expect(failed.stderr).toBe("tsdevlake: check: .: run.sh plugin-info: exit 1: error: x: no name\n")
      expect(failed.status).toBe(1)
    }))

  it("says in one line that a file is not a JSON reply", () =>
    inTempDir((dir) => {
      fs.writeFileSync(path.join(dir, "reply.json"), "plugin-info\n")
      const { status, stderr } = tsdevlake(["check", "reply.json"], { cwd: dir })
      expect(stderr).toMatch(/^tsdevlake: check: reply\.json: not a JSON plugin-info reply: SyntaxError: [^\n]*\n$/)
      expect(status).toBe(1)
    }))
})
