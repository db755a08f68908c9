/**
 * Database faults through run.sh (issue 13, point 6, and finding 3): a database that is unreachable, a SQLite
 * file locked by another process, deleted mid-run, or on a full disk. Each run ends in one line naming the
 * database and no reported success (or, once a lock is released, in success), never a hang or a stack trace.
 */
import { Effect, ManagedRuntime } from "effect"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { Db, type Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { taskContext } from "../../../taskContext.mjs"
import { describeRun, invoke, migrate, type Mock, runSh, sleep, startMock } from "../utils.js"
import { assertOneErrorLine } from "./harness.js"

const CONNECTION_ID = 325
const SECRET = "S3cretDbPassw0rd"

let mock: Mock
let slowMock: Mock
const dirs: Array<string> = []
beforeAll(async () => {
  mock = await startMock()
  // 20 ms a page of 100: a collect of 5,000 users lasts over a second, long enough to act while it runs.
  slowMock = await startMock({ delayMs: 20 })
})
afterAll(async () => {
  await Promise.all([mock?.stop(), slowMock?.stop()])
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A migrated SQLite file of its own. */
const sqliteFile = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "benchplugin-dbfaults-"))
  dirs.push(dir)
  const file = path.join(dir, "bench.db")
  const migrated = await migrate(`sqlite://${file}`)
  expect(migrated.exitCode, describeRun(migrated)).toBe(0)
  return file
}

const collect = (dbUrl: string, endpoint: string, options: Partial<Invoker.RunOptions> = {}) =>
  invoke("collect", [taskContext({ dbUrl, endpoint, connectionId: CONNECTION_ID }), "users"], options)

/** The error lines of a run (a subtask logs at info level before it fails: those lines are not errors). */
const errorLines = (result: Invoker.Result) => result.stderr.filter((line) => line.startsWith("error:"))

/** A local port nothing listens on: one the system just gave out, closed again. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })

/** How many descriptors of process `pid` have `file` open (Linux's /proc: the fault suite runs on Linux). */
const openCount = (pid: number, file: string) => {
  const fds = `/proc/${pid}/fd`
  try {
    return fs.readdirSync(fds).filter((fd) => {
      try {
        return fs.readlinkSync(path.join(fds, fd)) === file
      } catch {
        return false
      }
    }).length
  } catch {
    return 0
  }
}

