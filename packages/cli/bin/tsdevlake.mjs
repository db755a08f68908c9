#!/usr/bin/env node
// The `tsdevlake` bin. The package ships its TypeScript sources and runs them through tsx, a dependency of this
// package: in this repository, and in a plugin project that installs @tsdevlake/cli from npm or a tarball
// (test/new/tarballs.test.ts runs node_modules/.bin/tsdevlake there). The framework it loads is tsdevlake's dist/.
import { register } from "node:module"
import { fileURLToPath } from "node:url"
import { register as registerTsx } from "tsx/esm/api"

// Run from a checkout of this repository (not from a node_modules folder), the framework's packages resolve to
// their TypeScript sources, their `@tsdevlake/source` export condition, as in the repository's tests.
if (!fileURLToPath(import.meta.url).split(/[\\/]/).includes("node_modules")) {
  register(
    "data:text/javascript,export const resolve = (specifier, context, next) => " +
      "next(specifier, { ...context, conditions: [...context.conditions, \"@tsdevlake/source\"] })"
  )
}
registerTsx()
await import("../src/main.ts")
