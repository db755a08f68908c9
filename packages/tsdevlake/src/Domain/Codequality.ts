/**
 * DevLake's `codequality` domain: static-analysis projects, issues and file metrics, as the Go models in
 * `backend/core/models/domainlayer/codequality` define them.
 *
 * A field's DB column is gorm's snake_case of its key. Non-key columns that Go fills with a zero value
 * default to it (`""`, `0`), so a convertor only sets what it knows; keys and `projectKey` are required.
 *
 * @example
 * import { Domain } from "tsdevlake"
 *
 * const issue = new Domain.Codequality.CqIssue({
 *   projectKey: "myplugin:MyProject:1:p1",
 *   rule: "no-unused-vars",
 *   severity: "MAJOR",
 *   type: "CODE_SMELL"
 * })
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Model from "../Model.js"
import { float, int, key, nullableDate, Relation, text, varchar } from "../internal/model/domainFields.js"

// The domain id of the project (`cq_projects.id`), varchar(500) since Go's 20260317 migration.
const projectKey = Schema.String.pipe(Model.maxLength(500))

/**
 * Domain scope `CqProject` (table `cq_projects`), returned by `make-pipeline`. Its Go struct has no json
 * tags, so Go matches the keys to its field names: the encoded keys are `name`, `qualifier`, `visibility`,
 * `lastAnalysisDate`, `commitSha`. Its `id` may be up to 500 characters (Go's `DomainEntityExtended`);
 * `name` is required.
 *
 * @example
 * new Domain.Codequality.CqProject({ id: "myplugin:MyProject:1:p1", name: "my project" })
 *
 * @since 0.1.0
 * @category scopes
 */
export class CqProject extends Model.DomainScope<CqProject>("CqProject", { table: "cq_projects" })({
  id: Schema.optionalWith(Schema.String.pipe(Model.maxLength(500)), { default: () => "" }).pipe(Model.primaryKey),
  name: Schema.String.pipe(Model.maxLength(2000)),
  qualifier: varchar(255),
  visibility: varchar(64),
  lastAnalysisDate: nullableDate,
  commitSha: varchar(128)
}) {}

/**
 * An issue found by static analysis (`cq_issues`). Required: `projectKey`.
 *
 * @since 0.1.0
 * @category models
 */
export class CqIssue extends Model.DomainModel<CqIssue>("CqIssue", { table: "cq_issues" })({
  rule: varchar(255),
  severity: varchar(100),
  // `text` since Go's 20240919 migration.
  component: text,
  projectKey,
  line: int,
  status: varchar(20),
  message: text,
  debt: int,
  effort: int,
  commitAuthorEmail: varchar(255),
  assignee: varchar(255),
  hash: varchar(100),
  tags: text,
  type: varchar(100),
  scope: varchar(255),
  startLine: int,
  endLine: int,
  startOffset: int,
  endOffset: int,
  vulnerabilityProbability: varchar(100),
  securityCategory: varchar(100),
  createdDate: nullableDate,
  updatedDate: nullableDate
}) {}

/**
 * The impact of an issue on one software quality (`cq_issue_impacts`).
 *
 * @since 0.1.0
 * @category models
 */
export class CqIssueImpact extends Relation<CqIssueImpact>("CqIssueImpact", { table: "cq_issue_impacts" })({
  cqIssueId: key(255),
  softwareQuality: key(255),
  severity: varchar(100)
}) {}

/**
 * A code location of an issue (`cq_issue_code_blocks`).
 *
 * @since 0.1.0
 * @category models
 */
export class CqIssueCodeBlock extends Model.DomainModel<CqIssueCodeBlock>("CqIssueCodeBlock", {
  table: "cq_issue_code_blocks"
})({
  // gorm sizes an indexed string without a type as varchar(191) on MySQL.
  issueKey: varchar(191),
  component: varchar(191),
  startLine: int,
  endLine: int,
  startOffset: int,
  endOffset: int,
  msg: text
}) {}

/**
 * Metrics of one file of a project (`cq_file_metrics`). Required: `projectKey`.
 *
 * @since 0.1.0
 * @category models
 */
export class CqFileMetrics extends Model.DomainModel<CqFileMetrics>("CqFileMetrics", { table: "cq_file_metrics" })({
  projectKey,
  fileName: varchar(2000),
  filePath: text,
  fileLanguage: varchar(20),
  codeSmells: int,
  sqaleIndex: int,
  sqaleRating: float,
  bugs: int,
  reliabilityRating: varchar(20),
  vulnerabilities: int,
  securityRating: varchar(20),
  securityHotspots: int,
  securityHotspotsReviewed: float,
  securityReviewRating: varchar(20),
  ncloc: int,
  uncoveredLines: int,
  coverage: float,
  linesToCover: int,
  duplicatedLinesDensity: float,
  duplicatedBlocks: int,
  duplicatedFiles: int,
  duplicatedLines: int,
  effortToReachMaintainabilityRatingA: int,
  complexity: int,
  cognitiveComplexity: int,
  numOfLines: int
}) {}

/**
 * Every model of the codequality domain, the `CqProject` scope first.
 *
 * @since 0.1.0
 * @category models
 */
export const models: ReadonlyArray<Model.Any> = [CqProject, CqIssue, CqIssueImpact, CqIssueCodeBlock, CqFileMetrics]
