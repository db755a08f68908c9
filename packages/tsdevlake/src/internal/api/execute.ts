/**
 * One request to its decoded response: attempts retried by the policy, same-origin redirects followed,
 * and `get` / `post` with their optional schema.
 */
import { Effect, Either, Schema } from "effect"
import type { ApiError, JsonResponse, RequestOptions, RequestSpec } from "../../Api.js"
import { finalise } from "./classify.js"
import { DecodeError, HttpStatusError } from "./errors.js"
import { type Prepared, toRequest } from "./request.js"
import { retryOrFail } from "./retry.js"
import { excerpt } from "./scrub.js"
import { attempt } from "./send.js"
import type { Settings } from "./settings.js"

const maxRedirects = 5

/**
 * Same-origin redirects are followed (as Go's and Python's clients do) through the hooks again;
 * a redirect elsewhere is refused, since the hooks would send the connection's credentials there.
 * The response keeps the original request spec, so paginators continue from what was asked.
 */
export const execute = (settings: Settings, spec: RequestSpec): Effect.Effect<JsonResponse, ApiError> =>
  executeAt(settings, spec, spec, 0)

const executeAt = (
  settings: Settings,
  spec: RequestSpec,
  current: RequestSpec,
  redirects: number
): Effect.Effect<JsonResponse, ApiError> =>
  Either.match(toRequest(settings.base, settings.scrubbing, current), {
    onLeft: (error) => Effect.flatMap(finalise(settings, error), Effect.fail),
    onRight: (prepared) => attempts(settings, spec, current, prepared, redirects, 1)
  })

/** Attempt `n` and, while the policy allows, the next ones; then the redirect, if the response was one. */
const attempts = (
  settings: Settings,
  spec: RequestSpec,
  current: RequestSpec,
  prepared: Prepared,
  redirects: number,
  n: number
): Effect.Effect<JsonResponse, ApiError> =>
  attempt(settings, spec, prepared, n).pipe(
    Effect.matchEffect({
      onFailure: (error) => {
        const again = () => attempts(settings, spec, current, prepared, redirects, n + 1)
        return Effect.flatMap(finalise(settings, error), (error) => retryOrFail(settings, error, n, again))
      },
      onSuccess: (outcome) => {
        if (outcome._tag === "Ok") return Effect.succeed(outcome.response)
        if (redirects >= maxRedirects) {
          const error = new HttpStatusError({
            method: prepared.request.method,
            url: prepared.url,
            status: outcome.status,
            bodyExcerpt: `gave up after ${maxRedirects} redirects`
          })
          return Effect.flatMap(finalise(settings, error), Effect.fail)
        }
        return executeAt(settings, spec, redirectSpec(current, outcome.status, outcome.location), redirects + 1)
      }
    })
  )

/** The request a redirect asks for: a 303 is a GET without body; others repeat the request elsewhere. */
export const redirectSpec = (current: RequestSpec, status: number, location: string): RequestSpec => {
  if (status === 303) {
    const { json: _json, params: _params, query: _query, ...rest } = current
    return { ...rest, method: "GET", path: location }
  }
  return { ...current, params: undefined, query: undefined, path: location }
}

/** Decodes a response's body with a schema; a mismatch is a `DecodeError`. */
export const decodeWith = <A, I>(settings: Settings, schema: Schema.Schema<A, I, never>) => (response: JsonResponse) =>
  Effect.mapError(
    Schema.decodeUnknown(schema)(response.body),
    (error) =>
      new DecodeError({
        method: response.request.method ?? "GET",
        url: response.url,
        status: response.status,
        detail: settings.scrubbing.scrub(excerpt(error.message, 500))
      })
  )

/** `Client.get` / `Client.post`: the body, decoded when a schema is given. */
export const bodyOf = (settings: Settings, method: "GET" | "POST") =>
(
  path: RequestSpec["path"],
  options: RequestOptions & { readonly schema?: Schema.Schema<any, any, never> } = {}
): Effect.Effect<any, ApiError> => {
  const { schema, ...rest } = options
  const response = execute(settings, { ...rest, method, path })
  return schema === undefined
    ? Effect.map(response, (r) => r.body)
    : Effect.flatMap(response, decodeWith(settings, schema))
}
