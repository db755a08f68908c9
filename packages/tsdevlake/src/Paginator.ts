/**
 * Paginators for `Api.Client.paginate`: each says how to start, where a page's items are, and which
 * request fetches the next page. The client turns them into a pull-based stream (`Stream.unfoldChunkEffect`): a
 * consumer that stops early sends no further request. Asked to, it resumes from a {@link Position} that a stream
 * saves in its state, and gives every record the position after it.
 *
 * Item and token locations are JSON pointers (`"/data/items"`); a plain name (`"results"`) is the
 * property of that name, and `""` is the whole body.
 *
 * The response's own end signals decide when the pages end (a `total`, `isLast`, a missing token or
 * next link); an empty page always ends them. A page shorter than asked ends them only when the
 * response gives no signal, since servers cap page sizes (Jira caps `maxResults`).
 *
 * @since 0.1.0
 */
import type { Effect, Option, Schema, Stream } from "effect"
import type { ApiError, DecodeError, JsonResponse, RawRecord, RequestSpec } from "./Api.js"
import * as internal from "./internal/api/paginators.js"
import * as position from "./internal/api/position.js"

/**
 * One page: its items and, unless it is the last one, the next page's request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page {
  readonly items: ReadonlyArray<unknown>
  readonly next: Option.Option<RequestSpec>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Paginator {
  readonly _tag: "Paginator"
  readonly name: string
  /** The first page's request, from the request passed to `paginate`. */
  readonly start: (request: RequestSpec) => RequestSpec
  /** Items and next request of a decoded page; `response.request` is the page's own request. */
  readonly page: (response: JsonResponse) => Effect.Effect<Page, DecodeError>
}

/**
 * Where paginated records stand, to resume after them: the request of a page (whatever the paginator varies in
 * it: token, page number, offset, `startAt`, cursor, next URL; never its headers, secret query parameters or
 * `input`), how many of its items were emitted (`skip`) and which pages these are (`origin`, a hash of the
 * paginator and the request given to `paginate`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Position extends position.Position {}

/**
 * @since 0.1.0
 * @category models
 */
export interface PageRequest extends position.PageRequest {}

/**
 * The schema of a {@link Position}, for a stream's `state` (or a field of it).
 *
 * @example
 * ```ts
 * const Users = DataStream.make({
 *   name: "users",
 *   toolModel: User,
 *   domainTypes: ["CROSS"],
 *   state: Paginator.Position,
 *   // A killed collect, run again with `incremental`, goes on after its last committed record.
 *   collect: (ctx) =>
 *     Stream.unwrap(Effect.map(MyApi, (api) =>
 *       api.paginate(Paginator.token({ items: "results", token: "next", param: "page" }), { path: "users" }, {
 *         resume: ctx.state
 *       }))),
 *   convert: () => Effect.succeed([])
 * })
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Position: Schema.Schema<Position, position.PositionEncoded> = position.Position

/**
 * Options of `Api.Client.paginate`.
 *
 * @since 0.1.0
 * @category models
 */
export interface PaginateOptions {
  /**
   * At most this many requests: pages after them are not requested, and a warning says where it stopped (a bound
   * on a paginator that never ends, or on a collect's cost).
   */
  readonly maxPages?: number | undefined
}

/**
 * Options of a resumable `Api.Client.paginate`: starts from `resume` (`undefined` or a position of other pages:
 * from the first page), and every record carries, as its `state`, the position after it. After a page's last
 * item that is the next page; after the very last item, the last page past its end, so that an incremental
 * run asks for it again and gets what was appended since.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResumeOptions extends PaginateOptions {
  readonly resume: Position | undefined
}

/**
 * `Api.Client.paginate`: every item of every page, pull-based (a consumer that stops early sends no further
 * request). With `resume` in its options, records carry their {@link Position}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Paginate {
  (paginator: Paginator, request: RequestSpec | undefined, options: ResumeOptions): Stream.Stream<
    RawRecord<Position>,
    ApiError
  >
  (paginator: Paginator, request?: RequestSpec, options?: PaginateOptions): Stream.Stream<RawRecord, ApiError>
}

/**
 * A custom paginator.
 *
 * @example
 * ```ts
 * // { startAt, total, issues: [...] } (what `Paginator.startAt` does, written out)
 * const jira = Paginator.make({
 *   start: (req) => ({ ...req, query: { ...req.query, startAt: 0 } }),
 *   page: (res) => {
 *     const body = res.body as { startAt: number; total: number; issues: Array<unknown> }
 *     const next = body.startAt + body.issues.length
 *     return {
 *       items: body.issues,
 *       next: next < body.total && body.issues.length > 0
 *         ? Option.some({ ...res.request, query: { ...res.request.query, startAt: next } })
 *         : Option.none()
 *     }
 *   }
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: {
  readonly name?: string | undefined
  readonly start?: ((request: RequestSpec) => RequestSpec) | undefined
  readonly page: (response: JsonResponse) => Page | Effect.Effect<Page, DecodeError>
}) => Paginator = internal.make

/**
 * No pagination: the items of one response (the body itself by default).
 *
 * @since 0.1.0
 * @category constructors
 */
