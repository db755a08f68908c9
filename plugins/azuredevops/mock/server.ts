/**
 * The mock's HTTP side: one server on 127.0.0.1 that answers an on-premises collection URL in plain http
 * (`http://127.0.0.1:P/[any/prefix/]{collection}/…`), and acts as the connection's proxy for the cloud hosts:
 * `CONNECT dev.azure.com:443` and `CONNECT app.vssps.visualstudio.com:443` are tunnelled to its TLS side, whose
 * certificate the test CA signed. Authentication, fault injection and the request log are here; the endpoints are
 * in routes.ts.
 */
import type * as http from "node:http"
import * as https from "node:https"
import type * as net from "node:net"
import { type Certificates, CLOUD_HOSTS } from "./certs.js"
import type { MockData, Organization } from "./data.js"
import { type Answer, failure } from "./paging.js"
import type { Site } from "./render.js"
import { findProject, route, vsspsRoute } from "./routes.js"

/**
 * A fault injected into the requests the mock authenticates (the sign-in page aside), counted from 1 since the
 * faults were set; `path`, when given, counts only requests whose path contains it (case-insensitive).
 * - `429`: the `at`-th request gets 429 with `Retry-After: retryAfter` seconds (default 1).
 * - `5xx`: `count` requests from the `at`-th get `status` (default 503): a burst.
 */
export type Fault =
  | { readonly kind: "429"; readonly at: number; readonly retryAfter?: number; readonly path?: string }
  | {
    readonly kind: "5xx"
    readonly at: number
    readonly count: number
    readonly status?: number
    readonly path?: string
  }

/** One request the mock answered, for tests: what was asked and what it answered. */
export interface LoggedRequest {
  readonly method: string
  /** The full URL: `https://dev.azure.com/…` through the proxy, `http://127.0.0.1:P/…` on-premises. */
  readonly url: string
  readonly status: number
  /** When it was answered (ms since the epoch). */
  readonly at: number
  readonly auth: "ok" | "none" | "wrong" | "expired"
}

export interface ServerState {
  faults: ReadonlyArray<Fault>
  /** Requests counted per fault (index in `faults`). */
  counts: Array<number>
  readonly log: Array<LoggedRequest>
  /**
   * What a wrong token gets: the service's 302 to its sign-in page, or that page itself (203), as a client that
   * follows redirects ends up seeing it.
   */
  signIn: "redirect" | "page"
}

const SIGN_IN_PAGE = "<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head>" +
  "<body><form method=\"post\" action=\"/_signin\"><input name=\"loginfmt\" type=\"email\">" +
  "<input type=\"submit\" value=\"Next\"></form></body></html>"

const DEFAULT_COLLECTION = "defaultcollection"

type Auth = LoggedRequest["auth"]

const authOf = (header: string | undefined, data: MockData): Auth => {
  const match = /^Basic\s+(.+)$/i.exec(header ?? "")
  if (match === null) return "none"
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8")
  // Any user name goes with a personal access token; the plugin sends an empty one.
  const token = decoded.slice(decoded.indexOf(":") + 1)
  if (token === data.token) return "ok"
  return token === data.expiredToken ? "expired" : "wrong"
}

const injected = (state: ServerState, path: string): Answer | undefined => {
  let answer: Answer | undefined
  state.faults.forEach((fault, i) => {
    if (fault.path !== undefined && !path.toLowerCase().includes(fault.path.toLowerCase())) return
    const n = ++state.counts[i]!
    if (answer !== undefined) return
    if (fault.kind === "429" && n === fault.at) {
      const seconds = fault.retryAfter ?? 1
      answer = {
        ...failure(429, "RequestBlockedException", "TF400733: The request has been throttled."),
        headers: { "Retry-After": String(seconds), "x-ratelimit-resource": "ATCPU" }
      }
    }
    if (fault.kind === "5xx" && n >= fault.at && n < fault.at + fault.count) {
      answer = failure(fault.status ?? 503, "ServiceUnavailableException", "TF400898: An internal error occurred.")
    }
  })
  return answer
}

/** On-premises: the path's collection is the segment naming an organization (or `DefaultCollection`, the first). */
const onPremSite = (
  data: MockData,
  origin: string,
  segments: ReadonlyArray<string>
): { site: Site; rest: ReadonlyArray<string> } | undefined => {
  const apis = segments.findIndex((s) => s.toLowerCase() === "_apis")
  const end = apis < 0 ? segments.length : apis
  const orgOf = (name: string): Organization | undefined =>
    name.toLowerCase() === DEFAULT_COLLECTION
      ? data.organizations[0]
      : data.organizations.find((o) => o.name.toLowerCase() === name.toLowerCase())
  for (let k = end - 1; k >= Math.max(0, end - 3); k--) {
    const org = orgOf(segments[k]!)
    if (org === undefined) continue
    if (k + 1 < end && findProject(org, segments[k + 1]!) === undefined) continue
    const base = `${origin}/${segments.slice(0, k + 1).map(encodeURIComponent).join("/")}`
    return { site: { base, cloud: false, org }, rest: segments.slice(k + 1) }
  }
  return undefined
}

