/**
 * `npm start`: the Azure DevOps plugin (`plugins/azuredevops`) against its mock API, driven through run.sh as the
 * DevLake server would: the calls of its UI (test-connection, remote-scopes), then the pipeline of the scope it
 * picked, by `tsdevlake run`'s own pipeline (plugin-info checked, migrate, make-pipeline, every subtask of the
 * plan) on a fresh embedded SQLite file, with a progress bar per subtask and the rows written per table.
 *
 * The mock serves an Azure DevOps Server collection (`http://127.0.0.1:P/tfs/fabrikam/`): the cloud hosts need a
 * proxy and a test CA made with `openssl`, and `npm start` needs nothing but Node and the repository.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Invoker } from "tsdevlake/runtime"
import { runPipeline } from "../packages/cli/src/run/pipeline.js"
import { reporterFor } from "../packages/cli/src/run/progress.js"
import { startMock } from "../plugins/azuredevops/mock/index.js"

const root = path.resolve(import.meta.dirname, "..")
const runSh = path.join(root, "plugins/azuredevops/run.sh")
const dbFile = path.join(root, ".tsdevlake/start.db")

/** Every domain the plugin fills, Azure Boards (TICKET) included, and the patterns of its tests. */
const scopeConfig = {
  entities: ["CODE", "CICD", "TICKET"],
  deploymentPattern: "deploy",
  productionPattern: "prod"
}

type Listed = ReadonlyArray<{ readonly id: string; readonly name: string; readonly data: Record<string, unknown> }>

const pickScope = (connection: Record<string, unknown>, show: (label: string, value: unknown) => void) =>
  Effect.gen(function*() {
    const groups = (yield* Invoker.stream({ runSh, method: "remote-scopes", args: [connection, ""] })) as Listed
    show("remote-scopes", groups.map((g) => g.id))
    const scopes =
      (yield* Invoker.stream({ runSh, method: "remote-scopes", args: [connection, groups[0]!.id] })) as Listed
    show(`  ${groups[0]!.id}`, scopes.map((s) => s.name))
    return scopes[0]!.data
  })

const program = (mock: Awaited<ReturnType<typeof startMock>>) =>
  Effect.gen(function*() {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true })
    fs.rmSync(dbFile, { force: true })
    const show = (label: string, value: unknown) => console.log(`${label.padEnd(18)} ${JSON.stringify(value)}`)
    const connection = { id: 1, name: "Azure DevOps (mock)", token: mock.data.token, endpoint: mock.collectionUrl() }
    console.log(`Azure DevOps mock at ${mock.url}, collection ${connection.endpoint}`)

    show("test-connection", yield* Invoker.call({ runSh, method: "test-connection", args: [connection] }))
    const scope = yield* pickScope(connection, show)
    const result = yield* runPipeline({
      runSh,
      connection,
      scope,
      scopeConfig,
      dbUrl: `sqlite://${dbFile}`,
      dbDisplay: path.relative(root, dbFile),
      incremental: false,
      streams: [],
      reporter: reporterFor(process.stdout),
      log: (line) => console.log(line)
    })
    console.log(result.summary)
  })

const main = async () => {
  const mock = await startMock({ seed: "tsdevlake", size: 20, cloud: false })
  try {
    await Effect.runPromise(program(mock))
  } finally {
    await mock.close()
  }
}

main().catch((error) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
