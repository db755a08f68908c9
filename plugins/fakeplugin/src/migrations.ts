import { Migration } from "tsdevlake"
import { FakeConnection, FakePipeline, FakeProject, FakeScopeConfig } from "./models.js"

const folder = "fakeplugin"
const table = (model: Parameters<typeof Migration.createTable>[0]) =>
  Migration.createTable(model, { pluginFolder: folder })

export const migrations = [
  Migration.script({
    version: 20230530000001,
    name: "init schemas",
    operations: [table(FakeConnection), table(FakePipeline), table(FakeProject), table(FakeScopeConfig)]
  }),
  // The upstream test migration: one statement per dialect (MySQL accepts the double-quoted literal).
  Migration.script({
    version: 20230630000001,
    name: "populated _raw_data_table column for fakeproject",
    operations: [
      Migration.execute(
        `UPDATE _tool_fakeplugin_fakeprojects SET _raw_data_table = "_raw_fakeproject_scopes" WHERE 1=1`,
        {
          dialect: "mysql"
        }
      ),
      Migration.execute(
        `UPDATE _tool_fakeplugin_fakeprojects SET _raw_data_table = '_raw_fakeproject_scopes' WHERE 1=1`,
        {
          dialect: "postgres"
        }
      )
    ]
  })
]
