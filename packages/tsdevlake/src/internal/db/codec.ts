import { Either } from "effect"
import type { ColumnType, DialectName } from "../../Db.js"
import { DbError } from "./errors.js"

/**
 * JS value → driver bind value, and driver value → JS value, per column type and dialect.
 *
 * Writing: `null`/`undefined` → NULL for every type. Dates go to better-sqlite3 as ISO text (it
 * cannot bind Date), to mysql2 as UTC wall-clock text `YYYY-MM-DD HH:MM:SS.mmm` within DATETIME's years
 * 1000 to 9999 (else as Date; mysql2 is configured with `timezone: "Z"`), to pg as Date; booleans go to
 * SQLite as 0/1; 64-bit integers beyond 2^53 travel as bigint (SQLite) or decimal text (MySQL, PG);
 * JSON values are always serialised with `JSON.stringify` (so a JS string becomes a JSON string).
 *
 * Reading normalises what drivers differ on: pg returns int8/numeric as text, MySQL booleans as
 * 0/1, SQLite datetimes and JSON as text, SQLite with `SafeIntegers` every integer as bigint. The
 * decoded value for an integer column is a `number` when it is a safe integer, else a `bigint`.
 */

const encodeError = (detail: string) => Either.left(new DbError({ reason: "Encode", detail }))
const decodeError = (detail: string) => Either.left(new DbError({ reason: "Decode", detail }))

const describeValue = (value: unknown): string => {
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  if (value instanceof Date) return "an invalid Date"
  return typeof value === "object" ? `a ${value.constructor?.name ?? "object"}` : `a ${typeof value}`
}

const integerText = /^-?\d+$/

const toBuffer = (value: Uint8Array): Buffer =>
  Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)

const encodeInteger = (
  dialect: DialectName,
  value: unknown,
  unsigned: boolean
): Either.Either<unknown, DbError> => {
  let big: bigint
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return encodeError(`expected an integer, got ${value}`)
    if (unsigned && value < 0) return encodeError(`expected a non-negative integer, got ${value}`)
    return Either.right(value)
  } else if (typeof value === "bigint") {
    big = value
  } else if (typeof value === "string" && integerText.test(value.trim())) {
    big = BigInt(value.trim())
  } else {
    return encodeError(`expected an integer, got ${describeValue(value)}`)
  }
  if (unsigned && big < 0n) return encodeError(`expected a non-negative integer, got ${big}`)
  if (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)) return Either.right(Number(big))
  return Either.right(dialect === "sqlite" ? big : big.toString())
}

/**
 * A date for mysql2: text in DATETIME's range, which mysql2 binds as it is, instead of a Date, for which it
 * allocates a writer per value (about 0.1 CPU s per 100,000 rows of three dates); the Date out of that range.
 */
const mysqlDateTime = (date: Date): Date | string => {
  const year = date.getUTCFullYear()
  if (year < 1000 || year > 9999) return date
  const iso = date.toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

const toDate = (value: unknown): Date | undefined => {
  const date = value instanceof Date
    ? value
    : typeof value === "string" || typeof value === "number"
    ? new Date(value)
    : undefined
  return date === undefined || Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * Encodes one value for binding into a column of type `type`.
 *
 * @internal
 */
export const encodeValue = (
  dialect: DialectName,
  type: ColumnType,
  value: unknown
): Either.Either<unknown, DbError> => {
  if (value === null || value === undefined) return Either.right(null)
  switch (type) {
    case "integer":
      return encodeInteger(dialect, value, false)
    case "unsignedInteger":
      return encodeInteger(dialect, value, true)
    case "number": {
      const number = typeof value === "number"
        ? value
        : typeof value === "bigint"
        ? Number(value)
        : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : NaN
      return Number.isFinite(number)
        ? Either.right(number)
        : encodeError(`expected a finite number, got ${describeValue(value)}`)
    }
    case "boolean": {
      const bool = typeof value === "boolean" ? value : value === 1 || value === 0 ? value === 1 : undefined
      if (bool === undefined) return encodeError(`expected a boolean, got ${describeValue(value)}`)
      return Either.right(dialect === "sqlite" ? (bool ? 1 : 0) : bool)
    }
    case "string":
      if (typeof value === "string") return Either.right(value)
      if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
        return Either.right(String(value))
      }
      if (value instanceof Date && !Number.isNaN(value.getTime())) return Either.right(value.toISOString())
      return encodeError(`expected a string, got ${describeValue(value)}`)
    case "datetime": {
      const date = toDate(value)
      if (date === undefined) return encodeError(`expected a valid date, got ${describeValue(value)}`)
      return Either.right(
        dialect === "sqlite" ? date.toISOString() : dialect === "mysql" ? mysqlDateTime(date) : date
      )
    }
    case "json":
      try {
        return Either.right(JSON.stringify(value))
      } catch (cause) {
        return encodeError(
          `value is not serialisable as JSON: ${cause instanceof Error ? cause.message : String(cause)}`
        )
      }
    case "bytes":
      if (value instanceof Uint8Array) return Either.right(toBuffer(value))
      if (value instanceof ArrayBuffer) return Either.right(Buffer.from(value))
      if (typeof value === "string") return Either.right(Buffer.from(value, "utf8"))
      return encodeError(`expected bytes (Uint8Array or string), got ${describeValue(value)}`)
  }
}

/**
 * Encodes a value whose column type is unknown (WHERE conditions, keyset cursors), by its JS type.
 *
 * @internal
 */
export const encodeLoose = (dialect: DialectName, value: unknown): unknown => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return dialect === "sqlite" ? value.toISOString() : value
  if (typeof value === "boolean") return dialect === "sqlite" ? (value ? 1 : 0) : value
  if (typeof value === "bigint") return dialect === "sqlite" ? value : value.toString()
  if (value instanceof Uint8Array) return toBuffer(value)
  if (typeof value === "object") return JSON.stringify(value)
  return value
}

