/**
 * The real HTTP transport: undici (through a `ProxyAgent` when the connection has a proxy). Kept in its own
 * module, imported on first use, so that processes that send no request (`plugin-info`, extract, convert)
 * never load undici.
 *
 * An `HttpClient` of its own rather than @effect/platform-node's undici client, which costs about 0.25 ms of
 * CPU a request on top of undici (a second URL parse, an AbortController and a finalization registry per
 * request, a fiber to read the body): a collect sends thousands of requests. This one sends the request and
 * reads the whole body in one asynchronous operation, which is also where the request timeout is enforced,
 * so no fiber is forked per request to race a timer.
 *
 * @internal
 */
// Module paths, not the package index: the index would load (and, in the bundle, initialise) all of
// @effect/platform, HTTP servers and msgpack included.
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Undici from "@effect/platform-node/Undici"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import { type Clock, Duration, Effect, Exit, FiberId, Inspectable, Option, type Scope, Stream } from "effect"
import { exceedsJsonDepth, tooDeepDetail } from "../process/jsonDepth.js"
import { ResponseTimeout } from "./errors.js"

/** @internal */
export const undiciTransport = (
  proxy: string,
  timeout: Duration.Duration
): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.try((): Undici.Dispatcher => proxy !== "" ? new Undici.ProxyAgent(proxy) : new Undici.Agent()).pipe(
        Effect.orDieWith(() => new Error("Api: the connection's proxy URL is not valid"))
      ),
      (dispatcher) => Effect.promise(() => dispatcher.destroy())
    ),
    (dispatcher) =>
      HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
        (request) => Effect.flatMap(request, (request) => send(dispatcher, request, timeout)),
        Effect.succeed
      )
  )

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.Duration
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (url._tag === "Left") {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
  }
  return Effect.flatMap(
    bodyOf(request),
    (body) =>
      Effect.clockWith((clock) =>
        Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) =>
          dispatch(dispatcher, request, url.right, body, timeout, clock, resume)
        )
      )
  )
}

/**
 * Sends a request and reads its whole response, or fails at the timeout; returns what interrupting it does.
 */
const dispatch = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  body: Body,
  timeout: Duration.Duration,
  clock: Clock.Clock,
  resume: (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) => void
): Effect.Effect<void> => {
  // undici's handler interface rather than `dispatcher.request`: no AbortSignal (costly to make in
  // node) and no Readable stream for the body; the chunks are collected as they come.
  let controller: Undici.Dispatcher.DispatchController | undefined
  let abortedWith: Error | undefined
  let settled = false
  let status = 0
  let headers: RawHeaders = {}
  let chunks: Array<Buffer> = []
  const abort = (reason: Error) => {
    abortedWith ??= reason
    controller?.abort(reason)
  }
  // Settles at once, even when the request still waits for a connection (its abort then comes when it
  // starts).
  const cancelTimer = startTimer(clock, timeout, () => {
    abort(new ResponseTimeout(timeout))
    fail(abortedWith)
  })
  const settle = (
    effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
  ) => {
    if (settled) return
    settled = true
    cancelTimer()
    resume(effect)
  }
  const fail = (cause: unknown) =>
    settle(
      Effect.fail(
        new HttpClientError.RequestError({ request, reason: "Transport", cause: abortedWith ?? cause })
      )
    )
  try {
    dispatcher.dispatch({
      method: request.method,
      headers: request.headers,
      origin: url.origin,
      path: url.pathname + url.search + url.hash,
      body,
      // The timer above covers the whole response.
      headersTimeout: 0,
      bodyTimeout: 0
    }, {
      onRequestStart(started) {
        controller = started
        if (abortedWith !== undefined) started.abort(abortedWith)
      },
      onResponseStart(_, statusCode, responseHeaders) {
        status = statusCode
        headers = responseHeaders
        chunks = []
      },
      onResponseData(_, chunk) {
        chunks.push(chunk)
      },
      onResponseEnd() {
        const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
        settle(Effect.succeed(new BufferedResponse(request, status, headers, bytes)))
      },
      onResponseError(_, error) {
        fail(error)
      }
    })
  } catch (error) {
    fail(error)
  }
  return Effect.sync(() => {
    settled = true
    cancelTimer()
    abort(new Error("request interrupted"))
  })
}

const liveClock = Effect.runSync(Effect.clock)
// Node's timers overflow beyond this (and fire at once); Effect's live clock never fires such a sleep either.
const maxTimerMillis = 2 ** 31 - 1

/**
 * Calls `onTimeout` after `timeout` on `clock`, unless cancelled first. Under Effect's live clock a plain
 * timer (about 1 µs); under another clock (TestClock's virtual time) a fiber sleeping on it, which costs
 * about 0.1 ms of CPU a request.
 */
const startTimer = (clock: Clock.Clock, timeout: Duration.Duration, onTimeout: () => void): () => void => {
  if (clock === liveClock) {
    const millis = Duration.toMillis(timeout)
    if (!(millis <= maxTimerMillis)) return () => {}
    const timer = setTimeout(onTimeout, millis)
    return () => clearTimeout(timer)
  }
  const fiber = Effect.runFork(clock.sleep(timeout))
  fiber.addObserver((exit) => {
    if (Exit.isSuccess(exit)) onTimeout()
  })
  return () => fiber.unsafeInterruptAsFork(FiberId.none)
}

type Body = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

const bodyOf = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Body, HttpClientError.HttpClientError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
    case "Raw":
      return Effect.succeed(body.body as Body)
    case "FormData":
      return Effect.succeed(body.formData as unknown as Body)
    case "Stream":
      return NodeStream.toReadable(body.stream).pipe(
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}

type RawHeaders = Record<string, string | Array<string> | undefined>

/** A response whose body is already in memory: every accessor is synchronous and cached. */
class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined
  private cachedText: string | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: RawHeaders,
    private readonly bytes: Buffer
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.rawHeaders as Headers.Input)
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown) {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.succeed(this.cachedText ??= this.bytes.toString("utf8"))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) =>
        exceedsJsonDepth(text)
          ? Effect.fail(this.decodeError(new Error(tooDeepDetail)))
          : Effect.try({ try: () => text === "" ? null : JSON.parse(text), catch: (cause) => this.decodeError(cause) })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => {
      const copy = new ArrayBuffer(this.bytes.byteLength)
      new Uint8Array(copy).set(this.bytes)
      return copy
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () =>
        new Response(new Uint8Array(this.bytes), { headers: this.headers as Record<string, string> }).formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
