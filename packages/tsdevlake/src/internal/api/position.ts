/**
 * Where a paginated collect stands, as data a stream saves in its state: the request of a page (what varies from
 * page to page, whatever the paginator: a token, page number, offset, cursor or next URL is in it) and how many of
 * that page's items were already emitted. `paginate.ts` starts from one and gives one with every record.
 *
 * @internal
 */
import { Schema } from "effect"
import type { RequestSpec } from "../../Api.js"
import type { Paginator } from "../../Paginator.js"
import type { Scrubbing } from "./request.js"
import { isAbsoluteUrl } from "./url.js"

const QueryScalar = Schema.Union(Schema.String, Schema.Number, Schema.Boolean)

/**
 * The parts of a page's request a position keeps. Never its headers (credentials travel there) nor its `input`
 * (a parent's row, given again by the caller).
 *
 * @internal
 */
export const PageRequest = Schema.Struct({
  method: Schema.optional(Schema.Literal("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")),
  path: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.Union(Schema.String, Schema.Number)))),
  params: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) })),
  query: Schema.optional(Schema.Record({
    key: Schema.String,
    value: Schema.Union(QueryScalar, Schema.Null, Schema.Undefined, Schema.Array(QueryScalar))
  })),
  json: Schema.optional(Schema.Unknown)
})

/** @internal */
export interface PageRequest extends Schema.Schema.Type<typeof PageRequest> {}

/** @internal */
export interface Position {
  /** The page to request. */
  readonly page: PageRequest
  /** How many of its items were emitted already: they are skipped when resuming. */
  readonly skip: number
  /** Fingerprint of the request and paginator the pages are of: a position of other pages is not resumed. */
  readonly origin: string
}

/** @internal */
export interface PositionEncoded extends Schema.Schema.Encoded<typeof PositionStruct> {}

const PositionStruct = Schema.Struct({
  page: PageRequest,
  skip: Schema.NonNegativeInt,
  origin: Schema.String
})

/** @internal */
export const Position: Schema.Schema<Position, PositionEncoded> = PositionStruct

/**
 * A page's request as a position keeps it: secret query parameters left out (a hook adds them again), and an
 * absolute URL (a server's next link, which may echo a hook's API key) sanitised the same way.
 *
 * @internal
 */
export const pageOf = (request: RequestSpec, scrubbing: Scrubbing): PageRequest => {
  const out: { -readonly [K in keyof PageRequest]: PageRequest[K] } = {}
  if (request.method !== undefined) out.method = request.method
  if (request.path !== undefined) {
    out.path = typeof request.path === "string" && isAbsoluteUrl(request.path)
      ? scrubbing.sanitize(request.path)
      : request.path
  }
  if (request.params !== undefined) out.params = request.params
  if (request.query !== undefined) {
    const query: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(request.query)) {
      if (value !== undefined && !scrubbing.secretParams.has(key.toLowerCase())) query[key] = value
    }
    out.query = query as PageRequest["query"]
  }
  if (request.json !== undefined) out.json = request.json
  return out
}

/**
 * The request of a position's page: its saved parts, with the headers and `input` of the request `paginate` was
 * given this time.
 *
 * @internal
 */
export const requestOf = (position: Position, request: RequestSpec): RequestSpec => ({
  ...position.page,
  ...(request.headers === undefined ? {} : { headers: request.headers }),
  ...(request.input === undefined ? {} : { input: request.input })
})

/**
 * Which pages a position belongs to: a hash of the paginator's name and the parts of the request given to
 * `paginate` that a position keeps. A substream's parents have different requests, so a state another parent
 * left, or one from before the request changed, starts from the first page instead of from someone else's.
 *
 * @internal
 */
export const originOf = (paginator: Paginator, request: RequestSpec, scrubbing: Scrubbing): string => {
  let text: string
  try {
    text = JSON.stringify([paginator.name, pageOf(request, scrubbing)])
  } catch {
    // A body JSON cannot hold (a bigint, a cycle) could not be saved either: no position will ever match.
    return "unsaveable"
  }
  return hash(text)
}

/** cyrb53: a fast 53-bit string hash, as 14 hex digits (collisions are not a concern at one state per stream). */
const hash = (text: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0")
}
