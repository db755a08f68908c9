#!/usr/bin/env node
// The benchmark's mock REST API (the project's copy of the reference in bench/README.md, same responses).
// Serves N synthetic users with token pagination, on 127.0.0.1 only.
//
//   GET /datasets/<N>/users[?pageToken=<t>][&pageSize=<k>]
//     -> {"results":[...up to pageSize users...],"nextPage":"<token>"|null}
//   GET /health -> {"ok":true}
//   GET /datasets/<N>/faults/<spec>/users[?pageToken=<t>][&pageSize=<k>]
//     -> the same pages, except the ones a fault in <spec> names (the fault suite, bench/benchplugin/test/faults).
//
// <spec> is a comma-separated list of `<kind>@<record>[x<count>]`. The fault hits the page whose first record
// index (0-based offset) is the first one >= <record>, i.e. the page holding record <record>+1 (page size 100:
// `500@5000` hits the request for offset 5000). With `x<count>` only the first <count> requests for that page
// fail (a burst: later ones succeed); without it every request does. Items starting with `~` are labels,
// ignored except that burst counters are kept per whole <spec>: tests sharing one mock give each run its own
// label (`502@5000x2,~sqlite`) so that one run's burst is not spent by another's. Kinds:
//   500 502 503 404 401  that status with a JSON error body
//   429s        429 with `Retry-After: 1` (seconds form)
//   429d        429 with `Retry-After` as an HTTP date about 1 s ahead
//   truncated   200 with the Content-Length of the full page, but only half its bytes, then the socket destroyed
//   html        200 text/html login page
//   reset       the socket destroyed without a response
//   stall       never answers, keeps the socket open
//   shape       200 with the normal page, except that every record's `id` is a non-numeric string
//   repeat      200 with the normal page whose `nextPage` is this same page's token (a client following tokens
//               loops forever)
//   hold        the normal page, but only once `GET /release?spec=<spec>` was asked (at once after that): a test
//               holds one run at a known point until another has got somewhere
// A malformed <spec> answers 400 naming it.
//   GET /faults-log?spec=<spec> -> {"requests":[{"offset","at","kind","retryAt"?}...]}: every request for a page
//     that a fault of <spec> names, in order: when it was answered (ms since the epoch), with which fault (`kind`
//     "ok" once a burst is over) and, for a 429, the time its Retry-After pointed to. Tests check with it that a
//     client waited as told.
//
// Usage: node bench/mock-api.mjs [port] [--delay-ms <ms>]   (port 0 / default picks a free port; the first
// stdout line is "listening <port>"). `--delay-ms` (or env MOCK_DELAY_MS) delays every users page, so that
// a collect lasts long enough to be killed half-way (the resume test).
import * as fs from "node:fs"
import * as http from "node:http"
import { pathToFileURL } from "node:url"

const MAX_N = 1000000 // hard cap on dataset size
const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 100

const TITLES = ["Engineer", "Senior Engineer", "Staff Engineer", "Manager", "Director"]
const DEPTS = ["Platform", "Payments", "Search", "Mobile", "Data", "Security", "Infra"]
const CITIES = [["Berlin", "DE"], ["Paris", "FR"], ["Lisbon", "PT"], ["Austin", "US"], ["Osaka", "JP"], ["Lagos", "NG"]]
const EPOCH = Date.UTC(2020, 0, 1)

/** User number `i` (ids 1..N), exactly as the reference mock builds it. */
export function user(i) {
  const [city, country] = CITIES[i % CITIES.length]
  return {
    id: i,
    login: `user${i}`,
    name: `User Number ${i}`,
    email: `user${i}@example.com`,
    avatarUrl: `https://avatars.example.com/u/${i}.png`,
    joinedAt: new Date(EPOCH + i * 60000).toISOString(),
    active: i % 7 !== 0,
    profile: {
      title: TITLES[i % TITLES.length],
      department: DEPTS[i % DEPTS.length],
      location: { city, country },
      tags: ["synthetic", `cohort-${i % 10}`]
    }
  }
}

// token = base64url("o:<offset>"); opaque to the client
const encodeToken = (offset) => Buffer.from(`o:${offset}`).toString("base64url")
function decodeToken(tok) {
  const m = /^o:(\d+)$/.exec(Buffer.from(tok, "base64url").toString())
  return m ? Number(m[1]) : NaN
}

const FAULT_KINDS = new Set([
  "500",
  "502",
  "503",
  "404",
  "401",
  "429s",
  "429d",
  "truncated",
  "html",
  "reset",
  "stall",
  "shape",
  "repeat",
  "hold"
])

/**
 * Parses a fault spec (see the header). Throws an Error naming the bad item.
 * @param {string} spec
 * @returns {Array<{ kind: string, record: number, count: number | undefined }>}
 */
export function parseFaults(spec) {
  const faults = []
  for (const item of spec.split(",")) {
    if (item.startsWith("~")) continue
    const m = /^([0-9a-z]+)@(\d+)(?:x(\d+))?$/.exec(item)
    if (!m || !FAULT_KINDS.has(m[1])) throw new Error(`bad fault "${item}"`)
    faults.push({ kind: m[1], record: Number(m[2]), count: m[3] === undefined ? undefined : Number(m[3]) })
  }
  return faults
}

const LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head>" +
  "<body><form action=\"/login\" method=\"post\"><input name=\"user\"><input name=\"password\" type=\"password\">" +
  "</form></body></html>"

/**
 * Answers the page with fault `kind` and returns true; false for `shape` and `repeat`, which only change the body.
 * Sets `entry.retryAt` for a 429.
 */
