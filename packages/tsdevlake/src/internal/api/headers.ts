/**
 * Reading the response headers that steer the client: `Retry-After` and rate-limit resets (for retries and the
 * limiter) and the `Link` header's next page (for the link-header paginator). Pure parsers, shared by
 * `retry.ts`, `observe.ts` and `paginators.ts`.
 *
 * @internal
 */
import { Option } from "effect"

/**
 * `Retry-After` in either of its forms: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * @internal
 */
export const parseRetryAfter = (value: string, nowMillis: number): Option.Option<number> => {
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Option.some(Math.round(Number(trimmed) * 1000))
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return Option.none()
  return Option.some(Math.max(0, at - nowMillis))
}

/**
 * `X-RateLimit-Reset` / `RateLimit-Reset`: epoch seconds (GitHub, GitLab) or, for small values,
 * seconds from now (IETF draft); returns the reset instant in epoch millis.
 * @internal
 */
export const parseReset = (value: string, nowMillis: number): Option.Option<number> => {
  const n = Number(value.trim())
  if (!Number.isFinite(n) || n < 0) return Option.none()
  return Option.some(n > 1e9 ? n * 1000 : nowMillis + n * 1000)
}

/**
 * The `rel="next"` target of an RFC 8288 (formerly 5988) `Link` header.
 * @internal
 */
export const parseLinkNext = (value: string): Option.Option<string> => {
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part)
    if (match === null) continue
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2]!)
    const rels = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/)
    if (rels.includes("next")) return Option.some(match[1]!)
  }
  return Option.none()
}
