import { assert, describe, it } from "@effect/vitest"
import { Cause, Chunk, Effect, type Exit, Logger, Redacted, Schema, Stream } from "effect"
import * as Api from "../../src/Api.js"
import * as Paginator from "../../src/Paginator.js"
import * as FaultServer from "../utils/faultServer.js"

type Position = Paginator.Position
type Fault = ReturnType<Parameters<FaultServer.FaultServer["route"]>[1]>

/** The items a server holds; pages of 3, so 7 items are pages [0, 1, 2], [3, 4, 5], [6]. */
const PAGE = 3
const idsOf = (records: Chunk.Chunk<Api.RawRecord<any>>) => [...records].map((r) => (r.data as { id: number }).id)
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i)

/** A stored state: encoded with the schema, through JSON text, and decoded, as the framework saves it. */
const stored = (position: Position): Position =>
  Schema.decodeUnknownSync(Paginator.Position)(
    JSON.parse(JSON.stringify(Schema.encodeSync(Paginator.Position)(position)))
  )

interface Kind {
  readonly name: string
  readonly paginator: Paginator.Paginator
  readonly request: Api.RequestSpec
  readonly path: string
  /** The answer for items `[from, from + 3)` of `count`, the request's position read by the kind's own rule. */
  readonly serve: (req: FaultServer.RecordedRequest, all: number, base: string) => Fault
}

const slice = (from: number, all: number) => range(from, Math.min(all, from + PAGE)).map((id) => ({ id }))
const numberParam = (req: FaultServer.RecordedRequest, name: string, fallback: number) =>
  req.query.get(name) === null ? fallback : Number(req.query.get(name))

const kinds: ReadonlyArray<Kind> = [
  {
    name: "token",
    paginator: Paginator.token({ items: "results", token: "nextPage", param: "page" }),
    request: { path: "token" },
    path: "/api/token",
    serve: (req, all) => {
      const from = Number((req.query.get("page") ?? "t0").slice(1))
      return { body: { results: slice(from, all), nextPage: from + PAGE < all ? `t${from + PAGE}` : null } }
    }
  },
  {
    name: "token in a header",
    paginator: Paginator.token({ items: "value", tokenHeader: "x-ms-continuationtoken", param: "ct" }),
    request: { path: "builds" },
    path: "/api/builds",
    serve: (req, all) => {
      const from = numberParam(req, "ct", 0)
      const headers: Record<string, string> = from + PAGE < all ? { "x-ms-continuationtoken": `${from + PAGE}` } : {}
      return { body: { value: slice(from, all) }, headers }
    }
  },
  {
    name: "pageNumber",
    paginator: Paginator.pageNumber({ sizeParam: "per_page", size: PAGE }),
    request: { path: "pages" },
    path: "/api/pages",
    serve: (req, all) => ({ body: slice((numberParam(req, "page", 1) - 1) * PAGE, all) })
  },
  {
    name: "offset",
    paginator: Paginator.offset({ limit: PAGE, items: "values", total: "total" }),
    request: { path: "offset" },
    path: "/api/offset",
    serve: (req, all) => ({ body: { values: slice(numberParam(req, "offset", 0), all), total: all } })
  },
  {
    name: "startAt",
    paginator: Paginator.startAt({ items: "issues", size: PAGE }),
    request: { path: "search", query: { jql: "project = A" } },
    path: "/api/search",
    serve: (req, all) => {
      const startAt = numberParam(req, "startAt", 0)
      return { body: { startAt, maxResults: PAGE, total: all, issues: slice(startAt, all) } }
    }
  },
  {
    name: "linkHeader",
    paginator: Paginator.linkHeader({ sizeParam: "per_page", size: PAGE }),
    request: { path: "repos" },
    path: "/api/repos",
    serve: (req, all, base) => {
      const page = numberParam(req, "page", 1)
      const from = (page - 1) * PAGE
      const headers: Record<string, string> = from + PAGE < all
        ? { link: `<${base}/api/repos?per_page=${PAGE}&page=${page + 1}>; rel="next"` }
        : {}
      return { body: slice(from, all), headers }
    }
  },
  {
    name: "nextUrl",
    paginator: Paginator.nextUrl({ items: "results", next: "next" }),
    request: { path: "feed" },
    path: "/api/feed",
    serve: (req, all) => {
      const from = numberParam(req, "after", 0)
      return { body: { results: slice(from, all), next: from + PAGE < all ? `/api/feed?after=${from + PAGE}` : null } }
    }
  },
  {
    name: "cursor in the query",
    paginator: Paginator.cursor({ items: "data", cursor: "/paging/cursor", hasNext: "/paging/more", param: "after" }),
    request: { path: "events" },
    path: "/api/events",
    serve: (req, all) => {
      const from = numberParam(req, "after", 0)
      return { body: { data: slice(from, all), paging: { cursor: `${from + PAGE}`, more: from + PAGE < all } } }
    }
  },
  {
    name: "GraphQL cursor in the body",
    paginator: Paginator.cursor({
      items: "/data/issues/nodes",
      cursor: "/data/issues/pageInfo/endCursor",
      hasNext: "/data/issues/pageInfo/hasNextPage",
      param: { json: "/variables/after" }
    }),
    request: { method: "POST", path: "graphql", json: { query: "{ issues }", variables: { after: null } } },
    path: "/api/graphql",
    serve: (req, all) => {
      const after = (JSON.parse(req.body) as { variables: { after: string | null } }).variables.after
      const from = after === null ? 0 : Number(after)
      const pageInfo = { endCursor: `${from + PAGE}`, hasNextPage: from + PAGE < all }
      return { body: { data: { issues: { nodes: slice(from, all), pageInfo } } } }
    }
  }
]

