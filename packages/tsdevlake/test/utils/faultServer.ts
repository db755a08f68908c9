/**
 * A fault-injecting HTTP server on 127.0.0.1 for API-layer tests, plus a CONNECT proxy and a
 * driver that runs an effect under `TestClock` while real sockets do their work.
 */
import { Duration, Effect, Fiber, Option, TestClock } from "effect"
import type { Scope } from "effect"
import * as Http from "node:http"
import * as Net from "node:net"
import type { AddressInfo } from "node:net"

/** What the server does with one request. */
export type Fault =
  | {
    readonly status?: number
    readonly headers?: Readonly<Record<string, string>>
    /** Sent as JSON unless `raw` is given. */
    readonly body?: unknown
    readonly raw?: string
    /** Real milliseconds to wait before answering (keep it short). */
    readonly delayMs?: number
  }
  | { readonly reset: true }
  | { readonly hang: true }

export interface RecordedRequest {
  readonly method: string
  /** Path and query, as received. */
  readonly url: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

export interface FaultServer {
  readonly url: string
  /** Faults served one per request to `path`, before its route (or the default 404). */
  readonly script: (path: string, faults: ReadonlyArray<Fault>) => void
  /** What `path` answers once its script is used up. */
  readonly route: (path: string, handler: (request: RecordedRequest) => Fault) => void
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly requestsTo: (path: string) => ReadonlyArray<RecordedRequest>
  /** Waits (real time, polling) until `n` requests to `path` (any path if omitted) have arrived. */
  readonly awaitRequests: (n: number, path?: string) => Effect.Effect<void>
}

/** A real-time pause, for polling sockets while `TestClock` holds virtual time still. */
export const liveSleep = (millis: number): Effect.Effect<void> =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

const answer = (res: Http.ServerResponse, fault: Exclude<Fault, { reset: true } | { hang: true }>) => {
  const raw = fault.raw ?? (fault.body === undefined ? "" : JSON.stringify(fault.body))
  const headers: Record<string, string> = {
    "content-type": fault.raw !== undefined ? "text/html" : "application/json",
    ...fault.headers
  }
  res.writeHead(fault.status ?? 200, headers)
  res.end(raw)
}

export const make: Effect.Effect<FaultServer, never, Scope.Scope> = Effect.gen(function*() {
  const scripts = new Map<string, Array<Fault>>()
  const routes = new Map<string, (request: RecordedRequest) => Fault>()
  const requests: Array<RecordedRequest> = []
  const timers = new Set<NodeJS.Timeout>()

  const server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const parsed = new URL(req.url ?? "/", "http://127.0.0.1")
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8")
      }
      requests.push(recorded)
      const scripted = scripts.get(recorded.path)
      const fault: Fault = scripted !== undefined && scripted.length > 0
        ? scripted.shift()!
        : routes.get(recorded.path)?.(recorded) ?? { status: 404, body: { message: `no route for ${recorded.path}` } }
      if ("reset" in fault) {
        req.socket.destroy()
        return
      }
      if ("hang" in fault) return
      if (fault.delayMs !== undefined) {
        const timer = setTimeout(() => {
          timers.delete(timer)
          if (!res.destroyed) answer(res, fault)
        }, fault.delayMs)
        timers.add(timer)
        return
      }
      answer(res, fault)
    })
  })

  yield* Effect.acquireRelease(
    Effect.async<void>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.void))
    }),
    () =>
      Effect.async<void>((resume) => {
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  const { port } = server.address() as AddressInfo
  const requestsTo = (path: string) => requests.filter((r) => r.path === path)
  return {
    url: `http://127.0.0.1:${port}`,
    script: (path, faults) => {
      scripts.set(path, [...(scripts.get(path) ?? []), ...faults])
    },
    route: (path, handler) => {
      routes.set(path, handler)
    },
    get requests() {
      return requests
    },
    requestsTo,
    awaitRequests: (n, path) =>
      Effect.gen(function*() {
        for (let i = 0; i < 2000; i++) {
          const count = path === undefined ? requests.length : requestsTo(path).length
          if (count >= n) return
          yield* liveSleep(2)
        }
        return yield* Effect.dieMessage(`fault server: ${n} requests${path ? ` to ${path}` : ""} never arrived`)
      })
  }
})

export interface Proxy {
  readonly url: string
  /** CONNECT tunnels opened so far. */
  readonly connects: () => number
}

/** A minimal HTTP CONNECT proxy on 127.0.0.1 (what undici's ProxyAgent speaks). */
export const makeProxy: Effect.Effect<Proxy, never, Scope.Scope> = Effect.gen(function*() {
  let connects = 0
  const sockets = new Set<Net.Socket>()
  const proxy = Http.createServer((_req, res) => {
    res.writeHead(405)
    res.end()
  })
  proxy.on("connect", (req: Http.IncomingMessage, client: Net.Socket, head: Buffer) => {
    connects += 1
    const [host, port] = (req.url ?? "").split(":")
    if (host !== "127.0.0.1") {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n")
      return
    }
    const upstream = Net.connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    sockets.add(client)
    const close = () => {
      upstream.destroy()
      client.destroy()
    }
    upstream.on("error", close)
    client.on("error", close)
  })
  yield* Effect.acquireRelease(
    Effect.async<void>((resume) => {
      proxy.listen(0, "127.0.0.1", () => resume(Effect.void))
    }),
    () =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        proxy.closeAllConnections()
        proxy.close(() => resume(Effect.void))
      })
  )
  const { port } = proxy.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, connects: () => connects }
})

/**
 * Runs `effect` under `TestClock` while it also waits on real sockets: whenever the effect sleeps
 * on a virtual timer due within `horizon`, time jumps to it; otherwise real time passes briefly so
 * I/O can progress. Timers further than `horizon` (request timeouts) never fire, so give the
 * client a timeout longer than the horizon unless the test steps time itself.
 */
export const runVirtual = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: { readonly horizon?: Duration.DurationInput } = {}
): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const horizon = Duration.toMillis(options.horizon ?? Duration.minutes(10))
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < 20_000; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return yield* Fiber.join(fiber)
      const now = yield* TestClock.currentTimeMillis
      const due = [...(yield* TestClock.sleeps())].filter((at) => at > now && at - now <= horizon)
      if (due.length > 0) {
        yield* TestClock.setTime(Math.min(...due))
        // Let woken fibers register their next timers before the next jump.
        yield* liveSleep(0)
      } else yield* liveSleep(1)
    }
    yield* Fiber.interrupt(fiber)
    return yield* Effect.dieMessage("runVirtual: the effect did not finish within its real-time budget")
  })
