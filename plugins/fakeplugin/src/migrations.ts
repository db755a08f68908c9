import { Migration } from "tsdevlake"
import { FakeConnection, FakePipeline, FakeProject, FakeScopeConfig } from "./models.js"

// Tables in the plugin's folder: Plugin.make (here through define) binds the scripts to it.
export const migrations = [
  Migration.script({
    version: 20230530000001,
    name: "init schemas",
    operations: [FakeConnection, FakePipeline, FakeProject, FakeScopeConfig].map((m) => Migration.createTable(m))
  }),
  // The upstream test migration: one statement per dialect (MySQL accepts the double-quoted literal).
  Migration.script({
    version: 20230630000001,
    name: "populated _raw_data_table column for fakeproject",
    operations: [
      Migration.execute((t) => `UPDATE ${t(FakeProject)} SET _raw_data_table = "_raw_fakeproject_scopes" WHERE 1=1`, {
        dialect: "mysql"
      }),
      Migration.execute((t) => `UPDATE ${t(FakeProject)} SET _raw_data_table = '_raw_fakeproject_scopes' WHERE 1=1`, {
        dialect: "postgres"
      })
    ]
  })
]
