// The floor's tables and rows, shared by every driver: the same columns, types and keys as the bench plugin's
// `_raw_bench_users`, `_tool_benchplugin_benchusers` and the crossdomain `accounts` (as `run.sh migrate` creates
// them), under floor-owned names, and the same values the framework writes into them.
"use strict"

// Column types, by dialect: what the framework's DDL gives each model field.
const TYPES = {
  sqlite: { int: "integer", str: "varchar(255)", text: "text", time: "datetime", bool: "boolean", bytes: "blob" },
  mysql: {
    int: "bigint",
    str: "varchar(255)",
    text: "text",
    time: "datetime(3)",
    bool: "tinyint(1)",
    bytes: "longblob"
  },
  postgres: { int: "bigint", str: "varchar(255)", text: "text", time: "timestamptz", bool: "boolean", bytes: "bytea" }
}

/** [name, type] of each written column, in the order the row builders below fill them. */
const RAW = [["params", "str"], ["data", "bytes"], ["url", "text"], ["input", "bytes"], ["created_at", "time"]]
const TOOL = [
  ["connection_id", "int"],
  ["id", "int"],
  ["login", "text"],
  ["name", "text"],
  ["email", "text"],
  ["avatar_url", "text"],
  ["joined_at", "time"],
  ["active", "bool"],
  ["title", "text"],
  ["department", "text"],
  ["city", "text"],
  ["country", "text"],
  ["_raw_data_params", "str"],
  ["_raw_data_table", "str"],
  ["_raw_data_id", "int"],
  ["created_at", "time"],
  ["updated_at", "time"]
]
const ACCOUNT = [
  ["id", "str"],
  ["_raw_data_params", "str"],
  ["_raw_data_table", "str"],
  ["_raw_data_id", "int"],
  ["created_at", "time"],
  ["updated_at", "time"],
  ["email", "str"],
  ["full_name", "str"],
  ["user_name", "str"],
  ["avatar_url", "str"],
  ["organization", "str"],
  ["created_date", "time"],
  ["status", "int"]
]

/** The floor's three tables; `tag` keeps two floors on one server (two people measuring) apart. */
const tables = (tag) => ({
  raw: { name: `_floor${tag}_raw_bench_users`, columns: RAW, key: undefined },
  tool: { name: `_floor${tag}_tool_benchusers`, columns: TOOL, key: ["connection_id", "id"] },
  accounts: { name: `_floor${tag}_accounts`, columns: ACCOUNT, key: ["id"] }
})

const quote = (dialect, name) => dialect === "mysql" ? `\`${name}\`` : `"${name}"`

/**
 * CREATE statements: the table and the indexes the plugin's tables have (the primary key, and the index on the
 * raw params or `_raw_data_params` that DevLake's models declare). Not convert's order index: that is the
 * framework's own choice for reading in raw order; the floor's convert reads by primary key and needs none.
 */
const createStatements = (dialect, table) => {
  const q = (name) => quote(dialect, name)
  const types = TYPES[dialect]
  const columns = table.columns.map(([name, type]) =>
    `${q(name)} ${types[type]}${table.key?.includes(name) ? " NOT NULL" : ""}`
  )
  let key
  if (table.key === undefined) {
    const id = { sqlite: "integer PRIMARY KEY AUTOINCREMENT", mysql: "bigint NOT NULL AUTO_INCREMENT PRIMARY KEY" }
    columns.unshift(`${q("id")} ${id[dialect] ?? "bigserial PRIMARY KEY"}`)
  } else key = `PRIMARY KEY (${table.key.map(q).join(", ")})`
  const indexed = table.key === undefined ? "params" : "_raw_data_params"
  const engine = dialect === "mysql" ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci" : ""
  return [
    `CREATE TABLE ${q(table.name)} (${[...columns, ...(key ? [key] : [])].join(", ")})${engine}`,
    `CREATE INDEX ${q(`idx_${table.name}_${indexed}`)} ON ${q(table.name)} (${q(indexed)})`
  ]
}

/** A time as each driver binds it most directly: ISO text, or MySQL's `YYYY-MM-DD HH:MM:SS.sss`. */
const timeText = (dialect) => dialect === "mysql" ? (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : (iso) => iso

/** The params of the bench's scope, as the framework writes them. */
const PARAMS = "{\"ConnectionId\":1,\"ScopeId\":\"bench-users\"}"

/**
 * Extract's work for one raw record: JSON.parse and the BenchUser row (fields by name and by JSON pointer),
 * pushed flat onto `out`. `joinedAt` is normalised as the framework's DateTime writes it.
 */
const pushToolRow = (out, time, rawTable, rawId, data, now) => {
  const u = JSON.parse(data)
  const p = u.profile
  out.push(
    1,
    u.id,
    u.login,
    u.name,
    u.email,
    u.avatarUrl,
    time(new Date(u.joinedAt).toISOString()),
    u.active ? 1 : 0,
    p.title,
    p.department,
    p.location.city,
    p.location.country,
    PARAMS,
    rawTable,
    rawId,
    now,
    now
  )
}

/** The columns convert reads from the tool table, in this order. */
const TOOL_READ = [
  "connection_id",
  "id",
  "login",
  "name",
  "email",
  "avatar_url",
  "joined_at",
  "active",
  "department",
  "_raw_data_params",
  "_raw_data_table",
  "_raw_data_id"
]

/**
 * Convert's work for one tool row (read as `TOOL_READ`): the crossdomain account as the plugin maps it, with the
 * tool row's raw origin, as the framework copies it.
 */
const pushAccountRow = (out, row, now) => {
  out.push(
    `benchplugin:BenchUser:${row[0]}:${row[1]}`,
    row[9],
    row[10],
    row[11],
    now,
    now,
    row[4],
    row[3],
    row[2],
    row[5],
    row[8],
    row[6],
    row[7] ? 1 : 0
  )
}

module.exports = { createStatements, PARAMS, pushAccountRow, pushToolRow, quote, tables, timeText, TOOL_READ, TYPES }
