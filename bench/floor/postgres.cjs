// The PostgreSQL floor on pg: one connection reads, another writes, so that the server works on a batch while this
// process reads and builds the next. A batch is one statement in autocommit mode: one transaction, committed
// durably (synchronous_commit as the server has it). Tool rows and accounts go as `INSERT … SELECT … FROM
// unnest($1::t[], …)`, one array parameter per column, which the server parses faster than a multi-row VALUES list
// of a parameter per value. Raw rows go as that VALUES list: their JSON text would have every quote escaped in an
// array literal, which costs this process more than the list costs the server (`FLOOR_PG_MODE=unnest|values`
// forces one form, to compare). Bytes go as binary parameters in a VALUES list, as text turned into bytea by the
// server (`convert_to`) in arrays: never as hex text.
"use strict"
const { Client } = require("pg")
const { quote, TYPES } = require("./schema.cjs")
const { pipelined } = require("./pipelined.cjs")

const q = (name) => quote("postgres", name)

const connect = async (url) => {
  const client = new Client({ connectionString: url, application_name: "tsdevlake-floor" })
  await client.connect()
  return client
}

const conflictClause = (table) => {
  if (table.key === undefined) return ""
  const set = table.columns.map(([name]) => name).filter((c) => !table.key.includes(c))
  return ` ON CONFLICT (${table.key.map(q).join(", ")}) DO UPDATE SET ${
    set.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(", ")
  }`
}

const unnestWriter = (client, table) => {
  const width = table.columns.length
  const arrays = table.columns.map(([, type], i) => `$${i + 1}::${type === "bytes" ? "text" : TYPES.postgres[type]}[]`)
  const aliases = table.columns.map((_, i) => `c${i}`)
  const select = table.columns.map(([, type], i) => type === "bytes" ? `convert_to(c${i}, 'UTF8')` : `c${i}`)
  const sql = `INSERT INTO ${q(table.name)} (${table.columns.map(([name]) => q(name)).join(", ")}) ` +
    `SELECT ${select.join(", ")} FROM unnest(${arrays.join(", ")}) AS u(${aliases.join(", ")})${conflictClause(table)}`
  return (values) => {
    const columns = Array.from({ length: width }, () => [])
    for (let i = 0; i < values.length; i += width) for (let j = 0; j < width; j++) columns[j].push(values[i + j])
    return client.query(sql, columns)
  }
}

const valuesWriter = (client, table) => {
  const width = table.columns.length
  const texts = new Map()
  const textOf = (rows) => {
    if (!texts.has(rows)) {
      const groups = []
      for (let r = 0; r < rows; r++) {
        groups.push(`(${table.columns.map((_, j) => `$${r * width + j + 1}`).join(", ")})`)
      }
      texts.set(
        rows,
        `INSERT INTO ${q(table.name)} (${table.columns.map(([name]) => q(name)).join(", ")}) VALUES ${
          groups.join(", ")
        }${conflictClause(table)}`
      )
    }
    return texts.get(rows)
  }
  // A Buffer is sent as a binary parameter: the bytes as they are, no hex text for the server to decode.
  const blobs = table.columns.flatMap(([, type], i) => type === "bytes" ? [i] : [])
  return (values) => {
    for (let i = 0; i < values.length; i += width) {
      for (const j of blobs) values[i + j] = Buffer.from(values[i + j], "utf8")
    }
    return client.query(textOf(values.length / width), values)
  }
}

const open = async (url) => {
  const reader = await connect(url)
  const writers = []
  const rows = async (text, values) => (await reader.query({ text, values, rowMode: "array" })).rows
  return {
    exec: (sql) => reader.query(sql),
    // Statistics of the table just filled, as the framework refreshes them: without them the planner takes it for
    // nearly empty, and sorts the remaining rows for every page instead of walking the primary key.
    analyze: (table) => reader.query(`ANALYZE ${q(table.name)}`),
    count: async (table) => Number((await rows(`SELECT COUNT(*) FROM ${q(table.name)}`, []))[0][0]),
    // The server turns bytes into text and times into text: no Buffer and no Date per value in this process.
    readRaw: (table, after, limit) =>
      rows(`SELECT id, convert_from(data, 'UTF8') FROM ${q(table.name)} WHERE id > $1 ORDER BY id LIMIT ${limit}`, [
        after
      ]),
    readTool: (table, columns, after, limit) =>
      rows(
        `SELECT ${columns.map((c) => c === "joined_at" ? `${q(c)}::text` : q(c)).join(", ")} FROM ${q(table.name)} ` +
          `WHERE connection_id = 1 AND id > $1 ORDER BY connection_id, id LIMIT ${limit}`,
        [after]
      ),
    writer: async (table, depth) => {
      const client = await connect(url)
      writers.push(client)
      const mode = process.env.FLOOR_PG_MODE ??
        (table.columns.some(([, type]) => type === "bytes") ? "values" : "unnest")
      const write = mode === "values" ? valuesWriter(client, table) : unnestWriter(client, table)
      return pipelined(write, depth)
    },
    close: async () => {
      for (const client of [reader, ...writers]) await client.end()
    }
  }
}

module.exports = { open }
