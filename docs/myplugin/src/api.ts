// --- api ---
import { HttpClientRequest } from "@effect/platform"
import { Context, Effect } from "effect"
import { Api } from "tsdevlake"
import type { MyConnection } from "./models.js"

/** The API client of one connection, provided by the plugin's `layer`. */
export class MyApi extends Context.Tag("myplugin/MyApi")<MyApi, Api.Client>() {}

export const myApiOptions = (connection: MyConnection): Api.Options => ({
  baseUrl: connection.url,
  proxy: connection.proxy,
  hooks: [
    // Authentication: the token is masked in every URL, log line and error.
    Api.bearer(connection.token),
    // A request hook: every request says which client sends it.
    Api.requestHook("client-header", (request) => HttpClientRequest.setHeader(request, "x-client", "myplugin")),
    // A response hook: this API answers an unknown issue with 200 and `{"error":"not found"}`; make it a 404.
    Api.responseHook("error-body", (response) =>
      Effect.map(
        response.json,
        (body) => (body as { error?: unknown } | null)?.error === "not found" ? Api.withStatus(response, 404) : response
      ).pipe(Effect.orElseSucceed(() => response)))
  ],
  retry: { maxAttempts: 5 }
})
// --- end ---
