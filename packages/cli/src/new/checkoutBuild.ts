/**
 * A project made on a checkout links the checkout's packages, and so loads their `dist/` (JavaScript and
 * declarations), never their sources. The checkout's `npm install` builds only what its `npm start` needs (the
 * plugin it runs bundles the sources), so `new` emits the packages first: about ten seconds the first time, under
 * one when they are up to date (`tsc -b`), and a rebuild when the checkout's sources changed since.
 */
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { CliError } from "../failure.js"

/** The checkout's list of the packages a project links (their build configurations), as `npm run build` emits them. */
export const checkoutBuildConfig = "tsconfig.packages.json"

/** What running tsc in a checkout returned: its exit status and what it printed. */
export interface TscRun {
  readonly status: number | null
  readonly output: string
}

/** Runs the checkout's own tsc with `args` in `root`. */
export const runTsc = (root: string, tsc: string, args: ReadonlyArray<string>): TscRun => {
  const run = spawnSync(process.execPath, [tsc, ...args], { cwd: root, encoding: "utf8" })
  return { status: run.status, output: `${run.stdout ?? ""}${run.stderr ?? ""}${run.error?.message ?? ""}` }
}

/**
 * Emits the packages of the checkout at `root` (`tsc -b --noCheck`: the checkout's `npm run check` type-checks
 * them). Fails in one line, with tsc's first, when they do not build.
 *
 * @example
 * yield* buildCheckoutPackages("/home/me/tsdevlake")
 */
export const buildCheckoutPackages = (root: string, run = runTsc): Effect.Effect<void, CliError> =>
  Effect.suspend(() => {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc")
    if (!fs.existsSync(tsc)) {
      return Effect.fail(
        new CliError({ message: `new: the checkout at ${root} has no typescript: run npm install there first` })
      )
    }
    const result = run(root, tsc, ["-b", "--noCheck", checkoutBuildConfig])
    if (result.status === 0) return Effect.void
    const first = result.output.split("\n").find((line) => line.trim() !== "") ?? `exit ${String(result.status)}`
    return Effect.fail(
      new CliError({ message: `new: building the packages of the checkout at ${root} failed: ${first.trim()}` })
    )
  })
