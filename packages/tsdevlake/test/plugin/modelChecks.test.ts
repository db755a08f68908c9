import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Migration from "../../src/Migration.js"
import * as Model from "../../src/Model.js"
import { schemaAfter } from "../../src/internal/plugin/migrationScripts.js"
import { migrationProblem, ownKeyProblem } from "../../src/internal/plugin/modelChecks.js"

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
