/**
 * Substream concurrency benchmark: 1,000 parents × 1 request each against a local mock with 20 ms
 * latency per request, collected through `Api.forEachParent` + the real (undici) `Api` client at
 * concurrency 1 and 8. Run: `npx tsx bench/api-concurrency.ts [parents] [latencyMs]`.
 */
import { Chunk, Effect, Stream } from "effect"
import { Api, Paginator } from "tsdevlake"
import { startMockLatencyServer } from "./mock-latency.js"

const parents = Number(process.argv[2] ?? 1000)
const latencyMs = Number(process.argv[3] ?? 20)

const run = (baseUrl: string, concurrency: number) =>
  Effect.gen(function*() {
    const api = yield* Api.make({ baseUrl, concurrency: 8, timeout: "10 seconds" })
    const start = performance.now()
    const records = yield* Stream.runCollect(
      Api.forEachParent(
        Stream.range(1, parents),
        (parent) => api.paginate(Paginator.single(), { path: ["parents", parent], input: { parent } }),
        { concurrency }
      )
    )
    const seconds = (performance.now() - start) / 1000
    const ids = Chunk.toReadonlyArray(records).map((r) => (r.data as { id: number }).id)
    const ordered = ids.length === parents && ids.every((id, i) => id === i + 1)
    return { seconds, records: ids.length, ordered }
  }).pipe(Effect.scoped)

const main = Effect.gen(function*() {
  const server = yield* Effect.promise(() => startMockLatencyServer(latencyMs))
  yield* Effect.addFinalizer(() => Effect.promise(() => server.close()))
  yield* run(server.url, 8).pipe(Effect.andThen(() => Effect.void)) // warm-up: connections, JIT
  const one = yield* run(server.url, 1)
  const eight = yield* run(server.url, 8)
  const speedup = one.seconds / eight.seconds
  console.log(`api-concurrency: ${parents} parents × 1 request, mock latency ${latencyMs} ms`)
  console.log(`  concurrency 1: ${one.seconds.toFixed(2)} s (${one.records} records, in order: ${one.ordered})`)
  console.log(`  concurrency 8: ${eight.seconds.toFixed(2)} s (${eight.records} records, in order: ${eight.ordered})`)
  console.log(`  speed-up: ${speedup.toFixed(2)}× (target ≥ 6×)`)
  if (!one.ordered || !eight.ordered || speedup < 6) process.exitCode = 1
}).pipe(Effect.scoped)

Effect.runPromise(main)
