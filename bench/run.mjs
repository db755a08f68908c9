#!/usr/bin/env node
// The benchmark harness: `npm run bench -- <N> [<N>…] [options]` (see bench/README.md).
//
// For each N and each database it starts from fresh tables, runs `migrate`, then every phase as its own
// `run.sh` process spawned exactly as the DevLake server spawns it (Invoker: argv, cwd, fd 3 pipe), so
// start-up is included; it prints seconds, records/s and the peak RSS of each phase and checks the row
// counts (N raw rows, N tool rows, N accounts). With `--floor`, each phase is followed by its framework-free floor
// (bench/floor/), measured the same way, and the table gives the ratio of the phase to it.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { tsImport } from "tsx/esm/api"
import { makeFloor, withFloor } from "./floor/harness.mjs"
import { summariseProfile, watchProcess } from "./measure.mjs"
import { fmt, printTable } from "./table.mjs"
import { SCOPE_ID, taskContext } from "./taskContext.mjs"

const benchDir = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(benchDir, "..")
const pluginDir = path.join(benchDir, "benchplugin")
const runSh = path.join(pluginDir, "run.sh")
const outDir = path.join(root, ".bench")

// The framework's Invoker (TypeScript source) through tsx: only this harness pays for it, not the plugin.
const { Effect, ManagedRuntime } = await tsImport("effect", import.meta.url)
const { Db, Invoker } = await tsImport("tsdevlake/runtime", import.meta.url)

const usage = `usage: npm run bench -- <N> [<N>…] [options]

  <N>                  dataset sizes (users); several N show how the time grows (e.g. 10000 100000 1000000)
  --db <name>          sqlite (default), mysql, postgres, or all (sqlite + every reachable server)
  --startup-runs <k>   cold starts of plugin-info whose median is reported (default 10)
  --profile            run each phase under node --cpu-prof (.bench/profiles) and print where the time goes
  --floor              after each phase, run its framework-free floor (bench/floor/) and print the ratio
  --phase-timeout <s>  kill a phase after s seconds and report the rate it reached (progress lines on fd 3)
  --keep               keep the SQLite files in .bench/
  --json <file>        also write the figures as JSON

  env TSDEVLAKE_TEST_MYSQL_URL (default mysql://tsdevlake:tsdevlake@127.0.0.1:3306/tsdevlake_test)
  env TSDEVLAKE_TEST_PG_URL    (default postgres://tsdevlake:tsdevlake@127.0.0.1:5432/tsdevlake_test)`

const parseArgs = (argv) => {
  const options = {
    ns: [],
    db: "sqlite",
    startupRuns: 10,
    profile: false,
    floor: false,
    keep: false,
    json: undefined,
    phaseTimeout: 0
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === "--help" || arg === "-h") {
      console.log(usage)
      process.exit(0)
    } else if (arg === "--db") options.db = value()
    else if (arg === "--startup-runs") options.startupRuns = Number(value())
    else if (arg === "--profile") options.profile = true
    else if (arg === "--floor") options.floor = true
    else if (arg === "--keep") options.keep = true
    else if (arg === "--phase-timeout") options.phaseTimeout = Number(value())
    else if (arg === "--json") options.json = path.resolve(value())
    else if (/^\d[\d_,]*$/.test(arg)) options.ns.push(Number(arg.replace(/[_,]/g, "")))
    else throw new Error(`unknown argument "${arg}"\n${usage}`)
  }
  if (options.ns.length === 0) throw new Error(`give at least one N\n${usage}`)
  for (const n of options.ns) {
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new Error(`N must be 1..1000000 (the mock's cap), got ${n}`)
    }
  }
  if (!["sqlite", "mysql", "postgres", "all"].includes(options.db)) {
    throw new Error(`--db: unknown database "${options.db}"`)
  }
  if (!Number.isInteger(options.startupRuns) || options.startupRuns < 1) {
    throw new Error("--startup-runs must be a positive integer")
  }
  if (!(options.phaseTimeout >= 0)) throw new Error("--phase-timeout must be a number of seconds")
  return options
}

// ---------------------------------------------------------------------------------------------
// databases
// ---------------------------------------------------------------------------------------------

const MYSQL_URL = process.env.TSDEVLAKE_TEST_MYSQL_URL ?? "mysql://tsdevlake:tsdevlake@127.0.0.1:3306/tsdevlake_test"
const PG_URL = process.env.TSDEVLAKE_TEST_PG_URL ?? "postgres://tsdevlake:tsdevlake@127.0.0.1:5432/tsdevlake_test"

