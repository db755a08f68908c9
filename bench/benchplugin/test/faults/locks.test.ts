/**
 * Issue 13, finding 4: two collects of the same scope at once wrote 34,000 to 40,000 raw rows for 20,000 ids.
 * Through run.sh on each database, with the API held back by a gate (a proxy in front of the mock that holds
 * every page after the first ten until the test opens it), so that each case happens as described whatever the
 * machine's speed: the first run holds the scope and cannot finish until the test has seen the second one wait.
 *  - same scope, default wait: the second run waits (one "waiting for" line), runs once the first ends; N rows;
 *  - same scope, TSDEVLAKE_LOCK_WAIT_SECONDS=1: the second exits 1 with one line naming the scope, the subtask
 *    and the holder; N rows;
 *  - two scopes at once: both collect while the gate is closed (neither waits); N rows each.
 */
import { Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import * as http from "node:http"
import { hostname } from "node:os"
import * as path from "node:path"
import { Db } from "tsdevlake/runtime"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import {
  type BenchDatabase,
  describeRun,
  migrate,
  type Mock,
  openDatabase,
  rawJson,
  runSh,
  startMock,
  taskContext,
  testDatabases
} from "../utils.js"

const N = 5_000
// The first page passes the gate: a run that asked for it is past its lock (taken before the collect starts).
const GATE_AT = 100
// Connection ids 300-309 are this file's (each is a scope of its own, as utils.ts explains).
const SAME_SCOPE = 300
const FAIL_FAST = 301
const SCOPE_A = 302
const SCOPE_B = 303

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

interface Gate {
  readonly endpoint: string
  /** Resolves once `n` runs in all have asked for their first page (each asks once). */
  readonly firstPages: (n: number) => Promise<"first pages">
  readonly open: () => void
  readonly close: () => Promise<void>
}

/** A proxy to the mock that holds every page from offset GATE_AT on until `open` (the mock's tokens: "o:<offset>"). */
const startGate = (): Promise<Gate> =>
  new Promise((resolve) => {
    let opened = false
    const held: Array<() => void> = []
    let firsts = 0
    const waiters: Array<{ readonly n: number; readonly resolve: (value: "first pages") => void }> = []
    const server = http.createServer((req, res) => {
      const token = new URL(req.url!, "http://gate").searchParams.get("pageToken")
      if (token === null) {
        firsts += 1
        for (const waiter of waiters.filter((w) => w.n <= firsts)) waiter.resolve("first pages")
      }
      const offset = token === null ? 0 : Number(Buffer.from(token, "base64url").toString("utf8").slice(2))
      const forward = () => {
        const upstream = http.request(
          { host: "127.0.0.1", port: mock.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode!, answer.headers)
            answer.pipe(res)
          }
        )
        upstream.on("error", () => res.destroy())
        req.pipe(upstream)
      }
      if (opened || offset < GATE_AT) forward()
      else held.push(forward)
    })
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      resolve({
        endpoint: `http://127.0.0.1:${port}/datasets/${N}`,
        firstPages: (n) =>
          new Promise((resolve) => n <= firsts ? resolve("first pages") : waiters.push({ n, resolve })),
        open: () => {
          opened = true
          for (const forward of held.splice(0)) forward()
        },
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })

interface Running {
  readonly pid: number
  /** stdout and stderr lines so far. */
  readonly output: Array<string>
  readonly stderr: Array<string>
  /** Resolves once a line of stdout or stderr matches `pattern` (never when none does). */
  readonly line: (pattern: RegExp) => Promise<"line">
  /** Resolves with "exit" at the exit. */
  readonly exited: Promise<number | null>
}

const exitOf = (run: Running) => run.exited.then(() => "exit" as const)

/**
 * The runs a test started, killed when it ends (a failed assertion must not leave one waiting at the gate); the
 * output of those still running then is printed, to tell where a test that timed out stood.
 */
const started = new Map<ChildProcess, Array<string>>()
afterEach(() => {
  for (const [child, output] of started) {
    if (child.exitCode === null && child.signalCode === null) {
      console.error(`run ${child.pid} still running at the end of the test:\n${output.join("\n")}`)
    }
    child.kill("SIGKILL")
  }
  started.clear()
})

/** `run.sh collect` as the Go server starts it (see Invoker), its output read as it comes. */
const startCollect = (bench: BenchDatabase, endpoint: string, env: Record<string, string> = {}): Running => {
  const context = taskContext(bench, endpoint)
  const child: ChildProcess = spawn(
    `./${path.basename(runSh)}`,
    ["collect", JSON.stringify({ log_level: "" }), JSON.stringify(context), JSON.stringify("users")],
    { cwd: path.dirname(runSh), stdio: ["ignore", "pipe", "pipe", "pipe"], env: { ...process.env, ...env } }
  )
  const output: Array<string> = []
  const stderr: Array<string> = []
  started.set(child, output)
  const listeners = new Set<() => void>()
  const notify = () => listeners.forEach((listener) => listener())
  // A line may arrive in two chunks: only whole lines are kept.
  const lines = (...targets: ReadonlyArray<Array<string>>) => {
    let pending = ""
    return (chunk: Buffer) => {
      const parts = (pending + chunk.toString("utf8")).split("\n")
      pending = parts.pop()!
      for (const target of targets) target.push(...parts.filter((line) => line !== ""))
      notify()
    }
  }
  child.stdout!.on("data", lines(output))
  child.stderr!.on("data", lines(stderr, output)) // Replies on fd 3 are not this test's concern, but the pipe must be read.
  ;(child.stdio[3] as NodeJS.ReadableStream).resume()
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)))
  const line = (pattern: RegExp) =>
    new Promise<"line">((resolve) => {
      const check = () => {
        if (output.some((text) => pattern.test(text))) {
          listeners.delete(check)
          resolve("line")
        }
      }
      listeners.add(check)
      check()
    })
  return { pid: child.pid!, output, stderr, line, exited }
}

