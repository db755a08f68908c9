// --- connection ---
import { Schema } from "effect"
import { Model } from "tsdevlake"

export class MyConnection extends Model.Connection<MyConnection>("MyConnection")({
  url: Schema.String,
  token: Model.Secret
}) {}

// --- scope ---
export class MyProject extends Model.ToolScope<MyProject>("MyProject")({
  url: Schema.String
}) {}

const statuses = (...names: Array<string>) =>
  Schema.optionalWith(Schema.Array(Schema.String), { default: () => names }).pipe(Model.required)

/** Which of the API's statuses are DevLake's TODO, IN_PROGRESS and DONE; every field has a default. */
export class MyScopeConfig extends Model.ScopeConfig<MyScopeConfig>("MyScopeConfig")({
  todoStatuses: statuses("To Do", "Open"),
  inProgressStatuses: statuses("In Progress"),
  doneStatuses: statuses("Done", "Closed")
}) {}

// --- tool models ---
/** An issue as the API sends it: `{ key, fields: { summary, status: { name }, … } }`. */
export class Issue extends Model.ToolModel<Issue>("Issue")({
  key: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  title: Schema.String.pipe(Model.source("/fields/summary")),
  status: Schema.String.pipe(Model.source("/fields/status/name")),
  assignee: Schema.optional(Schema.NullOr(Schema.String)).pipe(Model.source("/fields/assignee/displayName")),
  created: Model.DateTime.pipe(Model.source("/fields/created")),
  resolved: Schema.optional(Schema.NullOr(Model.DateTime)).pipe(Model.source("/fields/resolutiondate"))
}) {}

export class Comment extends Model.ToolModel<Comment>("Comment")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  issueKey: Schema.String.pipe(Model.maxLength(255)),
  author: Schema.String,
  body: Schema.String,
  updated: Model.DateTime
}) {}
// --- end ---
