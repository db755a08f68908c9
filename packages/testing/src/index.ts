/**
 * The test kit for tsdevlake plugins: the databases a plugin's tests run on (SQLite always, MySQL and
 * PostgreSQL when their servers answer), task contexts built as DevLake sends them (`context`, `layer`), and
 * assertions on a plugin (`assertValidPlugin`), on a stream's extract and convert (`assertStreamConvert`), on a
 * stream's run (`assertStreamRun`) and on a plugin's run as DevLake drives it (`assertPluginRun`).
 *
 * @example
 * import * as Testing from "@tsdevlake/testing"
 *
 * const ctx = Testing.context(MyPlugin, { connection: { token: "t" } })
 * Testing.assertValidPlugin(MyPlugin)
 *
 * @since 0.1.0
 */
export * as Api from "./api.js"
export * from "./clock.js"
export * from "./context.js"
export * from "./databases.js"
export * from "./pluginRun.js"
export * from "./streamConvert.js"
export * from "./streamRun.js"
export * from "./validPlugin.js"