const setup = (kind: Kind) =>
  Effect.gen(function*() {
    const server = yield* FaultServer.make
    const api = yield* Api.make({ baseUrl: `${server.url}/api/`, timeout: "1 day" })
    const data = { count: 7 }
    server.route(kind.path, (req) => kind.serve(req, data.count, server.url))
    const run = (resume: Position | undefined, options: Paginator.PaginateOptions = {}) =>
      Stream.runCollect(api.paginate(kind.paginator, kind.request, { ...options, resume }))
    return { server, api, data, run }
  })

describe("Paginator positions", () => {
  for (const kind of kinds) {
    describe(kind.name, () => {
      it.scoped("resumes after any record: mid-page, at a page's end, after the last, with no page asked twice", () =>
        Effect.gen(function*() {
          const { run, server } = yield* setup(kind)
          const records = [...(yield* run(undefined))]
          assert.deepStrictEqual(idsOf(Chunk.fromIterable(records)), range(0, 7))
          assert.strictEqual(server.requests.length, 3)
          for (const [k, record] of records.entries()) {
            const before = server.requests.length
            const rest = yield* run(stored(record.state!))
            assert.deepStrictEqual(idsOf(rest), range(k + 1, 7), `resumed after item ${k}`)
            // Only the pages from the position's on: the page of item k (or the next, after a page's last item).
            const pagesLeft = k === 6 ? 1 : 3 - Math.floor((k + 1) / PAGE)
            assert.strictEqual(server.requests.length - before, pagesLeft, `requests resuming after item ${k}`)
          }
        }))

      it.scoped("after the last item, the last page past its end: a later run gets only what was appended", () =>
        Effect.gen(function*() {
          const { data, run } = yield* setup(kind)
          const records = yield* run(undefined)
          const final = Chunk.unsafeLast(records).state!
          assert.strictEqual(final.skip, 1)
          data.count = 11
          const appended = yield* run(stored(final))
          assert.deepStrictEqual(idsOf(appended), range(7, 11))
          // And from the end of that run, nothing more.
          assert.deepStrictEqual(idsOf(yield* run(stored(Chunk.unsafeLast(appended).state!))), [])
        }))

      it.scoped("maxPages bounds the requests sent; the last record's position is the first page not requested", () =>
        Effect.gen(function*() {
          const { run, server } = yield* setup(kind)
          const cut = yield* run(undefined, { maxPages: 2 })
          assert.deepStrictEqual(idsOf(cut), range(0, 6))
          assert.strictEqual(server.requests.length, 2)
          assert.deepStrictEqual(idsOf(yield* run(stored(Chunk.unsafeLast(cut).state!))), [6])
        }))
    })
  }

  it.scoped("maxPages: one warning line naming the paginator, the bound and the last page requested", () =>
    Effect.gen(function*() {
      const { run, server } = yield* setup(kinds[0]!)
      const lines: Array<string> = []
      const logger = Logger.make(({ logLevel, message }) => {
        lines.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
      })
      yield* run(undefined, { maxPages: 1 }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      assert.deepStrictEqual(lines, [
        `WARN paginator "token": stopped at maxPages = 1; the pages after ${server.url}/api/token were not requested`
      ])
      lines.length = 0
      const none = yield* run(undefined, { maxPages: 0 }).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      assert.strictEqual(none.length, 0)
      assert.strictEqual(server.requests.length, 1)
      assert.deepStrictEqual(lines, [`WARN paginator "token": stopped at maxPages = 0; no page was requested`])
      const nan = yield* Effect.exit(run(undefined, { maxPages: Number("x") }))
      assert.include(Cause.pretty((nan as Exit.Failure<unknown, unknown>).cause), `paginator "token": maxPages is NaN`)
      assert.strictEqual(server.requests.length, 1)
    }))

  it.scoped("without `resume`, records carry no state and maxPages still applies", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup(kinds[0]!)
      const records = yield* Stream.runCollect(api.paginate(kinds[0]!.paginator, kinds[0]!.request, { maxPages: 2 }))
      assert.deepStrictEqual(idsOf(records), range(0, 6))
      assert.isTrue([...records].every((r) => !("state" in r)))
      assert.strictEqual(server.requests.length, 2)
    }))

  it.scoped("a position of other pages (another parent's request) starts from the first page", () =>
    Effect.gen(function*() {
      const { api, run, server } = yield* setup(kinds[3]!)
      const records = yield* run(undefined)
      const mid = [...records][4]!.state!
      server.route("/api/other/offset", (req) => kinds[3]!.serve(req, 5, server.url))
      const other = yield* Stream.runCollect(
        api.paginate(kinds[3]!.paginator, { path: "other/offset" }, { resume: mid })
      )
      assert.deepStrictEqual(idsOf(other), range(0, 5))
      // The same pages with another query are other pages too.
      const changed = yield* Stream.runCollect(
        api.paginate(kinds[3]!.paginator, { path: "offset", query: { state: "all" } }, { resume: mid })
      )
      assert.deepStrictEqual(idsOf(changed), range(0, 7))
    }))

  it.scoped("a resumed page is sent with this run's headers and input, and its records carry the input", () =>
    Effect.gen(function*() {
      const { api, server } = yield* setup(kinds[0]!)
      const request = { ...kinds[0]!.request, headers: { "x-run": "first" }, input: { parent: 1 } }
      const records = yield* Stream.runCollect(api.paginate(kinds[0]!.paginator, request, { resume: undefined }))
      const position = stored([...records][3]!.state!)
      const resumed = yield* Stream.runCollect(
        api.paginate(kinds[0]!.paginator, { ...request, headers: { "x-run": "second" } }, { resume: position })
      )
      assert.deepStrictEqual(idsOf(resumed), range(4, 7))
      assert.deepStrictEqual([...resumed].map((r) => r.input), [{ parent: 1 }, { parent: 1 }, { parent: 1 }])
      assert.deepStrictEqual(server.requests.slice(3).map((r) => r.headers["x-run"]), ["second", "second"])
    }))

  it.scoped("positions hold no header, credential or secret query parameter, even from a server's next link", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      const api = yield* Api.make({
        baseUrl: `${server.url}/api/`,
        hooks: [Api.bearer(Redacted.make("bearer-s3cr3t")), Api.apiKeyQuery("apikey", Redacted.make("key-s3cr3t"))],
        secretParams: ["sessionid"]
      })
      // A server that echoes every query parameter, the hook's API key included, in its next link.
      server.route("/api/feed", (req) => {
        const from = numberParam(req, "after", 0)
        const next = new URL(`${server.url}/api/feed`)
        for (const [key, value] of req.query) next.searchParams.set(key, value)
        next.searchParams.set("after", String(from + PAGE))
        return { body: { results: slice(from, 7), next: from + PAGE < 7 ? next.href : null } }
      })
      const request: Api.RequestSpec = {
        path: "feed",
        query: { sessionid: "session-s3cr3t", kind: "all" },
        headers: { "x-private": "header-s3cr3t" }
      }
      const paginator = Paginator.nextUrl({ items: "results", next: "next" })
      const records = [...(yield* Stream.runCollect(api.paginate(paginator, request, { resume: undefined })))]
      const text = JSON.stringify(records.map((r) => Schema.encodeSync(Paginator.Position)(r.state!)))
      for (const secret of ["s3cr3t", "headers", "authorization", "apikey", "sessionid"]) {
        assert.notInclude(text, secret)
      }
      assert.include(text, "kind=all")
      // Resuming from such a position still authenticates: the hooks add their credentials again.
      const resumed = yield* Stream.runCollect(api.paginate(paginator, request, { resume: stored(records[3]!.state!) }))
      assert.deepStrictEqual(idsOf(resumed), range(4, 7))
      const last = server.requests.at(-1)!
      assert.strictEqual(last.query.get("apikey"), "key-s3cr3t")
      assert.strictEqual(last.headers.authorization, "Bearer bearer-s3cr3t")
    }))

  it("a stored position that is not one does not decode", () => {
    const decode = Schema.decodeUnknownEither(Paginator.Position)
    assert.isTrue(decode({ page: { path: "users" }, skip: -1, origin: "x" })._tag === "Left")
    assert.isTrue(decode({ pageToken: "t3", skip: 0 })._tag === "Left")
    assert.isTrue(decode({ page: { query: { page: 2 } }, skip: 0, origin: "x" })._tag === "Right")
  })
})
