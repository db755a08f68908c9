/**
 * Every table and column name the framework uses, in one place: the naming rules the Go server applies
 * (gorm's columns, pydevlake's tool and raw tables), reproduced so that the columns and tables we write are
 * the ones it creates and deletes from, and the tables the framework itself owns (raw tables, subtask
 * state, migration history).
 *
 * @internal
 */
import type * as Db from "../../Db.js"
import type * as Migration from "../../Migration.js"
import { explicitTableName } from "./annotations.js"
import type { Any } from "./fields.js"
import { plural } from "./plural.js"

// gorm's commonInitialisms (gorm.io/gorm/schema/naming.go): each is rewritten in Title case before
// snake-casing, so `avatarURL` becomes `avatar_url` rather than `avatar_u_r_l`.
const commonInitialisms = [
  "API",
  "ASCII",
  "CPU",
  "CSS",
  "DNS",
  "EOF",
  "GUID",
  "HTML",
  "HTTP",
  "HTTPS",
  "ID",
  "IP",
  "JSON",
  "LHS",
  "QPS",
  "RAM",
  "RHS",
  "RPC",
  "SLA",
  "SMTP",
  "SSH",
  "TLS",
  "TTL",
  "UID",
  "UI",
  "UUID",
  "URI",
  "URL",
  "UTF8",
  "VM",
  "XML",
  "XSRF",
  "XSS"
]

// Go's strings.NewReplacer picks, at each position, the first old string in argument order that matches
// (for a generic replacer with several patterns it prefers the earliest listed on ties), so the order
// above matters: "HTTP" is tried before "HTTPS", exactly as in gorm.
const replaceInitialisms = (name: string): string => {
  let out = ""
  let i = 0
  outer: while (i < name.length) {
    for (const word of commonInitialisms) {
      if (name.startsWith(word, i)) {
        out += word[0] + word.slice(1).toLowerCase()
        i += word.length
        continue outer
      }
    }
    out += name[i]
    i++
  }
  return out
}

const isUpper = (c: string | undefined) => c !== undefined && c >= "A" && c <= "Z"
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9"

/**
 * Go's `strings.Title` on an identifier: upper-cases its first letter.
 *
 * @internal
 */
export const goFieldName = (key: string): string => key.length === 0 ? key : key[0]!.toUpperCase() + key.slice(1)

/**
 * gorm's `NamingStrategy.ColumnName` of the Go field generated for a json_schema property: the DB column
 * the Go server creates for `key` (`scopeConfigId` → `scope_config_id`, `avatarURL` → `avatar_url`).
 *
 * @internal
 */
export const columnName = (key: string): string => {
  const name = goFieldName(key)
  if (name === "") return ""
  const value = replaceInitialisms(name)
  let buf = ""
  let lastCase = false
  let curCase = isUpper(value[0])
  for (let i = 0; i < value.length - 1; i++) {
    const v = value[i]!
    const next = value[i + 1]
    const nextCase = isUpper(next)
    const nextNumber = isDigit(next)
    if (curCase) {
      if (lastCase && (nextCase || nextNumber)) {
        buf += v.toLowerCase()
      } else {
        if (i > 0 && value[i - 1] !== "_" && next !== "_") buf += "_"
        buf += v.toLowerCase()
      }
    } else {
      buf += v
    }
    lastCase = curCase
    curCase = nextCase
  }
  const last = value[value.length - 1]!
  if (curCase) {
    if (!lastCase && value.length > 1) buf += "_"
    buf += last.toLowerCase()
  } else {
    buf += last
  }
  return buf
}

/**
 * Table name pydevlake gives a tool model: `_tool_<plugin folder>_<plural of lower-cased class name>`.
 *
 * @internal
 */
export const toolTableName = (pluginFolder: string, className: string): string =>
  `_tool_${pluginFolder}_${plural(className.toLowerCase())}`

/**
 * Raw table of a stream: `_raw_<plugin name>_<stream name>`; the Go server deletes a scope's raw rows
 * from every table whose name starts with `_raw_<plugin name>`.
 *
 * @internal
 */
export const rawTableName = (pluginName: string, streamName: string): string =>
  `_raw_${pluginName}_${streamName.toLowerCase()}`

/**
 * Table of a model within a plugin (`plugin.folder` names its tool tables).
 *
 * @internal
 */
export const tableOf = (plugin: { readonly folder: string }, model: Any): string => tableName(model, plugin.folder)

