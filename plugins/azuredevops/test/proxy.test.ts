/**
 * The cloud hosts through the connection's proxy, through run.sh: the requests really go to
 * `https://dev.azure.com/` and `https://app.vssps.visualstudio.com/` through the mock's CONNECT tunnel, the CA of
 * `NODE_EXTRA_CA_CERTS` is what makes their certificate trusted, and a proxy that is not there fails in one line.
 */
import { Effect } from "effect"
import * as net from "node:net"
import { Invoker } from "tsdevlake/runtime"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Mock, startMock } from "../mock/index.js"
import { cloudConnection, type Connection, env, remoteScope, runSh } from "./support/runSh.js"

let mock: Mock

beforeAll(async () => {
  mock = await startMock({ seed: "proxy", size: 4 })
})

afterAll(async () => {
  await mock?.close()
})

/** The process's environment without the mock's CA. */
const untrusting = (): NodeJS.ProcessEnv => {
  const { NODE_EXTRA_CA_CERTS: _, ...rest } = process.env
  return rest
}

const testConnection = (connection: Connection, processEnv: NodeJS.ProcessEnv) =>
  Effect.runPromise(Invoker.call({ runSh, method: "test-connection", args: [connection], env: processEnv })) as Promise<
    { success: boolean; message: string; status: number }
  >

/** A port nothing listens on: one that was free a moment ago. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

describe("the cloud through the connection's proxy", () => {
  it("reaches the profile host and the organizations through the tunnel, trusting the CA it was given", async () => {
    mock.clearLog()
    expect(await testConnection(cloudConnection(mock), env(mock))).toMatchObject({ success: true, status: 200 })
    expect(mock.requests.map((r) => r.url.replace(/\?.*$/, ""))).toEqual([
      "https://app.vssps.visualstudio.com/_apis/profile/profiles/me"
    ])
    const groups = await Effect.runPromise(
      Invoker.stream({ runSh, method: "remote-scopes", args: [cloudConnection(mock), ""], env: env(mock) })
    )
    expect(groups.map((g) => (g as { id: string }).id)).toEqual([
      "fabrikam/web",
      "fabrikam/Fabrikam Fiber",
      "contoso/mobile"
    ])
    const fork = await remoteScope(mock, cloudConnection(mock), "fabrikam/web", "web/web-app-fork")
    expect(fork).toMatchObject({
      url: "https://dev.azure.com/fabrikam/web/_git/web-app-fork",
      remoteUrl: "https://fabrikam@dev.azure.com/fabrikam/web/_git/web-app-fork",
      parentRepositoryUrl: expect.stringMatching(
        /^https:\/\/dev\.azure\.com\/fabrikam\/[0-9a-f-]+\/_apis\/git\/repositories\//
      )
    })
    expect(mock.requests.every((r) => r.url.startsWith("https://"))).toBe(true)
  })

  it("refuses the hosts' certificate without the CA, in one line", async () => {
    mock.clearLog()
    const reply = await testConnection(cloudConnection(mock), untrusting())
    expect(reply.success).toBe(false)
    expect(reply.message).toMatch(/certificate/i)
    // The TLS handshake failed: no request reached the mock's hosts.
    expect(mock.requests).toEqual([])
  })

  it("fails in one line when the proxy is not there", async () => {
    const port = await closedPort()
    const connection = { ...cloudConnection(mock), proxy: `http://127.0.0.1:${port}` }
    const reply = await testConnection(connection, env(mock))
    expect(reply.success).toBe(false)
    expect(reply.message.split("\n")).toHaveLength(1)
    const scopes = await Effect.runPromise(
      Invoker.run({ runSh, method: "remote-scopes", args: [connection, ""], env: env(mock) })
    )
    expect(scopes.exitCode).not.toBe(0)
    expect(scopes.stderr, scopes.stderr.join("\n")).toHaveLength(1)
    expect(scopes.stderr[0]).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}|ECONNREFUSED|proxy`, "i"))
    expect(scopes.stderr[0]).not.toContain(mock.data.token)
  })
})
