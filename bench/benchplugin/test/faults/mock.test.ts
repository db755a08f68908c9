/**
 * The mock API's fault injection (bench/mock-api.mjs, `/datasets/<N>/faults/<spec>/users`), which the fault
 * suite relies on: each kind answers as documented, on the page it names, and a burst ends after its count.
 */
import * as net from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Mock, startMock } from "../utils.js"

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const token = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url")
const page = (spec: string, offset: number) =>
  fetch(`${mock.endpoint(1000)}/faults/${spec}/users${offset === 0 ? "" : `?pageToken=${token(offset)}`}`)

/** Sends a raw request and resolves to what the socket received before it closed (or `timeoutMs` passed). */
const rawRequest = (spec: string, offset: number, timeoutMs: number) =>
  new Promise<{ readonly received: string; readonly closed: boolean }>((resolve) => {
    const socket = net.connect(mock.port, "127.0.0.1")
    let received = ""
    socket.on("data", (chunk) => (received += chunk.toString()))
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ received, closed: false })
    }, timeoutMs)
    socket.on("close", () => {
      clearTimeout(timer)
      resolve({ received, closed: true })
    })
    socket.on("error", () => {})
    socket.write(
      `GET /datasets/1000/faults/${spec}/users?pageToken=${
        token(offset)
      } HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`
    )
  })

describe("mock API faults", () => {
  it("answers the named page with each status kind, and other pages normally", async () => {
    for (const status of [500, 502, 503, 404, 401]) {
      const response = await page(`${status}@300`, 300)
      expect(response.status).toBe(status)
      expect(await response.json()).toEqual({ error: `injected fault ${status}` })
    }
    expect((await page("500@300", 200)).status).toBe(200)
    expect((await page("500@300", 400)).status).toBe(200)
    // Not aligned: the first page at or after record 250 is the one at offset 300.
    expect((await page("500@250", 200)).status).toBe(200)
    expect((await page("500@250", 300)).status).toBe(500)
    expect((await page("500@0", 0)).status).toBe(500)
  })

  it("ends a burst after its count, per spec (labels keep bursts apart)", async () => {
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await page("502@100x2,~burst", 100)).status)
    expect(statuses).toEqual([502, 502, 200, 200])
    expect((await page("502@100x2,~other", 100)).status).toBe(502)
  })

  it("sends Retry-After in seconds and as an HTTP date about 1 s ahead", async () => {
    const seconds = await page("429s@100", 100)
    expect(seconds.status).toBe(429)
    expect(seconds.headers.get("retry-after")).toBe("1")
    const dated = await page("429d@100", 100)
    expect(dated.status).toBe(429)
    const ahead = Date.parse(dated.headers.get("retry-after")!) - Date.now()
    expect(ahead).toBeGreaterThan(-1000)
    expect(ahead).toBeLessThanOrEqual(2000)
    // The log tells when each request for a faulted page was answered, and where its Retry-After pointed.
    await page("429s@100x1,~log", 100)
    await page("429s@100x1,~log", 100)
    const log = await (await fetch(`http://127.0.0.1:${mock.port}/faults-log?spec=429s@100x1,~log`)).json() as {
      readonly requests: ReadonlyArray<{ offset: number; at: number; kind: string; retryAt?: number }>
    }
    expect(log.requests.map((r) => [r.offset, r.kind])).toEqual([[100, "429s"], [100, "ok"]])
    expect(log.requests[0]!.retryAt).toBeGreaterThanOrEqual(log.requests[0]!.at + 1000)
  })

  it("changes the body for html, shape and repeat", async () => {
    const html = await page("html@100", 100)
    expect(html.status).toBe(200)
    expect(html.headers.get("content-type")).toMatch(/^text\/html/)
    expect(await html.text()).toMatch(/<form/)
    interface Page {
      readonly results: ReadonlyArray<{ readonly id: unknown }>
      readonly nextPage: string | null
    }
    const shape = await (await page("shape@100", 100)).json() as Page
    expect(shape.results).toHaveLength(100)
    expect(shape.results[0]!.id).toBe("user-101")
    const repeat = await (await page("repeat@100", 100)).json() as Page
    expect(repeat.results[0]!.id).toBe(101)
    expect(repeat.nextPage).toBe(token(100))
  })

  it("truncates, resets and stalls at the socket", async () => {
    const truncated = await rawRequest("truncated@100", 100, 10_000)
    expect(truncated.closed).toBe(true)
    const length = Number(/content-length: (\d+)/i.exec(truncated.received)![1])
    const body = truncated.received.slice(truncated.received.indexOf("\r\n\r\n") + 4)
    expect(Buffer.byteLength(body)).toBe(Math.floor(length / 2))
    expect(await rawRequest("reset@100", 100, 10_000)).toEqual({ received: "", closed: true })
    expect(await rawRequest("stall@100", 100, 500)).toEqual({ received: "", closed: false })
  })

  it("holds a page until released", async () => {
    let answered = false
    const held = page("hold@100,~hold", 100).then((response) => {
      answered = true
      return response
    })
    // The held request is in the log before it is answered; nothing answers it until the release.
    for (let seen = 0; seen === 0;) {
      seen = (await (await fetch(`http://127.0.0.1:${mock.port}/faults-log?spec=hold@100,~hold`)).json() as {
        readonly requests: ReadonlyArray<unknown>
      }).requests.length
    }
    expect(answered).toBe(false)
    await fetch(`http://127.0.0.1:${mock.port}/release?spec=hold@100,~hold`)
    expect((await held).status).toBe(200)
    expect((await page("hold@100,~hold", 100)).status).toBe(200)
  })

  it("refuses a malformed spec with 400 naming it", async () => {
    const response = await page("boom@1", 0)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: "bad fault \"boom@1\"" })
  })
})
