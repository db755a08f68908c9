/**
 * Issue 11's trial: a plugin for a Jira-like API, written from the README alone, hit nine problems. Each is
 * replayed here, from the author's side (the public API and the kit), and shown fixed: a data loss now
 * impossible or a one-line error, an error now at definition or compile time, a doc now compiled. Unit tests
 * of each fix are beside their modules (named in each `describe`).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Context, Effect, Layer, Ref, Schema, Stream } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Api, DataStream, Domain, Migration, Model, Paginator, Plugin } from "tsdevlake"
import { Db, Ipc, MigrationRunner, State, Subtask } from "tsdevlake/runtime"

class JiraConnection extends Model.Connection<JiraConnection>("JiraConnection")({
  url: Schema.String,
  token: Model.Secret
}) {}
class JiraProject extends Model.ToolScope<JiraProject>("JiraProject")({}) {}
class JiraScopeConfig extends Model.ScopeConfig<JiraScopeConfig>("JiraScopeConfig")({}) {}
class JiraIssue extends Model.ToolModel<JiraIssue>("JiraIssue")({
  key: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
  summary: Schema.String.pipe(Model.source("/fields/summary"))
}) {}
class JiraComment extends Model.ToolModel<JiraComment>("JiraComment")({
  id: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
  issueKey: Schema.String,
  updated: Model.DateTime
}) {}

class JiraApi extends Context.Tag("jiralite/JiraApi")<JiraApi, Api.Client>() {}

const pages = (paginator: Paginator.Paginator, request: Api.RequestSpec) =>
  Stream.unwrap(Effect.map(JiraApi, (api) => api.paginate(paginator, request)))

const Issues = DataStream.make({
  name: "issues",
  toolModel: JiraIssue,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.Issue],
  collect: () => pages(Paginator.startAt({ items: "issues", size: 100 }), { path: "rest/api/2/search" }),
  convert: (issue) =>
    Effect.succeed([new Domain.Ticket.Issue({ issueKey: issue.key, title: issue.summary, status: "TODO" })])
})

const CommentsState = Schema.Struct({ since: Schema.DateFromString })

// Defined in a module of its own in a real plugin: it needs no import of the plugin object (finding 6).
const Comments = DataStream.make({
  name: "comments",
  toolModel: JiraComment,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.IssueComment],
  parent: Issues,
  state: CommentsState,
  combineState: (a, b) => a.since >= b.since ? a : b,
  collect: (ctx, issue: JiraIssue) =>
    pages(Paginator.single({ items: "comments" }), {
      path: ["rest", "api", "2", "issue", issue.key, "comment"],
      query: ctx.state === undefined ? {} : { since: ctx.state.since.toISOString() }
    }).pipe(Stream.map(({ data, url }) =>
      DataStream.raw(data, { url, state: { since: new Date((data as { updated: string }).updated) } })
    )),
  convert: (comment, ctx) =>
    Effect.succeed([
      new Domain.Ticket.IssueComment({
        issueId: ctx.domainId(JiraIssue, { key: comment.issueKey }),
        body: "",
        createdDate: comment.updated
      })
    ])
})

const tables = (...models: ReadonlyArray<Model.Any>) =>
  Migration.script({
    version: 20261201000001,
    name: "init",
    operations: models.map((model) => Migration.createTable(model, { pluginFolder: "jiralite" }))
  })

const base = {
  name: "jiralite",
  connection: JiraConnection,
  scope: JiraProject,
  scopeConfig: JiraScopeConfig,
  migrations: [tables(JiraConnection, JiraProject, JiraScopeConfig, JiraIssue, JiraComment)],
  layer: (connection: JiraConnection) =>
    Api.layer(JiraApi, { baseUrl: connection.url, hooks: [Api.bearer(connection.token)] }),
  testConnection: () => Effect.succeed({ success: true, message: "ok", status: 200 }),
  remoteScopeGroups: () => Effect.succeed([{ id: "all", name: "All" }]),
  remoteScopes: (connection: JiraConnection) =>
    Effect.succeed([new JiraProject({ id: "J", name: `J of ${connection.url}`, connectionId: connection.id })]),
  domainScopes: (project: JiraProject) => [new Domain.Ticket.Board({ name: project.name })]
}

const Jiralite = Plugin.make({ ...base, streams: [Issues, Comments] })

/** Jira's search: `total` issues, at most 50 a page whatever `maxResults` asks (Jira caps it). */
const search = (total: number) =>
  Testing.Api.routes({
    "GET /rest/api/2/search": (request) => {
      const startAt = Number(request.url.searchParams.get("startAt") ?? 0)
      const count = Math.max(0, Math.min(50, total - startAt))
      const issues = Array.from({ length: count }, (_, i) => ({
        key: `J-${startAt + i + 1}`,
        fields: { summary: `issue ${startAt + i + 1}` }
      }))
      return { body: { startAt, maxResults: 50, total, issues } }
    },
    "GET /rest/api/2/issue/:key/comment": (request) => ({
      body: {
        comments: [{
          id: `${request.params["key"]}-c`,
          issueKey: request.params["key"],
          updated: "2026-01-01T00:00:00Z"
        }]
      }
    })
  })

