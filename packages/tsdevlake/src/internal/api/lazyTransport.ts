/**
 * The real transport, behind a proxy check and a lazy import. The transport module loads undici, which costs
 * about 50 ms of start-up: a plugin's API client is part of every subtask's context, and extract and convert,
 * which send nothing, must not pay for it.
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import { type Duration, Effect, Redacted, Scope } from "effect"

/** Whether a connection's proxy setting is usable: none (`""`), or an http(s) URL. */
export const isValidProxy = (proxy: string): boolean => proxy === "" || /^https?:\/\/[^/]/i.test(proxy)

/**
 * The undici transport, imported and built on the first request. Its dispatcher is released with the
 * client's scope.
 */
export const lazyTransport = (
  proxy: string,
  timeout: Duration.Duration
): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const real = yield* Effect.cached(
      Effect.flatMap(
        Effect.promise(() => import("./transport.js")),
        ({ undiciTransport }) => Scope.extend(undiciTransport(proxy, timeout), scope)
      )
    )
    // `makeWith`, not `make`: `make` would run a second layer of per-request machinery (URL parsing, an
    // AbortController, interruption handling) around the real client's own.
    return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (request) => Effect.flatMap(Effect.zip(real, request), ([client, request]) => client.execute(request)),
      Effect.succeed
    )
  })

/** The password of a proxy URL, a secret to mask like the connection's own. */
export const proxySecrets = (proxy: string): Array<Redacted.Redacted<string>> => {
  if (proxy === "") return []
  try {
    const password = decodeURIComponent(new URL(proxy).password)
    return password !== "" ? [Redacted.make(password)] : []
  } catch {
    return []
  }
}
