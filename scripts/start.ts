/**
 * `npm start`: drives the fake plugin through run.sh as the DevLake server would: the calls of its UI
 * (test-connection, remote-scopes), then the pipeline of the scope it picked, by `tsdevlake run`'s own pipeline
 * (plugin-info checked, migrate, make-pipeline, every subtask of the plan) on a fresh embedded SQLite file, with
 * the rows written per table.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Invoker } from "tsdevlake/runtime"
import { runPipeline } from "../packages/cli/src/run/pipeline.js"
import { reporterFor } from "../packages/cli/src/run/progress.js"

const root = path.resolve(import.meta.dirname, "..")
const runSh = path.join(root, "plugins/fakeplugin/run.sh")
const dbFile = path.join(root, ".tsdevlake/start.db")

const connection = { id: 1, name: "fake", token: "this_is_a_valid_token", proxy: "" }

const program = Effect.gen(function*() {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true })
  fs.rmSync(dbFile, { force: true })
  const show = (label: string, value: unknown) => console.log(`${label.padEnd(18)} ${JSON.stringify(value)}`)

  show("test-connection", yield* Invoker.call({ runSh, method: "test-connection", args: [connection] }))
  show("remote-scopes", yield* Invoker.stream({ runSh, method: "remote-scopes", args: [connection, ""] }))
  const scopes =
    (yield* Invoker.stream({ runSh, method: "remote-scopes", args: [connection, "group1"] })) as ReadonlyArray<
      { data: Record<string, unknown> }
    >
  show("remote-scopes g1", scopes.map((s) => s.data["id"]))

  const result = yield* runPipeline({
    runSh,
    connection,
    scope: scopes[0]!.data,
    scopeConfig: undefined,
    dbUrl: `sqlite://${dbFile}`,
    dbDisplay: path.relative(root, dbFile),
    incremental: false,
    streams: [],
    reporter: reporterFor(process.stdout),
    log: (line) => console.log(line)
  })
  console.log(result.summary)
})

Effect.runPromise(program).catch((error) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
