/**
 * The paginators `Paginator` offers (single, token, page number, offset, startAt, Link header, next URL, cursor) and
 * `make` for custom ones: each is data plus two pure steps, the first request and, from a decoded page, its
 * items and the next request. Named in the plural for the definitions; running one against a client, the
 * loop that sends the requests, is `paginate.ts`.
 *
 * @internal
 */
import { Effect, Option } from "effect"
import type { JsonResponse, RequestSpec } from "../../Api.js"
import type { Page, Paginator } from "../../Paginator.js"
import { DecodeError } from "./errors.js"
import { parseLinkNext } from "./headers.js"
import * as Json from "./jsonPointer.js"

type Location = string

/** @internal */
export const make = (options: {
  readonly name?: string | undefined
  readonly start?: ((request: RequestSpec) => RequestSpec) | undefined
  readonly page: (response: JsonResponse) => Page | Effect.Effect<Page, DecodeError>
}): Paginator => ({
  _tag: "Paginator",
  name: options.name ?? "custom",
  start: options.start ?? ((request) => request),
  page: (response) => {
    const out = options.page(response)
    return Effect.isEffect(out) ? out : Effect.succeed(out)
  }
})

/** @internal */
export const decodeError = (response: JsonResponse, detail: string): DecodeError =>
  new DecodeError({ method: response.request.method ?? "GET", url: response.url, status: response.status, detail })

/** @internal */
export const items = (
  response: JsonResponse,
  location: Location
): Effect.Effect<ReadonlyArray<unknown>, DecodeError> => {
  const value = Json.get(response.body, location)
  return Array.isArray(value)
    ? Effect.succeed(value)
    : Effect.fail(decodeError(response, `expected an array of items at ${describe(location)}, got ${typeOf(value)}`))
}

const describe = (location: Location) => location === "" ? "the top level" : `"${location}"`

const typeOf = (value: unknown) => value === null ? "null" : Array.isArray(value) ? "an array" : typeof value

const withQuery = (request: RequestSpec, extra: Record<string, string | number | undefined>): RequestSpec => ({
  ...request,
  query: { ...request.query, ...extra }
})

const toAbsolute = (request: RequestSpec, target: string, response: JsonResponse): RequestSpec => {
  const { params: _params, query: _query, ...rest } = request
  return { ...rest, path: new URL(target, response.url).href }
}

const present = (value: unknown): value is string | number =>
  (typeof value === "string" && value !== "") || typeof value === "number"

/** @internal */
export const single = (options: { readonly items?: Location | undefined } = {}): Paginator =>
  make({
    name: "single",
    page: (response) => Effect.map(items(response, options.items ?? ""), (items) => ({ items, next: Option.none() }))
  })

/** @internal */
export const token = (options: {
  readonly items: Location
  readonly token?: Location | undefined
  readonly tokenHeader?: string | undefined
  readonly param: string
}): Paginator =>
  make({
    name: "token",
    page: (response) =>
      Effect.map(items(response, options.items), (items) => {
        const value = options.tokenHeader !== undefined
          ? response.headers[options.tokenHeader.toLowerCase()]
          : Json.get(response.body, options.token ?? "nextPageToken")
        return {
          items,
          next: present(value) ? Option.some(withQuery(response.request, { [options.param]: value })) : Option.none()
        }
      })
  })

const queryNumber = (request: RequestSpec, param: string, fallback: number): number => {
  const value = request.query?.[param]
  const n = typeof value === "number" ? value : Number(value)
  return Number.isFinite(n) ? n : fallback
}

/**
 * A count the response states (`total`, `totalPages`, a server's own page size), or `undefined` when it
 * states none: `null`, `""` and non-numbers are "no signal", never 0 (which would end the pages).
 *
 * @internal
 */
export const count = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

/**
 * Whether a page is followed by another, from the response's own signals. An empty page always ends
 * (so a `total` that lies high cannot loop); `isLast: true` ends; a stated `total` decides by position
 * (`next < total`), whatever the page's length, because servers cap page sizes (Jira caps `maxResults`);
 * `isLast: false` continues. Only with no signal at all does a page shorter than `pageSize` end.
 *
 * @internal
 */
export const hasMore = (page: {
  readonly received: number
  readonly next: number
  readonly total: number | undefined
  readonly isLast: unknown
  readonly pageSize: number | undefined
}): boolean => {
  if (page.received === 0 || page.isLast === true) return false
  if (page.total !== undefined) return page.next < page.total
  if (page.isLast === false) return true
  return page.pageSize === undefined || page.received >= page.pageSize
}

const at = (response: JsonResponse, location: Location | undefined): unknown =>
  location === undefined ? undefined : Json.get(response.body, location)

