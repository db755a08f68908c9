/**
 * `forEachParent` (public as `Api.forEachParent`): an ordered, bounded-concurrency flatMap over streams. In
 * `stream/` rather than `api/` because it knows nothing of HTTP: it fans out any child streams, and the subtask
 * engine also uses it to run a child stream's collector once per parent row.
 *
 * @internal
 */
import { Cause, Chunk, Effect, Option, Queue, Stream, Take } from "effect"

type Handle<A, E> =
  | { readonly _tag: "Child"; readonly takes: Queue.Queue<Take.Take<A, E>> }
  | { readonly _tag: "Done" }
  | { readonly _tag: "Failed"; readonly cause: Cause.Cause<E> }

/**
 * A general stream combinator: an ordered, bounded-concurrency flatMap. `f` makes a child stream of each
 * parent; at most `concurrency` children run at once, and their elements are emitted in parent order (all of
 * the first parent's, then the second's…), whatever order they finish in.
 *
 * A starter fiber walks the parents; for each it takes one of `concurrency` slots, forks the child stream
 * into the child's own bounded queue of chunks, and hands that queue over in parent order. The consumer
 * drains the queues one after the other, so a child that finishes early waits (holding at most `bufferSize`
 * chunks) until its turn. Children run in fibers of the stream's scope: a consumer that stops early
 * interrupts them all.
 *
 * Built on queues and one pull loop rather than `Stream.mapEffect` + `Stream.buffer` + `Stream.flatMap`:
 * per child that costs a fraction of the CPU, which is what bounds throughput when thousands of small
 * children each spend most of their time waiting (on I/O, say).
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
    const handles = yield* Queue.bounded<Handle<A, E | E2>>(concurrency)

    const start = (parent: P, index: number) =>
      Effect.gen(function*() {
        yield* slots.take(1)
        const takes = yield* Queue.bounded<Take.Take<A, E | E2>>(bufferSize)
        yield* Queue.offer(handles, { _tag: "Child", takes })
        yield* f(parent, index).pipe(
          Stream.runForEachChunk((chunk) => Queue.offer(takes, Take.chunk(chunk))),
          Effect.matchCauseEffect({
            onSuccess: () => Queue.offer(takes, Take.end),
            onFailure: (cause) => Queue.offer(takes, Take.failCause(cause))
          }),
          Effect.ensuring(slots.release(1)),
          Effect.forkIn(scope)
        )
      })

    let index = 0
    yield* parents.pipe(
      Stream.runForEach((parent) => start(parent, index++)),
      Effect.matchCauseEffect({
        onSuccess: () => Queue.offer(handles, { _tag: "Done" }),
        onFailure: (cause) => Queue.offer(handles, { _tag: "Failed", cause })
      }),
      Effect.forkIn(scope)
    )

    let current: Queue.Queue<Take.Take<A, E | E2>> | undefined
    const pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<E | E2>> = Effect.gen(function*() {
      for (;;) {
        if (current === undefined) {
          const handle = yield* Queue.take(handles)
          if (handle._tag === "Done") return yield* Effect.fail(Option.none())
          if (handle._tag === "Failed") return yield* Effect.failCause(Cause.map(handle.cause, Option.some))
          current = handle.takes
        }
        const take = yield* Queue.take(current)
        if (Take.isDone(take)) {
          current = undefined
          continue
        }
        if (Take.isFailure(take)) {
          return yield* Take.match(take, {
            onEnd: () => Effect.fail(Option.none()),
            onFailure: (cause) => Effect.failCause(Cause.map(cause, Option.some)),
            onSuccess: () => Effect.fail(Option.none())
          })
        }
        const chunk = Take.match(take, {
          onEnd: () => Chunk.empty<A>(),
          onFailure: () => Chunk.empty<A>(),
          onSuccess: (chunk) => chunk
        })
        if (Chunk.isNonEmpty(chunk)) return chunk
      }
    })
    return Stream.repeatEffectChunkOption(pull)
  }))
}
