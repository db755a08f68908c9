/**
 * Grouping a stream's elements into batches bounded in count and in weight (the text a batch holds).
 *
 * @internal
 */
import { Channel, Chunk, Stream } from "effect"

/**
 * Groups a stream's elements into chunks of at most `count` elements and about `maxWeight` in all: a group is
 * emitted once it holds `count` elements or its elements weigh `maxWeight` (so one heavier element is a group
 * of its own). The elements received before a failure are emitted before it, as `Stream.grouped` does.
 *
 * @internal
 */
export const groupedByWeight = <A, E, R>(
  self: Stream.Stream<A, E, R>,
  count: number,
  maxWeight: number,
  weightOf: (a: A) => number
): Stream.Stream<Chunk.Chunk<A>, E, R> => {
  const flush = (group: Array<A>) => Channel.write(Chunk.of(Chunk.unsafeFromArray(group)))
  const loop = (
    group: Array<A>,
    weight: number
  ): Channel.Channel<Chunk.Chunk<Chunk.Chunk<A>>, Chunk.Chunk<A>, E, E, unknown, unknown> =>
    Channel.readWithCause({
      onInput: (input: Chunk.Chunk<A>) => {
        const full: Array<Chunk.Chunk<A>> = []
        let current = group
        let currentWeight = weight
        for (const a of input) {
          current.push(a)
          currentWeight += weightOf(a)
          if (current.length >= count || currentWeight >= maxWeight) {
            full.push(Chunk.unsafeFromArray(current))
            current = []
            currentWeight = 0
          }
        }
        const next = loop(current, currentWeight)
        return full.length === 0 ? next : Channel.zipRight(Channel.write(Chunk.unsafeFromArray(full)), next)
      },
      onFailure: (cause) =>
        group.length === 0 ? Channel.failCause(cause) : Channel.zipRight(flush(group), Channel.failCause(cause)),
      onDone: () => group.length === 0 ? Channel.void : flush(group)
    })
  return Stream.pipeThroughChannel(self, Channel.suspend(() => loop([], 0)))
}
