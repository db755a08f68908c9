/**
 * Running one subtask of a stream: its plan, then collect, extract or convert in a scope of its own; and the
 * task context a run is given.
 *
 * @internal
 */
import { Effect, type Scope } from "effect"
import type * as DataStream from "../../DataStream.js"
import type * as Db from "../../Db.js"
import type * as Model from "../../Model.js"
import { Database } from "../db/database.js"
import type { DbError } from "../db/errors.js"
import type * as plugins from "../plugin/definition.js"
import { domainIds } from "../plugin/identity.js"
import type { ArgumentError } from "../process/arguments.js"
import type { Ipc, IpcError } from "../process/replies.js"
import { collect } from "./collect.js"
import { convert } from "./convert.js"
import type { SubtaskError } from "./errors.js"
import { extract } from "./extract.js"
import { holdRunLock } from "./lock.js"
import { makePlan, type RunOptions, scopeIdOf, subtaskName } from "./plan.js"
import type { State } from "./state.js"
import { requireToolTable } from "./tableSetup.js"

/**
 * What a subtask fails with besides its stream's own errors: a record it cannot process (or another run holding its
 * scope), the database, fd 3, a bad `TSDEVLAKE_LOCK_WAIT_SECONDS`.
 *
 * @internal
 */
export type RunError = SubtaskError | DbError | IpcError | ArgumentError

/**
 * The services a subtask needs besides its stream's own: the database, the state store and fd 3.
 *
 * @internal
 */
export type RunRequirements = Db.Database | State | Ipc

/**
 * Runs one subtask of a stream for the task context, as the `collect` / `extract` / `convert` commands do.
 * Skips the stream when `shouldRunOn(scope)` is false.
 *
 * @internal
 */
export const run = <E, R>(
  plugin: plugins.Plugin,
  verb: DataStream.Verb,
  stream: DataStream.DataStream<Model.Any, E, R>,
  ctx: DataStream.TaskContext,
  options: RunOptions = {}
): Effect.Effect<void, RunError | E, RunRequirements | Exclude<R, Scope.Scope>> =>
  Effect.gen(function*() {
    const plan = makePlan(plugin, verb, stream, ctx, options, (yield* Database).dialect.name)
    const scopeId = scopeIdOf(ctx)
    if (!stream.shouldRunOn(ctx.scope)) {
      return yield* Effect.logInfo(`${subtaskName(plan)}: skipped, the stream does not apply to scope ${scopeId}`)
    }
    yield* Effect.logDebug(`${subtaskName(plan)}: scope ${scopeId}, incremental ${ctx.incremental}`)
    switch (verb) {
      case "collect":
        // Extract and convert check the tables they use first thing; collect checks extract's, before any request.
        yield* requireToolTable(plan)
        return yield* Effect.scoped(Effect.zipRight(holdRunLock(plan), collect(plan)))
      case "extract":
        return yield* Effect.scoped(Effect.zipRight(holdRunLock(plan), extract(plan)))
      case "convert":
        return yield* Effect.scoped(Effect.zipRight(holdRunLock(plan), convert(plan)))
    }
  }).pipe(Effect.withSpan(`Subtask.${verb}`, { attributes: { stream: stream.name } }))

/**
 * The task context of a decoded scope, connection and scope config.
 *
 * @internal
 */
export const taskContext = (
  plugin: plugins.Plugin,
  input: {
    readonly connection: unknown
    readonly scope: unknown
    readonly scopeConfig: unknown
    readonly options: Readonly<Record<string, unknown>>
  }
): DataStream.TaskContext => {
  const domainId = domainIds(plugin, (input.connection as { id: number }).id)
  return {
    connection: input.connection,
    scope: input.scope,
    scopeConfig: input.scopeConfig,
    options: input.options,
    incremental: input.options["incremental"] === true,
    domainScopeId: domainId(plugin.scope, input.scope as object),
    domainId
  }
}