/**
 * Raw table of a plugin's stream.
 *
 * @internal
 */
export const rawTableOf = (plugin: { readonly name: string }, stream: { readonly name: string }): string =>
  rawTableName(plugin.name, stream.name)

/**
 * `_raw_<name>_scopes`: the raw-origin table pydevlake records on scopes and domain scopes.
 *
 * @internal
 */
export const rawScopeTable = (plugin: { readonly name: string }): string => `_raw_${plugin.name}_scopes`

/**
 * The table of a domain model: the Go server owns it, so the model must name it.
 *
 * @internal
 */
export const domainTableName = (model: Any): string => {
  const name = explicitTableName(model)
  if (name === undefined) throw new Error(`${model.identifier} has no table name`)
  return name
}

/**
 * The folder in the table names of a migration operation written without one (`Migration.createTable(Model)`)
 * until `Plugin.make` binds it to the plugin's: never a real folder, so such a table is never created.
 *
 * @internal
 */
export const placeholderFolder = "<plugin folder>"

/**
 * Whether a migration operation names a table in the {@link placeholderFolder}: one no plugin bound.
 *
 * @internal
 */
export const namesPlaceholder = (op: Migration.Operation): boolean => {
  switch (op.type) {
    case "create_table":
      return op.modelInfo.table_name.includes(placeholderFolder)
    case "execute":
      return op.sql.includes(placeholderFolder)
    case "rename_table":
      return op.oldName.includes(placeholderFolder) || op.newName.includes(placeholderFolder)
    default:
      return op.table.includes(placeholderFolder)
  }
}

/**
 * Table name of a model within a plugin whose folder is `pluginFolder` (or within `plugin`): the explicit one,
 * else pydevlake's `_tool_<folder>_<plural>`.
 *
 * @internal
 */
export const tableName = (model: Any, pluginFolder: string | { readonly folder: string }): string =>
  explicitTableName(model) ??
    toolTableName(typeof pluginFolder === "string" ? pluginFolder : pluginFolder.folder, model.identifier)

/**
 * JSON keys (and, being skipped by Go as fields of its base structs, DB columns) of the raw-data origin
 * every tool and domain row carries.
 *
 * @internal
 */
export const rawDataKeys = {
  params: "_raw_data_params",
  table: "_raw_data_table",
  id: "_raw_data_id",
  remark: "_raw_data_remark"
} as const

/**
 * The columns of a raw table, as pydevlake creates them (`RawModel`), `params` indexed for DevLake's
 * scope deletion.
 *
 * @internal
 */
export const rawTableSpec = (name: string): Db.TableSpec => ({
  name,
  columns: [
    { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
    { name: "params", type: "string", maxLength: 255, index: true },
    { name: "data", type: "bytes" },
    { name: "url", type: "string" },
    { name: "input", type: "bytes" },
    { name: "created_at", type: "datetime" }
  ]
})

/**
 * Subtask state: the table pydevlake created, plus `params` (nullable, so pydevlake can still insert rows).
 *
 * @internal
 */
export const stateTable: Db.TableSpec = {
  name: "_pydevlake_subtask_runs",
  columns: [
    { name: "id", type: "integer", primaryKey: true, autoIncrement: true },
    { name: "subtask_name", type: "string", maxLength: 255 },
    { name: "connection_id", type: "integer" },
    { name: "params", type: "string", maxLength: 255 },
    { name: "started", type: "datetime" },
    { name: "completed", type: "datetime" },
    { name: "state", type: "string" }
  ]
}

/**
 * DevLake's migration history table (`backend/core/models/migration_history.go`).
 *
 * @internal
 */
export const historyTable: Db.TableSpec = {
  name: "_devlake_migration_history",
  columns: [
    { name: "created_at", type: "datetime" },
    { name: "script_version", type: "unsignedInteger", primaryKey: true },
    { name: "script_name", type: "string", maxLength: 255, primaryKey: true },
    { name: "comment", type: "string", maxLength: 255 }
  ]
}

/**
 * The columns of `common.NoPKModel`, the base Go gives every `create_table`.
 *
 * @internal
 */
export const noPKColumns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "created_at", type: "datetime" },
  { name: "updated_at", type: "datetime" },
  { name: rawDataKeys.params, type: "string", maxLength: 255, index: true },
  { name: rawDataKeys.table, type: "string", maxLength: 255 },
  { name: rawDataKeys.id, type: "unsignedInteger" },
  { name: rawDataKeys.remark, type: "string" }
]
