/**
 * tsdevlake: write Apache DevLake remote plugins with Effect.
 *
 * @since 0.1.0
 */
/** @since 0.1.0 */
export * as Api from "./Api.js"
/** @since 0.1.0 */
export * as Cli from "./Cli.js"
/** @since 0.1.0 */
export * as DataStream from "./DataStream.js"
/** @since 0.1.0 */
export * as Db from "./Db.js"
/** @since 0.1.0 */
export * as Domain from "./Domain/index.js"
/** @since 0.1.0 */
export * as Ipc from "./Ipc.js"
/** @since 0.1.0 */
export * as Message from "./Message.js"
/** @since 0.1.0 */
export * as Migration from "./Migration.js"
/** @since 0.1.0 */
export * as Migrator from "./Migrator.js"
/** @since 0.1.0 */
export * as Model from "./Model.js"
/** @since 0.1.0 */
export * as ModelInfo from "./ModelInfo.js"
/** @since 0.1.0 */
export * as Paginator from "./Paginator.js"
/** @since 0.1.0 */
export * as Plugin from "./Plugin.js"
/** @since 0.1.0 */
export * as Invoker from "./Invoker.js"
/** @since 0.1.0 */
export * as State from "./State.js"
/** @since 0.1.0 */
export * as Subtask from "./Subtask.js"
