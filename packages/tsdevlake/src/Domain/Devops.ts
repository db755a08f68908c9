/**
 * DevLake's `devops` (CI/CD) domain: pipelines, tasks, deployments and releases, as the Go models in
 * `backend/core/models/domainlayer/devops` define them. DORA metrics read these tables, comparing
 * `result`, `status`, `type` and `environment` with the exact Go constants, so those fields only accept
 * them.
 *
 * A field's DB column is gorm's snake_case of its key. Non-key columns that Go fills with a zero value
 * default to it (`""`, `0`, `false`), so a convertor only sets what it knows; keys, `name`, `status`,
 * `createdDate` and `cicdScopeId` are required.
 *
 * @example
 * import { Domain } from "tsdevlake"
 *
 * const pipeline = new Domain.Devops.CICDPipeline({
 *   name: "build #42",
 *   status: Domain.Devops.Status.DONE,
 *   result: Domain.Devops.Result.SUCCESS,
 *   type: Domain.Devops.Type.BUILD,
 *   createdDate: new Date("2024-01-02T03:04:05Z"),
 *   cicdScopeId: "myplugin:MyProject:1:p1"
 * })
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Model from "../Model.js"
import * as conversions from "../internal/domain/conversions.js"
import {
  bool,
  float,
  key,
  nullableDate,
  nullableFloat,
  Relation,
  text,
  varchar
} from "../internal/model/domainFields.js"

/**
 * Results of a pipeline, task or deployment (Go `devops.RESULT_SUCCESS`, `RESULT_FAILURE`,
 * `RESULT_DEFAULT`). `DEFAULT` (`""`) is what Go writes for a run that has no result yet or was aborted.
 *
 * @since 0.1.0
 * @category constants
 */
export const Result = { SUCCESS: "SUCCESS", FAILURE: "FAILURE", DEFAULT: "" } as const

/**
 * A `result` column: one of {@link Result}.
 *
 * @since 0.1.0
 * @category enums
 */
export const CICDResult = Schema.Literal("SUCCESS", "FAILURE", "")

/** @since 0.1.0 @category enums */
export type CICDResult = typeof CICDResult.Type

/**
 * Statuses of a pipeline, task or deployment (Go `devops.STATUS_IN_PROGRESS`, `STATUS_DONE`,
 * `STATUS_OTHER`).
 *
 * @since 0.1.0
 * @category constants
 */
