/**
 * The real HTTP transport: undici (through a `ProxyAgent` when the connection has a proxy). Kept in its own
 * module, imported on first use, so that processes that send no request (`plugin-info`, extract, convert)
 * never load undici.
 *
 * @internal
 */
import type { HttpClient } from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import { Effect, type Scope } from "effect"

/** @internal */
export const undiciTransport = (proxy: string): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.try((): Undici.Dispatcher => proxy !== "" ? new Undici.ProxyAgent(proxy) : new Undici.Agent()).pipe(
        Effect.orDieWith(() => new Error("Api: the connection's proxy URL is not valid"))
      ),
      (dispatcher) => Effect.promise(() => dispatcher.destroy())
    ),
    NodeHttpClient.makeUndici
  )
