/**
 * The test kit for tsdevlake plugins: the databases a plugin's tests run on (SQLite always, MySQL and
 * PostgreSQL when their servers answer).
 *
 * @example
 * import { testDatabases } from "@tsdevlake/testing"
 *
 * @since 0.1.0
 */
export * from "./databases.js"
