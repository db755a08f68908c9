/**
 * `tsdevlake check <plugin-dir | plugin-info.json>`: the static checks DevLake would otherwise fail on at
 * start-up or at the first pipeline, on the reply of the built plugin's `run.sh plugin-info` (exactly what
 * DevLake reads), or on a saved reply. One line per problem and exit code 1; one OK line and 0.
 */
import { Args, Command } from "@effect/cli"
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Invoker } from "tsdevlake/runtime"
import { CliError, printError } from "../failure.js"
import { pluginInfoProblems } from "./problems.js"

const target = Args.path({ name: "plugin-dir | plugin-info.json", exists: "yes" }).pipe(
  Args.withDescription(
    "a built plugin folder (its run.sh plugin-info is checked), or a file holding a plugin-info reply"
  )
)

const label = (file: string) => path.relative(process.cwd(), file) || "."

const fail = (message: string) => Effect.fail(new CliError({ message }))

// The reply as DevLake gets it: run.sh started as the Go server starts it, the reply read from fd 3.
const replyOfPlugin = (dir: string) => {
  const runSh = path.join(dir, "run.sh")
  if (!fs.existsSync(runSh)) return fail(`check: ${label(dir)}: no run.sh (DevLake starts a plugin through it)`)
  if (!fs.existsSync(path.join(dir, "dist", "run"))) {
    return fail(`check: ${label(dir)}: not built (no dist/run): run tsdevlake build ${label(dir)} first`)
  }
  return Invoker.call({ runSh, method: "plugin-info" }).pipe(
    Effect.mapError((error) => new CliError({ message: `check: ${label(dir)}: run.sh ${error.message}` }))
  )
}

const replyOfFile = (file: string) =>
  Effect.try({
    try: () => JSON.parse(fs.readFileSync(file, "utf8")) as unknown,
    catch: (error) => new CliError({ message: `check: ${label(file)}: not a JSON plugin-info reply: ${String(error)}` })
  })

/** Checks the plugin folder or plugin-info file at `target`; fails after printing one line per problem. */
export const check = (target: string) =>
  Effect.gen(function*() {
    const reply = yield* (fs.statSync(target).isDirectory() ? replyOfPlugin(target) : replyOfFile(target))
    const problems = pluginInfoProblems(reply)
    if (problems.length === 0) {
      const info = reply as { readonly name: string; readonly subtask_metas: ReadonlyArray<unknown> }
      return yield* Console.log(
        `${label(target)}: OK (plugin ${info.name}, ${info.subtask_metas.length} subtasks, as DevLake reads it)`
      )
    }
    for (const problem of problems) yield* printError(`${label(target)}: ${problem}`)
    return yield* fail(`check: ${label(target)}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`)
  })

export const checkCommand = Command.make("check", { target }, ({ target }) => check(target)).pipe(
  Command.withDescription("Check a built plugin (or a plugin-info reply) against what DevLake requires")
)
