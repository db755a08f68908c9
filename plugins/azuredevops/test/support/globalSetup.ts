import { execFileSync } from "node:child_process"
import * as path from "node:path"

// The run.sh tests run the prebuilt bundle: rebuild it so that they exercise the current sources.
export default function setup() {
  const plugin = path.resolve(import.meta.dirname, "../..")
  execFileSync(process.execPath, [path.resolve(plugin, "../../scripts/build.mjs"), plugin], { stdio: "inherit" })
}
