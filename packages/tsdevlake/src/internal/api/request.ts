/**
 * Describing a request: from a `RequestSpec` to the platform's request (URL, query, headers, body), and the
 * request as it may be shown in logs, spans and errors (secret query parameters stripped, secrets masked).
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import { Either, Redacted } from "effect"
import type { Hook, Options, RequestSpec } from "../../Api.js"
import { RequestAborted } from "./errors.js"
import { defaultSecretParams, makeScrubber, sanitizeUrl } from "./scrub.js"
import { resolveUrl } from "./url.js"

/** What a client masks in every text that leaves it: the connection's secrets, never one request's. */
export interface Scrubbing {
  /** Query parameter names (lower case) stripped from shown URLs. */
  readonly secretParams: ReadonlySet<string>
  /** Masks every known secret value in a text. */
  readonly scrub: (text: string) => string
  /** A URL as it may be shown: no credentials, no secret query parameter, no secret value. */
  readonly sanitize: (url: string) => string
}

/** The scrubbing of a client: the secrets and secret parameters of its options, its hooks and its base URL. */
export const makeScrubbing = (options: Options, hooks: ReadonlyArray<Hook>, password: string): Scrubbing => {
  const secretParams = new Set(
    [...defaultSecretParams, ...(options.secretParams ?? []), ...hooks.flatMap((h) => h.secretParams)]
      .map((p) => p.toLowerCase())
  )
  const scrub = makeScrubber([
    ...hooks.flatMap((h) => h.secrets).map(Redacted.value),
    ...(options.secrets ?? []).map(Redacted.value),
    password
  ])
  return { secretParams, scrub, sanitize: (url) => scrub(sanitizeUrl(url, secretParams)) }
}

/** One sent request as it may be shown. */
export interface Described {
  /** The full URL (query included), sanitised. */
  readonly url: string
  /** Masks the connection's secrets and this request's own (secret parameters, credential headers). */
  readonly scrub: (text: string) => string
}

/** @see makeDescribe */
export type Describe = (request: HttpClientRequest.HttpClientRequest) => Described

/**
 * Describes requests, once per request object: URL parsing is a measurable share of a request's CPU time,
 * and the same request is described for its log line, its span and its error.
 */
export const makeDescribe = (scrubbing: Scrubbing): Describe => {
  const described = new WeakMap<HttpClientRequest.HttpClientRequest, Described>()
  return (request) => {
    const cached = described.get(request)
    if (cached !== undefined) return cached
    const full = fullUrlOf(request)
    let requestScrub: ((text: string) => string) | undefined
    const out: Described = {
      // Secret parameters are stripped and hook secrets masked; the request's own header values
      // cannot be in its URL, so the costlier per-request scrubber is built only for error text.
      url: scrubbing.scrub(sanitizeUrl(full, scrubbing.secretParams)),
      get scrub() {
        return requestScrub ??= requestScrubber(scrubbing, request, full)
      }
    }
    described.set(request, out)
    return out
  }
}

const sensitiveHeaders: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "private-token",
  "x-api-key",
  "x-auth-token",
  "api-key"
])

/**
 * Secrets a caller put straight into one request (a secret query parameter, an Authorization header) are
 * masked too, for a server may echo them back in an error body.
 */
export const requestScrubber = (
  scrubbing: Scrubbing,
  request: HttpClientRequest.HttpClientRequest,
  full: string
): (text: string) => string => {
  const values: Array<string> = []
  try {
    for (const [key, value] of new URL(full).searchParams) {
      if (scrubbing.secretParams.has(key.toLowerCase())) values.push(value)
    }
  } catch {
    // An unparsable URL was refused before it was sent; nothing of it is echoed back.
  }
  for (const [key, value] of Object.entries(request.headers)) {
    if (!sensitiveHeaders.has(key)) continue
    values.push(value)
    const credential = value.split(" ").slice(1).join(" ")
    if (credential !== "") values.push(credential)
  }
  if (values.length === 0) return scrubbing.scrub
  const more = makeScrubber(values)
  return (text: string) => more(scrubbing.scrub(text))
}

/** A request's URL with its query parameters and fragment (the platform keeps them apart). */
export const fullUrlOf = (request: HttpClientRequest.HttpClientRequest): string =>
  Either.match(UrlParams.makeUrl(request.url, request.urlParams, request.hash), {
    onLeft: () => request.url,
    onRight: (url) => url.href
  })

/** A request ready to send, its URL as shown, and its low-cardinality template (for spans and logs). */
export interface Prepared {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: string
  readonly template: string
}

/** The platform request of a spec; a path that does not resolve (or leaves the origin) is not sent. */
export const toRequest = (
  base: URL,
  scrubbing: Scrubbing,
  spec: RequestSpec
): Either.Either<Prepared, RequestAborted> => {
  const method = spec.method ?? "GET"
  const resolved = resolveUrl(base, spec.path, spec.params, spec.query)
  if ("error" in resolved) {
    const shown = typeof spec.path === "string" ? spec.path : base.href
    return Either.left(
      new RequestAborted({ method, url: scrubbing.sanitize(shown), reason: scrubbing.scrub(resolved.error) })
    )
  }
  let request = HttpClientRequest.make(method)(resolved.url)
  if (spec.headers !== undefined) request = HttpClientRequest.setHeaders(request, spec.headers)
  if (spec.json !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, spec.json)
  return Either.right({
    request,
    template: scrubbing.scrub(resolved.template),
    url: scrubbing.sanitize(resolved.url.href)
  })
}
