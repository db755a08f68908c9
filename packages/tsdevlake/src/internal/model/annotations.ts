/**
 * The annotations DevLake needs on models and their fields (primary keys, JSON-pointer sources, column
 * overrides, lengths), how they are set, and how a model class's own annotations are read back.
 *
 * @internal
 */
import { Schema, SchemaAST } from "effect"
import type { Any } from "./fields.js"

/** @internal */
export const PrimaryKeyId: unique symbol = Symbol.for("tsdevlake/Model/PrimaryKey")
/** @internal */
export const AutoIncrementId: unique symbol = Symbol.for("tsdevlake/Model/AutoIncrement")
/** @internal */
export const SourceId: unique symbol = Symbol.for("tsdevlake/Model/Source")
/** @internal */
export const MaxLengthId: unique symbol = Symbol.for("tsdevlake/Model/MaxLength")
/** @internal */
export const ColumnTypeId: unique symbol = Symbol.for("tsdevlake/Model/ColumnType")
/** @internal */
export const ColumnNameId: unique symbol = Symbol.for("tsdevlake/Model/ColumnName")
/** @internal */
export const RequiredId: unique symbol = Symbol.for("tsdevlake/Model/Required")
/** @internal */
export const ModelKindId: unique symbol = Symbol.for("tsdevlake/Model/Kind")
/** @internal */
export const TableNameId: unique symbol = Symbol.for("tsdevlake/Model/TableName")
/** @internal */
export const DomainScopeTypeId: unique symbol = Symbol.for("tsdevlake/Model/DomainScopeType")

/** The kind of a model class, which decides its base fields and where its rows live. @internal */
export type Kind = "connection" | "scope" | "scopeConfig" | "tool" | "domain" | "domainScope"

/** Column types a field maps to; `json` covers arrays and objects (DevLake stores them as JSON). @internal */
export type ColumnType = "integer" | "number" | "boolean" | "string" | "datetime" | "json" | "bytes"

/** @internal */
export interface Annotatable<S> {
  annotations(annotations: SchemaAST.Annotations): S
}

/** @internal */
export const primaryKey = <S extends Annotatable<S>>(self: S): S => self.annotations({ [PrimaryKeyId]: true })

/** @internal */
export const autoIncrement = (enabled: boolean) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [AutoIncrementId]: enabled })

/** @internal */
export const source = (pointer: string) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [SourceId]: pointer })

/** Bounds a string column and validates the length when decoding. @internal */
export const maxLength = (n: number) => <A extends string, I, R>(self: Schema.Schema<A, I, R>) =>
  self.pipe(Schema.maxLength(n)).annotations({ [MaxLengthId]: n })

/** @internal */
export const columnType = (type: ColumnType) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [ColumnTypeId]: type })

/** @internal */
export const columnName = (name: string) => <S extends Annotatable<S>>(self: S): S =>
  self.annotations({ [ColumnNameId]: name })

/** @internal */
export const required = <S extends Annotatable<S>>(self: S): S => self.annotations({ [RequiredId]: true })

// Schema.Class keeps class annotations on the type side (its declaration), not on the outer transformation.
const classAnnotation = (model: Any, id: symbol): unknown =>
  SchemaAST.typeAST(model.ast).annotations[id] ?? model.ast.annotations[id]

/** The kind of a model class, if it was built with the model constructors. @internal */
export const kindOf = (model: Any): Kind | undefined => classAnnotation(model, ModelKindId) as Kind | undefined

/** Explicit table name of a model (given with `{ table }`), if any. @internal */
export const explicitTableName = (model: Any): string | undefined =>
  classAnnotation(model, TableNameId) as string | undefined

/** The domain scope type name (`Repo`, `CicdScope`, `Board`, `CqProject`) of a domain scope class. @internal */
export const domainScopeType = (model: Any): string | undefined =>
  classAnnotation(model, DomainScopeTypeId) as string | undefined
