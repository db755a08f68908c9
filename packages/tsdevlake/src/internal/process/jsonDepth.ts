/**
 * A bound on the nesting of the JSON the process reads (its arguments, API bodies, raw records). `JSON.parse`
 * itself parses any depth, but what walks the value afterwards recurses (Schema's messages, formatting, an
 * extractor): 5,000 levels end in `Maximum call stack size exceeded`, naming neither the argument nor the request.
 * A scan over the text before parsing turns that into an error that names them.
 *
 * @internal
 */

/**
 * The deepest nesting accepted: 512 arrays or objects inside one another. Real arguments and API bodies stay
 * under a few dozen; Python's `json` (pydevlake) stops near 1,000 on its recursion limit.
 *
 * @internal
 */
export const maxJsonDepth = 512

/**
 * Whether the JSON text nests more than `max` arrays or objects inside one another. Brackets inside strings do
 * not count. It does not validate the text: whatever it is, `JSON.parse` decides whether it is JSON.
 *
 * A text of at most `max` opening brackets is decided by counting them (with `indexOf`, about a tenth of the
 * scan's cost); any other costs one pass over the characters, strings skipped with `indexOf`.
 *
 * @internal
 */
export const exceedsJsonDepth = (text: string, max: number = maxJsonDepth): boolean => {
  // No text shorter than the brackets it would need can be too deep.
  if (text.length <= max) return false
  // Nor one with no more opening brackets than `max`, strings' included: counting them with `indexOf` (a
  // memchr) costs a few percent of the scan below, which steps through every string of a page.
  if (!moreOpenersThan(text, max)) return false
  let depth = 0
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      i = stringEnd(text, i)
      if (i < 0) return false
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) {
      depth--
    }
  }
  return false
}

/** Whether the text holds more than `max` opening brackets (`[` and `{`, anywhere): stops at the first too many. */
const moreOpenersThan = (text: string, max: number): boolean => {
  let count = 0
  for (let i = text.indexOf("{"); i >= 0; i = text.indexOf("{", i + 1)) if (++count > max) return true
  for (let i = text.indexOf("["); i >= 0; i = text.indexOf("[", i + 1)) if (++count > max) return true
  return false
}

/** The index of the quote closing the string that opens at `open`, or -1 when it is not closed. */
const stringEnd = (text: string, open: number): number => {
  let quote = open
  for (;;) {
    quote = text.indexOf("\"", quote + 1)
    if (quote < 0) return -1
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++
    if (backslashes % 2 === 0) return quote
  }
}

/**
 * The one-line reason a text is refused, for errors that name what it was (an argument, a request, a record).
 *
 * @internal
 */
export const tooDeepDetail = `JSON nested deeper than ${maxJsonDepth} levels`
