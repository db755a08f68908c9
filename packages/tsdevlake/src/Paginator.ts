/**
 * Paginators for `Api.Client.paginate`: each says how to start, where a page's items are, and which
 * request fetches the next page. The client turns them into a pull-based stream
 * (`Stream.paginateChunkEffect`): a consumer that stops early sends no further request.
 *
 * Item and token locations are JSON pointers (`"/data/items"`); a plain name (`"results"`) is the
 * property of that name, and `""` is the whole body.
 *
 * @since 0.1.0
 */
import type { Effect, Option } from "effect"
import type { DecodeError, JsonResponse, RequestSpec } from "./Api.js"
import * as internal from "./internal/api/paginators.js"

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
 * A custom paginator.
 *
 * @example
 * ```ts
 * // Jira-style: { startAt, maxResults, total, issues: [...] }
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
 * Page numbers (`?page=1,2,…`). Stops on an empty page, a page shorter than `size`, or when the
 * page number reaches the value at `totalPages`.
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
 * Offset and limit (`?offset=0&limit=100`). Stops on a short page or when the offset reaches `total`.
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
 * JSON body (`{ json: "/variables/after" }`). Stops when `hasNext` is not `true` or the cursor is empty.
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
