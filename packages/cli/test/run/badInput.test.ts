/**
 * Bad input to `tsdevlake run`: one line on stderr naming what is wrong, a non-zero exit, and nothing run.
 */
import { describe, expect, it } from "@effect/vitest"
import { fakeConnection, fakeScope, tsdevlake } from "./utils.js"

const connection = JSON.stringify(fakeConnection)
const scope = JSON.stringify(fakeScope)

const refused = async (args: ReadonlyArray<string>, expected: RegExp, code = 1) => {
  const { status, stderr, stdout } = await tsdevlake(["run", ...args])
  expect(stderr).toMatch(expected)
  expect(stderr.trimEnd().split("\n"), stderr).toHaveLength(1)
  expect(status).toBe(code)
  expect(stdout).not.toContain("started")
}

// Concurrent: each case is a process that mostly waits for tsx to load the command.
describe.concurrent("tsdevlake run refuses bad input in one line", () => {
  it("malformed JSON", async () =>
    refused(
      ["plugins/fakeplugin", "--connection", connection, "--scope", "{id: p1}"],
      /^tsdevlake: --scope: not valid JSON: .*\(give JSON, or @file for a file\)\n$/
    ))

  it("a missing @file", async () =>
    refused(
      ["plugins/fakeplugin", "--connection", "@/nonexistent/connection.json", "--scope", scope],
      /^tsdevlake: --connection @\/nonexistent\/connection.json: cannot read \/nonexistent\/connection.json: no such file\n$/
    ))

  it("a scope without id", async () =>
    refused(
      ["plugins/fakeplugin", "--connection", connection, "--scope", "{\"name\":\"x\"}"],
      /^tsdevlake: --scope: the scope has no "id"\n$/
    ))

  it("a bad database URL", async () =>
    refused(
      ["plugins/fakeplugin", "--connection", connection, "--scope", scope, "--db-url", "oracle://u:secret@h/db"],
      /^tsdevlake: --db-url: .*oracle/
    ))

  it("a folder that is not a plugin", async () =>
    refused(
      ["packages/nothing-here", "--connection", connection, "--scope", scope],
      /^tsdevlake: packages\/nothing-here: no such folder\n$/
    ))

  it("an unknown stream (after plugin-info, before any migration)", async () =>
    refused(
      [
        "plugins/fakeplugin",
        "--connection",
        connection,
        "--scope",
        scope,
        "--stream",
        "nope",
        "--db-url",
        "sqlite:/nonexistent-dir/x.db"
      ],
      /^tsdevlake: --stream nope: plugin fake has no such stream \(its streams: fakepipelinestream\)\n$/
    ))

  it("a missing option, with @effect/cli's exit code 2", async () =>
    refused(["plugins/fakeplugin", "--scope", scope], /^tsdevlake: .*connection/, 2))
})