export const Status = { IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", OTHER: "OTHER" } as const

/**
 * Go's `devops.StatusRule`: the source's names of in-progress and done runs, and the status of any other
 * (`"OTHER"` unless given).
 *
 * @since 0.1.0
 * @category conversions
 */
export type StatusRule<S extends CICDStatus = "OTHER"> = conversions.DevopsStatusRule<S>

/**
 * Go's `devops.GetStatus`, for a convertor: maps a source's status to {@link CICDStatus}, comparing names
 * case-insensitively; `inProgress` is checked before `done`. Build the mapping once, outside the convert.
 *
 * @example
 * const status = Domain.Devops.status({ done: ["success", "failed", "canceled"], inProgress: ["running", "pending"] })
 * status("SUCCESS") // "DONE"
 * status("manual") // "OTHER"
 *
 * @since 0.1.0
 * @category conversions
 */
export const status: <S extends CICDStatus = "OTHER">(
  rule: StatusRule<S>
) => (input: conversions.Scalar) => "IN_PROGRESS" | "DONE" | S = conversions.devopsStatus

/**
 * Go's `devops.ResultRule`: the source's names of successful and failed runs, and the result of any other
 * (`""`, Go's `RESULT_DEFAULT`, unless given).
 *
 * @since 0.1.0
 * @category conversions
 */
export type ResultRule<R extends CICDResult = ""> = conversions.DevopsResultRule<R>

/**
 * Go's `devops.GetResult`, for a convertor: maps a source's result to {@link CICDResult}, comparing names
 * case-insensitively; `success` is checked before `failure`.
 *
 * @example
 * const result = Domain.Devops.result({ success: ["success"], failure: ["failed", "canceled"] })
 * result("Failed") // "FAILURE"
 * result("running") // ""
 *
 * @since 0.1.0
 * @category conversions
 */
export const result: <R extends CICDResult = "">(
  rule: ResultRule<R>
) => (input: conversions.Scalar) => "SUCCESS" | "FAILURE" | R = conversions.devopsResult

/**
 * A `status` column: one of {@link Status}.
 *
 * @since 0.1.0
 * @category enums
 */
export const CICDStatus = Schema.Literal("IN_PROGRESS", "DONE", "OTHER")

/** @since 0.1.0 @category enums */
export type CICDStatus = typeof CICDStatus.Type

/**
 * Types of a pipeline or task (Go `devops.TEST`, `LINT`, `BUILD`, `DEPLOYMENT`).
 *
 * @since 0.1.0
 * @category constants
 */
export const Type = { TEST: "TEST", LINT: "LINT", BUILD: "BUILD", DEPLOYMENT: "DEPLOYMENT" } as const

/**
 * A `type` column: one of {@link Type}, or `""` when the run matched no type rule (Go's regex enricher
 * leaves it empty then).
 *
 * @since 0.1.0
 * @category enums
 */
export const CICDType = Schema.Literal("TEST", "LINT", "BUILD", "DEPLOYMENT", "")

/** @since 0.1.0 @category enums */
export type CICDType = typeof CICDType.Type

/**
 * Deployment environments (Go `devops.PRODUCTION`, `STAGING`, `TESTING`); DORA counts only `PRODUCTION`.
 *
 * @since 0.1.0
 * @category constants
 */
export const Environment = { PRODUCTION: "PRODUCTION", STAGING: "STAGING", TESTING: "TESTING" } as const

/**
 * An `environment` column: one of {@link Environment}, or `""` when unknown. The source's own name goes
 * into `originalEnvironment`.
 *
 * @since 0.1.0
 * @category enums
 */
export const CICDEnvironment = Schema.Literal("PRODUCTION", "STAGING", "TESTING", "")

/** @since 0.1.0 @category enums */
export type CICDEnvironment = typeof CICDEnvironment.Type

// Go's column sizes: varchar(100) for result, status and type, varchar(255) for environment.
const resultColumn = Schema.optionalWith(CICDResult.pipe(Model.maxLength(100)), { default: () => "" as const })
const statusColumn = CICDStatus.pipe(Model.maxLength(100))
const type = Schema.optionalWith(CICDType.pipe(Model.maxLength(100)), { default: () => "" as const })
const environment = Schema.optionalWith(CICDEnvironment.pipe(Model.maxLength(255)), { default: () => "" as const })

/**
 * Domain scope `CicdScope` (table `cicd_scopes`), returned by `make-pipeline`. Its Go struct has no json
 * tags, so Go matches the keys to its field names: the encoded keys are `name`, `description`, `url`,
 * `createdDate`, `updatedDate` (not snake_case). `name` is required.
 *
 * @example
 * new Domain.Devops.CicdScope({ id: "myplugin:MyProject:1:p1", name: "my project" })
 *
 * @since 0.1.0
 * @category scopes
 */
export class CicdScope extends Model.DomainScope<CicdScope>("CicdScope", { table: "cicd_scopes" })({
  name: Schema.String.pipe(Model.maxLength(255)),
  description: text,
  url: varchar(255),
  createdDate: nullableDate,
  updatedDate: nullableDate
}) {}

/**
 * A CI/CD pipeline run (`cicd_pipelines`). Required: `name`, `status`, `createdDate`, `cicdScopeId`.
 *
 * @since 0.1.0
 * @category models
 */
export class CICDPipeline extends Model.DomainModel<CICDPipeline>("CICDPipeline", { table: "cicd_pipelines" })({
  // `text` since Go's 20230821 migration, although the struct still says varchar(255).
  name: Schema.String,
  displayTitle: text,
  url: text,
  result: resultColumn,
  status: statusColumn,
  originalStatus: varchar(100),
  originalResult: varchar(100),
  type,
  durationSec: float,
  queuedDurationSec: nullableFloat,
  environment,
  createdDate: Model.DateTime,
  queuedDate: nullableDate,
  startedDate: nullableDate,
  finishedDate: nullableDate,
  cicdScopeId: Schema.String.pipe(Model.maxLength(255)),
  isChild: bool
}) {}

/**
 * A commit a pipeline ran on (`cicd_pipeline_commits`).
 *
 * @since 0.1.0
 * @category models
 */
export class CiCDPipelineCommit extends Relation<CiCDPipelineCommit>("CiCDPipelineCommit", {
  table: "cicd_pipeline_commits"
})({
  pipelineId: key(255),
  commitSha: key(255),
  commitMsg: text,
  displayTitle: text,
  url: text,
  branch: varchar(255),
  repoId: varchar(255),
  // varchar(500) since Go's 20240521 migration.
  repoUrl: varchar(500)
}) {}

/**
 * A job or step of a pipeline (`cicd_tasks`). Required: `name`, `pipelineId`, `status`, `createdDate`,
 * `cicdScopeId`.
 *
 * @since 0.1.0
 * @category models
 */
export class CICDTask extends Model.DomainModel<CICDTask>("CICDTask", { table: "cicd_tasks" })({
  name: Schema.String.pipe(Model.maxLength(255)),
  pipelineId: Schema.String.pipe(Model.maxLength(255)),
  result: resultColumn,
  status: statusColumn,
  originalStatus: varchar(100),
  originalResult: varchar(100),
  type,
  environment,
  durationSec: float,
  queuedDurationSec: nullableFloat,
  createdDate: Model.DateTime,
  queuedDate: nullableDate,
  startedDate: nullableDate,
  finishedDate: nullableDate,
  cicdScopeId: Schema.String.pipe(Model.maxLength(255))
}) {}

/**
 * A deployment (`cicd_deployments`). Required: `cicdScopeId`, `name`, `status`, `createdDate`.
 *
 * @since 0.1.0
 * @category models
 */
export class CICDDeployment extends Model.DomainModel<CICDDeployment>("CICDDeployment", {
  table: "cicd_deployments"
})({
  cicdScopeId: Schema.String.pipe(Model.maxLength(255)),
  // `text` since Go's 20260217 migration.
  name: Schema.String,
  displayTitle: text,
  url: text,
  result: resultColumn,
  status: statusColumn,
  originalStatus: varchar(100),
  originalResult: varchar(100),
  environment,
  originalEnvironment: varchar(255),
  createdDate: Model.DateTime,
  queuedDate: nullableDate,
  startedDate: nullableDate,
  finishedDate: nullableDate,
  durationSec: nullableFloat,
  queuedDurationSec: nullableFloat,
  subtaskName: varchar(255)
}) {}

/**
 * A commit deployed by a deployment (`cicd_deployment_commits`), keyed by `id` and `commitSha`; DORA's
 * deployment frequency and lead time start here. Required: `cicdScopeId`, `cicdDeploymentId`, `name`,
 * `status`, `createdDate`, `commitSha`, `repoUrl` (`not null` in Go).
 *
 * @since 0.1.0
 * @category models
 */
export class CicdDeploymentCommit extends Model.DomainModel<CicdDeploymentCommit>("CicdDeploymentCommit", {
  table: "cicd_deployment_commits"
})({
  cicdScopeId: Schema.String.pipe(Model.maxLength(255)),
  cicdDeploymentId: Schema.String.pipe(Model.maxLength(255)),
  name: Schema.String.pipe(Model.maxLength(255)),
  displayTitle: text,
  url: text,
  result: resultColumn,
  status: statusColumn,
  originalStatus: varchar(100),
  originalResult: varchar(100),
  environment,
  originalEnvironment: varchar(255),
  createdDate: Model.DateTime,
  queuedDate: nullableDate,
  startedDate: nullableDate,
  finishedDate: nullableDate,
  durationSec: nullableFloat,
  queuedDurationSec: nullableFloat,
  commitSha: key(255),
  commitMsg: text,
  refName: varchar(255),
  repoId: varchar(255),
  // varchar(500) since Go's 20240521 migration.
  repoUrl: Schema.String.pipe(Model.maxLength(500)),
  prevSuccessDeploymentCommitId: varchar(255),
  subtaskName: varchar(255)
}) {}

/**
 * A release (`cicd_releases`). Required: `publishedAt`, `cicdScopeId`.
 *
 * @since 0.1.0
 * @category models
 */
export class CicdRelease extends Model.DomainModel<CicdRelease>("CicdRelease", { table: "cicd_releases" })({
  publishedAt: Model.DateTime,
  cicdScopeId: Schema.String.pipe(Model.maxLength(255)),
  name: varchar(255),
  displayTitle: varchar(255),
  description: text,
  url: text,
  isDraft: bool,
  isLatest: bool,
  isPrerelease: bool,
  authorId: varchar(255),
  repoId: varchar(255),
  tagName: text,
  commitSha: varchar(255)
}) {}

/**
 * Every model of the devops domain, the `CicdScope` scope first.
 *
 * @since 0.1.0
 * @category models
 */
export const models: ReadonlyArray<Model.Any> = [
  CicdScope,
  CICDPipeline,
  CiCDPipelineCommit,
  CICDTask,
  CICDDeployment,
  CicdDeploymentCommit,
  CicdRelease
]
