/**
 * The bench plugin through the test kit (`@tsdevlake/testing`): its definition, its convert, and its stream run
 * in process against the mock API (started locally) and against canned responses.
 */
import * as Testing from "@tsdevlake/testing"
import { Effect } from "effect"
import { Domain } from "tsdevlake"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BenchPlugin, Users } from "../src/plugin.js"
import { type Mock, startMock } from "./utils.js"

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const user = (id: number) => ({
  id,
  login: `user${id}`,
  name: `User Number ${id}`,
  email: `user${id}@example.com`,
  avatarUrl: `https://avatars.example.com/u/${id}.png`,
  joinedAt: new Date(Date.UTC(2020, 0, 1) + id * 60000).toISOString(),
  active: id % 7 !== 0,
  profile: { title: "Engineer", department: "Infra", location: { city: "Osaka", country: "JP" } }
})

const counts = (n: number) => ({ _raw_bench_users: n, _tool_benchplugin_benchusers: n, accounts: n })

describe("the bench plugin on the test kit", () => {
  it("is a valid plugin", () => {
    Testing.assertValidPlugin(BenchPlugin)
  })

  it("converts users into accounts, the inactive ones with status 0", () =>
    Effect.runPromise(
      Testing.assertStreamConvert(
        BenchPlugin,
        Users,
        [user(6), user(7)],
        [6, 7].map((id) =>
          new Domain.Crossdomain.Account({
            email: `user${id}@example.com`,
            fullName: `User Number ${id}`,
            userName: `user${id}`,
            avatarUrl: `https://avatars.example.com/u/${id}.png`,
            organization: "Infra",
            createdDate: new Date(Date.UTC(2020, 0, 1) + id * 60000),
            status: id === 7 ? 0 : 1
          })
        ),
        { connection: { endpoint: "http://bench.test/datasets/2" } }
      )
    ))

  it("runs the users stream against the mock API", async () => {
    const rows = await Effect.runPromise(
      Testing.assertStreamRun(BenchPlugin, Users, { connection: { endpoint: mock.endpoint(1050) } })
    )
    expect(rows).toMatchObject(counts(1050))
  })

  it("stops after maxRequests pages", async () => {
    const rows = await Effect.runPromise(
      Testing.assertStreamRun(BenchPlugin, Users, { connection: { endpoint: mock.endpoint(1050), maxRequests: 2 } })
    )
    expect(rows).toMatchObject(counts(200))
  })

  it("runs over canned pages, asking for each page once", async () => {
    const asked: Array<string | undefined> = []
    const api = Testing.Api.routes({
      "GET /datasets/250/users": (request) => {
        asked.push(request.query["pageToken"])
        const from = Number(request.query["pageToken"] ?? "0")
        const to = Math.min(250, from + Number(request.query["pageSize"]))
        return {
          body: {
            results: Array.from({ length: to - from }, (_, i) => user(from + i + 1)),
            nextPage: to < 250 ? String(to) : null
          }
        }
      }
    })
    const rows = await Effect.runPromise(
      Testing.assertStreamRun(BenchPlugin, Users, { connection: { endpoint: "http://bench.test/datasets/250" }, api })
    )
    expect(rows).toMatchObject(counts(250))
    expect(asked).toEqual([undefined, "100", "200"])
  })

  it("reports a collect the API refuses, naming the plugin, the stream and the subtask", async () => {
    const api = Testing.Api.routes({ "GET /datasets/5/users": { status: 401, body: { error: "bad token" } } })
    const error = await Effect.runPromise(
      Effect.flip(
        Testing.assertStreamRun(BenchPlugin, Users, { connection: { endpoint: "http://bench.test/datasets/5" }, api })
      )
    )
    expect(String(error)).toMatch(/plugin bench, stream "users", subtask collect .*Unauthorized/)
  })
})