// The benchmark's connection and scope; the plugin's tests use other connection ids.
const PARAMS = `{"ConnectionId":1,"ScopeId":"${SCOPE_ID}"}`
const ACCOUNT_IDS = "benchplugin:BenchUser:1:%"

/**
 * Tables of this plugin alone: dropped before each run so that every run starts from fresh tables (do not
 * run the benchmark against a server while the plugin's tests use it).
 */
const OWN_TABLES = [
  "_raw_bench_users",
  "_tool_benchplugin_benchconnections",
  "_tool_benchplugin_benchscopes",
  "_tool_benchplugin_benchscopeconfigs",
  "_tool_benchplugin_benchusers"
]

const reachable = (url) =>
  new Promise((resolve) => {
    const u = new URL(url)
    const socket = net.connect({ host: u.hostname, port: Number(u.port || (u.protocol === "mysql:" ? 3306 : 5432)) })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
  })

/** A URL as it may be printed: without its password. */
const shown = (url) => {
  const u = new URL(url)
  if (u.password !== "") u.password = "***"
  return u.href
}

/**
 * A database through the framework's own Db layer (one pool for the whole run of that database). SQLite
 * files are read while the plugin writes them from its own process (WAL).
 */
const openDb = (name, dbUrl, shownAs, { file, floorTarget }) => {
  const runtime = ManagedRuntime.make(Db.layer(dbUrl))
  const run = (f) => runtime.runPromise(Effect.flatMap(Db.Database, f))
  return {
    name,
    dbUrl,
    shown: shownAs,
    file,
    floorTarget,
    query: (sql) => run((db) => db.execute(sql)),
    exec: (sql) => run((db) => db.execute(sql)),
    tableExists: (table) => run((db) => db.tableExists(table)),
    dropTable: (table) => run((db) => db.dropTableIfExists(table)),
    deleteWhere: (table, where) => run((db) => db.deleteWhere(table, where)),
    close: () => runtime.dispose()
  }
}

/**
 * Fresh tables on a shared server: drop this plugin's own tables, and delete this plugin's rows from the
 * shared ones (other test suites may be using `accounts` and the state table of the same database).
 */
const resetServerTables = async (db, scripts) => {
  for (const table of OWN_TABLES) await db.dropTable(table)
  // Forget the plugin's scripts too, or `migrate` would skip them and leave the dropped tables missing.
  if (await db.tableExists("_devlake_migration_history")) {
    for (const script of scripts) {
      await db.deleteWhere("_devlake_migration_history", { script_version: script.version, script_name: script.name })
    }
  }
  if (await db.tableExists("accounts")) await db.exec(`DELETE FROM accounts WHERE id LIKE '${ACCOUNT_IDS}'`)
  if (await db.tableExists("_pydevlake_subtask_runs")) {
    await db.deleteWhere("_pydevlake_subtask_runs", { params: PARAMS })
  }
}

const count = async (db, sql) => Number(Object.values((await db.query(sql))[0])[0])

const rowCounts = async (db) => ({
  raw: await count(db, "SELECT COUNT(*) AS n FROM _raw_bench_users"),
  tool: await count(db, "SELECT COUNT(*) AS n FROM _tool_benchplugin_benchusers"),
  accounts: await count(db, `SELECT COUNT(*) AS n FROM accounts WHERE id LIKE '${ACCOUNT_IDS}'`)
})

/** DevLake's own form of a MySQL db_url. */
const devlakeMysqlUrl = (url) => `${url}${url.includes("?") ? "&" : "?"}charset=utf8mb4&parseTime=True&loc=UTC`

// ---------------------------------------------------------------------------------------------
// the mock API
// ---------------------------------------------------------------------------------------------

/** The mock in its own process, as in the pydevlake measurements: it must not share the harness's CPU time. */
const startMock = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(benchDir, "mock-api.mjs"), "0"], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let buffered = ""
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`mock API exited with ${code} before listening`)))
    child.stdout.on("data", (chunk) => {
      buffered += chunk.toString()
      const match = /^listening (\d+)\n/.exec(buffered)
      if (match) {
        child.removeAllListeners("exit")
        resolve({ port: Number(match[1]), stop: () => child.kill("SIGTERM") })
      }
    })
  })

// ---------------------------------------------------------------------------------------------
// running one phase
// ---------------------------------------------------------------------------------------------

let profileCounter = 0

/**
 * Node refuses `--cpu-prof` in NODE_OPTIONS, and run.sh is what DevLake runs, unchanged; so profiling puts
 * a `node` first on the PATH that execs the real one with `--cpu-prof` (the pid stays the plugin's).
 */
