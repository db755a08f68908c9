/**
 * The messages a plugin sends the Go server on file descriptor 3, with the exact JSON keys Go decodes
 * (`backend/server/services/remote/models/models.go`). Tests decode replies with these schemas too.
 *
 * @since 0.1.0
 */
import * as internal from "./internal/plugin/messages.js"

/**
 * A table the Go server knows: the json_schema it turns into a Go struct, and its name (the schema of
 * `ModelInfo.DynamicModelInfo`).
 *
 * @since 0.1.0
 * @category models
 */
export const DynamicModelInfo = internal.DynamicModelInfo

/** @since 0.1.0 @category models */
export type DynamicModelInfo = internal.DynamicModelInfo

/** @since 0.1.0 @category models */
export const SubtaskMeta = internal.SubtaskMeta

/** @since 0.1.0 @category models */
export type SubtaskMeta = internal.SubtaskMeta

/**
 * Reply to `plugin-info`.
 *
 * @since 0.1.0
 * @category models
 */
export const PluginInfo = internal.PluginInfo

/** @since 0.1.0 @category models */
export type PluginInfo = internal.PluginInfo

/**
 * Reply to `test-connection`. A failed test is a reply with `success: false` (and exit code 0), so that
 * DevLake shows `message` with the HTTP `status`.
 *
 * @since 0.1.0
 * @category models
 */
export const TestConnectionResult = internal.TestConnectionResult

/** @since 0.1.0 @category models */
export type TestConnectionResult = internal.TestConnectionResult

/**
 * One task of a pipeline plan. Go needs `options.connectionId` to be a number and `options.scopeId` a string.
 *
 * @since 0.1.0
 * @category models
 */
export const PipelineTask = internal.PipelineTask

/** @since 0.1.0 @category models */
export type PipelineTask = internal.PipelineTask

/**
 * A domain scope Go stores (`repos`, `cicd_scopes`, `boards`, `cq_projects`); `data` is a JSON document
 * encoded as a string.
 *
 * @since 0.1.0
 * @category models
 */
export const DynamicDomainScope = internal.DynamicDomainScope

/** @since 0.1.0 @category models */
export type DynamicDomainScope = internal.DynamicDomainScope

/**
 * Reply to `make-pipeline`: stages of parallel tasks, and the domain scopes.
 *
 * @since 0.1.0
 * @category models
 */
export const PipelineData = internal.PipelineData

/** @since 0.1.0 @category models */
export type PipelineData = internal.PipelineData

/**
 * A node of the remote scope tree, one per line of `remote-scopes`: a group (`type: "group"`) or a scope
 * (`type: "scope"`, with its parent group and the tool scope as `data`).
 *
 * @since 0.1.0
 * @category models
 */
export const RemoteScopeNode = internal.RemoteScopeNode

/** @since 0.1.0 @category models */
export type RemoteScopeNode = internal.RemoteScopeNode

/**
 * Subtask progress: Go sets the progress when `total` is non-zero, else adds `increment`.
 *
 * @since 0.1.0
 * @category models
 */
export const RemoteProgress = internal.RemoteProgress

/** @since 0.1.0 @category models */
export type RemoteProgress = internal.RemoteProgress
