import { Effect, Queue, Stream, type Take } from "effect"

/**
 * Ordered, bounded-concurrency flatMap. Each child runs in its own fiber into a bounded queue; a
 * semaphore keeps at most `concurrency` children producing; the output concatenates the queues in
 * parent order, so a finished child waits (with at most `bufferSize` chunks) until its turn.
 * @internal
 */
export const forEachParent = <P, E, R, A, E2, R2>(
  parents: Stream.Stream<P, E, R>,
  f: (parent: P, index: number) => Stream.Stream<A, E2, R2>,
  options: { readonly concurrency?: number | undefined; readonly bufferSize?: number | undefined } = {}
): Stream.Stream<A, E | E2, R | R2> => {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4))
  const bufferSize = Math.max(1, Math.floor(options.bufferSize ?? 16))
  if (concurrency === 1) return Stream.flatMap(Stream.zipWithIndex(parents), ([parent, i]) => f(parent, i))
  return Stream.unwrapScoped(Effect.gen(function*() {
    const scope = yield* Effect.scope
    const slots = yield* Effect.makeSemaphore(concurrency)
    const start = ([parent, index]: [P, number]) =>
      Effect.gen(function*() {
        yield* slots.take(1)
        const queue = yield* Queue.bounded<Take.Take<A, E2>>(bufferSize)
        yield* f(parent, index).pipe(
          Stream.runIntoQueue(queue),
          Effect.ensuring(slots.release(1)),
          Effect.forkIn(scope)
        )
        return Stream.flattenTake(Stream.fromQueue(queue, { shutdown: true }))
      })
    return Stream.zipWithIndex(parents).pipe(
      Stream.mapEffect(start),
      // Lets the starter run ahead of the consumer by up to `concurrency` children.
      Stream.buffer({ capacity: concurrency }),
      Stream.flatMap((child) => child)
    )
  }))
}
