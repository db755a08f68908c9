import { createRequire } from "node:module"

/**
 * better-sqlite3, for the connections tsdevlake opens beside `@effect/sql`'s (the writer thread, the stream
 * reader). Loaded with `require` rather than `import()`: the plugin bundle runs as a `vm.Script` (for its
 * code cache), where a dynamic import of an external module has no loader.
 */

const requireHere = (): NodeJS.Require => {
  // In the ESM sources `import.meta.url` is set; the plugin bundle is CommonJS, where `require` is.
  const url = (import.meta as { url?: string }).url
  return url === undefined ? require : createRequire(url)
}

/** Where this process loads better-sqlite3 from, so that a thread loads the same copy. @internal */
export const driverPath = (): string => requireHere().resolve("better-sqlite3")

/** @internal */
export const loadDriver = (): typeof import("better-sqlite3") => requireHere()("better-sqlite3")
