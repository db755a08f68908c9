/**
 * Classifying what came back: a response and its body into a `JsonResponse` or a typed `ApiError`, a
 * transport failure into an `ApiError`, and any error into its final form (error hooks, secrets masked).
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Either } from "effect"
import type { ApiError, JsonResponse, RequestSpec } from "../../Api.js"
import { exceedsJsonDepth, tooDeepDetail } from "../process/jsonDepth.js"
import {
  DecodeError,
  HttpStatusError,
  NotFound,
  RateLimited,
  rebuild,
  RequestAborted,
  ResponseTimeout,
  Transient,
  Unauthorized
} from "./errors.js"
import type { Described } from "./request.js"
import { budgetExhausted, retryAfterOf, untilResetOf } from "./retry.js"
import { excerpt } from "./scrub.js"
import type { Settings } from "./settings.js"

/** An error's message with its code and the chain of causes, e.g. `ECONNREFUSED: connect … (…)`. */
export const causeText = (cause: unknown): string => {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const inner = (cause as { cause?: unknown }).cause
    const own = typeof code === "string" ? `${code}: ${cause.message}` : cause.message
    return inner !== undefined && inner !== cause ? `${own} (${causeText(inner)})` : own
  }
  return String(cause)
}

/**
 * Whether a body is empty or JSON whitespace only: stops at the first character of a JSON body, where `trim()`
 * would copy the whole body (and a regular expression first flattens a body built by concatenation).
 */
export const isBlank = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false
  }
  return true
}

/**
 * A failure of the transport (or of the request before it left): a timeout or a transport failure is
 * `Transient` (retried), anything else (an invalid URL, an unencodable body) `RequestAborted`.
 */
export const fromHttpClientError = (error: HttpClientError.HttpClientError, described: Described): ApiError => {
  const method = error.request.method
  const { scrub, url } = described
  if (error.cause instanceof ResponseTimeout) {
    return new Transient({ method, url, reason: "timeout", detail: error.cause.message })
  }
  if (error._tag === "RequestError" && error.reason !== "Transport") {
    return new RequestAborted({ method, url, reason: scrub(`${error.reason}: ${causeText(error.cause)}`) })
  }
  return new Transient({ method, url, reason: "transport", detail: scrub(causeText(error.cause ?? error.reason)) })
}

/** A response and its body text: a 2xx with a JSON (or blank) body is the response, anything else an error. */
export const classify = (
  response: HttpClientResponse.HttpClientResponse,
  text: string,
  spec: RequestSpec,
  now: number,
  described: Described
): Either.Either<JsonResponse, ApiError> => {
  const status = response.status
  const method = response.request.method
  const url = described.url
  if (status >= 200 && status < 300) {
    if (isBlank(text)) return Either.right({ status, headers: response.headers, body: null, url, request: spec })
    // Parsed, such a body would overflow the stack of whatever walks it next, naming no request.
    if (exceedsJsonDepth(text)) {
      return Either.left(
        new DecodeError({ method, url, status, bodyExcerpt: described.scrub(excerpt(text)), detail: tooDeepDetail })
      )
    }
    try {
      return Either.right({ status, headers: response.headers, body: JSON.parse(text), url, request: spec })
    } catch (e) {
      const scrub = described.scrub
      return Either.left(
        new DecodeError({
          method,
          url,
          status,
          bodyExcerpt: scrub(excerpt(text)),
          detail: scrub(`invalid JSON: ${causeText(e)}`)
        })
      )
    }
  }
  return Either.left(
    statusError({ method, url, status, bodyExcerpt: described.scrub(excerpt(text)) }, response.headers, now)
  )
}

/** What every error of a response carries. */
export interface ResponseFields {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly bodyExcerpt: string
}

const retryableStatus = (status: number) => status === 408 || status >= 500

/**
 * The error of a non-2xx status: 429, or 403 with `Retry-After` or a spent budget, is `RateLimited` (with the
 * server's delay: its `Retry-After`, else the time to its reset); 401/403 `Unauthorized`, 404 `NotFound`,
 * 408 and 5xx `Transient`, any other `HttpStatusError`.
 */
export const statusError = (fields: ResponseFields, headers: Headers.Headers, now: number): ApiError => {
  const status = fields.status
  const retryAfter = retryAfterOf(headers, now)
  const exhausted = budgetExhausted(headers)
  if (status === 429 || (status === 403 && (retryAfter !== undefined || exhausted))) {
    const wait = retryAfter ?? (exhausted ? untilResetOf(headers, now) : undefined)
    return new RateLimited(wait !== undefined ? { ...fields, retryAfterMillis: wait } : fields)
  }
  if (status === 401 || status === 403) return new Unauthorized(fields)
  if (status === 404) return new NotFound(fields)
  if (retryableStatus(status)) {
    return new Transient({
      ...fields,
      reason: "status",
      ...(retryAfter !== undefined ? { retryAfterMillis: retryAfter } : {})
    })
  }
  return new HttpStatusError(fields)
}

/** An error as it leaves the client: mapped by the error hooks, then, like the client's own, sanitised. */
export const finalise = (settings: Settings, error: ApiError): Effect.Effect<ApiError> =>
  Effect.gen(function*() {
    let mapped = error
    for (const onError of settings.errorHooks) mapped = yield* onError(mapped)
    return rebuild(mapped, settings.scrubbing.scrub, settings.scrubbing.sanitize)
  })
