/**
 * The Python plugin's `tests/plugin_test.py` (a valid plugin; a run as DevLake drives it, against the mock API
 * where Python needed a real token) and the plugin's callbacks against canned responses: test-connection's messages, remote scope groups
 * and scopes, domain scopes, gitextractor and refdiff, and a whole run as DevLake drives it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect, Schema } from "effect"
import { type Mock, startMock } from "../mock/index.js"
import type * as AzureApi from "../src/api.js"
import { compilePattern, GitRepository, GitRepositoryConfig } from "../src/models.js"
import { AzureDevOpsPlugin, cloneUrl, hints, withoutUser } from "../src/plugin.js"
import { connection, withApi } from "./support/client.js"

const testConnection = (routes: Testing.Api.Routes, fields: Record<string, unknown> = {}) =>
  withApi(AzureDevOpsPlugin.testConnection(connection(fields)), routes, fields)

const profile = "GET https://app.vssps.visualstudio.com/_apis/profile/profiles/me"

const repository = (name: string, extra: Record<string, unknown> = {}) => ({
  id: `${name}-id`,
  name,
  url: `https://dev.azure.com/org/_apis/git/repositories/${name}-id`,
  remoteUrl: `https://org@dev.azure.com/org/proj/_git/${name}`,
  defaultBranch: "refs/heads/main",
  project: { id: "proj-id", name: "proj", lastUpdateTime: "2023-01-26T19:38:04.267Z" },
  ...extra
})

const scopeRoutes: Testing.Api.Routes = {
  "GET /org/proj/_apis/git/repositories": {
    body: {
      count: 3,
      value: [
        repository("app"),
        repository("empty", { defaultBranch: undefined }),
        repository("fork", { parentRepository: { url: "https://dev.azure.com/other/_git/app" } })
      ]
    }
  },
  "GET /org/proj/_apis/serviceendpoint/endpoints": {
    body: { count: 2, value: [{ id: "e1", type: "GitHub" }, { id: "e2", type: "AzureRM" }] }
  },
  "GET /org/proj/_apis/sourceProviders/github/repositories?serviceEndpointId=e1": {
    body: {
      repositories: [{
        id: "johndoe/test-repo",
        name: "johndoe/test-repo",
        properties: { cloneUrl: "https://github.com/johndoe/test-repo.git" }
      }],
      continuationToken: null
    }
  }
}

describe("plugin_test.py", () => {
  it("test_valid_plugin", () => Testing.assertValidPlugin(AzureDevOpsPlugin))

  // Python's test_valid_plugin_and_connection ran against the real service, and was skipped without
  // AZURE_DEVOPS_TOKEN: here the same connection and scope config run against the mock's collection, always.
  let mock: Mock
  beforeAll(async () => {
    mock = await startMock({ seed: "plugin_test", size: 4, cloud: false })
  })
  afterAll(() => mock?.close())

  it.live("test_valid_plugin_and_connection", () =>
    Effect.gen(function*() {
      const rows = yield* Testing.assertPluginRun(AzureDevOpsPlugin, {
        connection: { id: 1, name: "test_connection", token: mock.data.token, endpoint: mock.collectionUrl() },
        scopeConfig: { id: 1, name: "test_config" }
      })
      expect(rows["pull_requests"]).toBeGreaterThan(0)
      expect(rows["cicd_pipelines"]).toBeGreaterThan(0)
      // No entities: the Python plugin's domains, so no work item is asked for.
      expect(rows["issues"] ?? 0).toBe(0)
      expect(mock.requests.some((r) => r.url.includes("/_apis/wit/"))).toBe(false)
      expect(mock.requests.some((r) => r.url.includes("/pullrequests"))).toBe(true)
    }), 60_000)
})

describe("test-connection", () => {
  it.effect("succeeds when the profile answers (no organization set)", () =>
    Effect.map(
      testConnection({ [profile]: { body: { id: "u1" } } }),
      (result) => expect(result).toEqual({ success: true, message: "Connection successful", status: 200 })
    ))

  it.effect("gives Python's hint for a token that cannot reach all organizations", () =>
    Effect.map(
      testConnection({ [profile]: { status: 203, body: "<html>sign in</html>" } }),
      (result) =>
        expect(result).toEqual({ success: false, message: `Invalid token. ${hints.allOrganizations}`, status: 401 })
    ))

  it.effect("gives Python's hint for an organization the token cannot reach", () =>
    Effect.map(
      testConnection({ "GET /myorg/_apis/projects": { status: 401, body: { message: "expired" } } }, {
        organization: "myorg"
      }),
      (result) =>
        expect(result).toEqual({ success: false, message: `Invalid token. ${hints.organization}`, status: 401 })
    ))

  it.effect("says 'Connection failed' with the status of any other error", () =>
    Effect.map(
      testConnection({ "GET /myorg/_apis/projects": { status: 404, body: {} } }, { organization: "myorg" }),
      (result) => expect(result).toEqual({ success: false, message: "Connection failed", status: 404 })
    ))

  it.effect("tests the collection's projects on premises", () =>
    Effect.map(
      testConnection({ "GET http://tfs.test/DefaultCollection/_apis/projects": { body: { count: 0, value: [] } } }, {
        endpoint: "http://tfs.test/DefaultCollection/"
      }),
      (result) => expect(result.success).toBe(true)
    ))
})

describe("remote scopes", () => {
  it.effect("lists org/project groups of every organization of the user", () =>
    Effect.map(
      withApi(
        AzureDevOpsPlugin.remoteScopeGroups(connection()) as Effect.Effect<
          ReadonlyArray<unknown>,
          unknown,
          AzureApi.AzureDevOps
        >,
        {
          [profile]: { body: { id: "u1" } },
          "GET https://app.vssps.visualstudio.com/_apis/accounts?memberId=u1": {
            body: { value: [{ accountName: "org" }, { accountName: "org2" }] }
          },
          "GET /org/_apis/projects": { body: { value: [{ id: "1", name: "proj" }] } },
          "GET /org2/_apis/projects": { body: { value: [{ id: "2", name: "Other Project" }] } }
        }
      ),
      (groups) =>
        expect(groups).toEqual([{ id: "org/proj", name: "proj" }, { id: "org2/Other Project", name: "Other Project" }])
    ))

  it.effect("lists a project's repositories with a default branch, then its external ones", () =>
    Effect.map(
      withApi(
        AzureDevOpsPlugin.remoteScopes(connection(), "org/proj") as Effect.Effect<
          ReadonlyArray<GitRepository>,
          unknown,
          AzureApi.AzureDevOps
        >,
        scopeRoutes
      ),
      (scopes) => {
        expect(scopes.map((s) => s.name)).toEqual(["proj/app", "proj/fork", "github/proj/johndoe/test-repo"])
        const [app, fork, external] = scopes
        expect(app).toMatchObject({
          id: "app-id",
          url: "https://dev.azure.com/org/proj/_git/app",
          orgId: "org",
          projectId: "proj"
        })
        expect(app!.remoteUrl).toBe("https://org@dev.azure.com/org/proj/_git/app")
        expect(app!.updatedDate).toEqual(new Date("2023-01-26T19:38:04.267Z"))
        expect(fork!.parentRepositoryUrl).toBe("https://dev.azure.com/other/_git/app")
        expect(external).toMatchObject({
          id: "org/proj/github/johndoe/test-repo",
          provider: "github",
          url: "https://github.com/johndoe/test-repo.git",
          defaultBranch: "main"
        })
      }
    ))
})

describe("pipeline plan", () => {
  const repo = new GitRepository({
    id: "app-id",
    name: "proj/app",
    connectionId: 1,
    scopeConfigId: 1,
    url: "https://dev.azure.com/org/proj/_git/app",
    remoteUrl: "https://org@dev.azure.com/org/proj/_git/app",
    projectId: "proj",
    orgId: "org"
  })
  const external = new GitRepository({ ...repo, id: "org/proj/github/x", provider: "github" })
  const config = (fields: Record<string, unknown> = {}) =>
    Schema.decodeUnknownSync(GitRepositoryConfig)({ id: 1, ...fields })

  it("clones Azure Repos with the token (not external repositories, nor without CODE)", () => {
    const tasks = AzureDevOpsPlugin.extraTasks!(repo, config(), connection())
    expect(tasks).toEqual([
      expect.objectContaining({
        plugin: "gitextractor",
        options: expect.objectContaining({
          url: "https://org:s3cret-token@dev.azure.com/org/proj/_git/app",
          name: "proj/app",
          repoId: "azuredevops:GitRepository:1:app-id",
          noShallowClone: true
        })
      })
    ])
    expect(AzureDevOpsPlugin.extraTasks!(external, config(), connection())).toEqual([])
    expect(AzureDevOpsPlugin.extraTasks!(repo, config({ entities: ["CICD"] }), connection())).toEqual([])
  })

  it("adds a refdiff stage with the scope config's options", () => {
    const stages = AzureDevOpsPlugin.extraStages!(
      [[repo, config({ refdiff: { tagsLimit: 3 } })], [external, config()]],
      connection()
    )
    expect(stages).toEqual([[expect.objectContaining({
      plugin: "refdiff",
      options: expect.objectContaining({ repoId: "azuredevops:GitRepository:1:app-id", tagsLimit: 3 })
    })]])
  })

  it("reads patterns in Python's syntax, and takes an empty one for none", () => {
    expect(compilePattern("(?P<env>prod)-(?P=env)")?.exec("prod-prod")?.groups?.["env"]).toBe("prod")
    expect(compilePattern("(?i)^deploy")?.test("Deploy to staging")).toBe(true)
    expect(compilePattern("")).toBeUndefined()
    expect(config({ productionPattern: "" }).productionPattern).toBe("")
  })

  // JavaScript reads `\A` as the letter A, and would take a verbose pattern's spaces literally.
  it("reads Python's \\A and \\Z anchors, and refuses a verbose pattern instead of misreading it", () => {
    expect(compilePattern("\\Aprod\\Z")?.test("prod")).toBe(true)
    expect(compilePattern("\\Aprod\\Z")?.test("preprod")).toBe(false)
    expect(compilePattern("(?m)\\Aprod\\Z")?.test("prod\nx")).toBe(false)
    expect(compilePattern("\\\\A")?.test("\\A")).toBe(true)
    expect(() => config({ productionPattern: "(?x) prod # live" })).toThrow(/verbose patterns/)
  })

  // DevLake sends `null` for a scope without a scope config, and scope configs from before `entities` have none.
  it("leaves Azure Boards off unless TICKET is listed: an upgrade from the Python plugin asks for no work items", () => {
    expect(config().entities).not.toContain("TICKET")
    expect(config({ entities: null }).entities).toEqual(["CODE", "CODEREVIEW", "CROSS", "CICD", "CODEQUALITY"])
    expect(config({ entities: ["CODE", "TICKET"] }).entities).toEqual(["CODE", "TICKET"])
  })

  it("keeps the port of an on-premises URL, and clones with a user name when the URL has none", () => {
    expect(withoutUser("http://org@tfs.example:8080/tfs/DefaultCollection/p/_git/r")).toBe(
      "http://tfs.example:8080/tfs/DefaultCollection/p/_git/r"
    )
    expect(cloneUrl("http://tfs.example:8080/tfs/DefaultCollection/p/_git/r", connection())).toBe(
      "http://git:s3cret-token@tfs.example:8080/tfs/DefaultCollection/p/_git/r"
    )
  })

  it("refuses a pattern that is not a regular expression, naming it", () => {
    expect(() => config({ deploymentPattern: "deploy(" })).toThrow(/not a valid regular expression: "deploy\("/)
  })
})
