/**
 * The mock for hand runs: `npm run mock -w plugins/azuredevops -- [--seed S] [--size N] [--port P] [--page-size K]`.
 * Prints where it listens, the token and connections for the cloud (through the mock as proxy) and on-premises,
 * then serves until interrupted.
 */
import { parseArgs } from "node:util"
import { startMock } from "./index.js"

const usage = "usage: npm run mock -w plugins/azuredevops -- [--seed S] [--size N] [--port P] [--page-size K]"

const positive = (name: string, raw: string | undefined, fallback: number | undefined) => {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw)) {
    console.error(`--${name} must be a whole number, not "${raw}"\n${usage}`)
    process.exit(2)
  }
  return Number(raw)
}

const main = async () => {
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({
      options: {
        seed: { type: "string" },
        size: { type: "string" },
        port: { type: "string" },
        "page-size": { type: "string" }
      }
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`)
    process.exit(2)
  }
  const pageSize = positive("page-size", values["page-size"], undefined)
  const mock = await startMock({
    seed: values["seed"] ?? "tsdevlake",
    size: positive("size", values["size"], 20)!,
    port: positive("port", values["port"], 0)!,
    ...(pageSize === undefined ? {} : { pageSize })
  })
  // Before anything is printed: whoever reads the output may stop the mock at once.
  const stop = () => void mock.close().then(() => process.exit(0))
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  const cloud = { name: "Azure DevOps mock (cloud)", token: mock.data.token, organization: "", proxy: mock.proxyUrl }
  const onPrem = {
    name: "Azure DevOps mock (on-premises)",
    token: mock.data.token,
    endpoint: mock.collectionUrl(),
    proxy: ""
  }
  console.log(`Azure DevOps mock listening on ${mock.url} (seed ${String(mock.data.seed)}, size ${mock.data.size})`)
  console.log(`token:            ${mock.data.token}`)
  console.log(`expired token:    ${mock.data.expiredToken}`)
  console.log(`organizations:    ${mock.data.organizations.map((o) => o.name).join(", ")}`)
  console.log(`on-premises:      ${JSON.stringify(onPrem)}`)
  console.log(`cloud via proxy:  ${JSON.stringify(cloud)}`)
  console.log(`                  (run the plugin with NODE_EXTRA_CA_CERTS=${mock.caFile})`)
}

main().catch((error: unknown) => {
  console.error(`the Azure DevOps mock failed to start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
