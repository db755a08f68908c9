/**
 * How DevLake identifies what a plugin writes: the domain id of a tool row and the raw-data params of a scope,
 * both byte-equal to what the Go server and pydevlake produce, since DevLake finds and deletes rows by them.
 *
 * @internal
 */
import type * as Model from "../../Model.js"
import { primaryKeyOf } from "../model/fields.js"
import { type GoJsonOptions, goJsonStringify } from "../process/goJson.js"
import type { Plugin } from "./definition.js"

const formatKey = (value: unknown) => value instanceof Date ? value.toISOString() : String(value)

/** Domain id from the primary key values (other than the connection id), in declaration order. @internal */
export const domainIdFromKeys = (
  plugin: Pick<Plugin, "folder">,
  model: Model.Any,
  connectionId: number,
  keys: ReadonlyArray<unknown>
) => [plugin.folder, model.identifier, String(connectionId), ...keys.map(formatKey)].join(":")

/** The fields of a model's domain id: its primary key other than the connection id, in declaration order. @internal */
export const domainKeyNames = (model: Model.Any): ReadonlyArray<string> =>
  primaryKeyOf(model).filter((f) => f.name !== "connectionId").map((f) => f.name)

/**
 * Domain id of a tool row: `<folder>:<ToolClass>:<connectionId>:<pk…>` (primary key values other than the
 * connection id, in declaration order).
 *
 * @internal
 */
export const domainId = (plugin: Pick<Plugin, "folder">, model: Model.Any, connectionId: number, row: object) =>
  domainIdFromKeys(plugin, model, connectionId, domainKeyNames(model).map((k) => (row as Record<string, unknown>)[k]))

/**
 * {@link domainId} of one plugin and connection, for any model: what a task context gives its callbacks. Each
 * model's key fields are found once, on its first row, so a convert may call it for every record.
 *
 * @internal
 */
export const domainIds = (plugin: Pick<Plugin, "folder">, connectionId: number) => {
  const keyNames = new Map<Model.Any, ReadonlyArray<string>>()
  return (model: Model.Any, row: object): string => {
    let names = keyNames.get(model)
    if (names === undefined) {
      names = domainKeyNames(model)
      keyNames.set(model, names)
    }
    return domainIdFromKeys(plugin, model, connectionId, names.map((k) => (row as Record<string, unknown>)[k]))
  }
}

/**
 * The raw-data params of a scope, byte-equal to Go's `json.Marshal(ApiParams{ConnectionId, ScopeId})`
 * (`{"ConnectionId":N,"ScopeId":"S"}`), which the Go server uses to find and delete a scope's rows.
 *
 * @example
 * rawDataParams(1, "p1") // {"ConnectionId":1,"ScopeId":"p1"}
 *
 * @internal
 */
export const rawDataParams = (connectionId: number | bigint, scopeId: string, options: GoJsonOptions = {}): string => {
  const valid = typeof connectionId === "bigint"
    ? connectionId >= 0n && connectionId < 2n ** 64n
    : Number.isSafeInteger(connectionId) && connectionId >= 0
  if (!valid) throw new TypeError(`rawDataParams: connectionId must be a uint64, got ${String(connectionId)}`)
  // Go's field is a uint64, which has no negative zero.
  const id = typeof connectionId === "number" ? Math.abs(connectionId) : connectionId
  return goJsonStringify({ ConnectionId: id, ScopeId: scopeId }, { go122: options.go122 ?? false })
}
