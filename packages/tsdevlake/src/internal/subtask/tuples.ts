/**
 * Rows as tuples in a table's column order (what `Db.TableWrite.tuples` takes and `Db.streamTuples` reads),
 * and the columns the framework sets in them: the origin of a row (`_raw_data_*`), the connection, the
 * batch's time, a domain row's id.
 *
 * @internal
 */
import type { ModelTable } from "../model/tables.js"

/**
 * A model value as a tuple in `table.columns` order; `null` where the value has no such field.
 *
 * @internal
 */
export const toTuple = (table: ModelTable, value: Record<string, unknown>): Array<unknown> => {
  const fields = table.fields
  const tuple = new Array<unknown>(fields.length)
  for (let i = 0; i < fields.length; i++) {
    const v = value[fields[i]!.name]
    tuple[i] = v === undefined ? null : v
  }
  return tuple
}

/**
 * A tuple read back as an instance of the model class (its methods and getters work) built without running
 * the constructor: rows were validated when they were written, and the constructor's validation and default
 * merging would only cost time for every row read back. A null column is a null field where the field is
 * nullable, else absent.
 *
 * @internal
 */
export const fromTuple = (table: ModelTable, tuple: ReadonlyArray<unknown>): unknown => {
  const prototype = (table.model as unknown as { prototype?: object }).prototype ?? Object.prototype
  const instance = Object.create(prototype) as Record<string, unknown>
  const fields = table.fields
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    const v = tuple[i]
    if (v === null || v === undefined) {
      if (field.nullable) instance[field.name] = null
    } else {
      instance[field.name] = v
    }
  }
  return instance
}

/**
 * Where the columns the framework sets are in a table's tuples; -1 where its model has no such field.
 *
 * @internal
 */
export interface FrameworkSlots {
  readonly id: number
  readonly connectionId: number
  readonly rawDataParams: number
  readonly rawDataTable: number
  readonly rawDataId: number
  readonly createdAt: number
  readonly updatedAt: number
}

const slotsByTable = new WeakMap<ModelTable, FrameworkSlots>()

/**
 * The {@link FrameworkSlots} of a table, found once per table.
 *
 * @internal
 */
export const frameworkSlots = (table: ModelTable): FrameworkSlots => {
  let slots = slotsByTable.get(table)
  if (slots === undefined) {
    const at = (name: string) => table.fields.findIndex((field) => field.name === name)
    const withOrigin = table.has("rawDataParams")
    const timestamped = table.has("updatedAt")
    slots = {
      id: at("id"),
      connectionId: at("connectionId"),
      // The origin columns come as a group; createdAt only with updatedAt.
      rawDataParams: at("rawDataParams"),
      rawDataTable: withOrigin ? at("rawDataTable") : -1,
      rawDataId: withOrigin ? at("rawDataId") : -1,
      createdAt: timestamped ? at("createdAt") : -1,
      updatedAt: at("updatedAt")
    }
    slotsByTable.set(table, slots)
  }
  return slots
}

/**
 * The columns the framework sets over a row's own values, in its tuple: the raw-data origin, and the batch's
 * time as `updatedAt`, and as `createdAt` where the row has none.
 *
 * @internal
 */
export const setOrigin = (
  slots: FrameworkSlots,
  tuple: Array<unknown>,
  value: Record<string, unknown>,
  rawParams: unknown,
  rawTable: unknown,
  rawId: unknown,
  at: Date
) => {
  if (slots.rawDataParams >= 0 && rawParams !== undefined) tuple[slots.rawDataParams] = rawParams
  if (slots.rawDataTable >= 0 && rawTable !== undefined) tuple[slots.rawDataTable] = rawTable
  if (slots.rawDataId >= 0 && rawId !== undefined) tuple[slots.rawDataId] = rawId
  if (slots.createdAt >= 0 && value["createdAt"] == null) tuple[slots.createdAt] = at
  if (slots.updatedAt >= 0) tuple[slots.updatedAt] = at
}

/**
 * A tool row as extract writes it: the extractor's fields, and over them the connection, the raw row it came
 * from and the batch's time.
 *
 * @internal
 */
export const toolTuple = (
  table: ModelTable,
  slots: FrameworkSlots,
  value: Record<string, unknown>,
  connectionId: number,
  rawParams: string,
  rawTable: string,
  rawId: unknown,
  at: Date
): Array<unknown> => {
  const tuple = toTuple(table, value)
  if (slots.connectionId >= 0) tuple[slots.connectionId] = connectionId
  setOrigin(slots, tuple, value, rawParams, rawTable, rawId, at)
  return tuple
}

/**
 * A domain row as convert writes it: the convertor's fields, the tool row's domain id unless the convertor set
 * an id, and the tool row's raw-data origin and the batch's time.
 *
 * @internal
 */
export const domainTuple = (
  table: ModelTable,
  value: Record<string, unknown>,
  toolDomainId: string,
  tool: Record<string, unknown>,
  at: Date
): Array<unknown> => {
  const tuple = toTuple(table, value)
  const slots = frameworkSlots(table)
  if (slots.id >= 0 && (value["id"] === undefined || value["id"] === "")) tuple[slots.id] = toolDomainId
  setOrigin(slots, tuple, value, tool["rawDataParams"], tool["rawDataTable"], tool["rawDataId"], at)
  return tuple
}

/**
 * Where `columns` are in the table's tuples (`streamTuples` with `table.columns`).
 *
 * @internal
 */
export const columnIndexes = (table: ModelTable, columns: ReadonlyArray<string>): Array<number> =>
  columns.map((column) => table.columns.findIndex((c) => c.name === column))
