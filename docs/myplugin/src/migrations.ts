// --- migrations ---
import { Migration } from "tsdevlake"
import { Comment, Issue, MyConnection, MyProject, MyScopeConfig } from "./models.js"

export const migrations = [
  Migration.script({
    version: 20261207000001,
    name: "init schemas",
    operations: [MyConnection, MyProject, MyScopeConfig, Issue, Comment].map((model) => Migration.createTable(model))
  })
]
// --- end ---
