/**
 * A mock Azure DevOps API for the plugin's tests and hand runs (test support: never part of the plugin's build).
 *
 * `startMock({ seed, size })` serves, on 127.0.0.1, data generated from the seed and size (mock/data.ts):
 * - on-premises (Azure DevOps Server): plain http under any collection path, `collectionUrl()`, e.g.
 *   `http://127.0.0.1:P/tfs/fabrikam/` (the collection is an organization of the data; `DefaultCollection` is the
 *   first one);
 * - the cloud: `https://dev.azure.com/{org}/…` and `https://app.vssps.visualstudio.com/…` through the mock as HTTP
 *   proxy (`proxyUrl`), whose TLS certificate the test CA (`caFile`, for `NODE_EXTRA_CA_CERTS`) signed.
 *
 * Basic authentication with `data.token` as password; a wrong token is redirected (302) to a sign-in page answered
 * with 203 HTML, `data.expiredToken` gets a 401. Lists page as the service does (mock/paging.ts); `pageSize` caps
 * every page so that small data spans several. `faults` (settable later with `setFaults`) inject 429 and 5xx
 * answers; `requests` logs what was asked.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type * as net from "node:net"
import { makeCertificates } from "./certs.js"
import { generate, type MockData } from "./data.js"
import { connectHandler, type Fault, type LoggedRequest, makeHandler, type ServerState, tlsServer } from "./server.js"

export type { MockData } from "./data.js"
export { generate } from "./data.js"
export type { Fault, LoggedRequest } from "./server.js"

export interface MockOptions {
  readonly seed: string | number
  readonly size: number
  /** 0 or absent: a free port. */
  readonly port?: number
  readonly faults?: ReadonlyArray<Fault>
  /** The largest page any list answers (the service's own defaults otherwise). */
  readonly pageSize?: number
  /**
   * Whether to serve the cloud hosts through the mock as proxy (default true). Their certificates need the `openssl`
   * command; `npm start` turns this off and uses a collection URL, so that it needs nothing but Node.
   */
  readonly cloud?: boolean
}

export interface Mock {
  /** The on-premises style base, `http://127.0.0.1:P/`. */
  readonly url: string
  /** The proxy for the cloud hosts, `http://127.0.0.1:P`. */
  readonly proxyUrl: string
  /** The test CA's certificate (PEM file); "" when `cloud` is off. */
  readonly caFile: string
  readonly data: MockData
  /** A collection URL under `prefix` (default `tfs/`), for organization `org` (default the first one). */
  readonly collectionUrl: (prefix?: string, org?: string) => string
  /** Every request answered since the start (or `clearLog`). */
  readonly requests: ReadonlyArray<LoggedRequest>
  readonly clearLog: () => void
  /** Replaces the faults; their request counts start again from zero. */
  readonly setFaults: (faults: ReadonlyArray<Fault>) => void
  /** What a wrong token gets: a 302 to the sign-in page (the default), or the 203 page itself. */
  readonly setSignIn: (answer: "redirect" | "page") => void
  readonly close: () => Promise<void>
}

export const startMock = async (options: MockOptions): Promise<Mock> => {
  const data = generate(options.seed, options.size)
  const certificates = options.cloud === false ? undefined : await makeCertificates()
  const state: ServerState = { faults: [], counts: [], log: [], signIn: "redirect" }
  const setFaults = (faults: ReadonlyArray<Fault>) => {
    state.faults = faults
    state.counts = faults.map(() => 0)
  }
  setFaults(options.faults ?? [])
  const pageSize = options.pageSize
  const tls = certificates === undefined
    ? undefined
    : tlsServer(certificates, makeHandler(data, state, { pageSize, secure: true }))
  const server = http.createServer(makeHandler(data, state, { pageSize, secure: false }))
  server.keepAliveTimeout = 30_000
  // Without the cloud side, a CONNECT gets no handler: Node answers it by closing the socket.
  if (tls !== undefined) server.on("connect", connectHandler(tls))
  // Tunnelled sockets leave the HTTP server's bookkeeping (closeAllConnections misses them) but keep it open.
  const sockets = new Set<net.Socket>()
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
    })
  } catch (error) {
    if (certificates !== undefined) fs.rmSync(certificates.dir, { recursive: true, force: true })
    throw error
  }
  const port = (server.address() as { port: number }).port
  const url = `http://127.0.0.1:${port}/`
  return {
    url,
    proxyUrl: `http://127.0.0.1:${port}`,
    caFile: certificates?.caFile ?? "",
    data,
    collectionUrl: (prefix = "tfs/", org = data.organizations[0]!.name) => `${url}${prefix}${encodeURIComponent(org)}/`,
    get requests() {
      return state.log
    },
    clearLog: () => {
      state.log.length = 0
    },
    setFaults,
    setSignIn: (answer) => {
      state.signIn = answer
    },
    close: async () => {
      server.closeAllConnections()
      tls?.closeAllConnections()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      if (certificates !== undefined) fs.rmSync(certificates.dir, { recursive: true, force: true })
    }
  }
}
