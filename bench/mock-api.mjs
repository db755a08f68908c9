#!/usr/bin/env node
// The benchmark's mock REST API (the project's copy of the reference in bench/README.md, same responses).
// Serves N synthetic users with token pagination, on 127.0.0.1 only.
//
//   GET /datasets/<N>/users[?pageToken=<t>][&pageSize=<k>]
//     -> {"results":[...up to pageSize users...],"nextPage":"<token>"|null}
//   GET /health -> {"ok":true}
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
  const server = http.createServer((req, res) => {
    if (req.method !== "GET") return send(res, 405, { error: "method not allowed" })
    const url = new URL(req.url, "http://127.0.0.1")
    if (url.pathname === "/health") return send(res, 200, { ok: true })
    const m = /^\/datasets\/(\d+)\/users\/?$/.exec(url.pathname)
    if (!m) return send(res, 404, { error: "not found" })
    const n = Number(m[1])
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
    if (delayMs > 0) setTimeout(() => send(res, 200, body), delayMs)
    else send(res, 200, body)
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
