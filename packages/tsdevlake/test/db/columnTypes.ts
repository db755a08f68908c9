import type * as Db from "../../src/Db.js"

/** A table with a column of every column type, for the tests that write every type one way and read it back. */
export const allTypes: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true },
  { name: "big", type: "integer" },
  { name: "unsigned_id", type: "unsignedInteger" },
  { name: "ratio", type: "number" },
  { name: "done", type: "boolean" },
  { name: "label", type: "string", maxLength: 255 },
  { name: "body", type: "string" },
  { name: "at", type: "datetime" },
  { name: "payload", type: "json" },
  { name: "data", type: "bytes" }
]
