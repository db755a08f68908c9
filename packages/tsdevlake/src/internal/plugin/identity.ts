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

/**
 * Domain id of a tool row: `<folder>:<ToolClass>:<connectionId>:<pk…>` (primary key values other than the
 * connection id, in declaration order).
 *
 * @internal
 */
export const domainId = (plugin: Pick<Plugin, "folder">, model: Model.Any, connectionId: number, row: object) =>
  domainIdFromKeys(
    plugin,
    model,
    connectionId,
    primaryKeyOf(model).filter((f) => f.name !== "connectionId").map((f) => (row as Record<string, unknown>)[f.name])
  )

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
