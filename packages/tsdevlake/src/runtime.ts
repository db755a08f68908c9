/**
 * tsdevlake's runtime: what runs a plugin rather than what defines one. The command line (`Cli`), the
 * database service (`Db`), the subtask engine (`Subtask`) and its resumable state (`State`), replies on
 * fd 3 (`Ipc`, `Message`), model info for DevLake (`ModelInfo`), applying migrations locally
 * (`MigrationRunner`), and running a built plugin as DevLake does (`Invoker`). Tests, tools and benchmarks use
 * it; a plugin's own code needs only `tsdevlake`.
 *
 * @example
 * import { Db, Invoker } from "tsdevlake/runtime"
 *
 * @since 0.1.0
 */
/** @since 0.1.0 */
export * as Cli from "./Cli.js"
/** @since 0.1.0 */
export * as Db from "./Db.js"
/** @since 0.1.0 */
export * as Invoker from "./Invoker.js"
/** @since 0.1.0 */
export * as Ipc from "./Ipc.js"
/** @since 0.1.0 */
export * as Message from "./Message.js"
/** @since 0.1.0 */
export * as MigrationRunner from "./MigrationRunner.js"
/** @since 0.1.0 */
export * as ModelInfo from "./ModelInfo.js"
/** @since 0.1.0 */
export * as State from "./State.js"
/** @since 0.1.0 */
export * as Subtask from "./Subtask.js"
