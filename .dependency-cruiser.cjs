// The dependency check (`npm run deps`, part of `npm test`): value imports only. Type-only imports are not
// dependencies at run time and are free, as in Effect's `.madgerc`: `tsPreCompilationDeps: false` makes
// dependency-cruiser read each module as TypeScript emits it, where `import type` and imports used only as
// types are gone.
//
// The arrows between the framework's internal concerns come from the "Allowed arrows" table of
// ARCHITECTURE.md (read at load time by scripts/architecture.cjs), so the page and the check cannot drift.
// Paths are relative to the working directory, the repository root under `npm run deps`; ARCHITECTURE.md is
// read from there too (the architecture test runs this configuration on a fixture tree of its own).
"use strict"
const fs = require("node:fs")
const path = require("node:path")
const { readAllowedArrows } = require("./scripts/architecture.cjs")

const src = "^packages/tsdevlake/src/"
const internal = `${src}internal/`
const architecture = fs.existsSync(path.resolve("ARCHITECTURE.md"))
  ? path.resolve("ARCHITECTURE.md")
  : path.join(__dirname, "ARCHITECTURE.md")
const arrows = readAllowedArrows(architecture)

const concernRules = [...arrows].map(([concern, allowed]) => ({
  name: `concern-${concern}`,
  comment: `internal/${concern}/ may import the values of ${
    allowed.length === 0 ? "no other concern" : allowed.map((c) => `${c}/`).join(", ")
  } (ARCHITECTURE.md, "Allowed arrows")`,
  severity: "error",
  from: { path: `${internal}${concern}/` },
  to: {
    path: `${internal}[^/]+/`,
    pathNot: `${internal}(${[concern, ...allowed].join("|")})/`
  }
}))

// The author's modules and the runtime's (see ARCHITECTURE.md).
const authorModules = `${src}((Model|DataStream|Plugin|Migration|Api|Paginator|index)\\.ts$|Domain/)`
const runtimeModules =
  `${src}((Cli|Db|Invoker|Ipc|Message|MigrationRunner|ModelInfo|State|Subtask|runtime)\\.ts$|internal/(runtime|subtask|db|migration)/)`

/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A cycle of value imports: modules that cannot be understood, initialised or tested one at a time",
      severity: "error",
      from: { path: "^(packages|plugins|bench|docs)/" },
      to: { circular: true }
    },
    ...concernRules,
    {
      name: "internal-imports-no-public-value",
      comment: "internal/ is what the public modules re-export; it never imports their values",
      severity: "error",
      from: { path: internal },
      to: { path: `${src}([^/]+\\.ts$|Domain/)` }
    },
    {
      name: "author-imports-no-runtime-value",
      comment: "The author's modules (tsdevlake) never load the runtime's (tsdevlake/runtime)",
      severity: "error",
      from: { path: authorModules, pathNot: `${src}Plugin\\.ts$` },
      to: { path: runtimeModules }
    },
    {
      name: "author-imports-no-runtime-value",
      comment: "The one bridge: `Plugin.main` (a plugin's src/main.ts) is `Cli.main`; nothing else of the runtime",
      severity: "error",
      from: { path: `${src}Plugin\\.ts$` },
      to: { path: runtimeModules, pathNot: `${src}Cli\\.ts$` }
    },
    {
      name: "plugins-use-the-package-name",
      comment:
        "Plugins, the guide's plugin (docs/), the benchmark, the test kit (packages/testing) and the command (packages/cli) import the framework as `tsdevlake` or "
        + "`tsdevlake/runtime`, never by a relative path into packages/tsdevlake; test helpers come from the kit, "
        + "`@tsdevlake/testing` (the one exception: the cli's tests pack and install the framework offline as its "
        + "pack test does, with its helper)",
      severity: "error",
      from: { path: "^(plugins|bench|docs|packages/testing|packages/cli)/" },
      to: {
        path: "^packages/tsdevlake/(src|test)/",
        pathNot: "^packages/tsdevlake/test/scripts/offlineInstall\\.ts$",
        dependencyTypes: ["local"],
        dependencyTypesNot: ["aliased-workspace"]
      }
    }
  ],
  options: {
    includeOnly: "^(packages|plugins|bench|docs|scripts)/",
    exclude: { path: "(^|/)(node_modules|dist|build)/" },
    doNotFollow: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: false,
    combinedDependencies: false,
    preserveSymlinks: false,
    moduleSystems: ["es6", "cjs"],
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@tsdevlake/source", "import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".d.ts", ".d.mts", ".json"],
      mainFields: ["module", "main", "types"]
    },
    reporterOptions: {
      text: { highlightFocused: true }
    }
  }
}
