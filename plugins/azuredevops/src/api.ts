/**
 * The Azure DevOps REST client of one connection: the cloud hosts (`https://dev.azure.com/` and, for the user's
 * profile and organizations, `https://app.vssps.visualstudio.com/`) or an Azure DevOps Server collection URL,
 * Basic authentication with an empty user name and the token as password, `api-version=7.0` on every request,
 * the sign-in page a wrong token gets reported as 401 (pydevlake's 203 → 401), and the service's paging.
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Context, Effect, Layer, Option, Redacted, Stream } from "effect"
import { Api, Paginator } from "tsdevlake"
import type { AzureDevOpsConnection } from "./models.js"

/** The cloud's API host, for every organization. */
export const cloudUrl = "https://dev.azure.com/"

/** The cloud's profile and accounts host. */
export const vsspsUrl = "https://app.vssps.visualstudio.com/"

/** The API version every request asks for, as the Python plugin does. */
export const apiVersion = "7.0"

/** The page size asked of lists paged by `$top`/`$skip` (pull requests). */
export const pageSize = 100

/** The clients of one connection. */
export interface AzureDevOpsClient {
  /** The client of `dev.azure.com`, or of the collection URL on premises. */
  readonly api: Api.Client
  /** The client of the profile host; `undefined` on premises, which has none. */
  readonly vssps: Api.Client | undefined
  /** On premises, the collection's name: the one "organization" there is. */
  readonly collection: string | undefined
}

/** The Azure DevOps clients of the connection, provided by the plugin's `layer`. */
export class AzureDevOps extends Context.Tag("@tsdevlake/azuredevops/AzureDevOps")<AzureDevOps, AzureDevOpsClient>() {}

/** Absent, or empty as DevLake's UI sends a cleared field. */
export const blank = (value: string | null | undefined): value is null | undefined | "" =>
  value === undefined || value === null || value.trim() === ""

/** The collection URL of an on-premises connection, with a trailing slash; `undefined` for the cloud. */
export const endpointOf = (connection: AzureDevOpsConnection): string | undefined => {
  if (blank(connection.endpoint)) return undefined
  const url = connection.endpoint.trim()
  return url.endsWith("/") ? url : `${url}/`
}

/** The name of a collection URL: its last path segment (`DefaultCollection`), else its host. */
export const collectionName = (endpoint: string): string => {
  const url = new URL(endpoint)
  const segments = url.pathname.split("/").filter((s) => s !== "")
  return segments.length > 0 ? decodeURIComponent(segments[segments.length - 1]!) : url.host
}

// Every request asks for the same API version (pydevlake's `set_api_version` request hook).
const apiVersionHook = Api.requestHook(
  "api-version",
  (request) => HttpClientRequest.setUrlParam(request, "api-version", apiVersion)
)

/**
 * A wrong token is redirected (302) to a sign-in page, which answers 203 with HTML: both are reported as 401, as
 * pydevlake's `change_203_to_401` does (the cloud's sign-in page is on another host, which the client would
 * otherwise refuse to follow).
 */
export const signInIsUnauthorized = Api.responseHook("sign-in-is-401", (response) => {
  if (response.status === 203) return Api.withStatus(response, 401)
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers["location"] ?? ""
    if (/_signin|signin\?|\/_signedin/i.test(location)) return Api.withStatus(response, 401)
  }
  return response
})

const optionsFor = (connection: AzureDevOpsConnection, baseUrl: string): Api.Options => ({
  baseUrl,
  proxy: connection.proxy,
  rateLimitPerHour: connection.rateLimitPerHour,
  hooks: [Api.basic("", connection.token), apiVersionHook, signInIsUnauthorized],
  retry: { maxAttempts: 5 }
})

/** Builds the clients of a connection (in a scope that closes their connections). */
export const make = (connection: AzureDevOpsConnection) =>
  Effect.gen(function*() {
    const endpoint = endpointOf(connection)
    const api = yield* Api.make(optionsFor(connection, endpoint ?? cloudUrl))
    const vssps = endpoint === undefined ? yield* Api.make(optionsFor(connection, vsspsUrl)) : undefined
    return { api, vssps, collection: endpoint === undefined ? undefined : collectionName(endpoint) }
  })

/** The plugin's `layer`: the connection's clients. */
export const layer = (connection: AzureDevOpsConnection): Layer.Layer<AzureDevOps> =>
  Layer.scoped(AzureDevOps, make(connection))

/** The token, for a git URL (gitextractor clones with it). */
export const tokenOf = (connection: AzureDevOpsConnection): string => Redacted.value(connection.token)

/**
 * The path of `segments` in organization `org`: `org/…` on the cloud; on premises the client's base URL is the
 * collection, which is the organization, so the segments alone.
 */
export const inOrg = (client: AzureDevOpsClient, org: string, ...segments: ReadonlyArray<string | number>) =>
  (client.collection === undefined ? [org, ...segments] : [...segments]).map(String)

/** Lists paged by the `x-ms-continuationtoken` response header, sent back as `continuationToken`. */
export const continuation = Paginator.token({
  items: "value",
  tokenHeader: "x-ms-continuationtoken",
  param: "continuationToken"
})

/** A service connection's repositories: `{ repositories, continuationToken }` (the Python plugin read one page). */
export const sourceRepositories = Paginator.token({
  items: "repositories",
  token: "continuationToken",
  param: "continuationToken"
})

/**
 * Pull request lists: the service pages them by `$top`/`$skip` and sends no continuation token (the Python
 * plugin read the first page only). A page as long as asked is followed by the next `$skip`; a continuation
 * token, should a server send one, is followed instead.
 */
export const topSkip = Paginator.make({
  name: "top-skip",
  start: (request) => ({ ...request, query: { ...request.query, $top: pageSize, $skip: 0 } }),
  page: (response) => {
    const body = response.body as { readonly value?: unknown } | null
    const items = Array.isArray(body?.value) ? body.value as ReadonlyArray<unknown> : []
    const token = response.headers["x-ms-continuationtoken"]
    const query = response.request.query ?? {}
    if (token !== undefined && token !== "") {
      return { items, next: Option.some({ ...response.request, query: { ...query, continuationToken: token } }) }
    }
    const skip = Number(query["$skip"] ?? 0)
    const more = items.length > 0 && items.length >= Number(query["$top"] ?? pageSize) &&
      !("continuationToken" in query)
    return {
      items,
      next: more ? Option.some({ ...response.request, query: { ...query, $skip: skip + items.length } }) : Option.none()
    }
  }
})

/** An organization's projects (`{ id, name, … }`), every page. */
export const projects = (org: string) =>
  Stream.unwrap(
    Effect.map(AzureDevOps, (client) =>
      client.api.paginate(continuation, { path: inOrg(client, org, "_apis", "projects") }))
  ).pipe(Stream.map((record) =>
    record.data as { readonly id: string; readonly name: string }
  ))

/** The organizations the token's user belongs to, from their profile (cloud only). */
export const organizations = Effect.gen(function*() {
  const client = yield* AzureDevOps
  if (client.vssps === undefined) return client.collection === undefined ? [] : [client.collection]
  const profile = (yield* client.vssps.get(["_apis", "profile", "profiles", "me"])) as { readonly id: string }
  const accounts = (yield* client.vssps.get(["_apis", "accounts"], { query: { memberId: profile.id } })) as {
    readonly value: ReadonlyArray<{ readonly accountName: string }>
  }
  return accounts.value.map((account) => account.accountName)
})
