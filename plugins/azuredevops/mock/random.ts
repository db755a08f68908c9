/**
 * A small seeded generator (mulberry32): the mock's data must be the same for the same seed on every machine and
 * Node version, which `Math.random` cannot give.
 */
export interface Random {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly hex: (length: number) => string
  /** A lower-case GUID, as Azure DevOps writes its ids. */
  readonly uuid: () => string
  /** A 40-digit commit id. */
  readonly sha: () => string
}

/** A seed given as text (the command line's `--seed`) or a number, hashed to 32 bits. */
export const seedOf = (seed: string | number): number => {
  let hash = 2166136261
  for (const char of String(seed)) {
    hash ^= char.codePointAt(0)!
    hash = Math.imul(hash, 16777619)
  }
  return hash >>> 0
}

export const makeRandom = (seed: string | number): Random => {
  let state = seedOf(seed)
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const hex = (length: number) => {
    let out = ""
    while (out.length < length) out += Math.floor(next() * 16).toString(16)
    return out
  }
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
    sha: () => hex(40)
  }
}
