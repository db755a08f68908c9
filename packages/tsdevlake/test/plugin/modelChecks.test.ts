import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import { schemaAfter } from "../../src/internal/plugin/migrationScripts.js"
import {
  columnProblem,
  frameworkFieldProblem,
  migrationProblem,
  ownKeyProblem
} from "../../src/internal/plugin/modelChecks.js"

class Ticket extends Model.ToolModel<Ticket>("Ticket")({
  key: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
  title: Schema.String,
  startedAt: Schema.optional(Schema.NullOr(Model.DateTime))
}) {}
class Keyless extends Model.ToolModel<Keyless>("Keyless")({ title: Schema.String }) {}

const script = (version: number, ...operations: ReadonlyArray<Migration.Operation>) =>
  Migration.script({ version, name: `v${version}`, operations })

describe("ownKeyProblem", () => {
  it("accepts a tool model with a key besides connection_id and names one without", () => {
    expect(ownKeyProblem(Ticket)).toBeUndefined()
    expect(ownKeyProblem(Keyless)).toMatch(/^tool model Keyless has no primary key of its own/)
  })
})

describe("schemaAfter", () => {
  it("gives a created table NoPKModel's columns and the model's, and follows add, drop and rename", () => {
    const schema = schemaAfter([
      script(20240101000001, Migration.createTable(Ticket, { pluginFolder: "x" })),
      script(
        20240101000002,
        Migration.addColumn("_tool_x_tickets", "points", "bigint"),
        Migration.dropColumn("_tool_x_tickets", "title"),
        Migration.renameColumn("_tool_x_tickets", "started_at", "began_at"),
        Migration.renameTable("_tool_x_tickets", "_tool_x_issues"),
        Migration.execute("UPDATE _tool_x_issues SET points = 0")
      )
    ])
    expect([...schema.tables.keys()]).toEqual(["_tool_x_issues"])
    expect([...schema.tables.get("_tool_x_issues")!].sort()).toEqual([
      "_raw_data_id",
      "_raw_data_params",
      "_raw_data_remark",
      "_raw_data_table",
      "began_at",
      "connection_id",
      "created_at",
      "key",
      "points",
      "updated_at"
    ])
    expect(schema.executed).toEqual(["UPDATE _tool_x_issues SET points = 0"])
  })

  it("skips a create_table whose table exists, as Go does, and forgets a dropped table", () => {
    const schema = schemaAfter([
      script(
        20240101000001,
        Migration.createTable(Keyless, { tableName: "t" }),
        Migration.createTable(Ticket, { tableName: "t" }),
        Migration.createTable(Ticket, { tableName: "u" }),
        Migration.dropTable("u")
      )
    ])
    expect(schema.tables.get("t")!.has("key")).toBe(false)
    expect(schema.tables.has("u")).toBe(false)
  })
})

describe("migrationProblem", () => {
  it("suggests the column type create_table would have made", () => {
    const schema = schemaAfter([script(20240101000001, Migration.execute("SELECT 1"))])
    const created = schemaAfter([
      script(
        20240101000001,
        Migration.createTable(Keyless, { tableName: "_tool_x_tickets" })
      )
    ])
    expect(migrationProblem(Ticket, "x", schema)).toMatch(/^model Ticket: no migration script creates its table/)
    expect(migrationProblem(Ticket, "x", created)).toBe(
      "field Ticket.key: no migration script adds its column key to _tool_x_tickets: " +
        "add Migration.addColumn(Ticket, \"key\", \"varchar(64)\") to a migration script"
    )
    const withKey = schemaAfter([
      script(
        20240101000001,
        Migration.createTable(Keyless, { tableName: "_tool_x_tickets" }),
        Migration.addColumn("_tool_x_tickets", "key", "varchar(64)")
      )
    ])
    expect(migrationProblem(Ticket, "x", withKey)).toMatch(
      /"started_at", "datetime\(3\)"\) to a migration script \("timestamptz" on PostgreSQL: one Migration\.execute per dialect\)$/
    )
  })
})

