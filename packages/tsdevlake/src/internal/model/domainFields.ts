/**
 * Field and class builders shared by the domain modules (`src/Domain/*.ts`): Go's zero values as defaults,
 * gorm's varchar sizes, and the two kinds of domain tables that have no `id` column.
 *
 * @internal
 */
import { Schema } from "effect"
import { maxLength, ModelKindId, primaryKey, TableNameId } from "./annotations.js"
import * as classes from "./classes.js"
import { withFastConstructor } from "./fastConstruct.js"

/** A relation table keyed by its own columns (`board_issues`, `cicd_pipeline_commits`, …). @internal */
export const Relation = classes.DomainRelation

/** A table Go computes itself (refdiff, gitextractor): no raw-data origin, no timestamps. @internal */
export const Plain =
  <Self = never>(identifier: string, options: { readonly table: string }) =>
  <const Fields extends Schema.Struct.Fields>(fields: Fields) => {
    const annotations = { [ModelKindId]: "domain", [TableNameId]: options.table }
    return withFastConstructor(Schema.Class<Self>(identifier)(fields, annotations), annotations)
  }

/**
 * One schema per size, shared by every field of that size: schemas are immutable, and building a length
 * filter for each of the domain models' ~240 string fields took a fifth of loading them.
 */
const bySize = <A>(make: (n: number) => A) => {
  const made = new Map<number, A>()
  return (n: number): A => {
    let schema = made.get(n)
    if (schema === undefined) {
      schema = make(n)
      made.set(n, schema)
    }
    return schema
  }
}

/** @internal */
export const key = bySize((n: number) => Schema.String.pipe(maxLength(n), primaryKey))
/** @internal */
export const varchar = bySize((n: number) =>
  Schema.optionalWith(Schema.String.pipe(maxLength(n)), { default: () => "" })
)
/** @internal */
export const text = Schema.optionalWith(Schema.String, { default: () => "" })
/** @internal */
export const int = Schema.optionalWith(Schema.Int, { default: () => 0 })
/** @internal */
export const float = Schema.optionalWith(Schema.Number, { default: () => 0 })
/** @internal */
export const bool = Schema.optionalWith(Schema.Boolean, { default: () => false })
/** @internal */
export const nullableInt = Schema.optional(Schema.NullOr(Schema.Int))
/** @internal */
export const nullableFloat = Schema.optional(Schema.NullOr(Schema.Number))
/** @internal */
export const nullableDate = Schema.optional(Schema.NullOr(classes.DateTime))
