import { fixture, tsdevlake } from "./bin.js"

// The tests that run a built plugin share one build of the fixture, made here by `tsdevlake build` itself.
export default function setup() {
  const build = tsdevlake(["build", fixture])
  if (build.status !== 0) throw new Error(`tsdevlake build ${fixture} failed: ${build.stderr}`)
}
