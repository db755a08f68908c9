/**
 * `Client.paginate`: running a paginator (one of `paginators.ts`'s definitions) against a client, its pages as
 * a pull-based stream of raw records, so a consumer that stops early sends no further request. Named for the
 * verb: this is the loop that sends the requests, where `paginators.ts` only says what they are.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { ApiError, RawRecord, RequestSpec } from "../../Api.js"
import type { Paginator } from "../../Paginator.js"
import { DecodeError, rebuild } from "./errors.js"
import { execute } from "./execute.js"
import type { Settings } from "./settings.js"

/** Every item of every page, each with the page's URL and the request's `input`. */
export const paginate = (
  settings: Settings,
  paginator: Paginator,
  request: RequestSpec = {}
): Stream.Stream<RawRecord, ApiError> =>
  Stream.paginateChunkEffect(paginator.start(request), (spec) =>
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
      const records = Chunk.fromIterable(page.items.map((data): RawRecord =>
        spec.input === undefined ? { data, url: response.url } : { data, url: response.url, input: spec.input }
      ))
      return [records, page.next] as const
    }))

/** Whether two requests ask for the same page (a paginator that would loop forever). */
export const sameRequest = (a: RequestSpec, b: RequestSpec): boolean => {
  try {
    return JSON.stringify([a.method, a.path, a.params, a.query, a.json]) ===
      JSON.stringify([b.method, b.path, b.params, b.query, b.json])
  } catch {
    return false
  }
}
