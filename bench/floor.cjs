// The floor for extract's and convert's work on this machine: what a whole process doing only that work takes,
// with plain better-sqlite3, no framework, no validation, no run state and no progress lines. It reads the
// bench's rows of a database kept with `--keep` in pages of 500 and upserts the results from a worker thread,
// one transaction per page, as tsdevlake's SQLite writer thread does. The figure is the wall time of a child
// process from spawn to exit, start-up included, as `npm run bench` measures a phase.
//
//   npm run bench -- 100000 --keep && node bench/floor.cjs .bench/<the kept file>.db [runs]
"use strict"
const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const { Worker, isMainThread, parentPort, workerData } = require("node:worker_threads")
const Database = require("better-sqlite3")

const tool = "_tool_benchplugin_benchusers"
const toolColumns = [
  "connection_id",
  "id",
  "login",
  "name",
  "email",
  "avatar_url",
  "joined_at",
  "active",
  "title",
  "department",
  "city",
  "country",
  "_raw_data_params",
  "_raw_data_table",
  "_raw_data_id",
  "created_at",
  "updated_at"
]
const accountColumns = [
  "id",
  "_raw_data_params",
  "_raw_data_table",
  "_raw_data_id",
  "created_at",
  "updated_at",
  "email",
  "full_name",
  "user_name",
  "avatar_url",
  "organization",
  "created_date",
  "status"
]
const upsertSql = (table, columns, key) =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ` +
  `ON CONFLICT (${key.join(", ")}) DO UPDATE SET ` +
  columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`).join(", ")

// Reads one page after `cursor` and returns [flattened values, next cursor], or undefined at the end.
const phases = {
  extract: {
    table: tool,
    sql: upsertSql(tool, toolColumns, ["connection_id", "id"]),
    width: toolColumns.length,
    reader: (db, params) => {
      const read = db.prepare(
        "SELECT id, CAST(data AS TEXT) FROM _raw_bench_users WHERE params = ? AND id > ? ORDER BY id LIMIT 500"
      ).raw(true)
      return (cursor = 0) => {
        const rows = read.all(params, cursor)
        if (rows.length === 0) return undefined
        const now = new Date().toISOString()
        const values = []
        for (const [rawId, data] of rows) {
          const u = JSON.parse(data)
          values.push(
            1,
            u.id,
            u.login,
            u.name,
            u.email,
            u.avatarUrl,
            new Date(u.joinedAt).toISOString(),
            u.active ? 1 : 0,
            u.profile.title,
            u.profile.department,
            u.profile.location.city,
            u.profile.location.country,
            params,
            "_raw_bench_users",
            rawId,
            now,
            now
          )
        }
        return [values, rows[rows.length - 1][0]]
      }
    }
  },
  convert: {
    table: "accounts",
    sql: upsertSql("accounts", accountColumns, ["id"]),
    width: accountColumns.length,
    reader: (db, params) => {
      const read = db.prepare(
        `SELECT connection_id, id, login, name, email, avatar_url, joined_at, active, department, _raw_data_id ` +
          `FROM ${tool} WHERE _raw_data_params = ? AND (_raw_data_id, connection_id, id) > (?, ?, ?) ` +
          `ORDER BY _raw_data_params, _raw_data_id, connection_id, id LIMIT 500`
      ).raw(true)
      return (cursor = [0, 0, 0]) => {
        const rows = read.all(params, ...cursor)
        if (rows.length === 0) return undefined
        const now = new Date().toISOString()
        const values = []
        for (const [connectionId, id, login, name, email, avatarUrl, joinedAt, active, department, rawId] of rows) {
          values.push(
            `benchplugin:BenchUser:${connectionId}:${id}`,
            params,
            tool,
            rawId,
            now,
            now,
            email,
            name,
            login,
            avatarUrl,
            department,
            new Date(joinedAt).toISOString(),
            active ? 1 : 0
          )
        }
        const last = rows[rows.length - 1]
        return [values, [last[9], last[0], last[1]]]
      }
    }
  }
}

const measured = (phase, file) => {
  const { sql, width, reader } = phases[phase]
  const db = new Database(file)
  const params = db.prepare("SELECT params FROM _raw_bench_users LIMIT 1").get().params
  const next = reader(db, params)
  const worker = new Worker(__filename, { workerData: { file, sql, width } })
  let queued = 0
  let ended = false
  let cursor
  worker.on("message", () => {
    queued--
    if (ended && queued === 0) worker.postMessage(null)
  })
  // At most four pages wait for the writer, as tsdevlake's batch writer's default depth.
  const pump = () => {
    while (queued < 4) {
      const page = next(cursor)
      if (page === undefined) {
        ended = true
        if (queued === 0) worker.postMessage(null)
        return
      }
      cursor = page[1]
      queued++
      worker.postMessage(page[0])
    }
    setImmediate(pump)
  }
  pump()
}

const writer = () => {
  const db = new Database(workerData.file)
  db.pragma("synchronous = NORMAL")
  db.pragma("wal_autocheckpoint = 10000")
  const upsert = db.prepare(workerData.sql)
  const width = workerData.width
  const row = new Array(width)
  parentPort.on("message", (values) => {
    if (values === null) {
      db.close()
      parentPort.close()
      return
    }
    db.exec("BEGIN IMMEDIATE")
    for (let i = 0; i < values.length; i += width) {
      for (let j = 0; j < width; j++) row[j] = values[i + j]
      upsert.run(row)
    }
    db.exec("COMMIT")
    parentPort.postMessage(1)
  })
}

const main = () => {
  const [source, runsText = "3"] = process.argv.slice(2)
  if (source === undefined || !fs.existsSync(source)) {
    console.error("usage: node bench/floor.cjs <bench SQLite file kept with --keep> [runs]")
    process.exit(2)
  }
  const copy = `${source}.floor`
  const remove = () => {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true })
  }
  for (const phase of ["extract", "convert"]) {
    for (let run = 0; run < Number(runsText); run++) {
      remove()
      fs.copyFileSync(source, copy)
      // Start as the bench's phase starts: the phase's target table empty, the WAL checkpointed.
      const db = new Database(copy)
      const count = db.prepare(`SELECT COUNT(*) AS n FROM ${phases[phase].table}`).get().n
      db.exec(`DELETE FROM ${phases[phase].table}`)
      db.pragma("wal_checkpoint(TRUNCATE)")
      db.close()
      const started = performance.now()
      const child = spawnSync(process.execPath, ["--max-semi-space-size=4", __filename, "--run", phase, copy], {
        stdio: "inherit"
      })
      const seconds = (performance.now() - started) / 1000
      if (child.status !== 0) process.exit(1)
      const check = new Database(copy, { readonly: true })
      const written = check.prepare(`SELECT COUNT(*) AS n FROM ${phases[phase].table}`).get().n
      check.close()
      if (written !== count) {
        console.error(`${phase}: wrote ${written} rows, expected ${count}`)
        process.exit(1)
      }
      console.log(
        `${phase.padEnd(8)} ${written} rows in ${seconds.toFixed(3)} s: ${Math.round(written / seconds)} rows/s ` +
          "(whole process, no framework, no validation)"
      )
    }
  }
  remove()
}

if (!isMainThread) writer()
else if (process.argv[2] === "--run") measured(process.argv[3], process.argv[4])
else main()
