/**
 * The migration scripts of Azure Boards, after the plugin's own: its tool tables, and its scope config columns
 * (added unless there: a database made by this plugin's first script already has them, one made by the Python
 * plugin's has not).
 */
import { Migration } from "tsdevlake"
import { GitRepositoryConfig } from "../models.js"
import { Iteration, WorkItem, WorkItemUpdate } from "./models.js"

/** Every Boards script, in version order. */
export const boardsMigrations = [
  Migration.script({
    version: 20261207100001,
    name: "add Azure Boards: work items, their updates, iterations, and the scope config's Boards fields",
    operations: [
      Migration.createTable(WorkItem),
      Migration.createTable(WorkItemUpdate),
      Migration.createTable(Iteration),
      Migration.addColumn(GitRepositoryConfig, "issue_type_mapping", "json"),
      Migration.addColumn(GitRepositoryConfig, "state_mapping", "json"),
      Migration.addColumn(GitRepositoryConfig, "incident_types", "json"),
      Migration.addColumn(GitRepositoryConfig, "incident_tags", "json"),
      Migration.addColumn(GitRepositoryConfig, "incident_priority_pattern", "text"),
      Migration.addColumn(GitRepositoryConfig, "incident_severity_pattern", "text")
    ]
  }),
  // A no-op on a database the first script ran on since these fields were added to the models.
  Migration.script({
    version: 20261207100002,
    name: "add the categories of work items' states",
    operations: [
      Migration.addColumn(WorkItem, "state_category", "text"),
      Migration.addColumn(WorkItemUpdate, "old_state_category", "text"),
      Migration.addColumn(WorkItemUpdate, "new_state_category", "text")
    ]
  })
]
