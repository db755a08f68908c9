// --- plugin ---
import { Effect, Schema } from "effect"
import { Api, Domain } from "tsdevlake"
import { MyApi, myApiOptions } from "./api.js"
import { myplugin } from "./definition.js"
import { migrations } from "./migrations.js"
import { MyProject } from "./models.js"
import { Comments, Issues } from "./streams.js"

export const MyPlugin = myplugin.make({
  description: "Issues and their comments",
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
