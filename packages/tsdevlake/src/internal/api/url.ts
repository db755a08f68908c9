/**
 * URLs of requests: the connection's base URL (its user-info split off, to travel as a header) and a request's
 * path, `{name}` placeholders and query resolved against it, refusing another origin. Kept apart from
 * `scrub.ts`, which decides what of a URL may be shown, and `headers.ts`, which reads response headers.
 *
 * @internal
 */
/** @internal */
export type Path = string | ReadonlyArray<string | number>

/** @internal */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>

/** @internal */
export type Query = Readonly<Record<string, QueryValue>>

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
