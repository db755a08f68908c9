/** The plugin's API client over the test kit's in-memory network, for the tests of the client and the plugin. */
import * as Testing from "@tsdevlake/testing"
import { Effect, Layer, Schema } from "effect"
import * as AzureApi from "../../src/api.js"
import { AzureDevOpsConnection } from "../../src/models.js"

/** A decoded connection (token `s3cret-token`), `fields` over it. */
export const connection = (fields: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(AzureDevOpsConnection)({ id: 1, name: "c", token: "s3cret-token", ...fields })

/** Runs `effect` with the client of `connection(fields)`, its requests answered by `routes`. */
export const withApi = <A, E>(
  effect: Effect.Effect<A, E, AzureApi.AzureDevOps>,
  routes: Testing.Api.Routes,
  fields: Record<string, unknown> = {}
) =>
  Effect.scoped(
    Effect.provide(effect, AzureApi.layer(connection(fields)).pipe(Layer.provide(Testing.Api.routes(routes))))
  )