/** The user ids of the scope's raw rows. */
const rawIds = async (bench: BenchDatabase) => {
  const rows = await bench.count(`SELECT COUNT(*) FROM _raw_bench_users WHERE params = '${bench.params}'`)
  const ids = new Set<number>()
  if (rows > 0) {
    const data = await bench.run(
      Effect.flatMap(
        Db.Database,
        (db) => db.execute(`SELECT data FROM _raw_bench_users WHERE params = '${bench.params}'`)
      )
    )
    for (const row of data) ids.add(rawJson(row["data"]).id as number)
  }
  return { rows, ids }
}

const expectExactlyOnce = async (bench: BenchDatabase) => {
  const { ids, rows } = await rawIds(bench)
  expect(rows, `raw rows of scope ${bench.params} on ${bench.name}`).toBe(N)
  expect(ids.size).toBe(N)
}

const WAITING = /waiting for it to finish/

for (const database of await testDatabases()) {
  describe.skipIf(database.skip !== undefined)(`finding 4: one run per scope and subtask on ${database.name}`, () => {
    const benches: Array<BenchDatabase> = []
    const open = async (connectionId: number) => {
      const bench = await openDatabase(database, connectionId)
      benches.push(bench)
      const migrated = await migrate(bench.url)
      expect(migrated.exitCode, describeRun(migrated)).toBe(0)
      return bench
    }
    afterAll(() => Promise.all(benches.map((bench) => bench.dispose())))
    const holder = (first: Running) =>
      database.name === "mysql" ? /MySQL connection \d+/ : new RegExp(`${first.pid}@${hostname()}`)

    it("finding 4: a second collect of the same scope waits for the first, then runs; N raw rows, not 2N", async () => {
      const bench = await open(SAME_SCOPE)
      const gate = await startGate()
      try {
        const first = startCollect(bench, gate.endpoint)
        // The first has asked for its first page, so it holds the scope; it cannot finish before the gate opens.
        await gate.firstPages(1)
        const second = startCollect(bench, gate.endpoint, { TSDEVLAKE_LOCK_WAIT_SECONDS: "300" })
        // Before the lock, the second collected at once (asked for its first page): the rows were written twice.
        const event = await Promise.race([second.line(WAITING), gate.firstPages(2), exitOf(second)])
        gate.open()
        expect(await first.exited, first.output.join("\n")).toBe(0)
        expect(await second.exited, second.output.join("\n")).toBe(0)
        await expectExactlyOnce(bench)
        expect(event, second.output.join("\n")).toBe("line")
        const waiting = second.output.filter((line) => WAITING.test(line))
        expect(waiting).toHaveLength(1)
        expect(waiting[0]).toContain(`Collect Users: another run holds scope ${bench.params}: `)
        expect(waiting[0]).toMatch(holder(first))
        expect(second.output.some((line) => line.includes("has finished; this one starts"))).toBe(true)
        expect(first.output.some((line) => WAITING.test(line))).toBe(false)
      } finally {
        gate.open()
        await gate.close()
      }
    }, 120_000)

    it(
      "finding 4: with TSDEVLAKE_LOCK_WAIT_SECONDS=1 the second exits 1 in one line naming the scope and the holder",
      async () => {
        const bench = await open(FAIL_FAST)
        const gate = await startGate()
        try {
          const first = startCollect(bench, gate.endpoint)
          await gate.firstPages(1)
          const second = startCollect(bench, gate.endpoint, { TSDEVLAKE_LOCK_WAIT_SECONDS: "1" })
          // Before the lock, the second collected instead of exiting (and its rows doubled the scope's).
          const event = await Promise.race([exitOf(second), gate.firstPages(2)])
          gate.open()
          expect(await first.exited, first.output.join("\n")).toBe(0)
          const code = await second.exited
          await expectExactlyOnce(bench)
          expect(event, second.output.join("\n")).toBe("exit")
          expect(code, second.output.join("\n")).toBe(1)
          const errors = second.stderr.filter((line) => line.trim() !== "")
          expect(errors, second.output.join("\n")).toHaveLength(1)
          expect(errors[0]).toContain(`Collect Users: another run holds scope ${bench.params}: `)
          expect(errors[0]).toMatch(holder(first))
          expect(errors[0]).toMatch(/ since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; gave up after waiting 1 s/)
        } finally {
          gate.open()
          await gate.close()
        }
      },
      120_000
    )

    it("two scopes at once both collect in parallel, neither waits", async () => {
      const [a, b] = [await open(SCOPE_A), await open(SCOPE_B)]
      const gate = await startGate()
      try {
        const first = startCollect(a, gate.endpoint)
        const second = startCollect(b, gate.endpoint)
        // Both ask for their first page while the gate holds the other's second: both hold their scope's lock at once.
        expect(await Promise.race([gate.firstPages(2), exitOf(first), exitOf(second)])).toBe("first pages")
        gate.open()
        expect(await first.exited, first.output.join("\n")).toBe(0)
        expect(await second.exited, second.output.join("\n")).toBe(0)
        await expectExactlyOnce(a)
        await expectExactlyOnce(b)
        expect([...first.output, ...second.output].some((line) => WAITING.test(line))).toBe(false)
      } finally {
        gate.open()
        await gate.close()
      }
    }, 120_000)
  })
}