const decodeInteger = (value: unknown): Either.Either<unknown, DbError> => {
  if (typeof value === "number") return Either.right(value)
  if (typeof value === "bigint") {
    return Either.right(
      value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
    )
  }
  if (typeof value === "string" && integerText.test(value)) {
    const number = Number(value)
    return Either.right(Number.isSafeInteger(number) ? number : BigInt(value))
  }
  if (typeof value === "boolean") return Either.right(value ? 1 : 0)
  return decodeError(`expected an integer, got ${describeValue(value)}`)
}

const sqliteTimestamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

/**
 * Decodes one driver value read from a column of type `type`.
 *
 * @internal
 */
export const decodeValue = (
  dialect: DialectName,
  type: ColumnType,
  value: unknown
): Either.Either<unknown, DbError> => {
  if (value === null || value === undefined) return Either.right(null)
  switch (type) {
    case "integer":
    case "unsignedInteger":
      return decodeInteger(value)
    case "number": {
      const number = typeof value === "number" ? value : Number(value)
      return Number.isNaN(number) ? decodeError(`expected a number, got ${describeValue(value)}`) : Either.right(number)
    }
    case "boolean":
      if (typeof value === "boolean") return Either.right(value)
      if (typeof value === "number" || typeof value === "bigint") return Either.right(value !== 0 && value !== 0n)
      if (value === "0" || value === "1") return Either.right(value === "1")
      if (value === "t" || value === "f") return Either.right(value === "t")
      return decodeError(`expected a boolean, got ${describeValue(value)}`)
    case "string":
      if (typeof value === "string") return Either.right(value)
      if (value instanceof Uint8Array) return Either.right(toBuffer(value).toString("utf8"))
      if (value instanceof Date) {
        return Number.isNaN(value.getTime())
          ? decodeError("expected a string, got an invalid Date")
          : Either.right(value.toISOString())
      }
      return Either.right(String(value))
    case "datetime": {
      if (value instanceof Date) return Either.right(Number.isNaN(value.getTime()) ? null : value)
      if (typeof value === "string") {
        // SQLite's CURRENT_TIMESTAMP writes "YYYY-MM-DD HH:MM:SS" in UTC without a zone.
        const text = sqliteTimestamp.test(value) ? `${value.replace(" ", "T")}Z` : value
        const date = new Date(text)
        return Number.isNaN(date.getTime())
          ? decodeError("expected a date, got a string that is not one")
          : Either.right(date)
      }
      if (typeof value === "number" || typeof value === "bigint") return Either.right(new Date(Number(value)))
      return decodeError(`expected a date, got ${describeValue(value)}`)
    }
    case "json": {
      // pg parses json/jsonb itself; mysql2 runs with jsonStrings and SQLite stores text, so parse those.
      if (dialect === "postgres") return Either.right(value)
      const text = typeof value === "string"
        ? value
        : value instanceof Uint8Array
        ? toBuffer(value).toString("utf8")
        : undefined
      if (text === undefined) return Either.right(typeof value === "bigint" ? Number(value) : value)
      try {
        return Either.right(JSON.parse(text))
      } catch {
        return decodeError("stored value is not valid JSON")
      }
    }
    case "bytes":
      if (value instanceof Uint8Array) return Either.right(toBuffer(value))
      if (typeof value === "string") return Either.right(Buffer.from(value, "utf8"))
      return decodeError(`expected bytes, got ${describeValue(value)}`)
  }
}

