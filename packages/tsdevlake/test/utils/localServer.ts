import { afterAll } from "@effect/vitest"
import type * as http from "node:http"
import type { AddressInfo } from "node:net"

/** Starts `server` on a free port of 127.0.0.1 for the test file, closed after it; returns its base URL. */
export const listenLocal = async (server: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
