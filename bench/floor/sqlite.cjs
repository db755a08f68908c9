// The SQLite floor on better-sqlite3: reads on the main thread, writes on a worker thread with its own connection
// (one transaction per batch, a prepared single-row statement run per row), as issue 3 found fastest: the writer is
// the busier side and the main thread reads and builds the next batch meanwhile. `FLOOR_SQLITE_INLINE=1` writes on
// the main thread instead, to compare.
"use strict"
const { isMainThread, parentPort, Worker, workerData } = require("node:worker_threads")
const Database = require("better-sqlite3")
const { quote } = require("./schema.cjs")

const q = (name) => quote("sqlite", name)

/** The single-row statement of a table: an insert, or an upsert on its key. */
const statementOf = (table) => {
  const names = table.columns.map(([name]) => name)
  const head = `INSERT INTO ${q(table.name)} (${names.map(q).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`
  if (table.key === undefined) return head
  const set = names.filter((c) => !table.key.includes(c)).map((c) => `${q(c)} = excluded.${q(c)}`)
  return `${head} ON CONFLICT (${table.key.map(q).join(", ")}) DO UPDATE SET ${set.join(", ")}`
}

const connect = (file) => {
  const db = new Database(file)
  db.pragma("busy_timeout = 30000")
  // The framework's settings (WAL from migrate, synchronous NORMAL, checkpoints every ~40 MB).
  db.pragma("synchronous = NORMAL")
  db.pragma("wal_autocheckpoint = 10000")
  return db
}

/** Writes one batch (flat values) in one transaction; bytes columns' text is bound as its UTF-8 bytes. */
const batchWriter = (db, sql, width, blobs) => {
  const statement = db.prepare(sql)
  const row = new Array(width)
  return (values) => {
    db.exec("BEGIN IMMEDIATE")
    for (let i = 0; i < values.length; i += width) {
      for (let j = 0; j < width; j++) row[j] = values[i + j]
      for (const j of blobs) row[j] = Buffer.from(row[j], "utf8")
      statement.run(row)
    }
    db.exec("COMMIT")
  }
}

const blobsOf = (table) => table.columns.flatMap(([, type], i) => type === "bytes" ? [i] : [])

/** At most `depth` batches wait for the writer thread (the framework's writer depth is 2). */
const threadWriter = (file, table, depth) => {
  const worker = new Worker(__filename, {
    workerData: { floorWriter: true, file, sql: statementOf(table), width: table.columns.length, blobs: blobsOf(table) }
  })
  let queued = 0
  let wake
  let failure
  worker.on("message", (message) => {
    if (message.error !== undefined) failure = new Error(message.error)
    queued--
    wake?.()
  })
  worker.on("error", (error) => {
    failure = error
    wake?.()
  })
  const waitBelow = async (limit) => {
    while (queued > limit && failure === undefined) await new Promise((resolve) => wake = resolve)
    if (failure !== undefined) throw failure
  }
  return {
    submit: async (values) => {
      await waitBelow(depth - 1)
      queued++
      worker.postMessage(values)
    },
    flush: async () => {
      await waitBelow(0)
      // The thread closes its connection, as the framework's writer does at the end of a subtask.
      const exited = new Promise((resolve) => worker.once("exit", resolve))
      worker.postMessage(null)
      await exited
    }
  }
}

const open = (file) => {
  const db = connect(file)
  const reads = new Map()
  const read = (sql) => {
    if (!reads.has(sql)) reads.set(sql, db.prepare(sql).raw(true))
    return reads.get(sql)
  }
  return {
    exec: async (sql) => void db.exec(sql),
    analyze: async () => {},
    count: async (table) => read(`SELECT COUNT(*) FROM ${q(table.name)}`).get()[0],
    readRaw: async (table, after, limit) =>
      read(`SELECT id, CAST(data AS TEXT) FROM ${q(table.name)} WHERE id > ? ORDER BY id LIMIT ${limit}`).all(after),
    readTool: async (table, columns, after, limit) =>
      read(
        `SELECT ${columns.map(q).join(", ")} FROM ${q(table.name)} ` +
          `WHERE connection_id = 1 AND id > ? ORDER BY connection_id, id LIMIT ${limit}`
      ).all(after),
    writer: (table, depth) => {
      if (process.env.FLOOR_SQLITE_INLINE === "1") {
        const write = batchWriter(db, statementOf(table), table.columns.length, blobsOf(table))
        return { submit: async (values) => write(values), flush: async () => {} }
      }
      return threadWriter(file, table, depth)
    },
    close: async () => db.close()
  }
}

if (!isMainThread && workerData?.floorWriter === true) {
  const db = connect(workerData.file)
  const write = batchWriter(db, workerData.sql, workerData.width, workerData.blobs)
  parentPort.on("message", (values) => {
    if (values === null) {
      db.close()
      parentPort.close()
      return
    }
    try {
      write(values)
      parentPort.postMessage({})
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK")
      parentPort.postMessage({ error: String(error?.message ?? error) })
    }
  })
}

module.exports = { open }
