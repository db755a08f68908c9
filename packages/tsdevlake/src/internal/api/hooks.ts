/**
 * Hooks: a plugin's request, response and error middleware (`Api.hook`, `requestHook`, `responseHook`,
 * `errorHook`) and the ready-made ones (credentials in a header, Basic, an API key in the query, status
 * remapping). A hook declares the secrets it handles, so the client can mask them everywhere it shows text;
 * that is why credentials go through hooks rather than a plain header option.
 *
 * @internal
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import { Effect, Inspectable, Redacted } from "effect"
import type { Hook, Middleware } from "../../Api.js"
import { type ApiError, RequestAborted } from "./errors.js"

type Secret = Redacted.Redacted<string> | string

const toRedacted = (secret: Secret): Redacted.Redacted<string> =>
  Redacted.isRedacted(secret) ? secret : Redacted.make(secret)

/** @internal */
export const make = (
  name: string,
  middleware: Middleware,
  options: {
    readonly secrets?: ReadonlyArray<Secret> | undefined
    readonly secretParams?: ReadonlyArray<string> | undefined
  } = {}
): Hook => ({
  _tag: "Hook",
  name,
  middleware,
  secrets: (options.secrets ?? []).map(toRedacted),
  secretParams: options.secretParams ?? []
})

/** @internal */
export const requestHook = (
  name: string,
  f: (
    request: HttpClientRequest.HttpClientRequest
  ) => HttpClientRequest.HttpClientRequest | Effect.Effect<HttpClientRequest.HttpClientRequest, ApiError>
): Hook =>
  make(
    name,
    HttpClient.mapRequestEffect((request) => {
      const out = f(request)
      return Effect.isEffect(out) ? out : Effect.succeed(out)
    })
  )

/** @internal */
export const responseHook = (
  name: string,
  f: (
    response: HttpClientResponse.HttpClientResponse
  ) => HttpClientResponse.HttpClientResponse | Effect.Effect<HttpClientResponse.HttpClientResponse, ApiError>
): Hook =>
  make(
    name,
    HttpClient.transformResponse(Effect.flatMap((response) => {
      const out = f(response)
      return Effect.isEffect(out) ? out : Effect.succeed(out)
    }))
  )

/** @internal */
export const errorHook = (name: string, f: (error: ApiError) => ApiError | Effect.Effect<ApiError>): Hook => ({
  _tag: "Hook",
  name,
  onError: (error) => {
    const out = f(error)
    return Effect.isEffect(out) ? out : Effect.succeed(out)
  },
  secrets: [],
  secretParams: []
})

/** @internal */
export const header = (name: string, value: Secret): Hook => {
  const secret = toRedacted(value)
  return make(
    `header(${name})`,
    HttpClient.mapRequest(HttpClientRequest.setHeader(name, Redacted.value(secret))),
    { secrets: [secret] }
  )
}

/** @internal */
export const bearer = (token: Secret): Hook => {
  const secret = toRedacted(token)
  return make("bearer", HttpClient.mapRequest(HttpClientRequest.bearerToken(secret)), { secrets: [secret] })
}

/** @internal */
export const basic = (username: string, password: Secret): Hook => {
  const secret = toRedacted(password)
  const encoded = Buffer.from(`${username}:${Redacted.value(secret)}`).toString("base64")
  return make(
    "basic",
    HttpClient.mapRequest(HttpClientRequest.setHeader("authorization", `Basic ${encoded}`)),
    // A server that echoes the header would show the base64 form, so that is a secret too.
    { secrets: [secret, encoded] }
  )
}

/** @internal */
export const apiKeyQuery = (param: string, key: Secret): Hook => {
  const secret = toRedacted(key)
  return make(
    `apiKeyQuery(${param})`,
    HttpClient.mapRequest(HttpClientRequest.setUrlParam(param, Redacted.value(secret))),
    { secrets: [secret], secretParams: [param] }
  )
}

/** @internal */
export const remapStatus = (
  f: (response: HttpClientResponse.HttpClientResponse) => number
): Hook =>
  responseHook("remapStatus", (response) => {
    const status = f(response)
    return status === response.status ? response : withStatus(response, status)
  })

/** @internal */
export const abort = (request: HttpClientRequest.HttpClientRequest, reason: string): RequestAborted =>
  new RequestAborted({ method: request.method, url: request.url, reason })

/**
 * A response that reports another status but otherwise delegates to the original, body included.
 * @internal
 */
export const withStatus = (
  response: HttpClientResponse.HttpClientResponse,
  status: number
): HttpClientResponse.HttpClientResponse => new StatusOverride(response, status)

class StatusOverride implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  constructor(readonly original: HttpClientResponse.HttpClientResponse, readonly status: number) {}
  get request() {
    return this.original.request
  }
  get headers() {
    return this.original.headers
  }
  get cookies() {
    return this.original.cookies
  }
  get remoteAddress() {
    return this.original.remoteAddress
  }
  get formData() {
    return this.original.formData
  }
  get text() {
    return this.original.text
  }
  get json() {
    return this.original.json
  }
  get urlParamsBody() {
    return this.original.urlParamsBody
  }
  get arrayBuffer() {
    return this.original.arrayBuffer
  }
  get stream() {
    return this.original.stream
  }
  toJSON() {
    return { ...(this.original.toJSON() as object), status: this.status }
  }
  toString() {
    return Inspectable.format(this.toJSON())
  }
  [Inspectable.NodeInspectSymbol]() {
    return this.toJSON()
  }
}