const input = { connection: { url: "https://jira.test", token: "jira-token" }, scope: { id: "J", name: "J" } }

const definitionError = (make: () => unknown): string => {
  try {
    make()
  } catch (error) {
    expect(error).toBeInstanceOf(Plugin.PluginDefinitionError)
    return (error as Error).message
  }
  throw new Error("the definition was accepted")
}

describe("finding 1: a tool model without Model.primaryKey (test/plugin/modelChecks.test.ts)", () => {
  it("is rejected by Plugin.make in one line naming the model, instead of keeping 1 row of 60", () => {
    class Keyless extends Model.ToolModel<Keyless>("Keyless")({ summary: Schema.String }) {}
    const stream = DataStream.make({
      name: "keyless",
      toolModel: Keyless,
      domainTypes: ["TICKET"],
      collect: () => Stream.empty,
      convert: () => Effect.succeed([])
    })
    const message = definitionError(() =>
      Plugin.make({
        ...base,
        migrations: [tables(JiraConnection, JiraProject, JiraScopeConfig, Keyless)],
        streams: [stream]
      })
    )
    expect(message).toMatch(/tool model Keyless has no primary key of its own/)
    expect(message).not.toContain("\n")
  })
})

describe("finding 2: a server that caps the page size (test/api/paginator.test.ts)", () => {
  it.effect("loses no page: startAt follows the response's total, not the first short page", () =>
    Effect.gen(function*() {
      const counts = yield* Testing.assertStreamRun(Jiralite, Issues, { ...input, api: search(120) })
      expect(counts["_tool_jiralite_jiraissues"]).toBe(120)
      expect(counts["issues"]).toBe(120)
    }))

  it.effect("Paginator.offset with the response's total loses no page either", () =>
    Effect.gen(function*() {
      const stream = Stream.unwrap(Effect.map(JiraApi, (api) =>
        api.paginate(
          Paginator.offset({
            offsetParam: "startAt",
            limitParam: "maxResults",
            limit: 100,
            items: "issues",
            total: "total"
          }),
          {
            path: "rest/api/2/search"
          }
        )))
      const items = yield* Stream.runCollect(stream).pipe(
        Effect.provide(Api.layer(JiraApi, { baseUrl: "https://jira.test" }).pipe(Layer.provide(search(120))))
      )
      expect(items.length).toBe(120)
    }))
})

describe("finding 3: migration mistakes (test/plugin/modelChecks.test.ts; a field added to the class of an already released createTable: test/subtask/tableSetup.test.ts, a one-line error before any API call)", () => {
  it("a tool model no migration creates fails Plugin.make in one line, before any API call", () => {
    const message = definitionError(() =>
      Plugin.make({
        ...base,
        migrations: [tables(JiraConnection, JiraProject, JiraScopeConfig, JiraIssue)],
        streams: [Issues, Comments]
      })
    )
    expect(message).toMatch(/JiraComment/)
    expect(message).toMatch(/_tool_jiralite_jiracomments/)
    expect(message).not.toContain("\n")
  })

  it("a field added with no addColumn fails Plugin.make in one line naming the field", () => {
    class Prioritised extends Model.ToolModel<Prioritised>("JiraIssue")({
      key: Schema.String.pipe(Model.maxLength(64), Model.primaryKey),
      summary: Schema.String,
      priority: Schema.String
    }) {}
    const stream = DataStream.make({
      name: "issues",
      toolModel: Prioritised,
      domainTypes: ["TICKET"],
      collect: () => Stream.empty,
      convert: () => Effect.succeed([])
    })
    const message = definitionError(() => Plugin.make({ ...base, streams: [stream] }))
    expect(message).toMatch(/priority/)
    expect(message).not.toContain("\n")
  })
})

describe("finding 4: a missing layer (test/plugin/layerOption.test.ts, test/runtime/callCommands.test.ts)", () => {
  it("is a compile error: npm run check compiles this line", () => {
    const { layer: _layer, ...withoutLayer } = base
    // @ts-expect-error Property 'layer' is missing ... but required in type 'MissingLayerFor<JiraApi, ...>'
    expect(() => Plugin.make({ ...withoutLayer, streams: [Issues] })).not.toThrow()
  })
})

