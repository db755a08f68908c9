// Builds every plugin's prebuilt entry (`<plugin>/dist/main.js`) with esbuild, so that run.sh starts plain
// `node` on JavaScript: no compile step, and one bundled file loads far faster than hundreds of modules.
// Database drivers stay external: they are loaded lazily, only by subtasks that touch a database.
import { build } from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
// `node scripts/build.mjs [plugin dir…]` builds only the given plugins (tests rebuild their own plugin).
const requested = process.argv.slice(2).map((dir) => path.resolve(dir))
const pluginDirs = (requested.length > 0 ? requested : [
  ...fs.readdirSync(path.join(root, "plugins")).map((d) => path.join(root, "plugins", d)),
  path.join(root, "bench", "benchplugin")
]).filter((dir) => fs.existsSync(path.join(dir, "src", "main.ts")))

const started = Date.now()
await Promise.all(pluginDirs.map((dir) =>
  build({
    entryPoints: [path.join(dir, "src", "main.ts")],
    outdir: path.join(dir, "dist"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
    external: ["better-sqlite3", "mysql2", "pg", "pg-native"],
    // Bundled CommonJS dependencies call require(); give ESM output one.
    banner: { js: "import { createRequire as __tsdevlakeRequire } from \"node:module\"; const require = __tsdevlakeRequire(import.meta.url);" }
  })
))
console.log(`built ${pluginDirs.map((d) => path.relative(root, d)).join(", ")} in ${Date.now() - started} ms`)
