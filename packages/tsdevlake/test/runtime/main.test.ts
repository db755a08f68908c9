/**
 * A built plugin's command line as a user types it (`npm run build` first): `--log-level` before the command,
 * and `--help` into a pipe.
 */
import { assert, describe, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const runSh = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../plugins/fakeplugin/run.sh")
const run = (...args: Array<string>) =>
  spawnSync(runSh, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe", "pipe"] })

describe("run.sh of a built plugin", () => {
  it("takes --log-level before the command, as --help lists it, and it wins over the config's level", () => {
    for (const args of [["--log-level", "debug", "plugin-info", "{}"], ["--log-level=debug", "plugin_info"]]) {
      const result = run(...args)
      assert.strictEqual(result.status, 0, result.stderr)
      assert.match(result.stdout, /^DEBUG: fake plugin-info: started/m, args.join(" "))
    }
    const quiet = run("--log-level", "warning", "plugin-info", "{\"log_level\":\"debug\"}")
    assert.strictEqual(quiet.status, 0, quiet.stderr)
    assert.notMatch(quiet.stdout, /DEBUG/)
    const byConfig = run("plugin-info", "{\"log_level\":\"debug\"}")
    assert.match(byConfig.stdout, /^DEBUG: fake plugin-info: started/m)
  })

  it("says in one line what a --log-level without a level expects (exit 2)", () => {
    const result = run("--log-level", "verbose", "plugin-info", "{}")
    assert.strictEqual(result.status, 2)
    assert.match(
      result.stderr,
      /^error: --log-level: expects a level \(one of all, .*\), then the command \(one of plugin-info, /
    )
    assert.strictEqual(result.stderr.split("\n").length, 2)
  })

  it("prints --help without colour codes when stdout is not a terminal", () => {
    const result = run("--help")
    assert.strictEqual(result.status, 0, result.stderr)
    assert.include(result.stdout, "USAGE")
    assert.include(result.stdout, "--log-level")
    assert.notInclude(result.stdout, "\u001b")
  })
})
