import { Effect } from "effect"
import * as path from "node:path"
import { Invoker } from "tsdevlake/runtime"

export const pluginDir = path.resolve(import.meta.dirname, "..")
export const runSh = path.join(pluginDir, "run.sh")
export const repoRoot = path.resolve(pluginDir, "../..")

export const VALID_TOKEN = "this_is_a_valid_token"

/** A connection as the Go server sends it (`json.Marshal` of the dynamic struct). */
export const goConnection = (token: string = VALID_TOKEN) => ({
  id: 1,
  name: "fake connection",
  token,
  proxy: "",
  createdAt: "2026-11-27T09:00:00.000Z",
  updatedAt: "2026-11-27T09:00:00.000Z"
})

/** A scope row as the Go server sends it: zero values included. */
export const goScope = (id = "p1", name = "Project 1") => ({
  id,
  connectionId: 1,
  name,
  scopeConfigId: 1,
  url: `http://fake.org/api/project/${id}`,
  createdAt: "2026-11-27T09:00:00.000Z",
  updatedAt: "2026-11-27T09:00:00.000Z",
  _raw_data_params: `{"ConnectionId":1,"ScopeId":"${id}"}`,
  _raw_data_table: "_raw_fake_scopes",
  _raw_data_id: 0,
  _raw_data_remark: ""
})

export const goScopeConfig = (entities: ReadonlyArray<string> = ["CICD"], env = "production") => ({
  id: 1,
  name: "default config",
  connectionId: 1,
  entities,
  env,
  createdAt: "0001-01-01T00:00:00Z",
  updatedAt: "0001-01-01T00:00:00Z"
})

export const invoke = (method: string, args: ReadonlyArray<unknown> = [], options: Partial<Invoker.RunOptions> = {}) =>
  Effect.runPromise(Invoker.run({ runSh, method, args, ...options }))

/** Runs argv verbatim (for malformed input the Go server would never send). */
export const invokeRaw = (argv: ReadonlyArray<string>) =>
  Effect.runPromise(Invoker.run({ runSh, method: argv[0] ?? "", args: [], config: null, rawArgs: argv.slice(1) }))
