// The plugin the README walks through. README.md's code blocks are cut from this file (a test checks it),
// and readme.test.ts runs the plugin.
import { Context, Effect, Schema, Stream } from "effect"
import { Api, DataStream, Domain, Migration, Model, Paginator, Plugin } from "tsdevlake"

// --- models ---
export class MyConnection extends Model.Connection<MyConnection>("MyConnection")({
  url: Schema.String,
  token: Model.Secret
}) {}

export class MyProject extends Model.ToolScope<MyProject>("MyProject")({
  url: Schema.String
}) {}

export class MyScopeConfig extends Model.ScopeConfig<MyScopeConfig>("MyScopeConfig")({}) {}

export class User extends Model.ToolModel<User>("User")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  name: Schema.String,
  email: Schema.String,
  team: Schema.optional(Schema.String).pipe(Model.source("/team/name"))
}) {}

// --- api ---
export class MyApi extends Context.Tag("MyApi")<MyApi, Api.Client>() {}

export const myApiOptions = (connection: MyConnection): Api.Options => ({
  baseUrl: connection.url,
  proxy: connection.proxy,
  hooks: [Api.bearer(connection.token)],
  retry: { maxAttempts: 5 }
})

// --- streams ---
export const Users = DataStream.make({
  name: "users",
  toolModel: User,
  domainTypes: ["CROSS"],
  domainModels: [Domain.Crossdomain.Account],
  collect: (ctx: DataStream.CollectContext<MyConnection, MyProject>) =>
    Stream.unwrap(
      Effect.map(MyApi, (api) =>
        api.paginate(Paginator.token({ items: "results", token: "nextPage", param: "page" }), {
          path: ["projects", ctx.scope.id, "users"]
        }))
    ),
  convert: (user) =>
    Effect.succeed([
      new Domain.Crossdomain.Account({ userName: user.name, email: user.email, organization: user.team ?? "" })
    ])
})

// --- substream state ---
export class Membership extends Model.ToolModel<Membership>("Membership")({
  userId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  group: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  updated: Model.DateTime
}) {}

const MembershipState = Schema.Struct({ since: Schema.DateFromString })

export const Memberships = DataStream.make({
  name: "memberships",
  toolModel: Membership,
  domainTypes: ["CROSS"],
  parent: Users,
  state: MembershipState,
  // The latest change of every user's memberships, not only the last user's.
  combineState: (a, b) => a.since >= b.since ? a : b,
  collect: (ctx, user: User) =>
    Stream.unwrap(
      Effect.map(MyApi, (api) =>
        api.paginate(Paginator.token({ items: "results", token: "nextPage", param: "page" }), {
          path: ["users", user.id, "memberships"],
          query: ctx.state === undefined ? {} : { since: ctx.state.since.toISOString() }
        }))
    ).pipe(
      Stream.map(({ data, url }) =>
        DataStream.raw(data, { url, state: { since: new Date((data as { updated: string }).updated) } })
      )
    ),
  convert: () => Effect.succeed([])
})

// --- plugin ---
export const MyPlugin = Plugin.make({
  name: "myplugin",
  connection: MyConnection,
  scope: MyProject,
  scopeConfig: MyScopeConfig,
  streams: [Users],
  layer: (connection) => Api.layer(MyApi, myApiOptions(connection)),
  migrations: [
    Migration.script({
      version: 20261127000001,
      name: "init schemas",
      // Each model's table in the plugin's folder (_tool_myplugin_users, ...): Plugin.make binds the scripts to it.
      operations: [MyConnection, MyProject, MyScopeConfig, User].map((model) => Migration.createTable(model))
    })
  ],
  testConnection: () =>
    Effect.flatMap(MyApi, (api) => api.get("me")).pipe(
      Effect.as({ success: true, message: "Connection successful", status: 200 })
    ),
  remoteScopeGroups: () => Effect.succeed([{ id: "all", name: "All projects" }]),
  remoteScopes: (_connection, _groupId) =>
    Effect.flatMap(MyApi, (api) => api.get("projects", { schema: Schema.Array(MyProject) })),
  domainScopes: (project) => [new Domain.Devops.CicdScope({ name: project.name, url: project.url })]
})
