// `run.sh migrate` after a field was added to a model whose table an already applied script created: the
// scripts are all applied, yet the table lacks the column; migrate says so in one line and fails.
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Ref, Schema, Stream } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Cli from "../../src/Cli.js"
import * as DataStream from "../../src/DataStream.js"
import * as Ipc from "../../src/Ipc.js"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import { exitCode } from "../../src/internal/runtime/failure.js"

class Conn extends Model.Connection<Conn>("Conn")({}) {}
class Project extends Model.ToolScope<Project>("Project")({}) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}
class TaskV1 extends Model.ToolModel<TaskV1>("Task")({ id: Schema.Int.pipe(Model.primaryKey) }) {}
class Task extends Model.ToolModel<Task>("Task")({
  id: Schema.Int.pipe(Model.primaryKey),
  dueAt: Schema.optional(Model.DateTime)
}) {}

const pluginOf = (model: typeof TaskV1 | typeof Task) =>
  Plugin.make({
    name: "acme",
    connection: Conn,
    scope: Project,
    scopeConfig: Config,
    streams: [DataStream.make({
      name: "tasks",
      toolModel: model,
      domainTypes: ["TICKET"],
      collect: () => Stream.empty,
      convert: () => Effect.succeed([])
    })],
    migrations: [Migration.script({
      version: 20240101000001,
      name: "init schemas",
      operations: [Conn, Project, Config, model].map((m) => Migration.createTable(m))
    })],
    testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
    remoteScopeGroups: () => Effect.succeed([]),
    remoteScopes: () => Effect.succeed([]),
    domainScopes: () => []
  })

const migrate = (plugin: Plugin.Plugin, dbUrl: string) =>
  Effect.gen(function*() {
    const cli = Command.run(Cli.command(plugin, { pluginPath: "/bin/sh" }), { name: "acme", version: "0" })
    const args = ["migrate", "{\"log_level\":\"none\"}", JSON.stringify({ db_url: dbUrl })]
    return yield* Effect.exit(
      cli(["node", "main.js", ...args]).pipe(
        Effect.provide(Layer.merge(NodeContext.layer, Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([]))))
      )
    )
  })

describe("migrate", () => {
  it.effect("reports a column the applied scripts never added, in one line, with a non-zero exit", () =>
    Effect.gen(function*() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsdevlake-migrate-"))
      const dbUrl = `sqlite://${path.join(dir, "acme.db")}`
      try {
        assert.isTrue(Exit.isSuccess(yield* migrate(pluginOf(TaskV1), dbUrl)))
        const exit = yield* migrate(pluginOf(Task), dbUrl)
        assert.isTrue(Exit.isFailure(exit))
        assert.strictEqual(exitCode(exit), 1)
        if (Exit.isFailure(exit)) {
          assert.strictEqual(
            Cli.describeFailure(exit.cause),
            "model Task: field dueAt has no column due_at in _tool_acme_tasks (the table was created before the " +
              "field existed): add a new migration script with Migration.addColumn(Task, \"due_at\", " +
              "\"datetime(3)\") (\"timestamptz\" on PostgreSQL: one Migration.execute per dialect)"
          )
        }
        // A fresh database gets the column from the same script: nothing to report.
        assert.isTrue(Exit.isSuccess(yield* migrate(pluginOf(Task), `sqlite://${path.join(dir, "fresh.db")}`)))
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }))
})