/**
 * Normalises a value read without a declared type: bigints (SQLite `SafeIntegers`) become numbers
 * when safe; everything else is returned as the driver produced it.
 *
 * @internal
 */
export const decodeLoose = (value: unknown): unknown =>
  typeof value === "bigint" && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value

/** The `Either`-returning codec as a function that returns the value or throws the `DbError`. */
const orThrow = (f: (value: unknown) => Either.Either<unknown, DbError>) => (value: unknown): unknown => {
  const result = f(value)
  if (Either.isLeft(result)) throw result.left
  return result.right
}

/**
 * `encodeValue` for one column type as a plain function for hot loops: returns the bind value, throws the
 * `DbError` on a value it cannot encode. The common cases skip the `Either`; the rest defer to
 * `encodeValue`, so both always agree.
 *
 * @internal
 */
export const encoderFor = (dialect: DialectName, type: ColumnType): (value: unknown) => unknown => {
  const slow = orThrow((value) => encodeValue(dialect, type, value))
  switch (type) {
    case "string":
      return (value) => typeof value === "string" ? value : value == null ? null : slow(value)
    case "integer":
      return (value) =>
        typeof value === "number" && Number.isSafeInteger(value) ? value : value == null ? null : slow(value)
    case "unsignedInteger":
      return (value) =>
        typeof value === "number" && Number.isSafeInteger(value) && value >= 0
          ? value
          : value == null
          ? null
          : slow(value)
    case "number":
      return (value) => typeof value === "number" && Number.isFinite(value) ? value : value == null ? null : slow(value)
    case "boolean":
      return dialect === "sqlite"
        ? (value) => value === true ? 1 : value === false ? 0 : value == null ? null : slow(value)
        : (value) => typeof value === "boolean" ? value : value == null ? null : slow(value)
    case "datetime": {
      if (dialect === "postgres") {
        return (value) =>
          value instanceof Date && !Number.isNaN(value.getTime()) ? value : value == null ? null : slow(value)
      }
      const format = dialect === "sqlite" ? (date: Date) => date.toISOString() : mysqlDateTime
      // Consecutive rows often carry the same instant (a batch's created_at/updated_at): format it once.
      let lastTime = NaN
      let lastText = ""
      return (value) => {
        if (value instanceof Date) {
          const time = value.getTime()
          if (time === lastTime) return lastText
          if (!Number.isNaN(time)) {
            const formatted = format(value)
            // Text only: a Date passed through is the caller's, and stays theirs.
            if (typeof formatted !== "string") return formatted
            lastTime = time
            lastText = formatted
            return formatted
          }
        }
        return value == null ? null : slow(value)
      }
    }
    default:
      return (value) => value == null ? null : slow(value)
  }
}

const minSafe = BigInt(Number.MIN_SAFE_INTEGER)
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * `decodeValue` for one column type as a plain function for hot loops: returns the JS value, throws the
 * `DbError`. Common driver values skip the `Either`; the rest defer to `decodeValue`.
 *
 * @internal
 */
export const decoderFor = (dialect: DialectName, type: ColumnType): (value: unknown) => unknown => {
  const slow = orThrow((value) => decodeValue(dialect, type, value))
  switch (type) {
    case "string":
      return (value) => typeof value === "string" ? value : value == null ? null : slow(value)
    case "integer":
    case "unsignedInteger":
      return (value) =>
        typeof value === "number"
          ? value
          : typeof value === "bigint" && value >= minSafe && value <= maxSafe
          ? Number(value)
          : value == null
          ? null
          : slow(value)
    case "datetime": {
      // Consecutive rows often carry the same text (a batch's created_at/updated_at): parse it once. Each row
      // still gets a Date of its own (they are mutable).
      let lastText = ""
      let lastTime = NaN
      return (value) => {
        // ISO text as this codec writes it on SQLite; anything else (SQLite's own timestamps, driver Dates) is slow.
        if (typeof value === "string" && value.length >= 20 && value.charCodeAt(10) === 84 /* T */) {
          if (value === lastText) return new Date(lastTime)
          const date = new Date(value)
          const time = date.getTime()
          if (!Number.isNaN(time)) {
            lastText = value
            lastTime = time
            return date
          }
        }
        return value == null ? null : slow(value)
      }
    }
    case "bytes":
      return (value) => Buffer.isBuffer(value) ? value : value == null ? null : slow(value)
    default:
      return (value) => value == null ? null : slow(value)
  }
}
