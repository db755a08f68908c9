// `npm run build`: `--packages` emits the framework's packages (dist/: JavaScript, declarations, maps) while every
// plugin of this repository (plugins/*, the bench plugin) is built with the one builder, `tsdevlake build`'s
// (packages/cli/src/builder/builder.mjs, which says what a build makes and why).
// `node scripts/build.mjs [--packages] [plugin dir…]` builds only the given plugins (tests and docs/myplugin build
// their own; `npm install`'s prepare, the plugin `npm start` runs, which bundles the packages' sources: a project
// made with `tsdevlake new` on this checkout emits their dist/ when it needs it,
// packages/cli/src/new/checkoutBuild.ts).
// `--if-stale` leaves a plugin alone when its build is newer than everything that goes into it (`npm start`,
// right after `npm install` built it, saves its seconds of rebuilding).
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { buildPlugins } from "../packages/cli/src/builder/builder.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const args = process.argv.slice(2)
const ifStale = args.includes("--if-stale")
const withPackages = args.includes("--packages")
const requested = args.filter((arg) => !arg.startsWith("--")).map((dir) => path.resolve(dir))
const pluginDirs = (requested.length > 0 ? requested : [
  ...fs.readdirSync(path.join(root, "plugins")).map((d) => path.join(root, "plugins", d)),
  path.join(root, "bench", "benchplugin")
]).filter((dir) => fs.existsSync(path.join(dir, "src", "main.ts")))

/** The newest modification time under `file` (a file or a folder), build outputs and dependencies left out. */
const newest = (file) => {
  const stats = fs.statSync(file, { throwIfNoEntry: false })
  if (stats === undefined) return 0
  if (!stats.isDirectory()) return stats.mtimeMs
  return fs.readdirSync(file)
    .filter((name) => name !== "node_modules" && name !== "dist" && name !== ".tsdevlake")
    .reduce((latest, name) => Math.max(latest, newest(path.join(file, name))), stats.mtimeMs)
}

// What a plugin's bundle is made of: its own sources and package.json, the framework's sources (a checkout bundles
// them, `@tsdevlake/source`), the builder, and the installed dependencies (the lock file changes with them).
const inputsOf = (dir) => [
  path.join(dir, "src"),
  path.join(dir, "package.json"),
  path.join(root, "packages", "tsdevlake", "src"),
  path.join(root, "packages", "tsdevlake", "package.json"),
  path.join(root, "packages", "cli", "src", "builder"),
  path.join(root, "package-lock.json")
]

// dist/run is written last, once the rest of the build is in place.
const isFresh = (dir) => {
  const built = fs.statSync(path.join(dir, "dist", "run"), { throwIfNoEntry: false })
  return built !== undefined && inputsOf(dir).every((input) => newest(input) < built.mtimeMs)
}

// The packages' emit runs beside the plugin builds, which bundle the framework from its sources and never read
// dist/: on two cores `npm install` waits for the longer of the two instead of their sum. `--noCheck` because
// `npm run check` type-checks every source of the repository (the packages' included) in one program: checking
// here too would only double the slowest step of `npm install && npm start`.
const emitPackages = () =>
  new Promise((resolve) => {
    const tsc = spawn(process.execPath, [
      path.join(root, "node_modules/typescript/bin/tsc"),
      "-b",
      "--noCheck",
      // The one list of the packages, which `tsdevlake new` on a checkout builds too.
      path.join(root, "tsconfig.packages.json")
    ], { stdio: "inherit" })
    tsc.on("error", (error) => resolve(`tsc: ${error.message}`))
    tsc.on("exit", (code, signal) => resolve(code === 0 ? undefined : `tsc -b ended with ${signal ?? `exit ${code}`}`))
  })

const toBuild = ifStale ? pluginDirs.filter((dir) => !isFresh(dir)) : pluginDirs
const started = Date.now()
const packages = withPackages ? emitPackages() : Promise.resolve(undefined)
const failures = await buildPlugins(toBuild, {
  warn: (dir, message) => console.warn(`${path.relative(root, dir)}: ${message}`)
})
for (const { dir, reason } of failures) console.error(`build failed: ${path.relative(root, dir)}: ${reason}`)
const packagesFailure = await packages
if (packagesFailure !== undefined) console.error(`build failed: packages: ${packagesFailure}`)
if (failures.length > 0 || packagesFailure !== undefined) process.exit(1)
const names = (dirs) => dirs.map((d) => path.relative(root, d)).join(", ")
if (toBuild.length > 0) console.log(`built ${names(toBuild)} in ${Date.now() - started} ms`)
if (toBuild.length < pluginDirs.length) {
  console.log(`up to date: ${names(pluginDirs.filter((dir) => !toBuild.includes(dir)))}`)
}
