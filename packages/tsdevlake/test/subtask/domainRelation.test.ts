import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref, Schema, Stream } from "effect"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Ipc from "../../src/Ipc.js"
import * as Migration from "../../src/Migration.js"
import * as MigrationRunner from "../../src/MigrationRunner.js"
import * as Model from "../../src/Model.js"
import * as Plugin from "../../src/Plugin.js"
import * as State from "../../src/State.js"
import * as Subtask from "../../src/Subtask.js"
import { noPkColumns } from "../utils/columns.js"

class Conn extends Model.Connection<Conn>("Conn")({}) {}
class Repo extends Model.ToolScope<Repo>("Repo")({}) {}
class Config extends Model.ScopeConfig<Config>("Config")({}) {}
class Build extends Model.ToolModel<Build>("Build")({
  id: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
  commits: Schema.Array(Schema.String)
}) {}

class BuildCommit extends Model.DomainRelation<BuildCommit>("BuildCommit", { table: "rel_build_commits" })({
  buildId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  commitSha: Schema.String.pipe(Model.maxLength(40), Model.primaryKey),
  position: Schema.Int
}) {}

const Builds = DataStream.make({
  name: "builds",
  toolModel: Build,
  domainTypes: ["CICD"],
  domainModels: [BuildCommit],
  collect: () =>
    Stream.fromIterable([
      DataStream.raw({ id: "b1", commits: ["aaa", "bbb"] }),
      DataStream.raw({ id: "b2", commits: ["ccc"] })
    ]),
  convert: (build) =>
    Effect.succeed(
      build.commits.map((sha, position) => new BuildCommit({ buildId: build.id, commitSha: sha, position }))
    )
})

const RelPlugin = Plugin.make({
  name: "rel",
  connection: Conn,
  scope: Repo,
  scopeConfig: Config,
  streams: [Builds],
  migrations: [
    Migration.script({
      version: 20261127000001,
      name: "init",
      operations: [Conn, Repo, Config, Build].map((m) => Migration.createTable(m, { pluginFolder: "rel" }))
    })
  ],
  testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
  remoteScopeGroups: () => Effect.succeed([]),
  remoteScopes: () => Effect.succeed([]),
  domainScopes: () => []
})

describe("Model.DomainRelation", () => {
  it("has the raw-data origin columns and its own key, no id", () => {
    const fields = Model.fieldsOf(BuildCommit)
    expect(fields.map((f) => f.column)).toEqual([
      ...noPkColumns,
      "build_id",
      "commit_sha",
      "position"
    ])
    expect(Model.primaryKeyOf(BuildCommit).map((f) => f.column)).toEqual(["build_id", "commit_sha"])
    expect(Model.kindOf(BuildCommit)).toBe("domain")
    expect(Model.explicitTableName(BuildCommit)).toBe("rel_build_commits")
  })

  it.effect("a convertor writes relation rows by their key, with the tool row's origin", () =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const ctx = Subtask.taskContext(RelPlugin, {
        connection: new Conn({ id: 2, name: "c" }),
        scope: new Repo({ id: "r1", connectionId: 2 }),
        scopeConfig: new Config({}),
        options: {}
      })
      const layer = Layer.mergeAll(State.layerSql, Ipc.layerMemory(lines)).pipe(Layer.provideMerge(Db.layerMemory))
      const rows = yield* Effect.gen(function*() {
        yield* MigrationRunner.apply(RelPlugin.migrations, { domainModels: [BuildCommit] })
        for (const verb of DataStream.verbs) yield* Subtask.run(RelPlugin, verb, Builds, ctx)
        // A second full convert replaces the scope's relation rows instead of adding to them.
        yield* Subtask.run(RelPlugin, "convert", Builds, ctx)
        const db = yield* Db.Database
        return yield* db.execute(
          "SELECT build_id, commit_sha, position, _raw_data_params, _raw_data_table FROM rel_build_commits ORDER BY build_id, position"
        )
      }).pipe(Effect.provide(layer))
      const origin = { _raw_data_params: "{\"ConnectionId\":2,\"ScopeId\":\"r1\"}", _raw_data_table: "_raw_rel_builds" }
      expect(rows).toEqual([
        { build_id: "b1", commit_sha: "aaa", position: 0, ...origin },
        { build_id: "b1", commit_sha: "bbb", position: 1, ...origin },
        { build_id: "b2", commit_sha: "ccc", position: 0, ...origin }
      ])
    }))
})
