import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import * as Db from "../../src/Db.js"
import { collectRows, scopedTable, testDatabases } from "../utils/databases.js"

// On MySQL a string written to a bytes column (a raw row's JSON text) goes to mysql2 as the string when the
// connection's character set is utf8mb4: mysql2 then writes its UTF-8 bytes. On another character set the server
// would keep it in that one and lose what it cannot hold (utf8mb3: the emoji), so the framework binds the UTF-8
// bytes instead.

const columns: ReadonlyArray<Db.ColumnSpec> = [
  { name: "id", type: "integer", primaryKey: true },
  { name: "data", type: "bytes" }
]
const texts = ["{\"a\":1}", "ünïcødé \u20ac 😀 <&>", ""]

const withCharset = (url: string, charset: string) => {
  const parsed = new URL(url)
  parsed.searchParams.set("charset", charset)
  return parsed.toString()
}

const mysql = (await testDatabases()).find((database) => database.name === "mysql")!

for (const charset of ["utf8mb4", "utf8", "latin1"]) {
  describe.skipIf(mysql.skip !== undefined)(`bytes written as text on mysql, charset ${charset}`, () => {
    layer(Db.layer(withCharset(mysql.url, charset)), { excludeTestServices: true })((it) => {
      it.scoped("stores the text's UTF-8 bytes", () =>
        Effect.gen(function*() {
          const db = yield* Db.Database
          const table = yield* scopedTable("bytes_charset", columns)
          yield* db.insertBatch(table.name, columns, texts.map((data, id) => ({ id, data })))
          const read = yield* collectRows(db.streamById(table.name, { columns }))
          assert.deepStrictEqual(
            read.map((row) => Buffer.from(row["data"] as Uint8Array)),
            texts.map((text) => Buffer.from(text, "utf8"))
          )
        }))
    })
  })
}
