/**
 * The service's two ways of paging a list, as each endpoint really does it: a continuation token (projects,
 * pull request commits, builds: `$top` per page, the next page's token in the `x-ms-continuationtoken` header,
 * sent back as `continuationToken`) or `$top`/`$skip` alone (pull requests, teams, work item updates: no header,
 * a client that stops at a page without a token reads only the first `$top`).
 */

export interface Answer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
}

export interface Paging {
  readonly mode: "token" | "skip"
  /** Items per page when `$top` is absent, as the service answers. */
  readonly defaultTop: number
  readonly maxTop: number
}

export const json = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Answer => ({
  status,
  body,
  headers
})

/** The service's error body: a message and its exception type, which clients show. */
export const failure = (status: number, typeKey: string, message: string): Answer =>
  json(status, {
    $id: "1",
    innerException: null,
    message,
    typeName: `Microsoft.TeamFoundation.Framework.Server.${typeKey}, Microsoft.TeamFoundation.Framework.Server`,
    typeKey,
    errorCode: 0,
    eventId: 3000
  })

const encodeToken = (offset: number) => Buffer.from(`offset:${offset}`).toString("base64url")
const decodeToken = (token: string) => {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString())
  return match === null ? undefined : Number(match[1])
}

const integer = (query: URLSearchParams, name: string): number | undefined | "bad" => {
  const raw = query.get(name)
  if (raw === null) return undefined
  return /^\d+$/.test(raw) ? Number(raw) : "bad"
}

/**
 * One page of `items` (`{count, value}`) by the query's `$top`, `$skip` and `continuationToken`. `pageSize`, when
 * the mock was started with one, replaces the default page size, and for continuation-token lists the maximum
 * too, so that small data spans several pages (a `$top`/`$skip` client cannot tell a capped page from the last
 * one, so those lists keep honouring `$top`).
 */
export const page = (
  items: ReadonlyArray<unknown>,
  query: URLSearchParams,
  paging: Paging,
  pageSize: number | undefined
): Answer => {
  const top = integer(query, "$top")
  const skip = integer(query, "$skip")
  if (top === "bad" || top === 0 || skip === "bad") {
    return failure(400, "InvalidArgumentValueException", "The value of $top or $skip is not a positive integer.")
  }
  const max = paging.mode === "token" ? pageSize ?? paging.maxTop : paging.maxTop
  const limit = Math.min(top ?? pageSize ?? paging.defaultTop, max)
  let offset = skip ?? 0
  const token = query.get("continuationToken")
  if (token !== null && paging.mode === "token") {
    const decoded = decodeToken(token)
    if (decoded === undefined || decoded > items.length) {
      return failure(400, "InvalidContinuationTokenException", `The continuation token "${token}" is not valid.`)
    }
    offset = decoded
  }
  const value = items.slice(offset, offset + limit)
  const end = offset + value.length
  const headers: Record<string, string> = paging.mode === "token" && end < items.length
    ? { "x-ms-continuationtoken": encodeToken(end) }
    : {}
  return json(200, { count: value.length, value }, headers)
}

/** Every item in one answer, for the lists the service does not page (repositories, timelines, endpoints). */
export const all = (items: ReadonlyArray<unknown>): Answer => json(200, { count: items.length, value: items })
