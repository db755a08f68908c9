#!/usr/bin/env node
// `npm create tsdevlake <name> [-- options]` runs this bin with `<name> [options]`: it is `tsdevlake new` with
// the same arguments, through the bin of the @tsdevlake/cli this package depends on, and exits as that does.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

const manifest = createRequire(import.meta.url).resolve("@tsdevlake/cli/package.json")
const { bin } = JSON.parse(fs.readFileSync(manifest, "utf8"))
const cli = path.join(path.dirname(manifest), bin.tsdevlake)
const result = spawnSync(process.execPath, [cli, "new", ...process.argv.slice(2)], { stdio: "inherit" })
if (result.error !== undefined) {
  console.error(`create-tsdevlake: cannot run ${cli}: ${result.error.message}`)
  process.exit(1)
}
process.exit(result.status ?? 1)
