/**
 * The plugin through its run.sh, as DevLake drives it, against the mock: connections for the cloud (through the
 * mock as proxy, its CA trusted by `NODE_EXTRA_CA_CERTS`) and on-premises, the scope DevLake would store from
 * remote-scopes, the whole pipeline of `tsdevlake run`, and reading the rows back.
 */
import { Effect } from "effect"
import * as path from "node:path"
import { Db, Invoker } from "tsdevlake/runtime"
import { runPipeline } from "../../../../packages/cli/src/run/pipeline.js"
import type { Mock } from "../../mock/index.js"

export const runSh = path.resolve(import.meta.dirname, "../../run.sh")

export type Connection = Readonly<Record<string, unknown>>

/** The cloud hosts through the mock as proxy; the organization left empty lists all of the token's. */
export const cloudConnection = (mock: Mock, token = mock.data.token): Connection => ({
  id: 1,
  name: "cloud",
  token,
  organization: "",
  proxy: mock.proxyUrl
})

/** An Azure DevOps Server collection URL on the mock (`/tfs/fabrikam/`). */
export const onPremConnection = (mock: Mock, token = mock.data.token): Connection => ({
  id: 1,
  name: "server",
  token,
  endpoint: mock.collectionUrl(),
  proxy: ""
})

/** The child processes trust the mock's CA, as a corporate proxy's CA is trusted. */
export const env = (mock: Mock): NodeJS.ProcessEnv => ({ ...process.env, NODE_EXTRA_CA_CERTS: mock.caFile })

export const invoke = (mock: Mock, method: string, args: ReadonlyArray<unknown>) =>
  Effect.runPromise(Invoker.run({ runSh, method, args, env: env(mock) }))

export const call = (mock: Mock, method: string, args: ReadonlyArray<unknown>) =>
  Effect.runPromise(Invoker.call({ runSh, method, args, env: env(mock) }))

/** The scope of repository `name` of group `org/project`, as remote-scopes offers it. */
export const remoteScope = async (mock: Mock, connection: Connection, group: string, name: string) => {
  const scopes = await Effect.runPromise(
    Invoker.stream({ runSh, method: "remote-scopes", args: [connection, group], env: env(mock) })
  ) as ReadonlyArray<{ readonly data: Record<string, unknown> }>
  const scope = scopes.find((s) => s.data["name"] === name)
  if (scope === undefined) throw new Error(`no scope ${name} in ${JSON.stringify(scopes)}`)
  return scope.data
}

export const SCOPE_CONFIG = {
  entities: ["CODE", "CICD", "TICKET"],
  deploymentPattern: "deploy",
  productionPattern: "prod",
  environmentPattern: "(?:deploy|predeploy)[_-](.+?)(?:[_-](?:helm|terraform))?$"
}

const silent = { start: () => {}, update: () => {}, finish: () => {} }

/**
 * `tsdevlake run`'s pipeline (plugin-info, migrate, make-pipeline, every subtask of the plan) for one scope. The
 * subtasks inherit this process's environment (runPipeline takes none), so the mock's CA is set in it: Node
 * reads `NODE_EXTRA_CA_CERTS` only at a process's start, so this process is not affected.
 */
export const pipeline = (mock: Mock, options: { connection: Connection; scope: Connection; dbUrl: string }) => {
  process.env["NODE_EXTRA_CA_CERTS"] = mock.caFile
  const lines: Array<string> = []
  return Effect.runPromise(
    runPipeline({
      runSh,
      connection: options.connection,
      scope: options.scope,
      scopeConfig: SCOPE_CONFIG,
      dbUrl: options.dbUrl,
      dbDisplay: "test database",
      incremental: false,
      streams: [],
      reporter: silent,
      log: (line) => lines.push(line)
    }).pipe(
      // A failed subtask says why: its last lines of output.
      Effect.catchTag(
        "SubtaskFailedError",
        (error) => Effect.fail(new Error(`${error.message}: ${error.lastLines.join(" | ")}`))
      )
    )
  ).then((result) => ({ ...result, lines }))
}

export const query = (url: string, statement: string) =>
  Effect.runPromise(Effect.flatMap(Db.Database, (db) => db.execute(statement)).pipe(Effect.provide(Db.layer(url))))

/** Rows of `table` a scope wrote (by its raw-data params), without the times of writing, in a stable order. */
export const scopeRows = async (url: string, table: string, params: string, rawTable = false) => {
  // The params are JSON of a UUID and a number: no quote to escape.
  const where = rawTable ? `params = '${params}'` : `_raw_data_params = '${params}'`
  const rows = await query(url, `SELECT * FROM ${table} WHERE ${where}`)
  const plain = rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(row)) {
      if (name === "created_at" || name === "updated_at") continue
      out[name] = value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? value.toString("utf8") : value
    }
    return out
  })
  return plain.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
}

export const count = async (url: string, table: string, params: string, rawTable = false) =>
  (await scopeRows(url, table, params, rawTable)).length
