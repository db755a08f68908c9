/**
 * What the incremental streams (pull requests, builds) share: a collect state that tells an interrupted run,
 * which resumes where it stopped, from a completed one, after which an incremental run asks only for what is new.
 */
import { Option, Schema, Stream } from "effect"
import { type Api, DataStream, Paginator } from "tsdevlake"

/**
 * The state every record carries: the paginator's position after it (to resume an interrupted run), `mark`
 * (the newest build finish time or pull request id seen, the next run's starting point), `from` (the mark this
 * run started from) and `done`, true on the last record of a run only.
 */
export const CollectState = Schema.Struct({
  position: Schema.optional(Paginator.Position),
  mark: Schema.optional(Schema.String),
  from: Schema.optional(Schema.String),
  done: Schema.Boolean
})

/** @see CollectState */
export type CollectState = typeof CollectState.Type

/** Where a run starts: the position to resume from (an interrupted run), and the mark it starts from. */
export interface Start {
  readonly resume: Paginator.Position | undefined
  readonly from: string | undefined
}

/**
 * The start of a run from the saved state: none (a full run) starts afresh; a completed run's gives its mark;
 * an interrupted run's gives its position and the mark that run started from.
 */
export const startOf = (state: CollectState | undefined): Start =>
  state === undefined
    ? { resume: undefined, from: undefined }
    : state.done
    ? { resume: undefined, from: state.mark }
    : { resume: state.position, from: state.from }

/**
 * Records with their state: the running `mark` (the greatest of `markOf` over the records so far, compared by
 * `later`) and `done` on the last one, which is known once the stream ends (each record waits for the next).
 */
export const withState = <E, R>(
  records: Stream.Stream<Api.RawRecord<Paginator.Position>, E, R>,
  start: Start,
  markOf: (data: unknown) => string | undefined,
  later: (a: string, b: string) => boolean
) =>
  records.pipe(
    Stream.mapAccum(start.from, (mark, record) => {
      const own = markOf(record.data)
      const next = own !== undefined && (mark === undefined || later(own, mark)) ? own : mark
      return [next, [record, next] as const]
    }),
    Stream.zipWithNext,
    Stream.map(([[record, mark], following]) =>
      DataStream.raw<CollectState>(record.data, {
        url: record.url,
        input: record.input,
        state: { position: record.state, mark, from: start.from, done: Option.isNone(following) }
      })
    )
  )
