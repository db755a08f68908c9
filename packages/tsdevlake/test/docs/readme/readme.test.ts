import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Ref } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Api from "../../../src/Api.js"
import * as Db from "../../../src/Db.js"
import * as Ipc from "../../../src/Ipc.js"
import * as MigrationRunner from "../../../src/MigrationRunner.js"
import * as Plugin from "../../../src/Plugin.js"
import * as State from "../../../src/State.js"
import * as Subtask from "../../../src/Subtask.js"
import { MyApi, myApiOptions, MyConnection, MyPlugin, MyProject, MyScopeConfig, Users } from "./example.js"

const root = path.resolve(import.meta.dirname, "../../../../..")
const normalize = (s: string) => s.replace(/\s+/g, " ").trim()

describe("README", () => {
  it("every TypeScript block is code from the compiled examples", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks.length).toBeGreaterThan(3)
    const sources = normalize(
      ["example.ts", "example-main.ts"].map((f) => fs.readFileSync(path.join(import.meta.dirname, f), "utf8")).join(
        "\n"
      )
    )
    for (const block of blocks) expect(sources, block).toContain(normalize(block))
  })

  it("shows the fake plugin's run.sh as it is", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    const runSh = fs.readFileSync(path.join(root, "plugins/fakeplugin/run.sh"), "utf8")
    expect(readme).toContain("```sh\n" + runSh + "```")
  })

  it("the Quick start is the two commands", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
    expect(readme).toContain("npm install && npm start")
    expect(readme).toContain("npm test")
  })
})

describe("the README's plugin", () => {
  const connection = new MyConnection({ id: 1, name: "c", url: "https://api.test", token: Redacted.make("t0ken") })
  const users = [
    { id: "u1", name: "Ada", email: "ada@example.com", team: { name: "core" } },
    { id: "u2", name: "Grace", email: "grace@example.com" },
    { id: "u3", name: "Linus", email: "linus@example.com", team: { name: "kernel" } }
  ]
  const api = Api.layerTest(MyApi, myApiOptions(connection), (_request, url) => {
    if (url.pathname !== "/projects/p1/users") return new Response("{}", { status: 404 })
    const page = url.searchParams.get("page")
    return page === null
      ? Response.json({ results: users.slice(0, 2), nextPage: "2" })
      : Response.json({ results: users.slice(2), nextPage: null })
  })

  it.effect("describes itself and plans a pipeline", () =>
    Effect.gen(function*() {
      const info = Plugin.info(MyPlugin, "/plugins/myplugin/run.sh")
      expect(info.tool_model_infos.map((m) => m.table_name)).toEqual(["_tool_myplugin_users"])
      const scope = new MyProject({ id: "p1", name: "P 1", url: "https://api.test/projects/p1", connectionId: 1 })
      const data = yield* Plugin.makePipeline(MyPlugin, [[scope, new MyScopeConfig({})]], connection)
      expect(data.plan[0]![0]!.subtasks).toEqual(["Collect Users", "Extract Users", "Convert Users"])
    }))

  it.effect("collects, extracts and converts in-process", () =>
    Effect.gen(function*() {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const scope = new MyProject({ id: "p1", name: "P 1", url: "https://api.test/projects/p1", connectionId: 1 })
      const ctx = Subtask.taskContext(MyPlugin, {
        connection,
        scope,
        scopeConfig: new MyScopeConfig({}),
        options: {}
      })
      const layer = Layer.mergeAll(State.layerSql, Ipc.layerMemory(lines), api).pipe(Layer.provideMerge(Db.layerMemory))
      const accounts = yield* Effect.gen(function*() {
        yield* MigrationRunner.apply(MyPlugin.migrations, { domainModels: Users.domainModels })
        for (const verb of ["collect", "extract", "convert"] as const) yield* Subtask.run(MyPlugin, verb, Users, ctx)
        const db = yield* Db.Database
        return yield* db.execute("SELECT id, user_name, email, organization FROM accounts ORDER BY id")
      }).pipe(Effect.provide(layer))
      expect(accounts).toEqual([
        { id: "myplugin:User:1:u1", user_name: "Ada", email: "ada@example.com", organization: "core" },
        { id: "myplugin:User:1:u2", user_name: "Grace", email: "grace@example.com", organization: "" },
        { id: "myplugin:User:1:u3", user_name: "Linus", email: "linus@example.com", organization: "kernel" }
      ])
      const progress = (yield* Ref.get(lines)).map((l) => JSON.parse(l))
      expect(progress.at(-1)).toEqual({ current: 3, total: 3, increment: 3 })
    }))
})
