/**
 * A read-only map built on first use, for tables of models whose building is too costly to pay at start-up
 * (`Domain.byTable` reads every domain model's table name, which builds its schema's AST).
 *
 * @internal
 */

/** A map that calls `build` on its first read and answers every read from that map afterwards. @internal */
export const lazyMap = <K, V>(build: () => ReadonlyMap<K, V>): ReadonlyMap<K, V> => {
  let built: ReadonlyMap<K, V> | undefined
  const map = () => built ??= build()
  return {
    get size() {
      return map().size
    },
    get: (key) => map().get(key),
    has: (key) => map().has(key),
    forEach: (f, thisArg) => map().forEach(f, thisArg),
    entries: () => map().entries(),
    keys: () => map().keys(),
    values: () => map().values(),
    [Symbol.iterator]: () => map()[Symbol.iterator]()
  }
}
