/**
 * The API the guide's plugin reads, faked: a project `p1` with `issues` issues (pages of 50, with a page token)
 * and two comments an issue (at most 1 a page, whatever `maxResults` asks, as Jira caps it). Requests without
 * the bearer token get 401. One handler, served over HTTP by `serve` (the standalone test) and in memory by
 * the kit tests.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export const TOKEN = "guide-secret-token"
const PAGE = 50

export interface Reply {
  readonly status: number
  readonly body: unknown
}

const issue = (n: number) => ({
  key: `P1-${n}`,
  fields: {
    summary: `Issue ${n}`,
    status: { name: n % 3 === 0 ? "Done" : "In Progress" },
    assignee: n % 2 === 0 ? { displayName: "Ada" } : null,
    created: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    resolutiondate: n % 3 === 0 ? new Date(Date.UTC(2026, 0, 2, 0, n)).toISOString() : null
  }
})

const comment = (key: string, i: number) => ({
  id: `${key}-c${i}`,
  issueKey: key,
  author: { displayName: i === 0 ? "Ada" : "Grace" },
  body: `comment ${i} on ${key}`,
  updated: new Date(Date.UTC(2026, 0, 3, i)).toISOString()
})

const issuesPage = (issues: number, token: string | null): Reply => {
  const start = token === null ? 0 : Number(token)
  const end = Math.min(start + PAGE, issues)
  return {
    status: 200,
    body: {
      issues: Array.from({ length: end - start }, (_, i) => issue(start + i + 1)),
      nextPageToken: end < issues ? String(end) : null
    }
  }
}

const commentsPage = (key: string, url: URL): Reply => {
  const all = [comment(key, 0), comment(key, 1)]
  const since = url.searchParams.get("since")
  const wanted = since === null ? all : all.filter((c) => c.updated > since)
  const startAt = Number(url.searchParams.get("startAt") ?? 0)
  return {
    status: 200,
    body: { startAt, maxResults: 1, total: wanted.length, comments: wanted.slice(startAt, startAt + 1) }
  }
}

/** The fake API's answer to a GET of `url` with the given `authorization` header. */
export const answer = (url: URL, authorization: string | undefined, issues = 120): Reply => {
  if (authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: "unauthorized" } }
  const path = url.pathname.split("/").filter((s) => s !== "")
  if (path.length === 1 && path[0] === "me") return { status: 200, body: { name: "guide" } }
  if (path.length === 1 && path[0] === "projects") {
    return { status: 200, body: [{ id: "p1", name: "Project 1", url: `${url.origin}/projects/p1` }] }
  }
  if (path.length === 3 && path[0] === "projects" && path[1] === "p1" && path[2] === "issues") {
    return issuesPage(issues, url.searchParams.get("pageToken"))
  }
  if (path.length === 3 && path[0] === "issues" && path[2] === "comments") return commentsPage(path[1]!, url)
  return { status: 200, body: { error: "not found" } }
}

/** Serves the fake API on 127.0.0.1 (a free port unless `port` is given). */
export const serve = async (
  options: { readonly port?: number; readonly issues?: number } = {}
): Promise<{ readonly url: string; readonly close: () => Promise<void> }> => {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`)
    const reply = answer(url, req.headers.authorization, options.issues)
    res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body))
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