describe("frameworkFieldProblem", () => {
  // The trial's model: an API's `createdAt`, which the default extractor skipped for the extraction time.
  class Task extends Model.ToolModel<Task>("Task")({
    id: Schema.Int.pipe(Model.primaryKey),
    createdAt: Model.DateTime
  }) {}

  it("names a tool model's field that re-declares a column extraction fills, with the fix", () => {
    expect(frameworkFieldProblem(Task)).toBe(
      "tool model Task: field createdAt is the framework's own column (the row's creation time), which extraction " +
        "sets; name yours otherwise, e.g. created: Model.DateTime.pipe(Model.source(\"/createdAt\"))"
    )
    class Keyed extends Model.ToolModel<Keyed>("Keyed")({
      id: Schema.Int.pipe(Model.primaryKey),
      connectionId: Schema.Int.pipe(Model.primaryKey)
    }) {}
    expect(frameworkFieldProblem(Keyed)).toMatch(
      /^tool model Keyed: field connectionId is the framework's own column \(the row's connection\).*apiConnectionId: Schema\.Int\.pipe\(Model\.source\("\/connectionId"\)\)$/
    )
    for (const name of ["updatedAt", "rawDataParams", "rawDataTable", "rawDataId", "rawDataRemark"]) {
      const Model_ = Model.ToolModel<any>("Twice")({ id: Schema.Int.pipe(Model.primaryKey), [name]: Schema.String })
      expect(frameworkFieldProblem(Model_)).toMatch(new RegExp(`^tool model Twice: field ${name} is the framework's`))
    }
  })

  it("accepts the base fields as the framework gives them", () => {
    expect(frameworkFieldProblem(Ticket)).toBeUndefined()
    expect(frameworkFieldProblem(Keyless)).toBeUndefined()
  })

  it("lets a scope narrow its id and name and a connection or scope config its name, and no more", () => {
    class Board extends Model.ToolScope<Board>("Board")({
      id: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
      name: Schema.String.pipe(Model.maxLength(100))
    }) {}
    class Conn extends Model.Connection<Conn>("Conn")({ name: Schema.String, proxy: Schema.String }) {}
    class Config extends Model.ScopeConfig<Config>("Config")({
      name: Schema.String,
      entities: Schema.Array(Schema.String)
    }) {}
    for (const model of [Board, Conn, Config]) expect(frameworkFieldProblem(model)).toBeUndefined()
    class DatedBoard extends Model.ToolScope<DatedBoard>("DatedBoard")({ updatedAt: Model.DateTime }) {}
    expect(frameworkFieldProblem(DatedBoard)).toBe(
      "scope model DatedBoard: field updatedAt is the framework's own column (the row's last update time), which " +
        "DevLake sets; name yours otherwise, e.g. updated: Model.DateTime"
    )
    class LinkedBoard extends Model.ToolScope<LinkedBoard>("LinkedBoard")({ scopeConfigId: Schema.Int }) {}
    expect(frameworkFieldProblem(LinkedBoard)).toMatch(/^scope model LinkedBoard: field scopeConfigId .*DevLake sets/)
    class IdConn extends Model.Connection<IdConn>("IdConn")({ id: Schema.Int.pipe(Model.primaryKey) }) {}
    expect(frameworkFieldProblem(IdConn)).toMatch(/^connection model IdConn: field id is the framework's own column/)
    class OwnedConfig extends Model.ScopeConfig<OwnedConfig>("OwnedConfig")({ connectionId: Schema.Int }) {}
    expect(frameworkFieldProblem(OwnedConfig)).toMatch(/^scope config model OwnedConfig: field connectionId/)
  })
})

describe("columnProblem", () => {
  const same = (a: string, b: string) => a === b
  const columns = ["connection_id", "key", "title", "_raw_data_params", "_raw_data_table", "_raw_data_id"]
    .concat(["_raw_data_remark", "created_at", "updated_at"])

  it("names the first field without a column, with the migration that adds it on both dialects", () => {
    expect(columnProblem(Ticket, "_tool_x_tickets", [...columns, "started_at"], same)).toBeUndefined()
    expect(columnProblem(Ticket, "_tool_x_tickets", columns, same)).toBe(
      "model Ticket: field startedAt has no column started_at in _tool_x_tickets (the table was created before the " +
        "field existed): add a new migration script with Migration.addColumn(Ticket, \"started_at\", " +
        "\"datetime(3)\") (\"timestamptz\" on PostgreSQL: one Migration.execute per dialect)"
    )
    expect(columnProblem(Ticket, "_tool_x_tickets", columns.map((c) => c.toUpperCase()), same)).toMatch(
      /^model Ticket: field connectionId has no column connection_id/
    )
    const insensitive = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
    expect(columnProblem(Ticket, "t", [...columns, "started_at"].map((c) => c.toUpperCase()), insensitive))
      .toBeUndefined()
  })
})
