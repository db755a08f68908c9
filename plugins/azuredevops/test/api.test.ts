/**
 * The API client over the test kit's in-memory network: authentication, the API version, the sign-in page as
 * 401, both kinds of paging, and the hosts of the cloud and of an Azure DevOps Server collection.
 */
import { describe, expect, it } from "@effect/vitest"
import type * as Testing from "@tsdevlake/testing"
import { Effect, Either, Stream } from "effect"
import * as AzureApi from "../src/api.js"
import { connection, withApi as run } from "./support/client.js"

const get = (path: ReadonlyArray<string>) =>
  Effect.flatMap(AzureApi.AzureDevOps, (client) => client.api.execute({ path }))

const collect = (
  paginator: Parameters<AzureApi.AzureDevOpsClient["api"]["paginate"]>[0],
  path: ReadonlyArray<string>
) =>
  Effect.flatMap(AzureApi.AzureDevOps, (client) =>
    Stream.runCollect(client.api.paginate(paginator, { path })).pipe(
      Effect.map((records) => Array.from(records, (record) => record.data))
    ))

describe("api", () => {
  it.effect("sends Basic authentication with an empty user name and api-version 7.0", () =>
    Effect.gen(function*() {
      const seen: Array<Testing.Api.Request> = []
      yield* run(get(["org", "_apis", "projects"]), {
        "GET https://dev.azure.com/org/_apis/projects": (request) => {
          seen.push(request)
          return { body: { count: 0, value: [] } }
        }
      })
      expect(seen[0]!.headers["authorization"]).toBe(`Basic ${Buffer.from(":s3cret-token").toString("base64")}`)
      expect(seen[0]!.query["api-version"]).toBe("7.0")
    }))

  it.effect("reports the 203 sign-in page as 401", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(
        run(get(["org", "_apis", "projects"]), {
          "GET /org/_apis/projects": { status: 203, headers: { "content-type": "text/html" }, body: "<html>Sign in" }
        })
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("Unauthorized")
    }))

  it.effect("reports a redirect to the sign-in page as 401, without following it to another host", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(
        run(get(["org", "_apis", "projects"]), {
          "GET /org/_apis/projects": {
            status: 302,
            headers: { location: "https://spsprodweu5.vssps.visualstudio.com/_signin?realm=dev.azure.com" }
          }
        })
      )
      expect(Either.isLeft(result) && result.left._tag).toBe("Unauthorized")
    }))

  it.effect("follows x-ms-continuationtoken with continuationToken", () =>
    Effect.gen(function*() {
      const items = yield* run(collect(AzureApi.continuation, ["org", "p", "_apis", "build", "builds"]), {
        "GET /org/p/_apis/build/builds": (request) =>
          request.query["continuationToken"] === undefined
            ? { headers: { "x-ms-continuationtoken": "next-1" }, body: { count: 2, value: [1, 2] } }
            : request.query["continuationToken"] === "next-1"
            ? { body: { count: 1, value: [3] } }
            : { status: 400 }
      })
      expect(items).toEqual([1, 2, 3])
    }))

  it.effect("pages pull requests by $top and $skip until a short page", () =>
    Effect.gen(function*() {
      const skips: Array<string | undefined> = []
      const items = yield* run(
        collect(AzureApi.topSkip, ["org", "p", "_apis", "git", "repositories", "r", "pullrequests"]),
        {
          "GET /org/p/_apis/git/repositories/r/pullrequests": (request) => {
            skips.push(request.query["$skip"])
            const skip = Number(request.query["$skip"])
            const top = Number(request.query["$top"])
            const all = Array.from({ length: 130 }, (_, i) => i)
            return { body: { value: all.slice(skip, skip + top) } }
          }
        }
      )
      expect(items).toHaveLength(130)
      expect(skips).toEqual(["0", "100"])
    }))

  it.effect("after an exactly full page, asks one more, and none past the empty one it gets", () =>
    Effect.gen(function*() {
      const skips: Array<string | undefined> = []
      const items = yield* run(
        collect(AzureApi.topSkip, ["o", "p", "_apis", "git", "repositories", "r", "pullrequests"]),
        {
          "GET /o/p/_apis/git/repositories/r/pullrequests": (request) => {
            skips.push(request.query["$skip"])
            return {
              body: { value: Number(request.query["$skip"]) === 0 ? Array.from({ length: 100 }, (_, i) => i) : [] }
            }
          }
        }
      )
      expect(items).toHaveLength(100)
      expect(skips).toEqual(["0", "100"])
    }))

  it.effect("lists the organizations of the token's user from the profile host", () =>
    Effect.gen(function*() {
      const orgs = yield* run(AzureApi.organizations, {
        "GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me": { body: { id: "u1", displayName: "Ada" } },
        "GET https://app.vssps.visualstudio.com/_apis/accounts?memberId=u1": {
          body: {
            count: 2,
            value: [{ accountId: "a", accountName: "org-a" }, { accountId: "b", accountName: "org-b" }]
          }
        }
      })
      expect(orgs).toEqual(["org-a", "org-b"])
    }))

  it.effect("on premises, sends every request to the collection URL, which is the one organization", () =>
    Effect.gen(function*() {
      const endpoint = { endpoint: "http://tfs.example:8080/tfs/DefaultCollection" }
      const [orgs, projects] = yield* run(
        Effect.all([AzureApi.organizations, Stream.runCollect(AzureApi.projects("DefaultCollection"))]),
        {
          "GET http://tfs.example:8080/tfs/DefaultCollection/_apis/projects": {
            body: { count: 1, value: [{ id: "1", name: "Fabrikam" }] }
          }
        },
        endpoint
      )
      expect(orgs).toEqual(["DefaultCollection"])
      expect(Array.from(projects, (p) => p.name)).toEqual(["Fabrikam"])
      expect(AzureApi.endpointOf(connection(endpoint))).toBe("http://tfs.example:8080/tfs/DefaultCollection/")
      expect(AzureApi.endpointOf(connection({ endpoint: " " }))).toBeUndefined()
    }))
})
