/**
 * The real transport, behind a proxy check and a lazy import. The transport module loads undici, which costs
 * about 50 ms of start-up: a plugin's API client is part of every subtask's context, and extract and convert,
 * which send nothing, must not pay for it.
 *
 * Also the one seam between a client and the network: a `Transport` in the context when the client is built
 * wraps (or replaces) the real transport, so a plugin's own `Api.layer` runs unchanged over canned or recorded
 * responses, with its hooks, retries, rate limit and errors.
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { Context, type Duration, Effect, Option, Redacted, Scope } from "effect"
import { ResponseTimeout } from "./errors.js"
import { defaultSecretParams, makeScrubber, sanitizeUrl } from "./scrub.js"

/**
 * What the clients built by `Api.make` and `Api.layer` while it is in the context send through: `wrap` gets the
 * real transport (undici, loaded on its first request only, so a wrapper that never calls it never loads it)
 * and returns the `HttpClient` to send with. Absent in production. A plugin's own `layer` then runs unchanged
 * over canned or recorded responses, with its hooks, retries, rate limit and errors; the test kit's
 * `Testing.Api.routes`, `record` and `replay` provide it. Its statics are the clients' own scrubbing, for a
 * wrapper that stores what it sends (a recorder).
 *
 * @example
 * ```ts
 * const canned = Layer.succeed(Api.Transport, { wrap: () => Api.stubTransport(() => Response.json([])) })
 * const MyApiTest = MyApiLive(conn).pipe(Layer.provide(canned))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export class Transport extends Context.Tag("tsdevlake/Api/Transport")<Transport, {
  readonly wrap: (real: HttpClient.HttpClient) => HttpClient.HttpClient
}>() {
  /** Query parameter names every client strips from the URLs it shows (`access_token`, `token`, …). */
  static readonly defaultSecretParams: ReadonlyArray<string> = defaultSecretParams
  /** A URL as a client shows it: no user-info, no fragment, no query parameter named in the set (lower case). */
  static readonly sanitizeUrl: (url: string, secretParams: ReadonlySet<string>) => string = sanitizeUrl
  /** Masks each secret value (and its URL-encoded form) as `***`; values under 4 characters are left alone. */
  static readonly makeScrubber: (secrets: ReadonlyArray<string>) => (text: string) => string = makeScrubber
}

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
    const lazy = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (request) => Effect.flatMap(Effect.zip(real, request), ([client, request]) => client.execute(request)),
      Effect.succeed
    )
    const override = yield* Effect.serviceOption(Transport)
    return Option.isNone(override) ? lazy : timingOut(override.value.wrap(lazy), timeout)
  })

/**
 * A transport that fails an attempt at `timeout` as the real one does: the client counts on its transport to
 * enforce the timeout (and so runs no timer of its own), and a wrapped transport may never answer.
 */
const timingOut = (transport: HttpClient.HttpClient, timeout: Duration.Duration): HttpClient.HttpClient =>
  HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) =>
      Effect.flatMap(request, (request) =>
        Effect.timeoutFail(transport.execute(request), {
          duration: timeout,
          onTimeout: () =>
            new HttpClientError.RequestError({ request, reason: "Transport", cause: new ResponseTimeout(timeout) })
        })),
    Effect.succeed
  )

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
