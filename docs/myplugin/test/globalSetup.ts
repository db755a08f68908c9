import { execFileSync } from "node:child_process"
import * as path from "node:path"

// The standalone test runs run.sh, which runs the prebuilt bundle: build it from the current sources.
export default function setup() {
  const root = path.resolve(import.meta.dirname, "../../..")
  execFileSync(process.execPath, [path.join(root, "scripts/build.mjs"), path.resolve(import.meta.dirname, "..")], {
    stdio: "inherit"
  })
}
