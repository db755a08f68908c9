import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import * as Api from "../../src/Api.js"
import * as Paginator from "../../src/Paginator.js"
import { count, hasMore } from "../../src/internal/api/paginators.js"
import * as FaultServer from "../utils/faultServer.js"

const items = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ id: from + i }))
const ids = (records: Chunk.Chunk<Api.RawRecord>) => [...records].map((r) => (r.data as { id: number }).id)

const setup = Effect.gen(function*() {
  const server = yield* FaultServer.make
  const api = yield* Api.make({ baseUrl: `${server.url}/api/`, timeout: "1 day" })
  return { server, api }
})

describe("Paginator", () => {
  it.scoped("token in body (pydevlake's TokenPaginator)", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/users", (req) => {
        const page = Number(req.query.get("page") ?? "0")
        return { body: { results: items(page * 3, page * 3 + 3), nextPage: page < 2 ? String(page + 1) : null } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.token({ items: "results", token: "nextPage", param: "page" }), { path: "users" })
      )
      assert.deepStrictEqual(ids(records), items(0, 9).map((x) => x.id))
      assert.deepStrictEqual(server.requests.map((r) => r.url), [
        "/api/users",
        "/api/users?page=1",
        "/api/users?page=2"
      ])
    }))

  it.scoped("token in a response header (Azure DevOps continuation token)", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/builds", (req) => {
        const token = req.query.get("continuationToken")
        return token === null
          ? { body: { value: items(0, 2) }, headers: { "x-ms-continuationtoken": "abc" } }
          : { body: { value: items(2, 3) } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(
          Paginator.token({ items: "/value", tokenHeader: "x-ms-continuationtoken", param: "continuationToken" }),
          { path: "builds" }
        )
      )
      assert.deepStrictEqual(ids(records), [0, 1, 2])
    }))

  it.scoped("page number stops on a short page and records each page's URL and the input", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const all = items(0, 7)
      server.route("/api/issues", (req) => {
        const page = Number(req.query.get("page"))
        const size = Number(req.query.get("per_page"))
        return { body: all.slice((page - 1) * size, page * size) }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.pageNumber({ sizeParam: "per_page", size: 3 }), {
          path: "issues",
          query: { state: "all" },
          input: { repo: 42 }
        })
      )
      assert.deepStrictEqual(ids(records), [0, 1, 2, 3, 4, 5, 6])
      const last = Chunk.unsafeLast(records)
      assert.strictEqual(last.url, `${server.url}/api/issues?state=all&page=3&per_page=3`)
      assert.deepStrictEqual(last.input, { repo: 42 })
      assert.strictEqual(server.requests.length, 3)
    }))

  it.scoped("page number with a total page count", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/p", (req) => {
        const page = Number(req.query.get("p"))
        return { body: { data: items(page * 10, page * 10 + 2), meta: { pages: 2 } } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.pageNumber({ param: "p", items: "data", totalPages: "/meta/pages" }), { path: "p" })
      )
      assert.deepStrictEqual(ids(records), [10, 11, 20, 21])
    }))

  it.scoped("offset and limit, stopping at the total", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const all = items(0, 5)
      server.route("/api/o", (req) => {
        const offset = Number(req.query.get("offset"))
        const limit = Number(req.query.get("limit"))
        return { body: { values: all.slice(offset, offset + limit), total: all.length } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.offset({ limit: 2, items: "values", total: "total" }), { path: "o" })
      )
      assert.deepStrictEqual(ids(records), [0, 1, 2, 3, 4])
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("offset")), ["0", "2", "4"])
    }))

  // A server that caps the page size (Jira caps maxResults) answers a request for 100 with 20 items.
  const capped =
    (all: ReadonlyArray<unknown>, startParam: string, sizeParam: string, cap = 20) =>
    (req: FaultServer.RecordedRequest) => {
      const start = Number(req.query.get(startParam))
      const size = Math.min(cap, Number(req.query.get(sizeParam)))
      return { start, page: all.slice(start, start + size) }
    }

  it.scoped("offset: a server capping the page size below the limit loses nothing while total says more", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const page = capped(items(0, 95), "offset", "limit")
      server.route("/api/o", (req) => ({ body: { values: page(req).page, total: 95 } }))
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.offset({ limit: 100, items: "values", total: "total" }), { path: "o" })
      )
      assert.deepStrictEqual(ids(records), items(0, 95).map((x) => x.id))
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("offset")), ["0", "20", "40", "60", "80"])
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("limit")), ["100", "100", "100", "100", "100"])
    }))

  it.scoped("offset: a total that lies high ends at the first empty page; without a total a short page ends", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const page = capped(items(0, 50), "offset", "limit")
      server.route("/api/lying", (req) => ({ body: { values: page(req).page, total: 1000 } }))
      const lying = yield* Stream.runCollect(
        api.paginate(Paginator.offset({ limit: 100, items: "values", total: "total" }), { path: "lying" })
      )
      assert.deepStrictEqual(ids(lying), items(0, 50).map((x) => x.id))
      assert.deepStrictEqual(server.requestsTo("/api/lying").map((r) => r.query.get("offset")), ["0", "20", "40", "50"])

      // No total: the short-page rule is the only signal left (documented), so a capping server ends early.
      server.route("/api/nototal", (req) => ({ body: page(req).page }))
      const noTotal = yield* Stream.runCollect(api.paginate(Paginator.offset({ limit: 100 }), { path: "nototal" }))
      assert.strictEqual(noTotal.length, 20)
    }))

  it.scoped("startAt (Jira): capped maxResults, next startAt from the items received, stop at total", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const page = capped(items(0, 95), "startAt", "maxResults")
      server.route("/api/search", (req) => {
        const { page: issues, start } = page(req)
        return { body: { startAt: start, maxResults: 20, total: 95, issues } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.startAt({ items: "issues", size: 100 }), { path: "search", query: { jql: "x" } })
      )
      assert.deepStrictEqual(ids(records), items(0, 95).map((x) => x.id))
      assert.deepStrictEqual(
        server.requests.map((r) => r.url),
        [0, 20, 40, 60, 80].map((n) => `/api/search?jql=x&startAt=${n}&maxResults=100`)
      )
    }))

  it.scoped("startAt: isLast ends the pages, a short page with isLast false does not", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const all = items(0, 45)
      const page = capped(all, "startAt", "maxResults")
      server.route("/api/project/search", (req) => {
        const { page: values, start } = page(req)
        return { body: { values, isLast: start + values.length >= all.length } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.startAt({ items: "values" }), { path: "project/search" })
      )
      assert.deepStrictEqual(ids(records), all.map((x) => x.id))
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("startAt")), ["0", "20", "40"])
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("maxResults")), ["50", "50", "50"])
    }))

  it.scoped("startAt: an empty page ends the pages even when total and isLast say more", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const page = capped(items(0, 30), "start", "limit")
      server.route("/api/rest/repos", (req) => ({ body: { values: page(req).page, size: 1000, isLastPage: false } }))
      const records = yield* Stream.runCollect(
        api.paginate(
          Paginator.startAt({
            items: "values",
            startParam: "start",
            sizeParam: "limit",
            total: "size",
            isLast: "isLastPage"
          }),
          { path: "rest/repos" }
        )
      )
      assert.deepStrictEqual(ids(records), items(0, 30).map((x) => x.id))
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("start")), ["0", "20", "30"])
    }))

  it.scoped("startAt: without total or isLast, a page shorter than the server's own maxResults ends", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const page = capped(items(0, 45), "startAt", "maxResults")
      server.route("/api/worklog", (req) => {
        const { page: worklogs, start } = page(req)
        return { body: { startAt: start, maxResults: 20, worklogs } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.startAt({ items: "worklogs", size: 100 }), { path: "worklog" })
      )
      assert.deepStrictEqual(ids(records), items(0, 45).map((x) => x.id))
      assert.strictEqual(server.requests.length, 3)
    }))

  it.scoped("page number: with totalPages a short page does not end the pages, an empty one does", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      const all = items(0, 45)
      server.route("/api/pages", (req) => {
        const n = Number(req.query.get("page"))
        return { body: { data: all.slice((n - 1) * 20, n * 20), pages: 3 } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.pageNumber({ sizeParam: "size", size: 100, items: "data", totalPages: "pages" }), {
          path: "pages"
        })
      )
      assert.deepStrictEqual(ids(records), all.map((x) => x.id))

      server.route("/api/lyingPages", (req) => {
        const n = Number(req.query.get("page"))
        return { body: { data: all.slice((n - 1) * 20, n * 20), pages: 1000 } }
      })
      const lying = yield* Stream.runCollect(
        api.paginate(Paginator.pageNumber({ size: 100, items: "data", totalPages: "pages" }), { path: "lyingPages" })
      )
      assert.strictEqual(lying.length, 45)
      assert.strictEqual(server.requestsTo("/api/lyingPages").length, 4)
    }))

  it.scoped("page number from 0: totalPages counts pages, so the last is totalPages - 1", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/zero", (req) => {
        const n = Number(req.query.get("page"))
        return { body: { content: items(n * 2, n * 2 + 2), totalPages: 3 } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.pageNumber({ start: 0, items: "content", totalPages: "totalPages" }), { path: "zero" })
      )
      assert.deepStrictEqual(ids(records), [0, 1, 2, 3, 4, 5])
      assert.deepStrictEqual(server.requests.map((r) => r.query.get("page")), ["0", "1", "2"])
    }))

  it.scoped("RFC 5988 Link header", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/repos", (req) => {
        const page = Number(req.query.get("page") ?? "1")
        const links = [`<${server.url}/api/repos?page=1&per_page=2>; rel="first"`]
        if (page < 3) links.push(`<${server.url}/api/repos?page=${page + 1}&per_page=2>; rel="next"`)
        return { body: items(page * 2, page * 2 + 2), headers: { link: links.join(", ") } }
      })
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.linkHeader({ sizeParam: "per_page", size: 2 }), { path: "repos" })
      )
      assert.deepStrictEqual(ids(records), [2, 3, 4, 5, 6, 7])
      assert.deepStrictEqual(server.requests.map((r) => r.url), [
        "/api/repos?per_page=2",
        "/api/repos?page=2&per_page=2",
        "/api/repos?page=3&per_page=2"
      ])
    }))

  it.scoped("next URL in the body, absolute or relative", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/a", () => ({ body: { results: items(0, 1), next: "/api/b?x=1" } }))
      server.route("/api/b", () => ({ body: { results: items(1, 2), next: `${server.url}/api/c` } }))
      server.route("/api/c", () => ({ body: { results: items(2, 3), next: null } }))
      const records = yield* Stream.runCollect(
        api.paginate(Paginator.nextUrl({ items: "results", next: "next" }), { path: "a" })
      )
      assert.deepStrictEqual(ids(records), [0, 1, 2])
      assert.deepStrictEqual(server.requests.map((r) => r.url), ["/api/a", "/api/b?x=1", "/api/c"])
    }))

  it.scoped("cursor by JSON pointer, in the query or in a GraphQL body", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/events", (req) => {
        const after = Number(req.query.get("after") ?? "0")
        return { body: { data: items(after, after + 2), paging: { cursor: after < 4 ? after + 2 : "" } } }
      })
      const viaQuery = yield* Stream.runCollect(
        api.paginate(Paginator.cursor({ items: "data", cursor: "/paging/cursor", param: "after" }), { path: "events" })
      )
      assert.deepStrictEqual(ids(viaQuery), [0, 1, 2, 3, 4, 5])

      server.route("/api/graphql", (req) => {
        const body = JSON.parse(req.body) as { variables: { after: string | null; owner: string } }
        const after = body.variables.after === null ? 0 : Number(body.variables.after)
        return {
          body: {
            data: {
              repository: {
                issues: {
                  nodes: items(after, after + 2),
                  pageInfo: { endCursor: String(after + 2), hasNextPage: after < 2 }
                }
              }
            }
          }
        }
      })
      const viaGraphql = yield* Stream.runCollect(
        api.paginate(
          Paginator.cursor({
            items: "/data/repository/issues/nodes",
            cursor: "/data/repository/issues/pageInfo/endCursor",
            hasNext: "/data/repository/issues/pageInfo/hasNextPage",
            param: { json: "/variables/after" }
          }),
          {
            method: "POST",
            path: "graphql",
            json: { query: "query($after: String)", variables: { after: null, owner: "o" } }
          }
        )
      )
      assert.deepStrictEqual(ids(viaGraphql), [0, 1, 2, 3])
      const sent = server.requestsTo("/api/graphql").map((r) => JSON.parse(r.body).variables)
      assert.deepStrictEqual(sent, [{ after: null, owner: "o" }, { after: "2", owner: "o" }])
    }))

  it.scoped("a custom paginator", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/search", (req) => {
        const startAt = Number(req.query.get("startAt"))
        return { body: { startAt, total: 5, issues: items(startAt, Math.min(5, startAt + 2)) } }
      })
      const jira = Paginator.make({
        start: (req) => ({ ...req, query: { ...req.query, startAt: 0 } }),
        page: (res) => {
          const body = res.body as { startAt: number; total: number; issues: Array<unknown> }
          const next = body.startAt + body.issues.length
          return {
            items: body.issues,
            next: next < body.total && body.issues.length > 0
              ? Option.some({ ...res.request, query: { ...res.request.query, startAt: next } })
              : Option.none()
          }
        }
      })
      const records = yield* Stream.runCollect(api.paginate(jira, { path: "search" }))
      assert.deepStrictEqual(ids(records), [0, 1, 2, 3, 4])
    }))

  it.scoped("is pull-based: a consumer that stops early sends no further request", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/many", (req) => {
        const page = Number(req.query.get("page"))
        return { body: items(page * 10, page * 10 + 10) }
      })
      const stream = api.paginate(Paginator.pageNumber({ size: 10 }), { path: "many" })
      const first = yield* Stream.runCollect(Stream.take(stream, 3))
      assert.deepStrictEqual(ids(first), [10, 11, 12])
      assert.strictEqual(server.requests.length, 1)
      const more = yield* Stream.runCollect(Stream.take(stream, 15))
      assert.strictEqual(more.length, 15)
      assert.strictEqual(server.requests.length, 3)
    }))

  it.scoped("fails with DecodeError when items are not an array, or the paginator does not advance", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/obj", () => ({ body: { results: { not: "an array" } } }))
      const notArray = yield* Effect.flip(
        Stream.runCollect(api.paginate(Paginator.single({ items: "results" }), { path: "obj" }))
      )
      assert.strictEqual(notArray._tag, "DecodeError")
      assert.include(notArray.message, `expected an array of items at "results", got object`)

      server.route("/api/stuck", () => ({ body: { results: [1], next: "same" } }))
      const stuck = yield* Effect.flip(Stream.runCollect(
        api.paginate(Paginator.token({ items: "results", token: "next", param: "t" }), {
          path: "stuck",
          query: { t: "same" }
        })
      ))
      assert.strictEqual(stuck._tag, "DecodeError")
      assert.include(stuck.message, "asked again for the same page (t=same)")
      assert.strictEqual(server.requestsTo("/api/stuck").length, 1)
    }))

  // Issue 13, finding 6: a server whose tokens cycle (A, B, A, ...) was paged until maxPages, each page written
  // again: 2,000,000 raw rows for 5,100 ids.
  it.scoped("finding 6: fails on a page already requested in this pagination, whatever the paginator", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      // Pages 0, 1, 2, then back to 1: a cycle of two pages.
      const nextOf = (page: number) => page < 2 ? page + 1 : 1
      server.route("/api/token", (req) => {
        const page = Number(req.query.get("t") ?? "0")
        return { body: { results: items(page, page + 1), next: `tok-${nextOf(page)}` } }
      })
      server.route("/api/next", (req) => {
        const page = Number(req.query.get("p") ?? "0")
        return { body: { results: items(page, page + 1), next: `${server.url}/api/next?p=${nextOf(page)}` } }
      })
      server.route("/api/link", (req) => {
        const page = Number(req.query.get("p") ?? "0")
        return { body: items(page, page + 1), headers: { link: `</api/link?p=${nextOf(page)}>; rel="next"` } }
      })
      const cases = [
        {
          paginator: Paginator.make({
            name: "token",
            page: (response) => {
              const body = response.body as { results: Array<unknown>; next: string }
              const page = Number(body.next.slice(4))
              return { items: body.results, next: Option.some({ ...response.request, query: { t: page } }) }
            }
          }),
          path: "token",
          repeated: "t=1"
        },
        { paginator: Paginator.nextUrl({ items: "results", next: "next" }), path: "next", repeated: "p=1" },
        { paginator: Paginator.linkHeader(), path: "link", repeated: "p=1" }
      ]
      for (const { paginator, path, repeated } of cases) {
        const stream = api.paginate(paginator, { path })
        for (const run of [1, 2]) {
          const error = yield* Effect.flip(Stream.runCollect(stream))
          assert.strictEqual(error._tag, "DecodeError", `${path}, run ${run}`)
          assert.include(error.message, "gave a page that points back to one already read")
          assert.include(error.message, "asked again for a page it already requested")
          assert.notInclude(error.message, "not the expected JSON")
          assert.include(error.message, repeated)
          // Pages 0, 1 and 2 each once, per run of the stream: the set of requested pages is the run's own.
          assert.strictEqual(server.requestsTo(`/api/${path}`).length, 3 * run, `${path}, run ${run}`)
        }
      }
    }))

  it.scoped("finding 6: a cursor in a JSON body that comes back fails too, naming the body", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup
      server.route("/api/search", (req) => {
        const after = (JSON.parse(req.body) as { after?: string }).after
        return { body: { nodes: [after ?? "start"], end: after === "b" ? "a" : after === "a" ? "b" : "a" } }
      })
      const error = yield* Effect.flip(Stream.runCollect(
        api.paginate(Paginator.cursor({ items: "nodes", cursor: "end", param: { json: "after" } }), {
          method: "POST",
          path: "search",
          json: {}
        })
      ))
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, `body {"after":"a"}`)
      assert.strictEqual(server.requestsTo("/api/search").length, 3)
    }))
})

