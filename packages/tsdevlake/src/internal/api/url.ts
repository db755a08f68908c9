import { Option } from "effect"

/** @internal */
export type Path = string | ReadonlyArray<string | number>

/** @internal */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>

/** @internal */
export type Query = Readonly<Record<string, QueryValue>>

/**
 * Query parameter names treated as secrets even when no hook declared them: stripped from every
 * URL that leaves the client (raw records, logs, errors, spans).
 * @internal
 */
export const defaultSecretParams: ReadonlyArray<string> = [
  "access_token",
  "token",
  "api_key",
  "apikey",
  "api-key",
  "private_token",
  "password",
  "client_secret",
  "signature",
  "sig"
]

const absoluteUrl = /^[a-z][a-z0-9+.-]*:\/\//i

/** @internal */
export const isAbsoluteUrl = (path: string): boolean => absoluteUrl.test(path)

/**
 * Normalises a base URL so relative paths append to it (`https://h/api` + `x` → `https://h/api/x`),
 * and splits off any user-info, which must travel as a header, never in a logged URL.
 * @internal
 */
export const parseBaseUrl = (baseUrl: string): {
  readonly base: URL
  readonly username: string
  readonly password: string
} => {
  const url = new URL(baseUrl)
  const username = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  url.username = ""
  url.password = ""
  url.hash = ""
  if (!url.pathname.endsWith("/")) url.pathname = `${url.pathname}/`
  return { base: url, username, password }
}

const placeholder = /\{([A-Za-z0-9_]+)\}/g

/**
 * Resolves a path (string with `{name}` placeholders, segment array or absolute URL) against the
 * base, then applies query arguments. Returns the full URL and a low-cardinality template for spans.
 * @internal
 */
export const resolveUrl = (
  base: URL,
  path: Path | undefined,
  params: Readonly<Record<string, string | number>> | undefined,
  query: Query | undefined
): { readonly url: URL; readonly template: string } | { readonly error: string } => {
  let url: URL
  let template: string
  if (path === undefined) {
    url = new URL(base.href)
    template = base.pathname
  } else if (typeof path === "string") {
    if (isAbsoluteUrl(path)) {
      url = new URL(path)
      if (url.origin !== base.origin) {
        return { error: `refusing to send credentials to ${url.origin}, which is not the API's origin` }
      }
      template = url.pathname
    } else {
      const relative = path.replace(/^\/+/, "")
      let missing: string | undefined
      const filled = relative.replace(placeholder, (_, name: string) => {
        const value = params?.[name]
        if (value === undefined) {
          missing = name
          return ""
        }
        return encodeURIComponent(String(value))
      })
      if (missing !== undefined) return { error: `path parameter {${missing}} of ${relative} has no value` }
      url = new URL(filled, base)
      template = base.pathname + relative.replace(/\?.*$/, "")
    }
  } else {
    const relative = path.map((segment) => encodeURIComponent(String(segment))).join("/")
    url = new URL(relative, base)
    template = url.pathname
  }
  if (query !== undefined) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue
      url.searchParams.delete(key)
      if (Array.isArray(value)) {
        for (const item of value) url.searchParams.append(key, String(item))
      } else {
        url.searchParams.set(key, String(value))
      }
    }
  }
  return { url, template }
}

/**
 * A URL as it may be shown: no user-info, no fragment, and no query parameter whose name is a
 * secret (compared case-insensitively).
 * @internal
 */
export const sanitizeUrl = (raw: string, secretParams: ReadonlySet<string>): string => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return raw.replace(/\?.*$/, "")
  }
  url.username = ""
  url.password = ""
  url.hash = ""
  for (const key of [...url.searchParams.keys()]) {
    if (secretParams.has(key.toLowerCase())) url.searchParams.delete(key)
  }
  return url.href
}

/**
 * Builds a function that masks every known secret value (and its URL-encoded form) in a text.
 * Very short values are skipped: masking "a" everywhere would destroy messages and protect nothing.
 * @internal
 */
export const makeScrubber = (secrets: ReadonlyArray<string>): (text: string) => string => {
  const needles = new Set<string>()
  for (const secret of secrets) {
    if (secret.length < 4) continue
    needles.add(secret)
    needles.add(encodeURIComponent(secret))
  }
  const sorted = [...needles].sort((a, b) => b.length - a.length)
  if (sorted.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const needle of sorted) out = out.split(needle).join("***")
    return out
  }
}

/** @internal */
export const excerpt = (text: string, max = 200): string => {
  const flat = text.slice(0, max * 4).replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

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
