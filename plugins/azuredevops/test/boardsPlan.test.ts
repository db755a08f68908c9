// The TICKET domain type turns Azure Boards on: its subtasks in the plan, and the Board among the domain scopes.
import { describe, expect, it } from "@effect/vitest"
import * as Testing from "@tsdevlake/testing"
import { Effect } from "effect"
import { Plugin } from "tsdevlake"
import { AzureDevOpsPlugin } from "../src/plugin.js"

const input = (entities: ReadonlyArray<string>) => ({
  connection: { token: "t" },
  scope: {
    id: "repo1",
    name: "proj1/repo1",
    url: "https://dev.azure.com/org1/proj1/_git/repo1",
    projectId: "proj1",
    orgId: "org1"
  },
  scopeConfig: { entities }
})

describe("the TICKET domain type", () => {
  const plan = (entities: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const ctx = Testing.context(AzureDevOpsPlugin, input(entities))
      const data = yield* Plugin.makePipeline(AzureDevOpsPlugin, [[ctx.scope, ctx.scopeConfig]], ctx.connection)
      return { subtasks: data.plan[0]![0]!.subtasks, scopes: data.scopes.map((s) => s.type_name) }
    })
  const boards = ["Iterations", "Workitems", "Workitemupdates"].flatMap((stream) =>
    ["Collect", "Extract", "Convert"].map((verb) => `${verb} ${stream}`)
  )

  it.effect("turns the Boards subtasks and the Board scope on", () =>
    Effect.gen(function*() {
      const on = yield* plan(["CODE", "CICD", "TICKET"])
      expect(on.subtasks).toEqual(expect.arrayContaining(boards))
      expect(on.scopes).toEqual(["Repo", "CicdScope", "Board"])
      const ticketOnly = yield* plan(["TICKET"])
      expect(ticketOnly.subtasks).toEqual(boards)
    }))

  it.effect("absent, they are off", () =>
    Effect.gen(function*() {
      const off = yield* plan(["CODE", "CICD"])
      expect(off.subtasks.filter((name) => boards.includes(name))).toEqual([])
      expect(off.subtasks.length).toBeGreaterThan(0)
      expect(off.scopes).toEqual(["Repo", "CicdScope"])
    }))
})