export const single: (options?: { readonly items?: string | undefined }) => Paginator = internal.single

/**
 * pydevlake's `TokenPaginator`: items in one property, the next page's token in another (or in a
 * response header, as Azure DevOps' `x-ms-continuationtoken`), sent back as query parameter `param`.
 * Stops when the token is absent or empty; an empty page with a token continues, as the server says.
 *
 * @example
 * ```ts
 * Paginator.token({ items: "results", token: "nextPage", param: "page" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const token: (options: {
  readonly items: string
  readonly token?: string | undefined
  readonly tokenHeader?: string | undefined
  readonly param: string
}) => Paginator = internal.token

/**
 * Page numbers (`?page=1,2,…`). Stops on an empty page, or after the last of `totalPages` pages
 * (counted from `start`); a response that gives no `totalPages` also stops at a page shorter than
 * `size`, so a server that caps the page size below `size` needs `totalPages`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const pageNumber: (options?: {
  readonly param?: string | undefined
  readonly start?: number | undefined
  readonly sizeParam?: string | undefined
  readonly size?: number | undefined
  readonly items?: string | undefined
  readonly totalPages?: string | undefined
}) => Paginator = internal.pageNumber

/**
 * Offset and limit (`?offset=0&limit=100`). The next offset is this one plus the items received (a
 * server may send fewer than `limit`). Stops on an empty page or when the next offset reaches the
 * value at `total`; a response that gives no `total` also stops at a page shorter than `limit`, so
 * with a server that caps the page size, name its `total`.
 *
 * @example
 * ```ts
 * // { values: [...], total: 95 }, at most 20 values a page whatever the limit
 * Paginator.offset({ limit: 100, items: "values", total: "total" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const offset: (options?: {
  readonly offsetParam?: string | undefined
  readonly limitParam?: string | undefined
  readonly limit?: number | undefined
  readonly start?: number | undefined
  readonly items?: string | undefined
  readonly total?: string | undefined
}) => Paginator = internal.offset

/**
 * Jira-style `?startAt=0&maxResults=50` with `{ startAt, maxResults, total, isLast, issues: [...] }`.
 * The next `startAt` is this one plus the items received (Jira may send fewer than asked). Stops on
 * an empty page, at `isLast: true`, or when the next `startAt` reaches `total`; a response with
 * neither `total` nor `isLast` stops at a page shorter than its own `maxResults` (or `size`).
 * The field and parameter names are options, so Bitbucket Server's `start`/`limit`/`isLastPage`
 * fits too.
 *
 * @example
 * ```ts
 * // GET /rest/api/2/search?jql=…&startAt=0&maxResults=100
 * Paginator.startAt({ items: "issues", size: 100 })
 * // Bitbucket Server: { values: [...], isLastPage, start, limit }
 * Paginator.startAt({ items: "values", startParam: "start", sizeParam: "limit", isLast: "isLastPage" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const startAt: (options: {
  /** Where the page's items are (`"issues"`, `"values"`, `"worklogs"`). */
  readonly items: string
  /** Query parameter of the position; default `"startAt"`. */
  readonly startParam?: string | undefined
  /** Query parameter of the page size, and the field the response states its own size in; default `"maxResults"`. */
  readonly sizeParam?: string | undefined
  /** The page size asked for; default 50. */
  readonly size?: number | undefined
  /** The first position; default 0. */
  readonly start?: number | undefined
  /** Where the response states the number of items in all; default `"total"`. */
  readonly total?: string | undefined
  /** Where the response says this is the last page; default `"isLast"`. */
  readonly isLast?: string | undefined
}) => Paginator = internal.startAt

/**
 * RFC 8288 (ex-5988) `Link: <…>; rel="next"` headers, as GitHub and GitLab send.
 *
 * @since 0.1.0
 * @category constructors
 */
export const linkHeader: (options?: {
  readonly items?: string | undefined
  readonly sizeParam?: string | undefined
  readonly size?: number | undefined
}) => Paginator = internal.linkHeader

/**
 * The next page's URL in the body (`{ "next": "https://…?page=2", "results": [...] }`); relative
 * URLs resolve against the page's URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nextUrl: (options: { readonly items: string; readonly next: string }) => Paginator = internal.nextUrl

/**
 * A cursor read by JSON pointer, sent back as a query parameter or, for GraphQL, written into the
 * JSON body (`{ json: "/variables/after" }`). Stops when `hasNext` is not `true` or the cursor is empty
 * (an empty page with `hasNext: true` continues, as the server says).
 *
 * @example
 * ```ts
 * Paginator.cursor({
 *   items: "/data/repository/issues/nodes",
 *   cursor: "/data/repository/issues/pageInfo/endCursor",
 *   hasNext: "/data/repository/issues/pageInfo/hasNextPage",
 *   param: { json: "/variables/after" }
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const cursor: (options: {
  readonly items: string
  readonly cursor: string
  readonly hasNext?: string | undefined
  readonly param: string | { readonly json: string }
}) => Paginator = internal.cursor