const answerFor = (
  data: MockData,
  pageSize: number | undefined,
  request: { method: string; host: string; secure: boolean; origin: string; url: URL; body: string }
): Answer => {
  const { url } = request
  if (request.host === CLOUD_HOSTS[1]) return vsspsRoute(data, url.pathname, url.searchParams)
  const segments = url.pathname.split("/").filter((s) => s !== "").map(decodeURIComponent)
  let resolved: { site: Site; rest: ReadonlyArray<string> } | undefined
  if (request.secure) {
    const org = data.organizations.find((o) => o.name.toLowerCase() === segments[0]?.toLowerCase())
    if (org !== undefined) {
      resolved = { site: { base: `${request.origin}/${org.name}`, cloud: true, org }, rest: segments.slice(1) }
    }
  } else {
    resolved = onPremSite(data, request.origin, segments)
  }
  if (resolved === undefined) {
    return failure(404, "AccountNotFoundException", `TF400813: No organization or collection in ${url.pathname}.`)
  }
  const version = url.searchParams.get("api-version")
  if (version === null || !version.startsWith("7.")) {
    return failure(400, "VssVersionOutOfRangeException", `VS800006: The api-version "${version ?? ""}" is not 7.x.`)
  }
  return route({
    method: request.method,
    segments: resolved.rest,
    query: url.searchParams,
    body: request.body,
    site: resolved.site,
    pageSize
  })
}

const send = (res: http.ServerResponse, answer: Answer) => {
  const headers: Record<string, string> = { ...answer.headers }
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status, headers)
    res.end()
    return
  }
  const body = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body)
  headers["Content-Type"] ??= "application/json; charset=utf-8; api-version=7.0"
  headers["Content-Length"] = String(Buffer.byteLength(body))
  res.writeHead(answer.status, headers)
  res.end(body)
}

/** The answer to an authenticated request, or the service's answer to a missing, wrong or expired token. */
const handle = (
  data: MockData,
  state: ServerState,
  pageSize: number | undefined,
  request: { method: string; host: string; secure: boolean; origin: string; url: URL; body: string; auth: Auth }
): Answer => {
  const { url } = request
  // What a browser-less client ends at after the redirect: a sign-in page with 203 (pydevlake maps it to 401).
  const signInPage: Answer = {
    status: 203,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    body: SIGN_IN_PAGE
  }
  if (url.pathname.toLowerCase() === "/_signin") return signInPage
  switch (request.auth) {
    case "none":
      return {
        ...failure(401, "UnauthorizedRequestException", "TF400813: The user is not authorized."),
        headers: { "WWW-Authenticate": "Basic realm=\"https://dev.azure.com/\"" }
      }
    case "wrong": {
      if (state.signIn === "page") return signInPage
      // The real service sends the browser to a vssps sign-in host; the mock keeps it on the same origin, since
      // clients follow only same-origin redirects with credentials.
      const back = encodeURIComponent(url.href)
      return { status: 302, headers: { Location: `${request.origin}/_signin?realm=${request.host}&reply_to=${back}` } }
    }
    case "expired":
      return failure(
        401,
        "UnauthorizedRequestException",
        `VS30063: You are not authorized to access ${request.origin}. The personal access token has expired.`
      )
  }
  return injected(state, url.pathname) ?? answerFor(data, pageSize, request)
}

export const makeHandler = (
  data: MockData,
  state: ServerState,
  options: { readonly pageSize: number | undefined; readonly secure: boolean }
) =>
(req: http.IncomingMessage, res: http.ServerResponse) => {
  const chunks: Array<Buffer> = []
  req.on("data", (chunk: Buffer) => chunks.push(chunk))
  req.on("end", () => {
    const hostHeader = req.headers.host ?? "127.0.0.1"
    const origin = `${options.secure ? "https" : "http"}://${hostHeader}`
    const url = new URL(req.url ?? "/", origin)
    const host = url.hostname
    const auth = authOf(req.headers.authorization, data)
    const answer = handle(data, state, options.pageSize, {
      method: req.method ?? "GET",
      host,
      secure: options.secure,
      origin,
      url,
      body: Buffer.concat(chunks).toString("utf8"),
      auth
    })
    state.log.push({ method: req.method ?? "GET", url: url.href, status: answer.status, at: Date.now(), auth })
    send(res, answer)
  })
}

/** Tunnels `CONNECT` to the cloud hosts into the TLS side; refuses any other host, as an allow-listing proxy. */
export const connectHandler = (tls: https.Server) => (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
  const [host, port] = (req.url ?? "").split(":")
  if (!(CLOUD_HOSTS as ReadonlyArray<string | undefined>).includes(host) || port !== "443") {
    socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    return
  }
  socket.write("HTTP/1.1 200 Connection Established\r\n\r\n", () => {
    if (head.length > 0) socket.unshift(head)
    tls.emit("connection", socket)
  })
  socket.on("error", () => socket.destroy())
}

export const tlsServer = (certificates: Certificates, handler: http.RequestListener) => {
  const server = https.createServer({ key: certificates.key, cert: certificates.cert }, handler)
  server.keepAliveTimeout = 30_000
  // A client that gives up mid-handshake (a test's timeout) must not crash the mock.
  server.on("tlsClientError", (_error, socket) => socket.destroy())
  return server
}
