/**
 * JSON text exactly as Go's `encoding/json.Marshal` writes it, for the values whose bytes the Go server
 * compares with ours (`_raw_data_params` / raw `params`: Go deletes a scope's rows with
 * `WHERE _raw_data_params = <json.Marshal(ApiParams)>`).
 *
 * @internal
 */

/**
 * A JSON value `goJsonStringify` accepts: what `JSON.parse` returns, plus `bigint` for integers beyond 2^53.
 *
 * @internal
 */
export type GoJsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | ReadonlyArray<GoJsonValue>
  | { readonly [key: string]: GoJsonValue | undefined }

/**
 * Options of {@link goJsonStringify}.
 *
 * @internal
 */
export interface GoJsonOptions {
  /**
   * Sort object keys by their UTF-8 bytes, as Go does for `map[string]any`; by default keys keep their
   * order, as Go does for struct fields.
   */
  readonly sortKeys?: boolean
  /**
   * Write `\b` and `\f` as short escapes (Go 1.22 and later). DevLake's images are built with Go 1.20,
   * which writes `\u0008` and `\u000c`, so this is off by default.
   */
  readonly go122?: boolean
}

const hex = "0123456789abcdef"

const unicodeEscape = (code: number): string =>
  "\\u" + hex[(code >> 12) & 0xf] + hex[(code >> 8) & 0xf] + hex[(code >> 4) & 0xf] + hex[code & 0xf]

/**
 * A JSON string literal as Go's `encodeState.string` with `escapeHTML` writes it: `<`, `>`, `&`, U+2028
 * and U+2029 escaped, non-ASCII kept as is, control characters as `\u00XX` except `\n`, `\r`, `\t`.
 * A lone UTF-16 surrogate (the closest a JS string gets to Go's invalid UTF-8) becomes `\ufffd`.
 *
 * @internal
 */
export const goJsonQuote = (s: string, options: GoJsonOptions = {}): string => {
  let out = "\""
  let start = 0
  const flush = (i: number) => {
    if (start < i) out += s.slice(start, i)
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let escaped: string | undefined
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) continue
      switch (c) {
        case 0x22:
          escaped = "\\\""
          break
        case 0x5c:
          escaped = "\\\\"
          break
        case 0x0a:
          escaped = "\\n"
          break
        case 0x0d:
          escaped = "\\r"
          break
        case 0x09:
          escaped = "\\t"
          break
        case 0x08:
          escaped = options.go122 ? "\\b" : unicodeEscape(c)
          break
        case 0x0c:
          escaped = options.go122 ? "\\f" : unicodeEscape(c)
          break
        default:
          escaped = unicodeEscape(c)
      }
    } else if (c === 0x2028 || c === 0x2029) {
      escaped = unicodeEscape(c)
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      escaped = "\\ufffd"
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      escaped = "\\ufffd"
    } else {
      continue
    }
    flush(i)
    out += escaped
    start = i + 1
  }
  flush(s.length)
  return out + "\""
}

/**
 * A float64 as Go's `floatEncoder` writes it: the shortest round-trip digits, in `%f` style unless the
 * magnitude is below 1e-6 or at least 1e21, then `%e` with a one-digit negative exponent cleaned up
 * (`1e-07` → `1e-7`). JavaScript's `Number#toString` has the same digits and the same thresholds
 * (ECMA-262 Number::toString uses exponent form exactly when the decimal exponent is ≥ 21 or ≤ -7), so
 * only negative zero (`-0` in Go) differs.
 *
 * @internal
 */
export const goJsonNumber = (n: number): string => {
  if (!Number.isFinite(n)) throw new TypeError(`json: unsupported value: ${n} (Go's json.Marshal rejects it)`)
  if (Object.is(n, -0)) return "-0"
  return String(n)
}

const utf8Compare = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * `JSON.stringify` with the bytes Go's `json.Marshal` produces: no spaces, HTML-safe string escaping,
 * Go's float formatting. Object properties whose value is `undefined` are left out (Go has no such
 * value); anything that is not plain JSON (functions, symbols, `Date`, class instances, `NaN`, `Infinity`)
 * throws a `TypeError` instead of being silently converted.
 *
 * @example
 * goJsonStringify({ ConnectionId: 1, ScopeId: "<a&b>" }) // {"ConnectionId":1,"ScopeId":"\u003ca\u0026b\u003e"}
 *
 * @internal
 */
export const goJsonStringify = (value: GoJsonValue, options: GoJsonOptions = {}): string => {
  const seen = new Set<object>()
  const write = (v: unknown, path: string): string => {
    switch (typeof v) {
      case "string":
        return goJsonQuote(v, options)
      case "number":
        return goJsonNumber(v)
      case "bigint":
        return v.toString()
      case "boolean":
        return v ? "true" : "false"
      case "object": {
        if (v === null) return "null"
        if (seen.has(v)) throw new TypeError(`json: unsupported value: cycle at ${path}`)
        seen.add(v)
        let out: string
        if (Array.isArray(v)) {
          out = "[" + v.map((item, i) => item === undefined ? "null" : write(item, `${path}[${i}]`)).join(",") + "]"
        } else if (isPlainObject(v)) {
          const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          if (options.sortKeys) keys.sort(utf8Compare)
          out = "{" +
            keys.map((k) => goJsonQuote(k, options) + ":" + write((v as Record<string, unknown>)[k], `${path}.${k}`))
              .join(",") +
            "}"
        } else {
          throw new TypeError(
            `json: unsupported value at ${path}: ${Object.prototype.toString.call(v)} is not plain JSON`
          )
        }
        seen.delete(v)
        return out
      }
      default:
        throw new TypeError(`json: unsupported value at ${path}: ${typeof v}`)
    }
  }
  return write(value, "$")
}
