import { Migration } from "tsdevlake"
import { BenchConnection, BenchScope, BenchScopeConfig, BenchUser } from "./models.js"

const folder = "benchplugin"
const table = (model: Parameters<typeof Migration.createTable>[0]) =>
  Migration.createTable(model, { pluginFolder: folder })

// pydevlake's benchmark plugin declares no migration, so DevLake could not create its tables; this one does.
export const migrations = [
  Migration.script({
    version: 20261127000001,
    name: "init schemas",
    operations: [table(BenchConnection), table(BenchScope), table(BenchScopeConfig), table(BenchUser)]
  })
]
