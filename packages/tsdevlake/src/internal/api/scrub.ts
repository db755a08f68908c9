/**
 * Keeping secrets out of everything a client shows (raw records' URLs, logs, spans, errors): secret query
 * parameters stripped from URLs, known secret values masked in any text, and bodies cut to a short excerpt.
 * Its own module because every step of a request that produces text goes through it.
 *
 * @internal
 */
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

/**
 * The start of a body on one line, at most `max` characters: enough for an error to say what the server
 * answered without copying a page of HTML into a log.
 * @internal
 */
export const excerpt = (text: string, max = 200): string => {
  const flat = text.slice(0, max * 4).replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
