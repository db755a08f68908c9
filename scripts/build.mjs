// `npm run build`: builds every plugin of this repository (plugins/*, the bench plugin) with the one builder,
// `tsdevlake build`'s (packages/cli/src/builder/builder.mjs, which says what a build makes and why).
// `node scripts/build.mjs [plugin dir…]` builds only the given plugins (tests and docs/myplugin build their own).
// `--if-stale` leaves a plugin alone when its build is newer than everything that goes into it (`npm start`,
// right after `npm install` built everything, saves its ten seconds of rebuilding).
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { buildPlugins } from "../packages/cli/src/builder/builder.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const args = process.argv.slice(2)
const ifStale = args.includes("--if-stale")
const requested = args.filter((arg) => arg !== "--if-stale").map((dir) => path.resolve(dir))
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

const toBuild = ifStale ? pluginDirs.filter((dir) => !isFresh(dir)) : pluginDirs
const started = Date.now()
const failures = await buildPlugins(toBuild, {
  warn: (dir, message) => console.warn(`${path.relative(root, dir)}: ${message}`)
})
for (const { dir, reason } of failures) console.error(`build failed: ${path.relative(root, dir)}: ${reason}`)
if (failures.length > 0) process.exit(1)
const names = (dirs) => dirs.map((d) => path.relative(root, d)).join(", ")
if (toBuild.length > 0) console.log(`built ${names(toBuild)} in ${Date.now() - started} ms`)
if (toBuild.length < pluginDirs.length) {
  console.log(`up to date: ${names(pluginDirs.filter((dir) => !toBuild.includes(dir)))}`)
}
