/**
 * TCP stand-ins for a database that stops answering (issue 13, findings 7 and 8): a server that accepts and
 * never answers, and a proxy to a real server that can stop forwarding while keeping its sockets open, as a
 * hung server or a link that drops packets does.
 */
import * as Net from "node:net"

export interface Silent {
  readonly port: number
  /** Connections accepted so far. */
  readonly accepted: () => number
  readonly close: () => Promise<void>
}

/** A server on 127.0.0.1 that accepts connections and never sends a byte. */
export const silentServer = (): Promise<Silent> =>
  new Promise((resolve) => {
    const sockets = new Set<Net.Socket>()
    let accepted = 0
    const server = Net.createServer((socket) => {
      accepted += 1
      sockets.add(socket)
      socket.on("error", () => {})
      socket.on("close", () => sockets.delete(socket))
    })
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as Net.AddressInfo).port,
        accepted: () => accepted,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      }))
  })

export interface Freezable {
  readonly port: number
  /** Bytes forwarded so far, both ways. */
  readonly forwarded: () => number
  /** From now on, bytes are read from both sides and dropped; the sockets stay open. */
  readonly freeze: () => void
  readonly frozen: () => boolean
  readonly close: () => Promise<void>
}

/** A proxy on 127.0.0.1 to `host:port` that forwards until frozen. */
export const freezableProxy = (host: string, port: number): Promise<Freezable> =>
  new Promise((resolve) => {
    const sockets = new Set<Net.Socket>()
    let frozen = false
    let forwarded = 0
    const forward = (from: Net.Socket, to: Net.Socket) =>
      from.on("data", (chunk) => {
        if (frozen) return
        forwarded += chunk.length
        to.write(chunk)
      })
    const server = Net.createServer((client) => {
      const upstream = Net.connect(port, host)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on("error", () => {})
        socket.on("close", () => {
          sockets.delete(socket)
          if (!frozen) {
            client.destroy()
            upstream.destroy()
          }
        })
      }
      forward(client, upstream)
      forward(upstream, client)
    })
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as Net.AddressInfo).port,
        forwarded: () => forwarded,
        freeze: () => {
          frozen = true
        },
        frozen: () => frozen,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      }))
  })