describe("database faults through run.sh", () => {
  it("an unreachable MySQL or PostgreSQL server: one line naming host:port, no password, exit 1", async () => {
    const port = await closedPort()
    for (
      const [dbUrl, name] of [
        [`mysql://tsdevlake:${SECRET}@127.0.0.1:${port}/lake`, "MySQL"],
        [`postgres://tsdevlake:${SECRET}@127.0.0.1:${port}/lake`, "PostgreSQL"]
      ] as const
    ) {
      const result = await collect(dbUrl, mock.endpoint(100))
      const line = assertOneErrorLine(result)
      expect(result.exitCode, describeRun(result)).toBe(1)
      expect(line).toContain(`could not connect to ${name} database lake at 127.0.0.1:${port}`)
      expect([...result.stdout, ...result.stderr, ...result.lines].join("\n")).not.toContain(SECRET)
      // Refused at once: far below any connect timeout (10 s), generous for a slow machine.
      expect(result.seconds, describeRun(result)).toBeLessThan(9)
    }
  })

  it("finding 3: the SQLite file deleted mid-run is an error naming the file, not a success", async () => {
    const file = await sqliteFile()
    let deleted = false
    let pid = 0
    const result = await collect(`sqlite://${file}`, slowMock.endpoint(5_000), {
      onSpawn: (spawned) => {
        pid = spawned
      },
      // At a progress line (rows committed) once the main connection and the writer thread's both have the file
      // open (a connection opened after the deletion would make a new, empty file): delete it under them.
      onLine: () => {
        if (!deleted && openCount(pid, file) >= 2) {
          deleted = true
          fs.rmSync(file)
        }
      }
    })
    expect(deleted, describeRun(result)).toBe(true)
    expect(result.exitCode, describeRun(result)).toBe(1)
    expect(errorLines(result), describeRun(result)).toEqual([
      `error: collect: SQLite database file ${file} was deleted while the command ran: what it wrote is not in that file`
    ])
  })

  it("finding 3: a SQLite file replaced mid-run (a restore, a copy) is an error naming the file", async () => {
    const file = await sqliteFile()
    const copy = `${file}.copy`
    fs.copyFileSync(file, copy)
    let replaced = false
    const result = await collect(`sqlite://${file}`, slowMock.endpoint(5_000), {
      onLine: () => {
        if (!replaced) {
          replaced = true
          fs.renameSync(copy, file)
        }
      }
    })
    expect(replaced, describeRun(result)).toBe(true)
    expect(result.exitCode, describeRun(result)).toBe(1)
    expect(errorLines(result), describeRun(result)).toEqual([
      `error: collect: SQLite database file ${file} was replaced while the command ran: what it wrote is not in that ` +
      "file"
    ])
  })

  describe("a SQLite file locked by another process (BEGIN EXCLUSIVE)", () => {
    /** Holds an exclusive lock on `file` from this process until `release`. */
    const lock = async (file: string) => {
      const runtime = ManagedRuntime.make(Db.layer(`sqlite://${file}`))
      await runtime.runPromise(Effect.flatMap(Db.Database, (db) => db.execute("BEGIN EXCLUSIVE")))
      return async () => {
        await runtime.runPromise(Effect.flatMap(Db.Database, (db) => db.execute("COMMIT")))
        await runtime.dispose()
      }
    }

    it("waits while it is locked, and succeeds once the lock is released", async () => {
      const file = await sqliteFile()
      const release = await lock(file)
      let released: Promise<void> | undefined
      const result = await collect(`sqlite://${file}`, mock.endpoint(2_000), {
        onSpawn: (pid) => {
          released = (async () => {
            // Released once the run has the file open: from then on it meets the lock.
            while (openCount(pid, file) === 0) await sleep(10)
            await release()
          })()
        }
      })
      await released
      expect(result.exitCode, describeRun(result)).toBe(0)
    })

    it("fails in one line naming the file once its busy timeout is spent, while still locked", async () => {
      const file = await sqliteFile()
      const release = await lock(file)
      try {
        const result = await collect(`sqlite://${file}`, mock.endpoint(2_000))
        expect(result.exitCode, describeRun(result)).toBe(1)
        expect(result.signal).toBeNull()
        const errors = errorLines(result)
        expect(errors, describeRun(result)).toHaveLength(1)
        expect(errors[0]).toContain(`SQLite file ${file} is locked by another connection`)
        expect([...result.stdout, ...result.stderr].some((line) => /^\s+at /.test(line))).toBe(false)
      } finally {
        await release()
      }
    }, 120_000)
  })

  it("a full disk (a file size limit) fails in one line naming the file, with no success reported", async () => {
    const file = await sqliteFile()
    // RLIMIT_FSIZE stands for a full disk without root or a mount: with SIGXFSZ ignored (inherited through
    // exec), a write past the limit fails with EFBIG, as a write to a full disk fails with ENOSPC.
    const wrapper = path.join(path.dirname(file), "run-limited.sh")
    fs.writeFileSync(wrapper, `#!/bin/sh\ntrap '' XFSZ\nulimit -f 2048\nexec '${runSh}' "$@"\n`, { mode: 0o755 })
    const result = await invoke("collect", [
      taskContext({ dbUrl: `sqlite://${file}`, endpoint: mock.endpoint(20_000), connectionId: CONNECTION_ID }),
      "users"
    ], { runSh: wrapper })
    expect(result.exitCode, describeRun(result)).toBe(1)
    const errors = errorLines(result)
    expect(errors, describeRun(result)).toHaveLength(1)
    expect(errors[0]).toContain(`writing to SQLite database ${file}`)
    expect(result.stderr.some((line) => /raw records written/.test(line)), describeRun(result)).toBe(false)
  })
})
