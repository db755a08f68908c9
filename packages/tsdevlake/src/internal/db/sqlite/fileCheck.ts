/**
 * Whether a SQLite database file is still the one a command opened. SQLite keeps writing to a file deleted or
 * replaced under it (the open descriptors still reach the old inode) and every statement succeeds, so a command
 * would report its rows written while they went with the old file. The layer that opens a file provides its
 * identity (device and inode) as this optional service; a command checks it before it reports success.
 *
 * @internal
 */
import { Context, Effect, Option } from "effect"
import { statSync } from "node:fs"
import { causeLine, DbError } from "../errors.js"

/**
 * The SQLite file a layer opened, and the check that it is still there, the same file.
 *
 * @internal
 */
export class SqliteFile extends Context.Tag("tsdevlake/Db/SqliteFile")<SqliteFile, {
  readonly filename: string
  /** Fails with one line naming the file when it was deleted or replaced since the layer opened it. */
  readonly verify: Effect.Effect<void, DbError>
}>() {}

/** Device and inode (`bigint`: an inode can exceed 2^53), or `undefined` when nothing is at `path`. */
const identityOf = (path: string): string | undefined => {
  const stats = statSync(path, { bigint: true, throwIfNoEntry: false })
  return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`
}

const failure = (display: string, detail: string) =>
  new DbError({ reason: "Connect", detail: `SQLite database file ${display} ${detail}` })

/**
 * The `SqliteFile` of a file the caller has just opened (so it exists: better-sqlite3 creates it on open).
 *
 * @internal
 */
export const watch = (filename: string, display: string): Effect.Effect<Context.Tag.Service<SqliteFile>, DbError> =>
  Effect.try({
    try: () => {
      const opened = identityOf(filename)
      const verify = Effect.try({
        try: () => identityOf(filename),
        catch: (cause) => failure(display, `cannot be checked: ${causeLine(cause)}`)
      }).pipe(Effect.flatMap((now) =>
        now === opened ? Effect.void : Effect.fail(
          failure(
            display,
            `was ${now === undefined ? "deleted" : "replaced"} while the command ran: what it wrote is not in that file`
          )
        )
      ))
      return { filename, verify }
    },
    catch: (cause) => failure(display, `cannot be checked: ${causeLine(cause)}`)
  })

/**
 * Checks the SQLite file of the database in context, if it is one: a command calls this last, before reporting
 * success. Nothing to check on MySQL, PostgreSQL or an in-memory database.
 *
 * @internal
 */
export const verifySqliteFile: Effect.Effect<void, DbError> = Effect.flatMap(
  Effect.serviceOption(SqliteFile),
  Option.match({ onNone: () => Effect.void, onSome: (file) => file.verify })
)
