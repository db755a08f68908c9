/**
 * Collection through run.sh against the mock, as DevLake runs a subtask: lists read over several pages (builds
 * and pull request commits by continuation token, pull requests by `$top`/`$skip`), a 429 whose Retry-After is
 * waited out and a burst of 503s retried with the data complete, and the service's answers to a bad token: the
 * sign-in page (test-connection's invalid-token message for each kind of connection; a collect failing in one
 * line) and an expired token (401: one line, a non-zero exit, no secret in the output).
 */
import { isolatedDatabase, testDatabases } from "@tsdevlake/testing"
import type { Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { serverRows } from "../../../packages/cli/src/run/pipeline.js"
import { type Mock, startMock } from "../mock/index.js"
import { basic } from "./support/http.js"
import {
  call,
  cloudConnection,
  type Connection,
  count,
  invoke,
  onPremConnection,
  remoteScope,
  SCOPE_CONFIG
} from "./support/runSh.js"

const sqlite = (await testDatabases()).find((d) => d.name === "sqlite")!

let mock: Mock
let dbUrl = ""
let drop = async () => {}
let scope: Connection = {}
let params = ""

beforeAll(async () => {
  mock = await startMock({ seed: "collect", size: 8, pageSize: 2 })
  const isolated = await isolatedDatabase(sqlite, "azdocollect")
  dbUrl = isolated.url
  drop = isolated.drop
  const migrated = await invoke(mock, "migrate", [{ db_url: dbUrl }])
  expect(migrated.exitCode, migrated.stderr.join("\n")).toBe(0)
  scope = await remoteScope(mock, onPremConnection(mock), "fabrikam/web", "web/web-app")
  params = JSON.stringify({ ConnectionId: 1, ScopeId: scope["id"] })
})

afterAll(async () => {
  await drop()
  await mock?.close()
})

const web = () => mock.data.organizations[0]!.projects[0]!
const repo = () => web().repositories[0]!

/** A subtask with the context DevLake sends (the server's base columns added to connection, scope and config). */
const subtask = (verb: "collect" | "extract", stream: string, connection: Connection = onPremConnection(mock)) => {
  const rows = serverRows({ connection, scope, scopeConfig: SCOPE_CONFIG })
  const context = {
    db_url: dbUrl,
    connection: rows.connection,
    scope: rows.scope,
    scope_config: rows.scopeConfig,
    options: {}
  }
  return invoke(mock, verb, [context, stream])
}

const ok = (result: Invoker.Result) => {
  expect(result.exitCode, [...result.stdout, ...result.stderr].slice(-10).join("\n")).toBe(0)
}

/** One line on stderr, a non-zero exit, and neither the token nor its Basic header anywhere in the output. */
const failsInOneLine = (result: Invoker.Result, token: string) => {
  expect(result.exitCode).not.toBe(0)
  expect(result.stderr, result.stderr.join("\n")).toHaveLength(1)
  const output = [...result.stdout, ...result.stderr, ...result.lines].join("\n")
  expect(output).not.toContain(token)
  expect(output).not.toContain(basic(token).slice("Basic ".length))
  return result.stderr[0]!
}

describe("collect through run.sh against the mock", () => {
  it("reads builds and pull request commits over several pages of continuation tokens", async () => {
    mock.clearLog()
    ok(await subtask("collect", "builds"))
    const builds = web().builds.filter((b) => b.repository.id === repo().id)
    expect(await count(dbUrl, "_raw_azuredevops_builds", params, true)).toBe(builds.length)
    const pages = mock.requests.filter((r) => r.url.includes("/_apis/build/builds?"))
    expect(pages).toHaveLength(Math.ceil(builds.length / 2))
    expect(pages.slice(1).every((r) => r.url.includes("continuationToken="))).toBe(true)
    ok(await subtask("collect", "gitpullrequests"))
    ok(await subtask("extract", "gitpullrequests"))
    mock.clearLog()
    ok(await subtask("collect", "gitpullrequestcommits"))
    const commits = repo().pullRequests.reduce((n, pr) => n + pr.commits.length, 0)
    expect(await count(dbUrl, "_raw_azuredevops_gitpullrequestcommits", params, true)).toBe(commits)
    expect(mock.requests.some((r) => r.url.includes("/commits?") && r.url.includes("continuationToken="))).toBe(true)
  })

  it("reads more than a page of pull requests by $top and $skip", async () => {
    // The service sends no continuation token for pull requests: 205 of them take three pages of 100.
    const big = await startMock({ seed: "collect", size: 205 })
    try {
      const bigScope = await remoteScope(big, onPremConnection(big), "fabrikam/web", "web/web-app")
      const connection = onPremConnection(big)
      const rows = serverRows({ connection, scope: bigScope, scopeConfig: SCOPE_CONFIG })
      const context = {
        db_url: dbUrl,
        connection: rows.connection,
        scope: rows.scope,
        scope_config: rows.scopeConfig,
        options: {}
      }
      ok(await invoke(big, "collect", [context, "gitpullrequests"]))
      const bigParams = JSON.stringify({ ConnectionId: 1, ScopeId: bigScope["id"] })
      expect(await count(dbUrl, "_raw_azuredevops_gitpullrequests", bigParams, true)).toBe(205)
      const pages = big.requests.filter((r) => r.url.includes("/pullrequests?"))
      expect(pages.map((r) => new URL(r.url).searchParams.get("$skip"))).toEqual(["0", "100", "200"])
    } finally {
      await big.close()
    }
  })

  it("waits out a 429's Retry-After and retries a burst of 503s, then has every build", async () => {
    mock.clearLog()
    mock.setFaults([
      { kind: "429", at: 2, retryAfter: 2, path: "/_apis/build/builds" },
      { kind: "5xx", at: 4, count: 2, status: 503, path: "/_apis/build/builds" }
    ])
    try {
      ok(await subtask("collect", "builds"))
    } finally {
      mock.setFaults([])
    }
    const builds = web().builds.filter((b) => b.repository.id === repo().id)
    expect(await count(dbUrl, "_raw_azuredevops_builds", params, true)).toBe(builds.length)
    const log = mock.requests.filter((r) => r.url.includes("/_apis/build/builds?"))
    expect(log.map((r) => r.status)).toEqual([200, 429, 200, 503, 503, ...log.slice(5).map(() => 200)])
    // The request after the 429 came no earlier than Retry-After said.
    expect(log[2]!.at - log[1]!.at).toBeGreaterThanOrEqual(2000)
  })
})

describe("a bad token through run.sh", () => {
  it("test-connection answers the invalid-token message for each kind of connection", async () => {
    const wrong = "not-the-token"
    const cases: ReadonlyArray<readonly [Connection, string]> = [
      [
        cloudConnection(mock, wrong),
        "You may need to edit your token to set organization to 'All accessible organizations'"
      ],
      [{ ...cloudConnection(mock, wrong), organization: "fabrikam" }, "Organization name may be incorrect"],
      [onPremConnection(mock, wrong), "The collection URL may be incorrect"]
    ]
    // The service's 302 to its sign-in page, and that page itself (203), as a client following redirects sees it.
    for (const signIn of ["redirect", "page"] as const) {
      mock.setSignIn(signIn)
      try {
        for (const [connection, hint] of cases) {
          mock.clearLog()
          const reply = await call(mock, "test-connection", [connection]) as {
            success: boolean
            message: string
            status: number
          }
          expect(reply).toMatchObject({ success: false, status: 401 })
          expect(reply.message).toMatch(new RegExp(`^Invalid token\\. ${hint.replace(/[.*'()]/g, "\\$&")}`))
          expect(mock.requests.map((r) => r.status)).toContain(signIn === "redirect" ? 302 : 203)
        }
      } finally {
        mock.setSignIn("redirect")
      }
    }
    const good = await call(mock, "test-connection", [cloudConnection(mock)])
    expect(good).toMatchObject({ success: true, status: 200 })
  })

  it("a collect with a wrong token fails in one line, redirected or shown the sign-in page", async () => {
    for (const signIn of ["redirect", "page"] as const) {
      mock.setSignIn(signIn)
      try {
        const result = await subtask("collect", "builds", onPremConnection(mock, "not-the-token"))
        expect(failsInOneLine(result, "not-the-token")).toMatch(/401/)
      } finally {
        mock.setSignIn("redirect")
      }
    }
  })

  it("a collect with an expired token (401) fails in one line, without the token", async () => {
    const expired = mock.data.expiredToken
    for (const connection of [onPremConnection(mock, expired), cloudConnection(mock, expired)]) {
      const line = failsInOneLine(await subtask("collect", "gitpullrequests", connection), expired)
      expect(line).toMatch(/401/)
    }
  })
})
