import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { findRunSh, pluginPathOf } from "../../src/internal/runtime/pluginPath.js"

const tree = () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-runsh-"))
  const deep = path.join(root, "a", "b", "c", "d")
  fs.mkdirSync(deep, { recursive: true })
  return { root, deep }
}

describe("findRunSh", () => {
  it("finds run.sh next to the entry script or up to three folders above it", () => {
    const { deep, root } = tree()
    fs.writeFileSync(path.join(root, "run.sh"), "")
    assert.strictEqual(findRunSh(path.join(root, "main.js")), path.join(root, "run.sh"))
    assert.strictEqual(findRunSh(path.join(root, "a", "b", "c", "main.js")), path.join(root, "run.sh"))
    // From d/main.js: d, c, b and a are searched, not the root above them.
    assert.isUndefined(findRunSh(path.join(deep, "main.js")))
    fs.rmSync(root, { recursive: true, force: true })
  })

  it("prefers the nearest run.sh", () => {
    const { root } = tree()
    fs.writeFileSync(path.join(root, "a", "run.sh"), "")
    fs.writeFileSync(path.join(root, "a", "b", "run.sh"), "")
    assert.strictEqual(findRunSh(path.join(root, "a", "b", "c", "main.js")), path.join(root, "a", "b", "run.sh"))
    fs.rmSync(root, { recursive: true, force: true })
  })
})

describe("pluginPathOf", () => {
  it.effect("is the given path when it is executable", () =>
    Effect.gen(function*() {
      assert.strictEqual(yield* pluginPathOf("/bin/sh"), "/bin/sh")
    }))

  it.effect("fails with a usage error when the path is not executable", () =>
    Effect.gen(function*() {
      const { root } = tree()
      const runSh = path.join(root, "run.sh")
      fs.writeFileSync(runSh, "", { mode: 0o644 })
      const error = yield* Effect.flip(pluginPathOf(runSh))
      assert.strictEqual(error._tag, "UsageError")
      assert.strictEqual(error.message, `${runSh} is not executable`)
      fs.rmSync(root, { recursive: true, force: true })
    }))
})
