/**
 * A connection's API client, assembled: its settings (see `settings.ts`) and the request pipeline's steps
 * (`request.ts`, `send.ts`, `classify.ts`, `retry.ts`, `observe.ts`, `execute.ts`, `paginate.ts`) behind the
 * `Api.Client` interface; constructors and layers over the real transport or a given one.
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { type Context, Effect, Layer, type Scope } from "effect"
import type { Client, Options, Stats } from "../../Api.js"
import { bodyOf, execute } from "./execute.js"
import { isValidProxy, lazyTransport, proxySecrets } from "./lazyTransport.js"
import { logStats } from "./observe.js"
import { paginate } from "./paginate.js"
import { makeSettings, timeoutOf } from "./settings.js"

/** @internal */
export const makeWith = (
  options: Options,
  transport: HttpClient.HttpClient
): Effect.Effect<Client, never, Scope.Scope> => makeOver(options, transport, false)

/**
 * A client over `transport`. The built-in transport (`builtIn`) enforces the timeout itself, without a fiber per
 * request, and opens no span of the platform's; any other gets Effect's timeout around each attempt (hooks and body
 * included), and the platform's spans switched off (they would record secret query parameters).
 */
const makeOver = (
  options: Options,
  transport: HttpClient.HttpClient,
  builtIn: boolean
): Effect.Effect<Client, never, Scope.Scope> =>
  Effect.gen(function*() {
    const settings = yield* makeSettings(options, transport, builtIn)
    yield* Effect.addFinalizer(() => logStats(settings))
    const client: Client = {
      baseUrl: settings.scrubbing.sanitize(settings.base.href),
      execute: (spec) => execute(settings, spec),
      get: bodyOf(settings, "GET") as Client["get"],
      post: bodyOf(settings, "POST") as Client["post"],
      paginate: ((paginator, request, options) =>
        paginate(settings, paginator, request, options)) as Client["paginate"],
      sanitizeUrl: settings.scrubbing.sanitize,
      stats: Effect.sync((): Stats => ({ ...settings.stats }))
    }
    return client
  })

/** @internal */
export const make = (options: Options): Effect.Effect<Client, never, Scope.Scope> =>
  Effect.gen(function*() {
    const proxy = options.proxy ?? ""
    if (!isValidProxy(proxy)) {
      return yield* Effect.dieMessage("Api: the connection's proxy is not an http:// or https:// URL")
    }
    const transport = yield* lazyTransport(proxy, timeoutOf(options))
    const secrets = [...(options.secrets ?? []), ...proxySecrets(proxy)]
    return yield* makeOver({ ...options, secrets }, transport, true)
  })

/** @internal */
export const stubTransport = (
  handler: (request: HttpClientRequest.HttpClientRequest, url: URL) => Response | Effect.Effect<Response>
): HttpClient.HttpClient =>
  HttpClient.make((request, url) => {
    const out = handler(request, url)
    return Effect.map(Effect.isEffect(out) ? out : Effect.succeed(out), (response) =>
      HttpClientResponse.fromWeb(request, response))
  })

/** @internal */
export const layer = <I>(tag: Context.Tag<I, Client>, options: Options): Layer.Layer<I> =>
  Layer.scoped(tag, make(options))

/** @internal */
export const layerWith = <I>(
  tag: Context.Tag<I, Client>,
  options: Options
): Layer.Layer<I, never, HttpClient.HttpClient> =>
  Layer.scoped(tag, Effect.flatMap(HttpClient.HttpClient, (transport) => makeWith(options, transport)))

/** @internal */
export const layerTest = <I>(
  tag: Context.Tag<I, Client>,
  options: Options,
  handler: (request: HttpClientRequest.HttpClientRequest, url: URL) => Response | Effect.Effect<Response>
): Layer.Layer<I> => Layer.scoped(tag, makeWith(options, stubTransport(handler)))
