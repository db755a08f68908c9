/**
 * The messages a plugin sends the Go server on file descriptor 3, with the exact JSON keys Go decodes
 * (`backend/server/services/remote/models/models.go`): the schemas `Message` re-exports, here so that the
 * plugin's operations (and the runtime) use them without importing a public module's values.
 *
 * @internal
 */
import { Schema } from "effect"
import * as modelInfo from "../model/modelInfo.js"

/**
 * A table the Go server knows: the json_schema it turns into a Go struct, and its name (the schema of
 * `ModelInfo.DynamicModelInfo`).
 *
 * @internal
 */
export const DynamicModelInfo = modelInfo.DynamicModelInfo

/** @internal */
export type DynamicModelInfo = modelInfo.DynamicModelInfo

/** @internal */
export const SubtaskMeta = Schema.Struct({
  name: Schema.String,
  entry_point_name: Schema.String,
  arguments: Schema.Array(Schema.String),
  required: Schema.Boolean,
  enabled_by_default: Schema.Boolean,
  description: Schema.String,
  domain_types: Schema.Array(Schema.String)
})

/** @internal */
export type SubtaskMeta = typeof SubtaskMeta.Type

/**
 * Reply to `plugin-info`.
 *
 * @internal
 */
export const PluginInfo = Schema.Struct({
  name: Schema.String,
  description: Schema.String,
  plugin_path: Schema.String,
  extension: Schema.Literal("datasource"),
  connection_model_info: DynamicModelInfo,
  scope_model_info: DynamicModelInfo,
  scope_config_model_info: DynamicModelInfo,
  tool_model_infos: Schema.Array(DynamicModelInfo),
  subtask_metas: Schema.Array(SubtaskMeta),
  migration_scripts: Schema.Array(Schema.Unknown)
})

/** @internal */
export type PluginInfo = typeof PluginInfo.Type

/**
 * Reply to `test-connection`. A failed test is a reply with `success: false` (and exit code 0), so that
 * DevLake shows `message` with the HTTP `status`.
 *
 * @internal
 */
export const TestConnectionResult = Schema.Struct({
  success: Schema.Boolean,
  message: Schema.String,
  status: Schema.Int
})

/** @internal */
export type TestConnectionResult = typeof TestConnectionResult.Type

/**
 * One task of a pipeline plan. Go needs `options.connectionId` to be a number and `options.scopeId` a string.
 *
 * @internal
 */
export const PipelineTask = Schema.Struct({
  plugin: Schema.String,
  skipOnFail: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  subtasks: Schema.Array(Schema.String),
  options: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})

/** @internal */
export type PipelineTask = typeof PipelineTask.Encoded

/**
 * A domain scope Go stores (`repos`, `cicd_scopes`, `boards`, `cq_projects`); `data` is a JSON document
 * encoded as a string.
 *
 * @internal
 */
export const DynamicDomainScope = Schema.Struct({
  type_name: Schema.Literal("Repo", "CicdScope", "Board", "CqProject"),
  data: Schema.String
})

/** @internal */
export type DynamicDomainScope = typeof DynamicDomainScope.Type

/**
 * Reply to `make-pipeline`: stages of parallel tasks, and the domain scopes.
 *
 * @internal
 */
export const PipelineData = Schema.Struct({
  plan: Schema.Array(Schema.Array(PipelineTask)),
  scopes: Schema.Array(DynamicDomainScope)
})

/** @internal */
export type PipelineData = typeof PipelineData.Encoded

/**
 * A node of the remote scope tree, one per line of `remote-scopes`: a group (`type: "group"`) or a scope
 * (`type: "scope"`, with its parent group and the tool scope as `data`).
 *
 * @internal
 */
export const RemoteScopeNode = Schema.Union(
  Schema.Struct({ type: Schema.Literal("group"), id: Schema.String, name: Schema.String }),
  Schema.Struct({
    type: Schema.Literal("scope"),
    id: Schema.String,
    name: Schema.String,
    parentId: Schema.String,
    data: Schema.Record({ key: Schema.String, value: Schema.Unknown })
  })
)

/** @internal */
export type RemoteScopeNode = typeof RemoteScopeNode.Type

/**
 * Subtask progress: Go sets the progress when `total` is non-zero, else adds `increment`.
 *
 * @internal
 */
export const RemoteProgress = Schema.Struct({
  current: Schema.Int,
  total: Schema.Int,
  increment: Schema.Int
})

/** @internal */
export type RemoteProgress = typeof RemoteProgress.Type
