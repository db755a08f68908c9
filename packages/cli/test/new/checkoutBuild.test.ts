/**
 * `new` on a checkout emits the checkout's packages first (the checkout's `npm install` builds only what its
 * `npm start` needs, and a linked project loads the packages' dist/): the tsc it runs, the one line when it
 * fails, and the real run on this checkout (built already, so quick).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { buildCheckoutPackages, checkoutBuildConfig, type TscRun } from "../../src/new/checkoutBuild.js"

const repoRoot = path.resolve(import.meta.dirname, "../../../..")

describe("buildCheckoutPackages", () => {
  it.effect("runs the checkout's own tsc -b --noCheck on the linked packages' build configurations", () =>
    Effect.gen(function*() {
      const calls: Array<{ root: string; tsc: string; args: ReadonlyArray<string> }> = []
      yield* buildCheckoutPackages(repoRoot, (root, tsc, args): TscRun => {
        calls.push({ root, tsc, args })
        return { status: 0, output: "" }
      })
      assert.deepStrictEqual(calls, [{
        root: repoRoot,
        tsc: path.join(repoRoot, "node_modules/typescript/bin/tsc"),
        args: ["-b", "--noCheck", checkoutBuildConfig]
      }])
      // The list names both packages a project links, in dependency order.
      const list = JSON.parse(fs.readFileSync(path.join(repoRoot, checkoutBuildConfig), "utf8"))
      assert.deepStrictEqual(list.references.map((reference: { path: string }) => reference.path), [
        "packages/tsdevlake/tsconfig.build.json",
        "packages/testing/tsconfig.build.json"
      ])
      for (const reference of list.references) assert.isTrue(fs.existsSync(path.join(repoRoot, reference.path)))
    }))

  it.effect("fails in one line with tsc's first, and asks for npm install where typescript is missing", () =>
    Effect.gen(function*() {
      const failed = yield* Effect.either(buildCheckoutPackages(repoRoot, () => ({
        status: 2,
        output: "\nsrc/a.ts(1,1): error TS1005: ';' expected.\nsrc/b.ts(2,2): error TS1005: ')' expected.\n"
      })))
      assert.isTrue(Either.isLeft(failed))
      if (Either.isLeft(failed)) {
        assert.strictEqual(
          failed.left.message,
          `new: building the packages of the checkout at ${repoRoot} failed: src/a.ts(1,1): error TS1005: ';' expected.`
        )
      }
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-checkout-"))
      const missing = yield* Effect.either(buildCheckoutPackages(empty))
      fs.rmSync(empty, { recursive: true, force: true })
      assert.isTrue(Either.isLeft(missing))
      if (Either.isLeft(missing)) {
        assert.strictEqual(
          missing.left.message,
          `new: the checkout at ${empty} has no typescript: run npm install there first`
        )
      }
    }))

  it.effect("builds this checkout's packages with its real tsc", () =>
    Effect.gen(function*() {
      yield* buildCheckoutPackages(repoRoot)
      for (const file of ["packages/tsdevlake/dist/index.js", "packages/testing/dist/index.d.ts"]) {
        assert.isTrue(fs.existsSync(path.join(repoRoot, file)), file)
      }
    }), 120_000)
})
