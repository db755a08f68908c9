import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema, Stream } from "effect"
import { describeFailure } from "../../src/Cli.js"
import * as DataStream from "../../src/DataStream.js"
import * as Model from "../../src/Model.js"

class Item extends Model.ToolModel<Item>("Item")({ id: Schema.String.pipe(Model.maxLength(20), Model.primaryKey) }) {}

const Items = DataStream.make({
  name: "items",
  toolModel: Item,
  domainTypes: ["CROSS"],
  collect: () => Stream.fail(new DataStream.CollectFailure({ stream: "items", detail: "project p1 was archived" })),
  convert: () => Effect.succeed([])
})

describe("DataStream", () => {
  it("names subtasks as pydevlake does and defaults substream concurrency to 4", () => {
    expect(DataStream.verbs.map((verb) => DataStream.subtaskName(Items, verb))).toEqual([
      "Collect Items",
      "Extract Items",
      "Convert Items"
    ])
    expect(Items.concurrency).toBe(4)
    expect(Items.shouldRunOn({})).toBe(true)
    expect(DataStream.raw({ a: 1 }, { url: "u", state: 2 })).toEqual({ data: { a: 1 }, url: "u", state: 2 })
  })

  it.effect("a collector's own failure is a one-line, tagged error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Stream.runDrain(Items.collect({} as DataStream.CollectContext)))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const failure = Cause.failureOption(exit.cause)
        expect(failure._tag === "Some" && (failure.value as { _tag: string })._tag).toBe("CollectFailure")
        expect(describeFailure(exit.cause)).toBe("collecting items: project p1 was archived")
      }
    }))
})

describe("error identifiers", () => {
  it("follow tsdevlake/<PublicModule>/<Error>, the _tag unchanged", () => {
    expect(DataStream.CollectFailure.identifier).toBe("tsdevlake/DataStream/CollectFailure")
    expect(new DataStream.CollectFailure({ stream: "s", detail: "d" })._tag).toBe("CollectFailure")
  })
})
