/**
 * `Client.paginate`: running a paginator (one of `paginators.ts`'s definitions) against a client, its pages as
 * a pull-based stream of raw records, so a consumer that stops early sends no further request. Named for the
 * verb: this is the loop that sends the requests, where `paginators.ts` only says what they are. Asked to, it
 * starts from a saved position and gives every record the position after it (`position.ts`).
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { ApiError, RawRecord, RequestSpec } from "../../Api.js"
import type { Page, Paginator } from "../../Paginator.js"
import { DecodeError, rebuild } from "./errors.js"
import { execute } from "./execute.js"
import { originOf, pageOf, type Position, requestOf } from "./position.js"
import type { Settings } from "./settings.js"

/**
 * Options of `paginate`: with a `resume` key (even `undefined`, a first run), records carry positions.
 *
 * @internal
 */
export interface Options {
  readonly maxPages?: number | undefined
  readonly resume?: Position | undefined
}

/** The page to request next, how many of its items to skip, and how many requests were sent before it. */
interface Cursor {
  readonly spec: RequestSpec
  readonly skip: number
  readonly sent: number
  /** The URL of the previous page, for the warning of a `maxPages` cut. */
  readonly after: string
}

/** Every item of every page, each with the page's URL and the request's `input` (and, resuming, its position). */
export const paginate = (
  settings: Settings,
  paginator: Paginator,
  request: RequestSpec = {},
  options: Options = {}
): Stream.Stream<RawRecord<Position>, ApiError> => {
  const resumable = "resume" in options
  const origin = resumable ? originOf(paginator, request, settings.scrubbing) : ""
  const resume = options.resume
  const maxPages = options.maxPages ?? Infinity
  // NaN would compare false with every count: no bound at all, silently.
  if (Number.isNaN(maxPages)) return Stream.dieMessage(`paginator "${paginator.name}": maxPages is NaN, not a number`)
  const first: Cursor = resume !== undefined && resume.origin === origin
    ? { spec: requestOf(resume, request), skip: resume.skip, sent: 0, after: "" }
    : { spec: paginator.start(request), skip: 0, sent: 0, after: "" }
  const pages = Stream.unfoldChunkEffect<Option.Option<Cursor>, RawRecord<Position>, ApiError, never>(
    Option.some(first),
    (cursor) => {
      if (Option.isNone(cursor)) return Effect.succeedNone
      const { after, sent, skip, spec } = cursor.value
      if (sent >= maxPages) {
        return Effect.as(
          Effect.logWarning(
            `paginator "${paginator.name}": stopped at maxPages = ${maxPages}; ${
              after === "" ? "no page was requested" : `the pages after ${after} were not requested`
            }`
          ),
          Option.none()
        )
      }
      return Effect.map(fetchPage(settings, paginator, spec), ({ page, url }) => {
        const records = resumable
          ? withPositions(settings, page, { spec, url, skip, origin })
          : plain(page.items, skip, spec.input, url)
        const next = Option.map(
          page.next,
          (nextSpec): Cursor => ({ spec: nextSpec, skip: 0, sent: sent + 1, after: url })
        )
        return Option.some([records, next] as const)
      })
    }
  )
  // A position of other pages (another parent's, or from before the request changed) is not an error: the pages
  // start from the first, as on a first run.
  return resume !== undefined && resume.origin !== origin
    ? Stream.unwrap(Effect.as(
      Effect.logDebug(`paginator "${paginator.name}": the saved position is of another request; from the first page`),
      pages
    ))
    : pages
}

/** One page, decoded, checked not to ask for itself again (a paginator that would loop forever). */
const fetchPage = (
  settings: Settings,
  paginator: Paginator,
  spec: RequestSpec
): Effect.Effect<{ readonly page: Page; readonly url: string }, ApiError> =>
  Effect.gen(function*() {
    const response = yield* execute(settings, spec)
    const { sanitize, scrub } = settings.scrubbing
    const page = yield* Effect.mapError(paginator.page(response), (error) => rebuild(error, scrub, sanitize))
    if (Option.isSome(page.next) && sameRequest(page.next.value, spec)) {
      return yield* new DecodeError({
        method: spec.method ?? "GET",
        url: response.url,
        status: response.status,
        detail: `paginator "${paginator.name}" asked for the same page again; stopping to avoid an endless loop`
      })
    }
    return { page, url: response.url }
  })

/** A page's records from `skip` on, without positions (any state type fits a record that has none). */
const plain = (
  items: ReadonlyArray<unknown>,
  skip: number,
  input: unknown,
  url: string
): Chunk.Chunk<RawRecord<never>> => {
  const records: Array<RawRecord<never>> = []
  for (let i = skip; i < items.length; i++) {
    records.push(input === undefined ? { data: items[i], url } : { data: items[i], url, input })
  }
  return Chunk.unsafeFromArray(records)
}

/**
 * A page's records from `skip` on, each with the position after it: the rest of this page, or, after its last
 * item, the next page from its start; after the very last item of all, this page past its end, so that a later
 * run asks for it again and gets the items appended to it since.
 */
const withPositions = (
  settings: Settings,
  page: Page,
  at: { readonly spec: RequestSpec; readonly url: string; readonly skip: number; readonly origin: string }
): Chunk.Chunk<RawRecord<Position>> => {
  const { items } = page
  if (at.skip >= items.length) return Chunk.empty()
  const here = pageOf(at.spec, settings.scrubbing)
  const last: Position = Option.isSome(page.next)
    ? { page: pageOf(page.next.value, settings.scrubbing), skip: 0, origin: at.origin }
    : { page: here, skip: items.length, origin: at.origin }
  const { input } = at.spec
  const { origin, url } = at
  const records: Array<RawRecord<Position>> = []
  for (let i = at.skip; i < items.length; i++) {
    const state = i === items.length - 1 ? last : { page: here, skip: i + 1, origin }
    records.push(input === undefined ? { data: items[i], url, state } : { data: items[i], url, input, state })
  }
  return Chunk.unsafeFromArray(records)
}

/** Whether two requests ask for the same page (a paginator that would loop forever). */
export const sameRequest = (a: RequestSpec, b: RequestSpec): boolean => {
  try {
    return JSON.stringify([a.method, a.path, a.params, a.query, a.json]) ===
      JSON.stringify([b.method, b.path, b.params, b.query, b.json])
  } catch {
    return false
  }
}
