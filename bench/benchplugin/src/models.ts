import { Schema } from "effect"
import { Model } from "tsdevlake"

/**
 * `endpoint` is the base URL of one dataset of the mock API (`http://127.0.0.1:PORT/datasets/10000`);
 * `maxRequests` bounds the requests of one collect, so a paginator that never ends cannot run forever.
 */
export class BenchConnection extends Model.Connection<BenchConnection>("BenchConnection")({
  endpoint: Schema.String,
  maxRequests: Schema.optionalWith(Schema.Int, { default: () => 20000 })
}) {}

export class BenchScope extends Model.ToolScope<BenchScope>("BenchScope")({}) {}

export class BenchScopeConfig extends Model.ScopeConfig<BenchScopeConfig>("BenchScopeConfig")({}) {}

/** A user of the mock API; the profile fields are read by JSON pointer by the default extractor. */
export class BenchUser extends Model.ToolModel<BenchUser>("BenchUser")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  login: Schema.String,
  name: Schema.String,
  email: Schema.String,
  avatarUrl: Schema.String,
  joinedAt: Model.DateTime,
  active: Schema.Boolean,
  title: Schema.String.pipe(Model.source("/profile/title")),
  department: Schema.String.pipe(Model.source("/profile/department")),
  city: Schema.String.pipe(Model.source("/profile/location/city")),
  country: Schema.String.pipe(Model.source("/profile/location/country"))
}) {}
