/**
 * Starts `mock-latency-server.mjs` in a child process and returns its URL.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

export interface MockServer {
  readonly url: string
  readonly close: () => Promise<void>
}

export const startMockLatencyServer = (latencyMs: number): Promise<MockServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("./mock-latency-server.mjs", import.meta.url))], {
      env: { ...process.env, LATENCY_MS: String(latencyMs) },
      stdio: ["pipe", "pipe", "inherit"]
    })
    child.once("error", reject)
    child.stdout.once("data", (data: Buffer) => {
      const { port } = JSON.parse(String(data)) as { port: number }
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            child.once("exit", () => done())
            child.stdin.end()
          })
      })
    })
  })
