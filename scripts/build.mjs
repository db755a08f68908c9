// `npm run build`: builds every plugin of this repository (plugins/*, the bench plugin) with the one builder,
// `tsdevlake build`'s (packages/cli/src/builder/builder.mjs, which says what a build makes and why).
// `node scripts/build.mjs [plugin dir…]` builds only the given plugins (tests and docs/myplugin build their own).
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { buildPlugins } from "../packages/cli/src/builder/builder.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const requested = process.argv.slice(2).map((dir) => path.resolve(dir))
const pluginDirs = (requested.length > 0 ? requested : [
  ...fs.readdirSync(path.join(root, "plugins")).map((d) => path.join(root, "plugins", d)),
  path.join(root, "bench", "benchplugin")
]).filter((dir) => fs.existsSync(path.join(dir, "src", "main.ts")))

const started = Date.now()
const failures = await buildPlugins(pluginDirs, {
  warn: (dir, message) => console.warn(`${path.relative(root, dir)}: ${message}`)
})
for (const { dir, reason } of failures) console.error(`build failed: ${path.relative(root, dir)}: ${reason}`)
if (failures.length > 0) process.exit(1)
console.log(`built ${pluginDirs.map((d) => path.relative(root, d)).join(", ")} in ${Date.now() - started} ms`)
