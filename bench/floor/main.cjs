// A framework-free floor process for one phase of the bench (see bench/README.md, "Floors"): the same work as the
// phase, done the most direct way the driver allows, on floor-owned tables. `bench/run.mjs --floor` spawns it and
// measures it as it measures a phase.
//
//   node bench/floor/main.cjs setup|collect|extract|convert|drop --db sqlite|mysql|postgres --target <file|url>
//     --tag <suffix of the floor's table names> [--endpoint <dataset URL>] [--n <expected rows>]
//
// A phase prints one JSON line, `{"phase":…,"rows":…}`, and exits 1 when its table does not hold --n rows.
"use strict"
const { PARAMS, pushAccountRow, pushToolRow, tables, timeText, TOOL_READ } = require("./schema.cjs")

/** Rows per read page and per written batch (one transaction each); MySQL/MariaDB: see bench/README.md. */
const BATCH = Number(process.env.FLOOR_BATCH ?? 500)
/** Batches that may wait for the writer while the next is prepared, as the framework's writers allow. */
const DEPTH = 2
const PAGE_SIZE = 100

const parse = (argv) => {
  const options = { command: argv[0] }
  for (let i = 1; i < argv.length; i += 2) options[argv[i].replace(/^--/, "")] = argv[i + 1]
  return options
}

const drivers = { sqlite: "./sqlite.cjs", mysql: "./mysql.cjs", postgres: "./postgres.cjs" }

/** A page of JSON over one kept-alive connection: undici's `request` (default), node:http, or the global fetch. */
const httpClient = (kind) => {
  const checked = (url, status) => {
    if (status !== 200) throw new Error(`GET ${url}: HTTP ${status}`)
  }
  if (kind === "http") {
    const http = require("node:http")
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    return (url) =>
      new Promise((resolve, reject) => {
        http.get(url, { agent }, (response) => {
          const chunks = []
          response.on("data", (chunk) => chunks.push(chunk))
          response.on("end", () => {
            try {
              checked(url, response.statusCode)
              resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")))
            } catch (error) {
              reject(error)
            }
          })
          response.on("error", reject)
        }).on("error", reject)
      })
  }
  if (kind === "fetch") {
    return async (url) => {
      const response = await fetch(url)
      checked(url, response.status)
      return response.json()
    }
  }
  const { request } = require("undici")
  return async (url) => {
    const response = await request(url)
    checked(url, response.statusCode)
    return response.body.json()
  }
}

/** Pages of the mock, the next page asked for before this one's rows are written. */
const collect = async (db, table, dialect, endpoint) => {
  const time = timeText(dialect)
  const json = httpClient(process.env.FLOOR_HTTP ?? "undici")
  const get = async (url) => ({ url, page: await json(url) })
  const writer = await db.writer(table, DEPTH)
  let next = get(`${endpoint}/users?pageSize=${PAGE_SIZE}`)
  let batch = []
  while (next !== undefined) {
    const { url, page } = await next
    next = page.nextPage
      ? get(`${endpoint}/users?pageSize=${PAGE_SIZE}&pageToken=${encodeURIComponent(page.nextPage)}`)
      : undefined
    const now = time(new Date().toISOString())
    for (const user of page.results) batch.push(PARAMS, JSON.stringify(user), url, "\"\"", now)
    if (batch.length >= BATCH * table.columns.length) {
      await writer.submit(batch)
      batch = []
    }
  }
  if (batch.length > 0) await writer.submit(batch)
  await writer.flush()
}

/** Keyset pages of `read(after)`, each turned into one batch by `build` and written while the next is read. */
const keyset = async (writer, read, build) => {
  let after = 0
  for (;;) {
    const rows = await read(after)
    if (rows.length === 0) break
    await writer.submit(build(rows))
    after = rows[rows.length - 1][rows.key ?? 0]
  }
  await writer.flush()
}

const extract = async (db, t, dialect) => {
  const time = timeText(dialect)
  await db.analyze(t.raw)
  const writer = await db.writer(t.tool, DEPTH)
  await keyset(writer, (after) => db.readRaw(t.raw, after, BATCH), (rows) => {
    const now = time(new Date().toISOString())
    const values = []
    for (const [id, data] of rows) pushToolRow(values, time, t.raw.name, id, String(data), now)
    return values
  })
}

const convert = async (db, t, dialect) => {
  const time = timeText(dialect)
  await db.analyze(t.tool)
  const writer = await db.writer(t.accounts, DEPTH)
  const read = async (after) => {
    const rows = await db.readTool(t.tool, TOOL_READ, after, BATCH)
    rows.key = 1 // the keyset is the tool row's id (connection_id is the bench's one connection)
    return rows
  }
  await keyset(writer, read, (rows) => {
    const now = time(new Date().toISOString())
    const values = []
    for (const row of rows) pushAccountRow(values, row, now)
    return values
  })
}

const main = async () => {
  const options = parse(process.argv.slice(2))
  const driver = drivers[options.db]
  if (driver === undefined || options.target === undefined || options.tag === undefined) {
    throw new Error("usage: main.cjs <command> --db sqlite|mysql|postgres --target <file|url> --tag <suffix> …")
  }
  const { createStatements } = require("./schema.cjs")
  const t = tables(options.tag)
  const db = await require(driver).open(options.target)
  try {
    const phases = { collect: t.raw, extract: t.tool, convert: t.accounts }
    if (options.command === "setup" || options.command === "drop") {
      for (const table of Object.values(t)) await db.exec(`DROP TABLE IF EXISTS ${table.name}`)
      if (options.command === "setup") {
        for (const table of Object.values(t)) for (const sql of createStatements(options.db, table)) await db.exec(sql)
      }
      return
    }
    const target = phases[options.command]
    if (target === undefined) throw new Error(`unknown command ${options.command}`)
    if (options.command === "collect") await collect(db, t.raw, options.db, options.endpoint)
    else if (options.command === "extract") await extract(db, t, options.db)
    else await convert(db, t, options.db)
    const rows = await db.count(target)
    console.log(JSON.stringify({ phase: options.command, rows }))
    if (options.n !== undefined && rows !== Number(options.n)) {
      console.error(`floor ${options.command}: ${target.name} holds ${rows} rows, expected ${options.n}`)
      process.exitCode = 1
    }
  } finally {
    await db.close()
  }
}

main().catch((error) => {
  console.error(`floor: ${error.stack ?? error}`)
  process.exitCode = 1
})
