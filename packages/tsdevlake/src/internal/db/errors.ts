import { Schema } from "effect"

/**
 * The Db module's two errors, and the one-line description of a driver's failure their messages use. They live
 * here, not in `Db.ts`, so every module of `internal/db` can fail with them without importing a public module;
 * `Db` re-exports them.
 */

/**
 * A `db_url` that cannot be used. `url` is already redacted (password replaced by `***`), so the
 * error can be logged and sent over fd 3 as is.
 *
 * @internal
 */
export class DbUrlError extends Schema.TaggedError<DbUrlError>("tsdevlake/Db/DbUrlError")("DbUrlError", {
  reason: Schema.Literal(
    "Empty",
    "UnknownScheme",
    "Malformed",
    "MissingHost",
    "MissingDatabase",
    "BadPort",
    "BadParameter"
  ),
  url: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Invalid DB URL ${this.url === "" ? "(empty)" : this.url}: ${this.detail}`
  }
}

/**
 * Any failure talking to the database. `message` is one line, names the operation and the table
 * or host involved, and never contains a password or bound values.
 *
 * - `Driver`: the driver module could not be loaded.
 * - `Connect`: opening the database failed (host, credentials, TLS, file).
 * - `Query`: a statement failed.
 * - `Encode` / `Decode`: a JS value does not fit the column type, or a stored value cannot be read back.
 * - `InvalidSpec`: a table or column spec this dialect cannot create.
 *
 * @internal
 */
export class DbError extends Schema.TaggedError<DbError>("tsdevlake/Db/DbError")("DbError", {
  reason: Schema.Literal("Driver", "Connect", "Query", "Encode", "Decode", "InvalidSpec"),
  detail: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message(): string {
    return this.detail
  }
}

/**
 * First line of a driver error's message, truncated; driver messages can span lines (pg hints) or
 * embed long SQL, and our messages promise to be one line.
 *
 * @internal
 */
export const causeLine = (cause: unknown, maxLength = 300): string => {
  const line = describeCause(cause, 0).split(/\r?\n/, 1)[0]?.trim() ?? ""
  return line.length > maxLength ? `${line.slice(0, maxLength)}…` : line
}

const describeCause = (cause: unknown, depth: number): string => {
  if (typeof cause === "string") return cause
  if (cause === null || typeof cause !== "object" || depth > 4) return String(cause)
  const record = cause as {
    readonly _tag?: unknown
    readonly cause?: unknown
    readonly errors?: unknown
    readonly code?: unknown
  }
  // @effect/sql wraps every driver error as SqlError("Failed to execute statement"); the driver's own text is more useful.
  if (record._tag === "SqlError" && record.cause !== undefined) return describeCause(record.cause, depth + 1)
  const message = cause instanceof Error ? cause.message : ""
  if (message !== "") return message
  // Node reports a refused dual-stack connect as an AggregateError with an empty message.
  if (Array.isArray(record.errors) && record.errors.length > 0) return describeCause(record.errors[0], depth + 1)
  if (typeof record.code === "string") return record.code
  return String(cause)
}
