/**
 * Migration operations written before the plugin's folder is known (`Migration.createTable(Model)`,
 * `Migration.execute((t) => …)`, `Migration.addColumn(Model, …)`): each keeps how to make it for a folder, and
 * `Plugin.make` binds its scripts to its own folder, so an author writes the folder once, in the plugin. Until
 * then an operation names its tables with the placeholder folder `<plugin folder>`, which `Migration.check`
 * (and so `Migration.encode`) rejects in one line: an unbound script must never reach DevLake.
 *
 * @internal
 */
import type * as Model from "../../Model.js"
import { namesPlaceholder, placeholderFolder, tableName } from "../model/names.js"
import type { Operation, Script } from "./migrationScripts.js"

interface Binder {
  /** What the operation names, for the error of an unbound script (`create_table of FakeProject`). */
  readonly what: string
  readonly bind: (folder: string) => Operation
}

// Keyed by the operation object itself: `Migration.script` keeps the operations it is given.
const binders = new WeakMap<Operation, Binder>()

/** The table name of a model in the placeholder folder, and whether the folder is in it. @internal */
export const placeholderTable = (model: Model.Any): { readonly table: string; readonly needsFolder: boolean } => {
  const table = tableName(model, placeholderFolder)
  return { table, needsFolder: table.includes(placeholderFolder) }
}

/**
 * `make(folder)`, bound at once when it does not depend on the folder (a model with a table name of its own),
 * else made with the placeholder and bound later by {@link bindScripts}.
 *
 * @internal
 */
export const deferred = (
  what: string,
  needsFolder: boolean,
  make: (folder: string) => Operation
): Operation => {
  const operation = make(placeholderFolder)
  if (needsFolder) binders.set(operation, { what, bind: make })
  return operation
}

/** A table argument: a name as is, or a model's table in the plugin's folder. @internal */
export const tableArgument = (
  table: string | Model.Any,
  what: string,
  make: (table: string) => Operation
): Operation => {
  if (typeof table === "string") return make(table)
  const { needsFolder } = placeholderTable(table)
  return deferred(`${what} of ${table.identifier}`, needsFolder, (folder) => make(tableName(table, folder)))
}

/**
 * The scripts with every unbound operation made for `folder`; the same array when none is unbound.
 *
 * @internal
 */
export const bindScripts = (scripts: ReadonlyArray<Script>, folder: string): ReadonlyArray<Script> => {
  if (!scripts.some((script) => script.operations.some((op) => binders.has(op)))) return scripts
  return scripts.map((script) => ({
    ...script,
    operations: script.operations.map((op) => binders.get(op)?.bind(folder) ?? op)
  }))
}

/**
 * Why an operation cannot be sent as is (it still waits for its plugin's folder), or `undefined`.
 *
 * @internal
 */
export const unboundProblem = (op: Operation): string | undefined => {
  const binder = binders.get(op)
  if (binder === undefined && !namesPlaceholder(op)) return undefined
  return `${binder?.what ?? op.type} names a table in no plugin folder (${placeholderFolder}): give the script to ` +
    `Plugin.make or a Plugin.define's make, which bind it to the plugin's folder (plugin.migrations), or name the ` +
    `folder (createTable's { pluginFolder })`
}
