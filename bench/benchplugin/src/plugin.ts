/**
 * The benchmark plugin (name `bench`, folder `benchplugin`): the workload of `bench/README.md`, identical to
 * pydevlake's benchmark plugin so that both frameworks can be measured against the same mock API.
 */
import { Context, Effect, Stream } from "effect"
import { Api, Domain, Paginator, Plugin } from "tsdevlake"
import { migrations } from "./migrations.js"
import { BenchConnection, BenchScope, BenchScopeConfig, BenchUser } from "./models.js"

/** The API client of one connection. */
export class BenchApi extends Context.Tag("@tsdevlake/benchplugin/BenchApi")<BenchApi, Api.Client>() {}

export const PAGE_SIZE = 100

const usersPaginator = Paginator.token({ items: "results", token: "nextPage", param: "pageToken" })

const bench = Plugin.define({
  name: "bench",
  folder: "benchplugin",
  connection: BenchConnection,
  scope: BenchScope,
  scopeConfig: BenchScopeConfig
})

export const Users = bench.stream({
  name: "users",
  toolModel: BenchUser,
  domainTypes: ["CROSS"],
  domainModels: [Domain.Crossdomain.Account],
  // Pages of 100 users. Every record carries the paginator's position after it (the page's token and how many of
  // its users come before), which the framework saves with each committed batch: a collect killed at any point
  // and run again with `incremental` goes on after the last committed user, and after a completed run re-reads
  // the last page for users appended since. `maxRequests` bounds the requests actually sent.
  state: Paginator.Position,
  collect: (ctx) =>
    Stream.unwrap(
      Effect.map(BenchApi, (api) =>
        api.paginate(usersPaginator, { path: "users", query: { pageSize: PAGE_SIZE } }, {
          resume: ctx.state,
          maxPages: ctx.connection.maxRequests
        }))
    ),
  // No `extract`: the framework's default extractor (by field name and JSON pointer) is what is measured.
  convert: (user) =>
    Effect.succeed([
      new Domain.Crossdomain.Account({
        email: user.email,
        fullName: user.name,
        userName: user.login,
        avatarUrl: user.avatarUrl,
        organization: user.department,
        createdDate: user.joinedAt,
        status: user.active ? 1 : 0
      })
    ])
})

/** The mock API has one dataset per connection: one group holding one scope. */
const DATASET_GROUP = { id: "dataset", name: "Dataset" }

export const BenchPlugin = bench.make({
  description: "benchmark plugin: users of the mock API",
  streams: [Users],
  migrations,
  layer: (connection) => Api.layer(BenchApi, { baseUrl: connection.endpoint }),
  testConnection: () =>
    Effect.flatMap(BenchApi, (api) => api.execute({ path: "users", query: { pageSize: 1 } })).pipe(
      Effect.match({
        onSuccess: (response) => ({ success: true, message: "Connection successful", status: response.status }),
        onFailure: (error) => ({
          success: false,
          message: error.message,
          status: "status" in error && typeof error.status === "number" ? error.status : 500
        })
      })
    ),
  remoteScopeGroups: () => Effect.succeed([DATASET_GROUP]),
  remoteScopes: (connection, groupId) =>
    Effect.succeed(
      groupId === DATASET_GROUP.id
        ? [new BenchScope({ id: "users", name: `users of ${connection.endpoint}` })]
        : []
    ),
  // Accounts belong to no domain scope.
  domainScopes: () => []
})