/** @internal */
export const pageNumber = (options: {
  readonly param?: string | undefined
  readonly start?: number | undefined
  readonly sizeParam?: string | undefined
  readonly size?: number | undefined
  readonly items?: Location | undefined
  readonly totalPages?: Location | undefined
} = {}): Paginator => {
  const param = options.param ?? "page"
  const first = options.start ?? 1
  const sizing = options.sizeParam !== undefined && options.size !== undefined
    ? { [options.sizeParam]: options.size }
    : {}
  return make({
    name: "pageNumber",
    start: (request) => withQuery(request, { [param]: first, ...sizing }),
    page: (response) =>
      Effect.map(items(response, options.items ?? ""), (items) => {
        const current = queryNumber(response.request, param, first)
        const more = hasMore({
          received: items.length,
          // Pages count from `first`: with `start: 0`, page n is the (n + 1)th of `totalPages`.
          next: current + 1 - first,
          total: count(at(response, options.totalPages)),
          isLast: undefined,
          pageSize: options.size
        })
        return {
          items,
          next: more ? Option.some(withQuery(response.request, { [param]: current + 1 })) : Option.none()
        }
      })
  })
}

/**
 * Position paginators (`offset`, `startAt`): the next position is this one plus the items received, which
 * may be fewer than asked for.
 */
const positional = (name: string, options: {
  readonly positionParam: string
  readonly sizeParam: string
  readonly size: number
  readonly first: number
  readonly items: Location
  readonly total: Location | undefined
  readonly isLast: Location | undefined
  /** Where the response states its own page size, for the short-page rule when there is no other signal. */
  readonly pageSize: Location | undefined
}): Paginator =>
  make({
    name,
    start: (request) =>
      withQuery(request, { [options.positionParam]: options.first, [options.sizeParam]: options.size }),
    page: (response) =>
      Effect.map(items(response, options.items), (items) => {
        const next = queryNumber(response.request, options.positionParam, options.first) + items.length
        const more = hasMore({
          received: items.length,
          next,
          total: count(at(response, options.total)),
          isLast: at(response, options.isLast),
          pageSize: count(at(response, options.pageSize)) ?? options.size
        })
        return {
          items,
          next: more ? Option.some(withQuery(response.request, { [options.positionParam]: next })) : Option.none()
        }
      })
  })

/** @internal */
export const offset = (options: {
  readonly offsetParam?: string | undefined
  readonly limitParam?: string | undefined
  readonly limit?: number | undefined
  readonly start?: number | undefined
  readonly items?: Location | undefined
  readonly total?: Location | undefined
} = {}): Paginator =>
  positional("offset", {
    positionParam: options.offsetParam ?? "offset",
    sizeParam: options.limitParam ?? "limit",
    size: options.limit ?? 100,
    first: options.start ?? 0,
    items: options.items ?? "",
    total: options.total,
    isLast: undefined,
    pageSize: undefined
  })

/** @internal */
export const startAt = (options: {
  readonly items: Location
  readonly startParam?: string | undefined
  readonly sizeParam?: string | undefined
  readonly size?: number | undefined
  readonly start?: number | undefined
  readonly total?: Location | undefined
  readonly isLast?: Location | undefined
}): Paginator => {
  const sizeParam = options.sizeParam ?? "maxResults"
  return positional("startAt", {
    positionParam: options.startParam ?? "startAt",
    sizeParam,
    size: options.size ?? 50,
    first: options.start ?? 0,
    items: options.items,
    total: options.total ?? "total",
    isLast: options.isLast ?? "isLast",
    // Jira echoes the page size it applied as `maxResults`: a page shorter than that is the last.
    pageSize: sizeParam
  })
}

/** @internal */
export const linkHeader = (options: {
  readonly items?: Location | undefined
  readonly sizeParam?: string | undefined
  readonly size?: number | undefined
} = {}): Paginator =>
  make({
    name: "linkHeader",
    start: (request) =>
      options.sizeParam !== undefined && options.size !== undefined
        ? withQuery(request, { [options.sizeParam]: options.size })
        : request,
    page: (response) =>
      Effect.map(items(response, options.items ?? ""), (items) => {
        const link = response.headers["link"]
        const next = link === undefined ? Option.none() : parseLinkNext(link)
        return { items, next: Option.map(next, (target) => toAbsolute(response.request, target, response)) }
      })
  })

/** @internal */
export const nextUrl = (options: { readonly items: Location; readonly next: Location }): Paginator =>
  make({
    name: "nextUrl",
    page: (response) =>
      Effect.map(items(response, options.items), (items) => {
        const target = Json.get(response.body, options.next)
        return {
          items,
          next: typeof target === "string" && target !== ""
            ? Option.some(toAbsolute(response.request, target, response))
            : Option.none()
        }
      })
  })

/** @internal */
export const cursor = (options: {
  readonly items: Location
  readonly cursor: Location
  readonly hasNext?: Location | undefined
  readonly param: string | { readonly json: Location }
}): Paginator =>
  make({
    name: "cursor",
    page: (response) =>
      Effect.map(items(response, options.items), (items) => {
        const value = Json.get(response.body, options.cursor)
        const more = options.hasNext === undefined || Json.get(response.body, options.hasNext) === true
        if (!more || !present(value)) return { items, next: Option.none() }
        const request = response.request
        const next: RequestSpec = typeof options.param === "string"
          ? withQuery(request, { [options.param]: value })
          : { ...request, json: Json.set(request.json, options.param.json, value) }
        return { items, next: Option.some(next) }
      })
  })