describe("hasMore: the response's end signals", () => {
  const page = (over: Partial<Parameters<typeof hasMore>[0]>) =>
    hasMore({ received: 20, next: 20, total: undefined, isLast: undefined, pageSize: 100, ...over })

  it("an empty page ends, whatever total and isLast say", () => {
    assert.isFalse(page({ received: 0, total: 1000 }))
    assert.isFalse(page({ received: 0, isLast: false }))
  })

  it("a stated total or isLast decides, not the page's length", () => {
    assert.isTrue(page({ total: 95 }))
    assert.isFalse(page({ next: 95, total: 95 }))
    assert.isTrue(page({ isLast: false }))
    assert.isFalse(page({ isLast: true, total: 95 }))
    assert.isFalse(page({ isLast: false, next: 95, total: 95 }))
  })

  it("with no signal, a short page ends and a full one continues", () => {
    assert.isFalse(page({}))
    assert.isTrue(page({ received: 100 }))
    assert.isTrue(page({ pageSize: undefined }))
  })

  it("count reads numbers and numeric strings; null, empty and other values are no signal", () => {
    assert.strictEqual(count(95), 95)
    assert.strictEqual(count("95"), 95)
    assert.strictEqual(count(null), undefined)
    assert.strictEqual(count(""), undefined)
    assert.strictEqual(count("many"), undefined)
    assert.strictEqual(count(undefined), undefined)
  })
})