describe("finding 5: testing a plugin in process (packages/testing, docs/guide.md)", () => {
  it.effect("runs remote scope groups, remote scopes, domain scopes, the plan and every subtask", () =>
    Effect.gen(function*() {
      const counts = yield* Testing.assertPluginRun(Jiralite, { ...input, api: search(3) })
      expect(counts["_tool_jiralite_jiracomments"]).toBe(3)
      expect(counts["issue_comments"]).toBe(3)
    }))

  it("documents it: the guide has a testing section cut from compiled code", () => {
    const guide = fs.readFileSync(path.resolve(import.meta.dirname, "../../../docs/guide.md"), "utf8")
    expect(guide).toContain("## Test the plugin with the kit")
    expect(guide).toContain("## Test the plugin standalone")
  })
})

describe("finding 6: another row's domain id (test/plugin/identity.test.ts)", () => {
  it.effect("ctx.domainId gives it in a stream that does not import the plugin", () =>
    Testing.assertStreamConvert(
      Jiralite,
      Comments,
      [{ id: "J-1-c", issueKey: "J-1", updated: "2026-01-01T00:00:00Z" }],
      [
        new Domain.Ticket.IssueComment({
          issueId: "jiralite:JiraIssue:1:J-1",
          body: "",
          createdDate: new Date("2026-01-01T00:00:00Z")
        })
      ],
      input
    ))
})

describe("finding 7: substream state (test/subtask/substreamState.test.ts)", () => {
  it.effect("keeps the latest `updated` across every parent for the next incremental run", () =>
    Effect.gen(function*() {
      const ctx = Testing.context(Jiralite, input)
      const sinces: Array<string> = []
      const api = Testing.Api.routes({
        "GET /rest/api/2/search": {
          body: { startAt: 0, total: 3, issues: [1, 2, 3].map((n) => ({ key: `J-${n}`, fields: { summary: "s" } })) }
        },
        "GET /rest/api/2/issue/:key/comment": (request) => {
          sinces.push(request.url.searchParams.get("since") ?? "")
          // J-2's comment is the latest; J-3, the last parent, has the earliest.
          const day = { "J-1": "02", "J-2": "09", "J-3": "01" }[request.params["key"]!]!
          return {
            body: {
              comments: [{
                id: `${request.params["key"]}-c`,
                issueKey: request.params["key"],
                updated: `2026-01-${day}T00:00:00.000Z`
              }]
            }
          }
        }
      })
      const services = Layer.mergeAll(
        State.layerSql,
        Ipc.layerMemory(Ref.unsafeMake<ReadonlyArray<string>>([])),
        base.layer(ctx.connection).pipe(Layer.provide(api))
      ).pipe(Layer.provideMerge(Db.layerMemory))
      yield* Effect.gen(function*() {
        yield* MigrationRunner.apply(Jiralite.migrations, {})
        yield* Subtask.run(Jiralite, "collect", Issues, ctx)
        yield* Subtask.run(Jiralite, "extract", Issues, ctx)
        yield* Subtask.run(Jiralite, "collect", Comments, ctx)
        yield* Subtask.run(
          Jiralite,
          "collect",
          Comments,
          Testing.context(Jiralite, { ...input, options: { incremental: true } })
        )
      }).pipe(Effect.provide(services))
      expect(sinces).toEqual(["", "", "", ...Array(3).fill("2026-01-09T00:00:00.000Z")])
    }))
})

describe("finding 8: definition errors (test/plugin/plugin.test.ts, test/runtime/build.test.ts)", () => {
  it("an upper-case stream name is one line from DataStream.make", () => {
    const message = definitionError(() =>
      DataStream.make({
        name: "Issues",
        toolModel: JiraIssue,
        domainTypes: ["TICKET"],
        collect: () => Stream.empty,
        convert: () => Effect.succeed([])
      })
    )
    expect(message).toMatch(/Issues/)
    expect(message).not.toContain("\n")
  })

  it("a substream before its parent is one line from Plugin.make", () => {
    const message = definitionError(() => Plugin.make({ ...base, streams: [Comments, Issues] }))
    expect(message).toMatch(/comments/)
    expect(message).toMatch(/issues/)
    expect(message).not.toContain("\n")
  })
})

describe("finding 9: README gaps (test/docs/readme/readme.test.ts, docs/myplugin/test/guide.test.ts)", () => {
  it("the README's plugin block is whole, and the guide has a new plugin's checklist", () => {
    const root = path.resolve(import.meta.dirname, "../../..")
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const pluginBlock = readme.split("### The plugin")[1]!.split("```")[1]!
    for (const part of ["testConnection", "remoteScopeGroups", "remoteScopes", "domainScopes", "migrations", "layer"]) {
      expect(pluginBlock).toContain(part)
    }
    const guide = fs.readFileSync(path.join(root, "docs/guide.md"), "utf8")
    expect(guide).toContain("## A new plugin's checklist")
    expect(readme).toContain("(docs/guide.md)")
  })
})