const profilingNodeDir = () => {
  const dir = path.join(outDir, "profiling-node")
  fs.mkdirSync(dir, { recursive: true })
  const script = `#!/bin/sh\nexec "${process.execPath}" --cpu-prof --cpu-prof-dir="$TSDEVLAKE_BENCH_PROFILE_DIR" "$@"\n`
  fs.writeFileSync(path.join(dir, "node"), script, { mode: 0o755 })
  return dir
}

const invoke = async (method, args, options) => {
  let watcher
  const env = { ...process.env }
  let profileDir
  if (options.profile) {
    profileDir = path.join(outDir, "profiles", `${String(++profileCounter).padStart(3, "0")}-${options.label}`)
    fs.rmSync(profileDir, { recursive: true, force: true })
    fs.mkdirSync(profileDir, { recursive: true })
    env.PATH = `${profilingNodeDir()}${path.delimiter}${env.PATH ?? ""}`
    env.TSDEVLAKE_BENCH_PROFILE_DIR = profileDir
  }
  let timer
  let timedOut = false
  let progress = 0
  const result = await Effect.runPromise(Invoker.run({
    runSh,
    method,
    args,
    env,
    onSpawn: (pid, kill) => {
      watcher = watchProcess(pid)
      if (options.timeoutSeconds > 0) {
        timer = setTimeout(() => {
          timedOut = true
          kill("SIGKILL")
        }, options.timeoutSeconds * 1000)
      }
    },
    // Progress lines (`{"current":…}`) tell how far a phase got when it is killed.
    onLine: (line) => {
      if (line.startsWith("{\"current\"")) progress = JSON.parse(line).current
    }
  }))
  clearTimeout(timer)
  const { peak, cpu } = watcher?.stop() ?? { peak: 0, cpu: 0 }
  if (timedOut) {
    return { seconds: result.seconds, cpuSeconds: cpu, peakRss: peak, result, profileDir, timedOut, done: progress }
  }
  if (result.exitCode !== 0) {
    const tail = [...result.stdout, ...result.stderr].slice(-15).join("\n")
    throw new Error(`${method} ${options.label} failed (exit ${result.exitCode ?? result.signal}):\n${tail}`)
  }
  return { seconds: result.seconds, cpuSeconds: cpu, peakRss: peak, result, profileDir }
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

// ---------------------------------------------------------------------------------------------
// one database, one N
// ---------------------------------------------------------------------------------------------

const runOne = async (db, n, mockPort, options) => {
  const endpoint = `http://127.0.0.1:${mockPort}/datasets/${n}`
  const floor = options.floor
    ? makeFloor({
      db: db.name,
      target: db.floorTarget,
      tag: `_${process.pid}`,
      profileRoot: options.profile ? path.join(outDir, "profiles") : undefined
    })
    : undefined
  if (floor) await floor.setup()
  try {
    return await runPhases(db, n, endpoint, floor, options)
  } finally {
    if (floor) await floor.drop()
  }
}

const runPhases = async (db, n, endpoint, floor, options) => {
  const rows = []
  const label = (phase) => `${db.name}-${n}-${phase}`
  const migrate = await invoke("migrate", [{ db_url: db.dbUrl }], {
    ...options,
    label: label("migrate"),
    profile: false
  })
  rows.push({
    phase: "migrate",
    n: 0,
    seconds: migrate.seconds,
    cpuSeconds: migrate.cpuSeconds,
    peakRss: migrate.peakRss
  })
  for (const phase of ["collect", "extract", "convert"]) {
    const out = await invoke(phase, [taskContext({ dbUrl: db.dbUrl, endpoint }), "users"], {
      ...options,
      label: label(phase),
      timeoutSeconds: options.phaseTimeout
    })
    const row = {
      phase,
      n: out.timedOut ? out.done : n,
      seconds: out.seconds,
      cpuSeconds: out.cpuSeconds,
      peakRss: out.peakRss,
      profileDir: out.profileDir,
      ...(out.timedOut ? { killed: true, of: n } : {})
    }
    // The next phase would work on a part of the data: stop here (a killed phase has no ratio to a floor).
    if (out.timedOut) {
      rows.push(row)
      break
    }
    rows.push(floor ? withFloor(row, await floor.phase(phase, n, endpoint)) : row)
  }
  const counts = await rowCounts(db)
  return { rows, counts }
}

// ---------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------

const main = async () => {
  const options = parseArgs(process.argv.slice(2))
  fs.mkdirSync(outDir, { recursive: true })
  if (!fs.existsSync(path.join(pluginDir, "dist", "main.cjs"))) {
    throw new Error("bench/benchplugin/dist/main.cjs is missing: run `npm run build` (npm run bench does)")
  }
  const targets = []
  if (options.db === "sqlite" || options.db === "all") targets.push("sqlite")
  for (const [name, url] of [["mysql", MYSQL_URL], ["postgres", PG_URL]]) {
    if (options.db !== name && options.db !== "all") continue
    if (await reachable(url)) targets.push(name)
    else if (options.db === name) throw new Error(`${name} is not reachable at ${shown(url)}`)
    else console.log(`skipping ${name}: not reachable at ${shown(url)}`)
  }

  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ")
  // Figures from a busy machine are not comparable; say so next to them.
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${load()}`)
  const mock = await startMock()
  const results = {
    startedAt: new Date().toISOString(),
    node: process.version,
    loadAverage: os.loadavg(),
    databases: {}
  }
  let failures = 0
  try {
    // Cold starts: nothing of a previous run is reused but the OS file cache, as on a DevLake server.
    const starts = []
    const startCpu = []
    let scripts = []
    let startRss = 0
    for (let i = 0; i < options.startupRuns; i++) {
      const out = await invoke("plugin-info", [], {
        ...options,
        label: `plugin-info-${i}`,
        profile: options.profile && i === 0
      })
      starts.push(out.seconds)
      if (i === 0) scripts = JSON.parse(out.result.lines.join("")).migration_scripts
      startCpu.push(out.cpuSeconds)
      startRss = Math.max(startRss, out.peakRss)
      if (i === 0 && out.profileDir) console.log(summariseProfile(out.profileDir) ?? "")
    }
    const startup = {
      phase: "plugin-info",
      n: 0,
      seconds: median(starts),
      cpuSeconds: median(startCpu),
      peakRss: startRss
    }
    console.log(
      `plugin-info: median of ${starts.length} cold starts ${fmt(startup.seconds, 3)} s ` +
        `(min ${fmt(Math.min(...starts), 3)}, max ${fmt(Math.max(...starts), 3)})`
    )

    for (const name of targets) {
      const table = [startup]
      results.databases[name] = []
      for (const n of options.ns) {
        let db
        if (name === "sqlite") {
          const file = path.join(outDir, `bench-${n}-${process.pid}-${Date.now()}.db`)
          db = openDb(name, `sqlite://${file}`, path.relative(root, file), { file, floorTarget: file })
        } else {
          db = name === "mysql"
            ? openDb(name, devlakeMysqlUrl(MYSQL_URL), shown(MYSQL_URL), { floorTarget: MYSQL_URL })
            : openDb(name, PG_URL, shown(PG_URL), { floorTarget: PG_URL })
          await resetServerTables(db, scripts)
        }
        try {
          console.log(`\n${name} N=${fmt(n, 0)} (${db.shown}) …`)
          const { rows, counts } = await runOne(db, n, mock.port, options)
          const killed = rows.find((r) => r.killed)
          const ok = counts.raw === n && counts.tool === n && counts.accounts === n
          if (!ok && killed === undefined) failures++
          console.log(
            `  rows: raw ${counts.raw}, tool ${counts.tool}, accounts ${counts.accounts} ` +
              (ok
                ? "(all N: ok)"
                : killed
                ? `(${killed.phase} killed after --phase-timeout)`
                : `(expected ${n} each: MISMATCH)`)
          )
          for (const row of rows.filter((r) => r.phase !== "migrate")) {
            if (row.profileDir) console.log(`  ${row.phase}:\n${summariseProfile(row.profileDir) ?? "  (no profile)"}`)
            if (row.floor?.profileDir) {
              console.log(`  ${row.phase} floor:\n${summariseProfile(row.floor.profileDir) ?? "  (no profile)"}`)
            }
          }
          table.push(...rows.filter((r) => r.phase !== "migrate"))
          results.databases[name].push({
            n,
            counts,
            rows: rows.map(({ profileDir: _, ...r }) => {
              if (r.floor === undefined) return r
              const { profileDir: __, ...floor } = r.floor
              return { ...r, floor }
            }),
            ...(db.file && options.keep ? { file: db.file } : {})
          })
        } finally {
          await db.close()
          if (db.file && !options.keep) {
            for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${db.file}${suffix}`, { force: true })
          }
        }
      }
      printTable(`${name} (load average at the end: ${load()})`, table, name, options.floor)
    }
    results.startup = { median: startup.seconds, runs: starts, peakRss: startRss }
  } finally {
    mock.stop()
  }
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(results, null, 2))
  if (failures > 0) {
    console.error(`\n${failures} run(s) with wrong row counts`)
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`)
  process.exitCode = 1
})
