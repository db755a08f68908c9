/**
 * Requests to the mock as a client would send them: Basic auth with an empty user, on-premises over plain http or
 * to the cloud hosts through the mock as proxy, trusting its test CA.
 */
import * as fs from "node:fs"
import { Agent, type Dispatcher, ProxyAgent, request } from "undici"
import type { Mock } from "../../mock/index.js"

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly json: any
}

export const basic = (token: string) => `Basic ${Buffer.from(`:${token}`).toString("base64")}`

/** A dispatcher for the cloud hosts through the mock's proxy; `trust: false` leaves the test CA out. */
export const cloudDispatcher = (mock: Mock, trust = true): Dispatcher =>
  new ProxyAgent({ uri: mock.proxyUrl, ...(trust ? { requestTls: { ca: fs.readFileSync(mock.caFile) } } : {}) })

export const plainDispatcher = (): Dispatcher => new Agent()

/** One request; undici follows no redirect, so a 302 is seen as such. */
export const call = async (
  dispatcher: Dispatcher,
  url: string,
  options: { token?: string | undefined; method?: "GET" | "POST"; body?: unknown } = {}
): Promise<Reply> => {
  // A fresh headers object each time: undici's ProxyAgent writes `host` into the one it is given.
  const headers: Record<string, string> = {}
  if (options.token !== undefined) headers["authorization"] = basic(options.token)
  if (options.body !== undefined) headers["content-type"] = "application/json"
  const response = await request(url, {
    dispatcher,
    method: options.method ?? "GET",
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
  })
  const text = await response.body.text()
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) flat[name] = String(value)
  let json: unknown = undefined
  if ((flat["content-type"] ?? "").startsWith("application/json")) json = JSON.parse(text)
  return { status: response.statusCode, headers: flat, text, json }
}

/** Every item of a continuation-token list, following `x-ms-continuationtoken`; also the number of pages. */
export const readAll = async (dispatcher: Dispatcher, url: string, token: string) => {
  const items: Array<any> = []
  let pages = 0
  let next: string | undefined
  do {
    const page = await call(dispatcher, next === undefined ? url : `${url}&continuationToken=${next}`, { token })
    if (page.status !== 200) throw new Error(`${url}: ${page.status} ${page.text}`)
    items.push(...page.json.value)
    pages++
    next = page.headers["x-ms-continuationtoken"]
  } while (next !== undefined)
  return { items, pages }
}
