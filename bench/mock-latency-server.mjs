// A mock API for benchmarks, run as its own process so that its CPU time does not compete with the
// client being measured (like a real remote API). Every request is answered after LATENCY_MS with a
// small JSON array. Listens on 127.0.0.1 only; prints {"port":N} on stdout once listening, and exits
// when its parent closes stdin.
import * as Http from "node:http"

const latencyMs = Number(process.env.LATENCY_MS ?? 20)
let requests = 0
const server = Http.createServer((req, res) => {
  requests += 1
  const id = (req.url ?? "/").split("?")[0].split("/").filter(Boolean).pop() ?? "0"
  setTimeout(() => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify([{ id: Number(id), title: `item ${id}` }]))
  }, latencyMs)
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n")
})
process.stdin.on("data", (line) => {
  if (String(line).trim() === "count") process.stdout.write(JSON.stringify({ requests }) + "\n")
})
process.stdin.on("end", () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
