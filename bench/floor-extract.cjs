// The floor for extract's work on this machine: plain better-sqlite3, no framework, no validation, reading
// the raw users of a bench database in pages of 500, parsing each, and upserting the tool rows in one
// transaction per page. Start-up is not included.
//
//   npm run bench -- 100000 --keep && node bench/floor-extract.cjs .bench/<the kept file>.db
"use strict"
const Database = require("better-sqlite3")
const fs = require("node:fs")

const source = process.argv[2]
if (source === undefined) {
  console.error("usage: node bench/floor-extract.cjs <bench SQLite file kept with --keep>")
  process.exit(2)
}
const copy = `${source}.floor`
fs.copyFileSync(source, copy)
const db = new Database(copy)
db.pragma("journal_mode = WAL")
db.pragma("synchronous = NORMAL")
db.exec("DELETE FROM _tool_benchplugin_benchusers")
const params = db.prepare("SELECT params FROM _raw_bench_users LIMIT 1").get().params
const columns = [
  "connection_id", "id", "login", "name", "email", "avatar_url", "joined_at", "active", "title", "department", "city",
  "country", "_raw_data_params", "_raw_data_table", "_raw_data_id", "created_at", "updated_at"
]
const read = db.prepare("SELECT id, data FROM _raw_bench_users WHERE params = ? AND id > ? ORDER BY id LIMIT 500")
const upsert = db.prepare(
  `INSERT INTO _tool_benchplugin_benchusers (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ` +
    `ON CONFLICT (connection_id, id) DO UPDATE SET ${columns.slice(2).map((c) => `${c} = excluded.${c}`).join(", ")}`
)
const started = performance.now()
let after = 0
let count = 0
for (;;) {
  const rows = read.all(params, after)
  if (rows.length === 0) break
  const now = new Date().toISOString()
  db.transaction(() => {
    for (const row of rows) {
      const u = JSON.parse(row.data.toString("utf8"))
      upsert.run(
        1, u.id, u.login, u.name, u.email, u.avatarUrl, new Date(u.joinedAt).toISOString(), u.active ? 1 : 0,
        u.profile.title, u.profile.department, u.profile.location.city, u.profile.location.country, params,
        "_raw_bench_users", row.id, now, now
      )
    }
  })()
  after = rows[rows.length - 1].id
  count += rows.length
}
const seconds = (performance.now() - started) / 1000
console.log(`${count} rows in ${seconds.toFixed(3)} s: ${Math.round(count / seconds)} rows/s (no start-up, no validation)`)
db.close()
fs.rmSync(copy, { force: true })
for (const suffix of ["-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true })