function answerFault(req, res, kind, body, entry) {
  switch (kind) {
    case "500":
    case "502":
    case "503":
    case "404":
    case "401":
      send(res, Number(kind), { error: `injected fault ${kind}` })
      return true
    case "429s":
      res.setHeader("Retry-After", "1")
      entry.retryAt = Date.now() + 1000
      send(res, 429, { error: "rate limited" })
      return true
    case "429d":
      // HTTP dates have whole seconds: 1.5 s ahead, truncated, is 0.5 to 1.5 s ahead.
      entry.retryAt = Math.floor((Date.now() + 1500) / 1000) * 1000
      res.setHeader("Retry-After", new Date(entry.retryAt).toUTCString())
      send(res, 429, { error: "rate limited" })
      return true
    case "truncated": {
      const bytes = Buffer.from(JSON.stringify(body))
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": bytes.length })
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy())
      return true
    }
    case "html":
      res.writeHead(200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": Buffer.byteLength(LOGIN_PAGE)
      })
      res.end(LOGIN_PAGE)
      return true
    case "reset":
      req.socket.destroy()
      return true
    case "stall":
      return true
    case "hold":
      return false
    default:
      return false
  }
}

function send(res, status, obj) {
  const body = JSON.stringify(obj)
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) })
  res.end(body)
}

/**
 * Starts the mock on 127.0.0.1. Resolves to the server and its port once it listens.
 * @param {{ port?: number, delayMs?: number }} [options]
 * @returns {Promise<{ server: http.Server, port: number, close: () => Promise<void> }>}
 */
export function startMockApi(options = {}) {
  const delayMs = options.delayMs ?? 0
  // Requests seen per "<spec>#<fault index>", for bursts (`x<count>`).
  const faultHits = new Map()
  // Requests for faulted pages per spec (GET /faults-log).
  const faultLog = new Map()
  // `hold` faults: the answers waiting per spec, and the specs released.
  const holding = new Map()
  const released = new Set()
  const server = http.createServer((req, res) => {
    if (req.method !== "GET") return send(res, 405, { error: "method not allowed" })
    const url = new URL(req.url, "http://127.0.0.1")
    if (url.pathname === "/health") return send(res, 200, { ok: true })
    if (url.pathname === "/release") {
      const held = url.searchParams.get("spec")
      released.add(held)
      for (const answer of holding.get(held) ?? []) answer()
      holding.delete(held)
      return send(res, 200, { released: held })
    }
    if (url.pathname === "/faults-log") {
      return send(res, 200, { requests: faultLog.get(url.searchParams.get("spec")) ?? [] })
    }
    const m = /^\/datasets\/(\d+)(?:\/faults\/([^/]+))?\/users\/?$/.exec(url.pathname)
    if (!m) return send(res, 404, { error: "not found" })
    const n = Number(m[1])
    const spec = m[2] === undefined ? undefined : decodeURIComponent(m[2])
    let faults = []
    if (spec !== undefined) {
      try {
        faults = parseFaults(spec)
      } catch (error) {
        return send(res, 400, { error: error.message })
      }
    }
    if (n > MAX_N) return send(res, 400, { error: `N must be <= ${MAX_N}` })
    let pageSize = Number(url.searchParams.get("pageSize") || DEFAULT_PAGE_SIZE)
    if (!Number.isInteger(pageSize) || pageSize < 1) return send(res, 400, { error: "bad pageSize" })
    pageSize = Math.min(pageSize, MAX_PAGE_SIZE)
    const tok = url.searchParams.get("pageToken")
    const offset = tok ? decodeToken(tok) : 0
    if (!Number.isInteger(offset) || offset < 0 || offset > n) return send(res, 400, { error: "bad pageToken" })
    const end = Math.min(offset + pageSize, n)
    const results = []
    for (let i = offset; i < end; i++) results.push(user(i + 1)) // ids 1..N
    const body = { results, nextPage: end < n ? encodeToken(end) : null }
    const index = faults.findIndex((fault) => offset >= fault.record && offset < fault.record + pageSize)
    let kind
    let entry
    if (index >= 0) {
      const key = `${spec}#${index}`
      const hits = (faultHits.get(key) ?? 0) + 1
      faultHits.set(key, hits)
      const fault = faults[index]
      if (fault.count === undefined || hits <= fault.count) kind = fault.kind
      entry = { offset, at: 0, kind: kind ?? "ok" }
      faultLog.set(spec, [...(faultLog.get(spec) ?? []), entry])
    }
    if (kind === "shape") body.results = results.map((u) => ({ ...u, id: `user-${u.id}` }))
    if (kind === "repeat") body.nextPage = encodeToken(offset)
    const answer = () => {
      if (entry !== undefined) entry.at = Date.now()
      if (kind === undefined || !answerFault(req, res, kind, body, entry)) send(res, 200, body)
    }
    if (kind === "hold" && !released.has(spec)) holding.set(spec, [...(holding.get(spec) ?? []), answer])
    else if (delayMs > 0) setTimeout(answer, delayMs)
    else answer()
  })
  server.keepAliveTimeout = 30000
  return new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      resolve({
        server,
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

const isMain = process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href
if (isMain) {
  const args = process.argv.slice(2)
  const delayAt = args.indexOf("--delay-ms")
  const delayMs = Number(delayAt >= 0 ? args[delayAt + 1] : process.env.MOCK_DELAY_MS ?? 0)
  const positional = delayAt >= 0 ? [...args.slice(0, delayAt), ...args.slice(delayAt + 2)] : args
  const port = Number(positional[0] || process.env.MOCK_PORT || 0)
  const mock = await startMockApi({ port, delayMs })
  console.log(`listening ${mock.port}`)
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => mock.close().then(() => process.exit(0)))
}
