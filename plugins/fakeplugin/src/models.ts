import { Schema } from "effect"
import { Model } from "tsdevlake"

export class FakeConnection extends Model.Connection<FakeConnection>("FakeConnection")({
  token: Model.Secret
}) {}

export class FakeProject extends Model.ToolScope<FakeProject>("FakeProject")({
  url: Schema.String
}) {}

/** `env` defaults to "" so that a scope whose config was deleted (DevLake sends `null`) still converts. */
export class FakeScopeConfig extends Model.ScopeConfig<FakeScopeConfig>("FakeScopeConfig")({
  env: Schema.optionalWith(Schema.String, { default: () => "" }).pipe(Model.required)
}) {}

export class FakePipeline extends Model.ToolModel<FakePipeline>("FakePipeline")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  startedAt: Schema.optional(Schema.NullOr(Model.DateTime)),
  finishedAt: Schema.optional(Schema.NullOr(Model.DateTime)),
  state: Schema.Literal("pending", "running", "failure", "success")
}) {}
