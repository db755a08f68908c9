/**
 * `npm start`: drives the fake plugin through run.sh exactly as the DevLake server would (plugin-info,
 * test-connection, remote-scopes, make-pipeline, then every subtask of the plan) on an embedded SQLite
 * file, and prints the rows written per table.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Db, Invoker } from "tsdevlake/runtime"

const root = path.resolve(import.meta.dirname, "..")
const runSh = path.join(root, "plugins/fakeplugin/run.sh")
const dbFile = path.join(root, ".tsdevlake/start.db")
const dbUrl = `sqlite://${dbFile}`

const connection = { id: 1, name: "fake", token: "this_is_a_valid_token", proxy: "" }

const call = (method: string, args: ReadonlyArray<unknown>) => Invoker.call({ runSh, method, args })
const stream = (method: string, args: ReadonlyArray<unknown>) => Invoker.stream({ runSh, method, args })

const program = Effect.gen(function*() {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true })
  fs.rmSync(dbFile, { force: true })
  const show = (label: string, value: unknown) => console.log(`${label.padEnd(18)} ${JSON.stringify(value)}`)

  const info = (yield* call("plugin-info", [])) as { name: string; subtask_metas: ReadonlyArray<{ name: string }> }
  show("plugin-info", { name: info.name, subtasks: info.subtask_metas.map((s) => s.name) })
  show("test-connection", yield* call("test-connection", [connection]))
  show("remote-scopes", yield* stream("remote-scopes", [connection, ""]))
  const scopes = (yield* stream("remote-scopes", [connection, "group1"])) as ReadonlyArray<{ data: any }>
  show("remote-scopes g1", scopes.map((s) => s.data.id))
  const scope = { ...scopes[0]!.data, scopeConfigId: 0 }
  const plan = (yield* call("make-pipeline", [[[scope, null]], connection])) as {
    plan: ReadonlyArray<ReadonlyArray<{ plugin: string; subtasks: ReadonlyArray<string>; options: any }>>
    scopes: ReadonlyArray<unknown>
  }
  show("make-pipeline", plan)

  const migrated = yield* Invoker.run({ runSh, method: "migrate", args: [{ db_url: dbUrl }] })
  if (migrated.exitCode !== 0) return yield* Effect.fail(new Error(`migrate: ${migrated.stderr.join(" ")}`))
  show("migrate", migrated.stdout.at(-1))
  const metas = new Map(
    (info.subtask_metas as ReadonlyArray<{ name: string; entry_point_name: string; arguments: Array<string> }>).map(
      (m) => [m.name, m]
    )
  )
  for (const stage of plan.plan) {
    for (const task of stage) {
      for (const name of task.subtasks) {
        const meta = metas.get(name)!
        const started = performance.now()
        const progress = yield* stream(meta.entry_point_name, [
          { db_url: dbUrl, scope, connection, scope_config: null, options: task.options },
          ...meta.arguments
        ])
        const last = progress.at(-1) as { current?: number } | undefined
        show(name, { records: last?.current ?? 0, ms: Math.round(performance.now() - started) })
      }
    }
  }

  const counts = yield* Effect.flatMap(Db.Database, (db) =>
    Effect.forEach(
      ["_raw_fake_fakepipelinestream", "_tool_fakeplugin_fakepipelines", "cicd_pipelines", "_pydevlake_subtask_runs"],
      (table) => Effect.map(db.countWhere(table, {}), (n) => [table, n] as const)
    )).pipe(Effect.provide(Db.layer(dbUrl)))
  console.log(`\nrows written to ${path.relative(root, dbFile)}:`)
  for (const [table, n] of counts) console.log(`  ${table.padEnd(34)} ${n}`)
})

Effect.runPromise(program).catch((error) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
