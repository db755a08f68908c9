import { Effect, Schema } from "effect"
import { Api, Domain, Plugin } from "tsdevlake"
import { MyApi, myApiOptions } from "./api.js"
import { migrations } from "./migrations.js"
import { MyConnection, MyProject, MyScopeConfig } from "./models.js"
import { Comments, Issues } from "./streams.js"

// --- plugin ---
export const MyPlugin = Plugin.make({
  name: "myplugin",
  description: "Issues and their comments",
  connection: MyConnection,
  scope: MyProject,
  scopeConfig: MyScopeConfig,
  streams: [Issues, Comments],
  migrations,
  layer: (connection) => Api.layer(MyApi, myApiOptions(connection)),
  testConnection: () =>
    Effect.flatMap(MyApi, (api) => api.get("me")).pipe(
      Effect.as({ success: true, message: "Connection successful", status: 200 }),
      Effect.catchTag(
        "Unauthorized",
        (error) => Effect.succeed({ success: false, message: error.message, status: 401 })
      )
    ),
  remoteScopeGroups: () => Effect.succeed([{ id: "all", name: "All projects" }]),
  remoteScopes: () => Effect.flatMap(MyApi, (api) => api.get("projects", { schema: Schema.Array(MyProject) })),
  domainScopes: (project) => [new Domain.Ticket.Board({ name: project.name, url: project.url })]
})
// --- end ---
