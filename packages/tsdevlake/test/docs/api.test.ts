/**
 * The code of docs/api.md, compiled and run. Every ```ts block of the guide must appear verbatim
 * in this file (checked by the last test), so the guide cannot drift from what compiles.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Fiber, Option, Redacted, Schema, Stream, TestClock } from "effect"
import * as Fs from "node:fs"
import * as Api from "../../src/Api.js"
import * as Paginator from "../../src/Paginator.js"
import * as FaultServer from "../utils/faultServer.js"

// --- docs: connection ---
class MyApi extends Context.Tag("MyApi")<MyApi, Api.Client>() {}

interface MyConnection {
  readonly url: string
  readonly token: Redacted.Redacted<string>
  readonly proxy: string | null | undefined
  readonly rateLimitPerHour: number | undefined
}

const MyApiLive = (conn: MyConnection) =>
  Api.layer(MyApi, {
    baseUrl: conn.url,
    proxy: conn.proxy,
    rateLimitPerHour: conn.rateLimitPerHour,
    hooks: [Api.bearer(conn.token)],
    retry: { maxAttempts: 5 },
    timeout: "30 seconds",
    concurrency: 4
  })
// --- end ---

// --- docs: requests ---
const Issue = Schema.Struct({ number: Schema.Number, title: Schema.String })

const getIssue = (owner: string, repo: string, n: number) =>
  Effect.flatMap(
    MyApi,
    (api) => api.get("repos/{owner}/{repo}/issues/{n}", { params: { owner, repo, n }, schema: Issue })
  )

const searchIssues = (q: string) =>
  Effect.flatMap(MyApi, (api) => api.get(["search", "issues"], { query: { q, per_page: 100 } }))

const viewer = Effect.flatMap(MyApi, (api) => api.post("graphql", { json: { query: "{ viewer { login } }" } }))
// --- end ---

// --- docs: hooks ---
const hooks: Array<Api.Hook> = [
  Api.header("Private-Token", Redacted.make("glpat-example-token")),
  Api.hook("user-agent", HttpClient.mapRequest(HttpClientRequest.setHeader("user-agent", "my-plugin/1.0"))),
  // An API that reports quota errors as 200 + {"error": "quota"}: make them 429s, which are retried.
  Api.responseHook(
    "quota",
    (res) =>
      Effect.map(res.json, (body) => (body as { error?: string })?.error === "quota" ? Api.withStatus(res, 429) : res)
        .pipe(Effect.orElseSucceed(() => res))
  ),
  Api.requestHook(
    "read-only",
    (req) =>
      req.method === "GET" || req.url.endsWith("/graphql") ? req : Effect.fail(Api.abort(req, "read-only plugin"))
  ),
  Api.errorHook("gone-is-not-found", (error) =>
    error._tag === "HttpStatusError" && error.status === 410
      ? new Api.NotFound({ method: error.method, url: error.url, status: 410 })
      : error)
]
// --- end ---

// --- docs: errors ---
const issueOrNone = (n: number) =>
  getIssue("acme", "app", n).pipe(
    Effect.map(Option.some),
    Effect.catchTag("NotFound", () => Effect.succeed(Option.none()))
  )
// --- end ---

// --- docs: pagination ---
const users = Stream.unwrap(
  Effect.map(
    MyApi,
    (api) => api.paginate(Paginator.token({ items: "results", token: "nextPage", param: "page" }), { path: "users" })
  )
)

const issues = (repo: string) =>
  Stream.unwrap(Effect.map(MyApi, (api) =>
    api.paginate(Paginator.linkHeader({ sizeParam: "per_page", size: 100 }), {
      path: ["repos", repo, "issues"],
      query: { state: "all" },
      input: { repo }
    })))

// Jira may send fewer issues than asked (it caps maxResults): startAt follows `total`, not the page's length.
const jiraIssues = (jql: string) =>
  Stream.unwrap(
    Effect.map(MyApi, (api) =>
      api.paginate(Paginator.startAt({ items: "issues", size: 100 }), { path: "rest/api/2/search", query: { jql } }))
  )
// --- end ---

// --- docs: resuming ---
const resumableUsers = (resume: Paginator.Position | undefined) =>
  Stream.unwrap(
    Effect.map(MyApi, (api) =>
      api.paginate(Paginator.token({ items: "results", token: "nextPage", param: "page" }), { path: "users" }, {
        resume,
        // At most 1000 requests; a warning says where it stopped, and the last position is the next page.
        maxPages: 1000
      }))
  )
// In a stream: `state: Paginator.Position, collect: (ctx) => resumableUsers(ctx.state)`.
// --- end ---

// --- docs: substreams ---
const userComments = Stream.unwrap(Effect.map(MyApi, (api) =>
  Api.forEachParent(
    users,
    (user) => {
      const { id } = user.data as { id: number }
      return api.paginate(Paginator.pageNumber({ sizeParam: "per_page", size: 50 }), {
        path: ["users", id, "comments"],
        input: user.data
      })
    },
    { concurrency: 4 }
  )))
// --- end ---

// --- docs: testing ---
const MyApiTest = Api.layerTest(
  MyApi,
  { baseUrl: "https://api.test", hooks: [Api.bearer("test-token")] },
  (req, url) =>
    url.pathname === "/users"
      ? Response.json({ results: [{ id: 1, auth: req.headers.authorization }], nextPage: null })
      : new Response("{}", { status: 404 })
)

const firstUser = Stream.runHead(users).pipe(Effect.provide(MyApiTest))
// --- end ---

describe("docs/api.md", () => {
  it.scoped("the connection layer, requests, hooks and errors work against a live server", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/repos/acme/app/issues/7", () => ({ body: { number: 7, title: "Crash" } }))
      server.route("/repos/acme/app/issues/8", () => ({ status: 410 }))
      server.route("/search/issues", (req) => ({ body: { q: req.query.get("q"), size: req.query.get("per_page") } }))
      server.route(
        "/graphql",
        (req) => ({ body: { data: { viewer: { login: "me" } }, auth: req.headers.authorization } })
      )
      const conn: MyConnection = {
        url: server.url,
        token: Redacted.make("s3cr3t-token"),
        proxy: "",
        rateLimitPerHour: 5000
      }
      const program = Effect.gen(function*() {
        assert.deepStrictEqual(yield* getIssue("acme", "app", 7), { number: 7, title: "Crash" })
        assert.deepStrictEqual(yield* searchIssues("is:open"), { q: "is:open", size: "100" })
        assert.deepStrictEqual(yield* viewer, { data: { viewer: { login: "me" } }, auth: "Bearer s3cr3t-token" })
        assert.deepStrictEqual(yield* issueOrNone(7), Option.some({ number: 7, title: "Crash" }))
      })
      yield* program.pipe(Effect.provide(MyApiLive(conn)))

      const withHooks = Api.layer(MyApi, { baseUrl: server.url, hooks })
      const gone = yield* Effect.provide(issueOrNone(8), withHooks)
      assert.deepStrictEqual(gone, Option.none())
      const refused = yield* Effect.flip(
        Effect.flatMap(MyApi, (api) => api.post("issues")).pipe(Effect.provide(withHooks))
      )
      assert.strictEqual(refused._tag, "RequestAborted")
      assert.strictEqual(
        server.requests.find((r) => r.path === "/repos/acme/app/issues/8")?.headers["private-token"],
        "glpat-example-token"
      )
    }))

  it.scoped("pagination and substreams keep parent order", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      server.route("/users", (req) => {
        const page = Number(req.query.get("page") ?? "0")
        return { body: { results: [{ id: page * 2 + 1 }, { id: page * 2 + 2 }], nextPage: page < 1 ? page + 1 : null } }
      })
      server.route("/repos/app/issues", () => ({ body: [{ number: 1 }] }))
      for (const id of [1, 2, 3, 4]) {
        server.route(
          `/users/${id}/comments`,
          (req) => ({ body: req.query.get("page") === "1" ? [{ user: id, n: 1 }, { user: id, n: 2 }] : [] })
        )
      }
      const layer = Api.layer(MyApi, { baseUrl: server.url })
      const comments = yield* Stream.runCollect(userComments).pipe(Effect.provide(layer))
      assert.deepStrictEqual(
        [...comments].map((r) => r.data),
        [1, 2, 3, 4].flatMap((user) => [{ user, n: 1 }, { user, n: 2 }])
      )
      assert.deepStrictEqual([...comments][0]!.input, { id: 1 })
      const repoIssues = yield* Stream.runCollect(issues("app")).pipe(Effect.provide(layer))
      assert.deepStrictEqual([...repoIssues][0]!.input, { repo: "app" })

      server.route("/rest/api/2/search", (req) => {
        const startAt = Number(req.query.get("startAt"))
        const maxResults = Math.min(20, Number(req.query.get("maxResults")))
        const keys = Array.from({ length: 45 }, (_, i) => ({ key: `APP-${i + 1}` }))
        return { body: { startAt, maxResults, total: 45, issues: keys.slice(startAt, startAt + maxResults) } }
      })
      const all = [...yield* Stream.runCollect(resumableUsers(undefined)).pipe(Effect.provide(layer))]
      const resumed = yield* Stream.runCollect(resumableUsers(all[1]!.state)).pipe(Effect.provide(layer))
      assert.deepStrictEqual([...resumed].map((r) => r.data), [{ id: 3 }, { id: 4 }])
      assert.deepStrictEqual(server.requestsTo("/users").slice(-1).map((r) => r.query.get("page")), ["1"])

      const jira = yield* Stream.runCollect(jiraIssues("project = APP")).pipe(Effect.provide(layer))
      assert.strictEqual(jira.length, 45)
      assert.deepStrictEqual(
        server.requestsTo("/rest/api/2/search").map((r) => [r.query.get("jql"), r.query.get("startAt")]),
        [["project = APP", "0"], ["project = APP", "20"], ["project = APP", "40"]]
      )
    }))

  it.effect("the test layer and TestClock", () =>
    Effect.gen(function*() {
      const first = yield* firstUser
      assert.deepStrictEqual(Option.map(first, (r) => r.data), Option.some({ id: 1, auth: "Bearer test-token" }))

      // --- docs: testclock ---
      const getX = Effect.flatMap(MyApi, (api) => api.get("x"))
      let calls = 0
      const Flaky = Api.layerTest(MyApi, { baseUrl: "https://api.test" }, () =>
        ++calls === 1 ? new Response("{}", { status: 429, headers: { "retry-after": "30" } }) : Response.json("ok"))
      const fiber = yield* Effect.fork(getX.pipe(Effect.provide(Flaky)))
      yield* TestClock.adjust("30 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), "ok")
      // --- end ---
    }))

  it("every code block of the guide is in this file", () => {
    const guide = Fs.readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8")
    const source = Fs.readFileSync(new URL(import.meta.url), "utf8")
    const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    assert.isAtLeast(blocks.length, 7)
    for (const block of blocks) {
      const lines = block.split("\n").filter((l) => l.trim() !== "")
      const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length))
      for (const line of lines) assert.include(source, line.slice(indent), `docs/api.md line not in the test: ${line}`)
      assert.include(source.replace(/^ +/gm, ""), block.replace(/^ +/gm, "").trimEnd(), "block not verbatim")
    }
  })
})
