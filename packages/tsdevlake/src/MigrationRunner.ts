/**
 * Applies a plugin's migration scripts to a database the way the Go server does, and creates the domain
 * tables the plugin writes, so that a plugin runs end to end without DevLake (`run.sh migrate`, `npm start`,
 * tests, benchmarks). DevLake itself never calls this: it runs the scripts from `plugin-info`. The scripts
 * themselves are declared with `Migration`.
 *
 * Applied scripts are recorded in DevLake's own `_devlake_migration_history` (`script_version`,
 * `script_name`), so a database prepared locally and one prepared by DevLake agree on what ran.
 *
 * @since 0.1.0
 */
import type { Either } from "effect"
import type * as Db from "./Db.js"
import type * as Model from "./Model.js"
import * as runner from "./internal/migration/runner.js"
import * as createTable from "./internal/model/createTable.js"
import * as names from "./internal/model/names.js"
import * as tables from "./internal/model/tables.js"

export {
  /**
   * A migration could not be applied.
   *
   * @since 0.1.0
   * @category errors
   */
  MigrationRunnerError
} from "./internal/migration/runner.js"

/**
 * DevLake's migration history table (`backend/core/models/migration_history.go`).
 *
 * @since 0.1.0
 * @category constants
 */
export const historyTable: Db.TableSpec = names.historyTable

/**
 * The table Go's `create_table` creates from a model info: `common.NoPKModel`'s columns plus one column
 * per property, typed as gorm types the generated struct (including gorm's rule that the prioritised
 * integer primary key — the one named `id`, or the only one — auto-increments unless told otherwise).
 *
 * @example
 * MigrationRunner.tableSpecOf(ModelInfo.make(FakePipeline, { pluginFolder: "fakeplugin" }))
 * // Right({ name: "_tool_fakeplugin_fakepipelines", columns: [{ name: "created_at", ... }, ...] })
 *
 * @since 0.1.0
 * @category models
 */
export const tableSpecOf: (
  modelInfo: { readonly json_schema: unknown; readonly table_name: string }
) => Either.Either<Db.TableSpec, string> = createTable.tableSpecOf

/**
 * The table of a domain model, with the columns of DevLake's Go domain model.
 *
 * @since 0.1.0
 * @category models
 */
export const domainTableSpec: (model: Model.Any) => Db.TableSpec = tables.domainTableSpec

/**
 * What {@link apply} did.
 *
 * @since 0.1.0
 * @category models
 */
export type Report = runner.Report

/**
 * Applies the scripts not yet in the history, in version order, and creates the given domain tables if
 * missing.
 *
 * @example
 * MigrationRunner.apply(MyPlugin.migrations, { domainModels: [Domain.Devops.CICDPipeline], comment: "myplugin" })
 *
 * @since 0.1.0
 * @category running
 */
export const apply = runner.apply
