import { Migration } from "tsdevlake"
import { BenchConnection, BenchScope, BenchScopeConfig, BenchUser } from "./models.js"

// pydevlake's benchmark plugin declares no migration, so DevLake could not create its tables; this one does. The
// tables are in the plugin's folder: Plugin.make (here through define) binds the scripts to it.
export const migrations = [
  Migration.script({
    version: 20261127000001,
    name: "init schemas",
    operations: [BenchConnection, BenchScope, BenchScopeConfig, BenchUser].map((model) => Migration.createTable(model))
  })
]
