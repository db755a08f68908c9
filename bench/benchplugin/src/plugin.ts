/**
 * The benchmark plugin (name `bench`, folder `benchplugin`): the workload of `bench/README.md`, identical to
 * pydevlake's benchmark plugin so that both frameworks can be measured against the same mock API.
 */
import { Chunk, Context, Effect, Option, Stream } from "effect"
import { Api, DataStream, Domain, Paginator, Plugin } from "tsdevlake"
import { migrations } from "./migrations.js"
import { BenchConnection, BenchScope, BenchScopeConfig, BenchUser } from "./models.js"

/** The API client of one connection. */
export class BenchApi extends Context.Tag("@tsdevlake/benchplugin/BenchApi")<BenchApi, Api.Client>() {}

export const PAGE_SIZE = 100

const usersPaginator = Paginator.token({ items: "results", token: "nextPage", param: "pageToken" })

/**
 * Where a collect resumes: the page to request (`pageToken`, `null` for the first page) and how many of
 * its users were already stored (`skip`). After the last user of a page the state points at the next
 * page; after the very last user it stays on the last page, so an incremental run re-reads that page and
 * picks up users appended since.
 */
export interface UsersState {
  readonly pageToken: string | null
  readonly skip: number
}

/** The state handed back by the framework, if it is one of ours (anything else starts from the beginning). */
export const decodeState = (state: unknown): UsersState => {
  const s = state as Partial<UsersState> | null | undefined
  return typeof s === "object" && s !== null &&
      (typeof s.pageToken === "string" || s.pageToken === null) &&
      typeof s.skip === "number" && Number.isInteger(s.skip) && s.skip >= 0
    ? { pageToken: s.pageToken, skip: s.skip }
    : { pageToken: null, skip: 0 }
}

const tokenOf = (request: Api.RequestSpec): string | null => {
  const value = request.query?.["pageToken"]
  return typeof value === "string" && value !== "" ? value : null
}

interface Cursor {
  readonly request: Api.RequestSpec
  readonly skip: number
  readonly requests: number
}

/**
 * Pages of 100 users with the token paginator, page by page so that every record carries the exact state
 * to resume after it, and so that `maxRequests` bounds the requests actually sent (a pull-based stream
 * cut after N records would already have asked for page N + 1).
 */
export const collectUsers = (ctx: DataStream.CollectContext<BenchConnection, BenchScope, BenchScopeConfig>) =>
  Stream.unwrap(Effect.map(BenchApi, (api) => {
    const resume = decodeState(ctx.state)
    const first = usersPaginator.start({
      path: "users",
      query: { pageSize: PAGE_SIZE, ...(resume.pageToken === null ? {} : { pageToken: resume.pageToken }) }
    })
    const maxRequests = ctx.connection.maxRequests
    return Stream.unfoldChunkEffect(
      Option.some<Cursor>({ request: first, skip: resume.skip, requests: 0 }),
      (cursor) => {
        if (Option.isNone(cursor)) return Effect.succeedNone
        const { request, requests, skip } = cursor.value
        if (requests >= maxRequests) {
          return Effect.logWarning(`collect users: stopped after maxRequests = ${maxRequests} requests`).pipe(
            Effect.as(Option.none())
          )
        }
        return Effect.gen(function*() {
          const response = yield* api.execute(request)
          const page = yield* usersPaginator.page(response)
          const token = tokenOf(request)
          const last = page.items.length - 1
          const records = page.items.slice(skip).map((data, j) => {
            const index = skip + j
            const state: UsersState = index === last && Option.isSome(page.next)
              ? { pageToken: tokenOf(page.next.value), skip: 0 }
              : { pageToken: token, skip: index + 1 }
            return DataStream.raw(data, { url: response.url, state })
          })
          const next = Option.map(
            page.next,
            (nextRequest): Cursor => ({ request: nextRequest, skip: 0, requests: requests + 1 })
          )
          return Option.some([Chunk.unsafeFromArray(records), next] as const)
        })
      }
    )
  }))

export const Users = DataStream.make({
  name: "users",
  toolModel: BenchUser,
  domainTypes: ["CROSS"],
  domainModels: [Domain.Crossdomain.Account],
  collect: collectUsers,
  // No `extract`: the framework's default extractor (by field name and JSON pointer) is what is measured.
  convert: (user: BenchUser) =>
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

export const BenchPlugin = Plugin.make({
  name: "bench",
  folder: "benchplugin",
  description: "benchmark plugin: users of the mock API",
  connection: BenchConnection,
  scope: BenchScope,
  scopeConfig: BenchScopeConfig,
  streams: [Users],
  migrations,
  layer: (connection: BenchConnection) => Api.layer(BenchApi, { baseUrl: connection.endpoint }),
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
  remoteScopes: (connection: BenchConnection, groupId: string) =>
    Effect.succeed(
      groupId === DATASET_GROUP.id
        ? [new BenchScope({ id: "users", name: `users of ${connection.endpoint}` })]
        : []
    ),
  // Accounts belong to no domain scope.
  domainScopes: () => []
})
