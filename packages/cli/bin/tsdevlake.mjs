#!/usr/bin/env node
// The `tsdevlake` bin. The package ships TypeScript sources (as tsdevlake itself does for now), so the bin
// runs them through tsx, a dependency of this package: it works in this repository and in a plugin project that
// installs @tsdevlake/cli. A published package would ship a bundle instead (issue 12, "an installable framework").
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")
