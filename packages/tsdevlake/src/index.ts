/**
 * tsdevlake: write Apache DevLake remote plugins with Effect.
 *
 * This entry is the plugin author's surface: models, streams, the plugin, its migrations, the API client,
 * paginators and DevLake's domain models. The modules that run a plugin (the command line, the database, the
 * subtask engine, replies on fd 3) are in `tsdevlake/runtime`.
 *
 * @example
 * import { Api, DataStream, Domain, Migration, Model, Paginator, Plugin } from "tsdevlake"
 *
 * @since 0.1.0
 */
/** @since 0.1.0 */
export * as Api from "./Api.js"
/** @since 0.1.0 */
export * as DataStream from "./DataStream.js"
/** @since 0.1.0 */
export * as Domain from "./Domain/index.js"
/** @since 0.1.0 */
export * as Migration from "./Migration.js"
/** @since 0.1.0 */
export * as Model from "./Model.js"
/** @since 0.1.0 */
export * as Paginator from "./Paginator.js"
/** @since 0.1.0 */
export * as Plugin from "./Plugin.js"
