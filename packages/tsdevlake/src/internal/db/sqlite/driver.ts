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

/**
 * node:worker_threads, loaded when the first thread starts rather than with the module: in a process
 * started from a V8 startup snapshot (scripts/build.mjs), a `Worker` class loaded at snapshot build time
 * starts threads that fail at once (node 20: "undefined is not an integer typed array").
 *
 * @internal
 */
export const loadWorkerThreads = (): typeof import("node:worker_threads") => requireHere()("node:worker_threads")
