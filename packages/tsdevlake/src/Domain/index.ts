/**
 * DevLake's domain layer: the tables convertors write and DevLake's dashboards and metrics read. One
 * namespace per Go package of `backend/core/models/domainlayer`.
 *
 * @example
 * import { Domain } from "tsdevlake"
 *
 * Domain.byTable.get("cicd_pipelines") // Domain.Devops.CICDPipeline
 *
 * @since 0.1.0
 */
import * as Model from "../Model.js"
import * as conversions from "../internal/domain/conversions.js"
import { lazyMap } from "../internal/model/lazyMap.js"
import * as Code from "./Code.js"
import * as Codequality from "./Codequality.js"
import * as Crossdomain from "./Crossdomain.js"
import * as Devops from "./Devops.js"
import * as Ticket from "./Ticket.js"

/** @since 0.1.0 */
export * as Code from "./Code.js"

/** @since 0.1.0 */
export * as Codequality from "./Codequality.js"

/** @since 0.1.0 */
export * as Crossdomain from "./Crossdomain.js"

/** @since 0.1.0 */
export * as Devops from "./Devops.js"

/** @since 0.1.0 */
export * as Ticket from "./Ticket.js"

/**
 * Every domain model class, domain scopes included.
 *
 * @since 0.1.0
 * @category models
 */
export const all: ReadonlyArray<Model.Any> = [
  ...Code.models,
  ...Crossdomain.models,
  ...Devops.models,
  ...Ticket.models,
  ...Codequality.models
]

/**
 * The four domain scope classes `make-pipeline` may return, by their `type_name`.
 *
 * @since 0.1.0
 * @category models
 */
export const scopes = {
  Repo: Code.Repo,
  CicdScope: Devops.CicdScope,
  Board: Ticket.Board,
  CqProject: Codequality.CqProject
} as const

/**
 * Domain model classes by table name, built on first use (reading a table name builds a model's schema AST,
 * which would otherwise cost every process all ~60 domain models at start-up).
 *
 * @example
 * Domain.byTable.get("pull_requests") === Domain.Code.PullRequest // true
 *
 * @since 0.1.0
 * @category models
 */
export const byTable: ReadonlyMap<string, Model.Any> = lazyMap(() =>
  new Map(
    all.flatMap((model) => {
      const table = Model.explicitTableName(model)
      return table === undefined ? [] : [[table, model] as const]
    })
  )
)

/**
 * Whole seconds from `start` to `end`, as Go's convertors compute a `durationSec`
 * (`float64(end.Sub(start).Milliseconds() / 1e3)`: truncated toward zero); `0`, Go's zero value, when either date
 * is missing. For a nullable column (a deployment's), give `null` yourself when a date is missing.
 *
 * @example
 * Domain.durationSec(new Date("2023-01-10T11:00:00Z"), new Date("2023-01-10T11:03:00.999Z")) // 180
 * Domain.durationSec(startedAt, null) // 0
 *
 * @since 0.1.0
 * @category conversions
 */
export const durationSec: (start: Date | null | undefined, end: Date | null | undefined) => number =
  conversions.durationSec
