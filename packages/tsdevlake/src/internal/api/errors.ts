/**
 * The API layer's typed errors (`Api.RateLimited`, `Transient`, `Unauthorized`, `NotFound`, `DecodeError`,
 * `HttpStatusError`, `RequestAborted`), their union `ApiError`, which of them are retried, and `rebuild`,
 * which gives an error raised by a user's hook the same scrubbing as the client's own, and the transport's
 * `ResponseTimeout`. In a module of its own so that the steps of a request, hooks and paginators share the
 * classes without importing one another.
 *
 * @internal
 */
import { Duration, Schema } from "effect"

/**
 * Fields every API error carries. `url` is always sanitised (no credentials, no secret query
 * parameters) and `bodyExcerpt` is scrubbed of known secret values before an error is built.
 */
const requestFields = {
  method: Schema.String,
  url: Schema.String,
  status: Schema.optional(Schema.Number),
  bodyExcerpt: Schema.optional(Schema.String),
  attempts: Schema.optional(Schema.Number)
}

const describe = (
  self: {
    readonly method: string
    readonly url: string
    readonly status?: number | undefined
    readonly bodyExcerpt?: string | undefined
    readonly attempts?: number | undefined
  },
  what: string,
  extra: Array<string> = []
): string => {
  const parts = [`${self.method} ${self.url} ${what}`]
  if (self.status !== undefined) parts.push(`(HTTP ${self.status})`)
  let text = parts.join(" ")
  const details = [...extra]
  if (self.attempts !== undefined) details.push(`after ${self.attempts} attempt${self.attempts === 1 ? "" : "s"}`)
  if (details.length > 0) text += `; ${details.join("; ")}`
  if (self.bodyExcerpt !== undefined && self.bodyExcerpt !== "") text += `; body: ${self.bodyExcerpt}`
  return text
}

/** @internal */
export class RateLimited extends Schema.TaggedError<RateLimited>("tsdevlake/Api/RateLimited")("RateLimited", {
  ...requestFields,
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    const extra = this.retryAfterMillis !== undefined ? [`server asked to retry after ${this.retryAfterMillis} ms`] : []
    return describe(this, "was rate limited", extra)
  }
}

/** @internal */
export class Transient extends Schema.TaggedError<Transient>("tsdevlake/Api/Transient")("Transient", {
  ...requestFields,
  reason: Schema.Literal("status", "transport", "timeout"),
  detail: Schema.optional(Schema.String),
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    const what = this.reason === "timeout"
      ? "timed out"
      : this.reason === "transport"
      ? "failed in transport"
      : "failed with a server error"
    const extra: Array<string> = []
    if (this.detail !== undefined) extra.push(this.detail)
    if (this.retryAfterMillis !== undefined) extra.push(`server asked to retry after ${this.retryAfterMillis} ms`)
    return describe(this, what, extra)
  }
}

/** @internal */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("tsdevlake/Api/Unauthorized")("Unauthorized", {
  ...requestFields
}) {
  override get message(): string {
    return describe(this, "was refused", ["check the connection's credentials and their permissions"])
  }
}

/** @internal */
export class NotFound extends Schema.TaggedError<NotFound>("tsdevlake/Api/NotFound")("NotFound", {
  ...requestFields
}) {
  override get message(): string {
    return describe(this, "was not found")
  }
}

/** @internal */
export class DecodeError extends Schema.TaggedError<DecodeError>("tsdevlake/Api/DecodeError")("DecodeError", {
  ...requestFields,
  detail: Schema.String,
  /** What went wrong with the body when it is not its JSON (a page pointing back to an earlier one). */
  summary: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return describe(this, this.summary ?? "returned a body that is not the expected JSON", [this.detail])
  }
}

/** @internal */
export class HttpStatusError extends Schema.TaggedError<HttpStatusError>("tsdevlake/Api/HttpStatusError")(
  "HttpStatusError",
  { ...requestFields }
) {
  override get message(): string {
    return describe(this, "failed")
  }
}

/** @internal */
export class RequestAborted extends Schema.TaggedError<RequestAborted>("tsdevlake/Api/RequestAborted")(
  "RequestAborted",
  { ...requestFields, reason: Schema.String }
) {
  override get message(): string {
    return describe(this, "was not sent", [this.reason])
  }
}

/** @internal */
export type ApiError =
  | RateLimited
  | Transient
  | Unauthorized
  | NotFound
  | DecodeError
  | HttpStatusError
  | RequestAborted

/** @internal */
export const ApiError = Schema.Union(
  RateLimited,
  Transient,
  Unauthorized,
  NotFound,
  DecodeError,
  HttpStatusError,
  RequestAborted
)

const apiErrorTags: ReadonlySet<string> = new Set([
  "RateLimited",
  "Transient",
  "Unauthorized",
  "NotFound",
  "DecodeError",
  "HttpStatusError",
  "RequestAborted"
])

/** @internal */
export const isApiError = (u: unknown): u is ApiError =>
  typeof u === "object" && u !== null && "_tag" in u && apiErrorTags.has((u as { _tag: string })._tag)

/** @internal */
export const isRetryable = (error: ApiError): error is RateLimited | Transient =>
  error._tag === "RateLimited" || error._tag === "Transient"

/**
 * Rebuilds an error with every text field passed through `scrub` and `url` through `sanitizeUrl`,
 * plus optional overrides; used so that errors raised by user hooks get the same treatment as the
 * client's own.
 * @internal
 */
export const rebuild = <E extends ApiError>(
  error: E,
  scrub: (text: string) => string,
  sanitizeUrl: (url: string) => string,
  overrides: { readonly attempts?: number } = {}
): E => {
  const { _tag, ...fields } = error as unknown as Record<string, unknown>
  const next: Record<string, unknown> = { ...fields, ...overrides }
  for (const key of ["bodyExcerpt", "detail", "reason"]) {
    const value = next[key]
    if (typeof value === "string" && !(key === "reason" && _tag === "Transient")) next[key] = scrub(value)
  }
  if (typeof next.url === "string") next.url = scrub(sanitizeUrl(next.url))
  const Ctor = error.constructor as new(fields: Record<string, unknown>) => E
  return new Ctor(next)
}

/**
 * The cause of a transport error when the built-in transport got no complete response in time; the API
 * client turns it into a `Transient` timeout. Here rather than in the transport's module, which loads undici.
 *
 * @internal
 */
export class ResponseTimeout extends Error {
  constructor(readonly timeout: Duration.Duration) {
    super(`no complete response within ${Duration.format(timeout)}`)
    this.name = "ResponseTimeout"
  }
}
