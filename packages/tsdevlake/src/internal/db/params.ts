import { Either } from "effect"
import type { ColumnSpec, Dialect, Where } from "../../Db.js"
import { encodeLoose } from "./codec.js"

/** Bound parameters of one statement, and the WHERE conditions built on them. */

/**
 * Collects bind values; `add` answers the value's placeholder (`?`, or Postgres' numbered `$n`).
 *
 * @internal
 */
export interface Params {
  readonly values: Array<unknown>
  readonly add: (value: unknown) => string
}

/** @internal */
export const makeParams = (dialect: Dialect): Params => {
  const values: Array<unknown> = []
  return {
    values,
    add: (value: unknown): string => {
      values.push(value)
      return dialect.placeholder(values.length)
    }
  }
}

/**
 * Equality conditions, ANDed by the caller: `IS NULL` for null, `IN (…)` for arrays (`1 = 0` when empty),
 * values encoded by their column spec when `columns` has it, else by their JS type.
 *
 * @internal
 */
export const whereClause = (
  dialect: Dialect,
  where: Where | undefined,
  params: Params,
  columns: ReadonlyArray<ColumnSpec> | undefined
): Array<string> => {
  const conditions: Array<string> = []
  for (const [column, value] of Object.entries(where ?? {})) {
    const spec = columns?.find((c) => c.name === column)
    const bind = (v: unknown) => {
      const encoded = spec === undefined ? undefined : dialect.encodeValue(spec.type, v)
      return params.add(encoded !== undefined && Either.isRight(encoded) ? encoded.right : encodeLoose(dialect.name, v))
    }
    const quoted = dialect.quote(column)
    if (value === null || value === undefined) {
      conditions.push(`${quoted} IS NULL`)
    } else if (Array.isArray(value)) {
      conditions.push(value.length === 0 ? "1 = 0" : `${quoted} IN (${value.map(bind).join(", ")})`)
    } else {
      conditions.push(`${quoted} = ${bind(value)}`)
    }
  }
  return conditions
}
