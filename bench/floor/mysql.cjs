// The MySQL/MariaDB floor on mysql2: one connection reads, another writes, so that the server works on a batch
// while this process reads and builds the next. A batch is one multi-row statement in autocommit mode: one
// transaction, committed durably (the server's own innodb_flush_log_at_trx_commit). It is a prepared statement
// (`execute`: binary protocol, values bound as they are), which costs this process less CPU than text the client
// escapes (`FLOOR_MYSQL_MODE=query`, kept to compare).
"use strict"
const mysql = require("mysql2")
const { quote } = require("./schema.cjs")
const { pipelined } = require("./pipelined.cjs")

const q = (name) => quote("mysql", name)

const connect = (url) =>
  mysql.createConnection({
    uri: url,
    // DATETIME has no zone; the framework writes UTC wall-clock (timezone "Z") and so does the floor.
    timezone: "Z",
    // Times are read as text and written back as read: convert has no reason to parse them.
    dateStrings: true,
    charset: "utf8mb4"
  })

const call = (connection, options, values) =>
  new Promise((resolve, reject) =>
    connection.query(options, values, (error, rows) => error ? reject(error) : resolve(rows))
  )

const callExecute = (connection, sql, values) =>
  new Promise((resolve, reject) =>
    connection.execute(sql, values, (error, rows) => error ? reject(error) : resolve(rows))
  )

const statementOf = (table, rows, placeholders) => {
  const names = table.columns.map(([name]) => name)
  const group = `(${names.map(() => "?").join(", ")})`
  const values = placeholders ? Array.from({ length: rows }, () => group).join(", ") : "?"
  const head = `INSERT INTO ${q(table.name)} (${names.map(q).join(", ")}) VALUES ${values}`
  if (table.key === undefined) return head
  const set = names.filter((c) => !table.key.includes(c)).map((c) => `${q(c)} = VALUES(${q(c)})`)
  return `${head} ON DUPLICATE KEY UPDATE ${set.join(", ")}`
}

const open = async (url) => {
  const reader = connect(url)
  const writers = []
  return {
    exec: (sql) => call(reader, sql, []),
    analyze: async () => {},
    count: async (table) =>
      Number((await call(reader, { sql: `SELECT COUNT(*) FROM ${q(table.name)}`, rowsAsArray: true }, []))[0][0]),
    readRaw: (table, after, limit) =>
      call(reader, {
        sql: `SELECT id, data FROM ${q(table.name)} WHERE id > ? ORDER BY id LIMIT ${limit}`,
        rowsAsArray: true
      }, [after]),
    readTool: (table, columns, after, limit) =>
      call(reader, {
        sql: `SELECT ${columns.map(q).join(", ")} FROM ${q(table.name)} WHERE connection_id = 1 AND id > ? ` +
          `ORDER BY connection_id, id LIMIT ${limit}`,
        rowsAsArray: true
      }, [after]),
    writer: (table, depth) => {
      const connection = connect(url)
      writers.push(connection)
      const width = table.columns.length
      if (process.env.FLOOR_MYSQL_MODE !== "query") {
        const texts = new Map()
        const textOf = (rows) => {
          if (!texts.has(rows)) texts.set(rows, statementOf(table, rows, true))
          return texts.get(rows)
        }
        return pipelined((values) => callExecute(connection, textOf(values.length / width), values), depth)
      }
      const sql = statementOf(table, 0, false)
      return pipelined((values) => {
        const rows = []
        for (let i = 0; i < values.length; i += width) rows.push(values.slice(i, i + width))
        return call(connection, sql, [rows])
      }, depth)
    },
    close: async () => {
      for (const connection of [reader, ...writers]) await new Promise((resolve) => connection.end(resolve))
    }
  }
}

module.exports = { open }
