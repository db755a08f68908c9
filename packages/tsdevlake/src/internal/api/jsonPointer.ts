/**
 * JSON pointers (RFC 6901) for paginators. A location that does not start with "/" is read as a
 * single property name (`"results"` ≡ `"/results"`), which is what pydevlake's `items_attr` meant.
 * @internal
 */
export const tokens = (location: string): Array<string> => {
  if (location === "") return []
  if (!location.startsWith("/")) return [location]
  return location.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
}

/** @internal */
export const get = (doc: unknown, location: string): unknown => {
  let current: unknown = doc
  for (const token of tokens(location)) {
    if (current === null || typeof current !== "object") return undefined
    current = Array.isArray(current) ? current[Number(token)] : (current as Record<string, unknown>)[token]
  }
  return current
}

/** Returns a copy of `doc` with `value` at `location`, creating objects on the way. @internal */
export const set = (doc: unknown, location: string, value: unknown): unknown => {
  const path = tokens(location)
  const go = (node: unknown, i: number): unknown => {
    if (i === path.length) return value
    const key = path[i]!
    if (Array.isArray(node)) {
      const copy = [...node]
      copy[Number(key)] = go(node[Number(key)], i + 1)
      return copy
    }
    const obj = node !== null && typeof node === "object" ? node as Record<string, unknown> : {}
    return { ...obj, [key]: go(obj[key], i + 1) }
  }
  return go(doc, 0)
}
