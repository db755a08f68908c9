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
  // Every page requested in this run of the stream (a new set when the stream is run again): a server whose
  // tokens cycle (A, B, A, ...) would otherwise be paged forever, each page's items written again.
  const pages = Stream.suspend(() => {
    const requested = new Set<string>()
    return Stream.unfoldChunkEffect<Option.Option<Cursor>, RawRecord<Position>, ApiError, never>(
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
        requested.add(fingerprint(spec))
        return Effect.map(fetchPage(settings, paginator, spec, requested), ({ page, url }) => {
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
  })
  // A position of other pages (another parent's, or from before the request changed) is not an error: the pages
  // start from the first, as on a first run.
  return resume !== undefined && resume.origin !== origin
    ? Stream.unwrap(Effect.as(
      Effect.logDebug(`paginator "${paginator.name}": the saved position is of another request; from the first page`),
      pages
    ))
    : pages
}

/**
 * One page, decoded, checked not to ask for a page already requested in this pagination (`requested`, the
 * fingerprints of its requests): a server that repeats a token, an offset or a next URL would loop forever.
 */
const fetchPage = (
  settings: Settings,
  paginator: Paginator,
  spec: RequestSpec,
  requested: ReadonlySet<string>
): Effect.Effect<{ readonly page: Page; readonly url: string }, ApiError> =>
  Effect.gen(function*() {
    const response = yield* execute(settings, spec)
    const { sanitize, scrub } = settings.scrubbing
    const page = yield* Effect.mapError(paginator.page(response), (error) => rebuild(error, scrub, sanitize))
    if (Option.isSome(page.next) && requested.has(fingerprint(page.next.value))) {
      const again = sameRequest(page.next.value, spec) ? "the same page" : "a page it already requested"
      return yield* new DecodeError({
        method: spec.method ?? "GET",
        url: response.url,
        status: response.status,
        summary: "gave a page that points back to one already read",
        detail: `paginator "${paginator.name}" asked again for ${again} (${
          describePage(settings, page.next.value)
        }); stopping to avoid an endless loop`
      })
    }
    return { page, url: response.url }
  })

/**
 * What identifies the page a request asks for (its method, path and parameters, where a token, an offset or a
 * next URL is): never its headers or `input`. Unserialisable parts (a bigint) make it unique, never a false loop.
 */
const fingerprint = (spec: RequestSpec): string => {
  try {
    return JSON.stringify([spec.method, spec.path, spec.params, spec.query, spec.json])
  } catch {
    return `unserialisable #${++unserialisable}`
  }
}

let unserialisable = 0

/** The repeated page's position, as a user can recognise it: its query and JSON body, secrets left out. */
const describePage = (settings: Settings, spec: RequestSpec): string => {
  const page = pageOf(spec, settings.scrubbing)
  const parts: Array<string> = []
  if (typeof page.path === "string" && page.path.includes("://")) parts.push(page.path)
  for (const [key, value] of Object.entries(page.query ?? {})) parts.push(`${key}=${String(value)}`)
  if (page.json !== undefined) parts.push(`body ${JSON.stringify(page.json)}`)
  return settings.scrubbing.scrub(parts.length === 0 ? "the first page" : parts.join(", "))
}

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

/** Whether two requests ask for the same page. */
export const sameRequest = (a: RequestSpec, b: RequestSpec): boolean => fingerprint(a) === fingerprint(b)
