// An author's own Schema.TaggedError as a stream's failure: typed without casts, reported in one line.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Option, Redacted, Schema, Stream } from "effect"
import { expectTypeOf } from "vitest"
import * as Cli from "../../src/Cli.js"
import * as DataStream from "../../src/DataStream.js"
import * as Db from "../../src/Db.js"
import * as Subtask from "../../src/Subtask.js"
import { collectedUpTo } from "../../src/internal/subtask/collect.js"
import { describeNoted, noteFailure, SubtaskError } from "../../src/internal/subtask/errors.js"
import { ctxFor, inHarness, Item, TestPlugin, Thing } from "../fixtures/subtaskPlugin.js"

class JiraQuotaExhausted extends Schema.TaggedError<JiraQuotaExhausted>()("JiraQuotaExhausted", {
  project: Schema.String,
  token: Schema.Redacted(Schema.String)
}) {}

class JiraDown extends Schema.TaggedError<JiraDown>()("JiraDown", { message: Schema.String }) {}

const records = [1, 2, 3].map((k) =>
  DataStream.raw({ id: `i${k}`, name: `item ${k}` }, { url: `https://jira.example.com/issues?page=${k}` })
)

const quota = new JiraQuotaExhausted({ project: "P1", token: Redacted.make("s3cret") })

const issues = DataStream.make({
  name: "issues",
  toolModel: Item,
  domainTypes: ["CROSS"],
  domainModels: [Thing],
  collect: () => Stream.concat(Stream.fromIterable(records), Stream.fail(quota)),
  extract: (data: { id: string; name: string }) =>
    data.id === "i2" ? Effect.fail(new JiraDown({ message: "no extract today" })) : Effect.succeed(new Item(data)),
  convert: (item) => Effect.succeed([new Thing({ name: item.name })])
})

describe("an author's tagged error", () => {
  it("is the stream's error type, no cast", () => {
    expectTypeOf(issues).toEqualTypeOf<DataStream.DataStream<typeof Item, JiraQuotaExhausted | JiraDown, never>>()
    expectTypeOf(Subtask.run(TestPlugin, "collect", issues, ctxFor("p1"))).toEqualTypeOf<
      Effect.Effect<void, Subtask.RunError | JiraQuotaExhausted | JiraDown, Subtask.RunRequirements>
    >()
  })

  it.effect("fails collect as itself, after committing the records before it, and says so in one line", () =>
    inHarness(() =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(Subtask.run(TestPlugin, "collect", issues, ctxFor("p1")))
        expect(exit._tag).toBe("Failure")
        if (exit._tag !== "Failure") return
        expect(Option.getOrThrow(Cause.failureOption(exit.cause))).toBe(quota)
        const line = Cli.describeFailure(exit.cause)
        expect(line).toBe(
          `Collect Issues: JiraQuotaExhausted: { "project": "P1", "token": <redacted> } ` +
            `(after record 3, request https://jira.example.com/issues?page=3)`
        )
        expect(line).not.toContain("s3cret")
        const db = yield* Db.Database
        const raw = yield* db.execute("SELECT url FROM _raw_testplugin_issues ORDER BY id")
        expect(raw.map((r) => r["url"])).toEqual(records.map((r) => r.url))
      })
    ))

  it.effect("fails extract as itself, naming the raw row after which it failed", () =>
    inHarness(() =>
      Effect.gen(function*() {
        yield* Effect.exit(Subtask.run(TestPlugin, "collect", issues, ctxFor("p1")))
        const error = yield* Effect.flip(Subtask.run(TestPlugin, "extract", issues, ctxFor("p1")))
        expect(error).toBeInstanceOf(JiraDown)
        expect(Cli.describeFailure(Cause.fail(error))).toBe(
          "Extract Issues: JiraDown: no extract today (after raw row 1)"
        )
      })
    ))
})

describe("noteFailure and describeNoted", () => {
  it("note an object once, the first place wins; a SubtaskError or a string stays as it is", () => {
    const error = new JiraDown({ message: "first line\nsecond" })
    noteFailure(error, "Collect Issues", "after record 1")
    noteFailure(error, "Collect Other", "after record 2")
    expect(describeNoted(error)).toBe("Collect Issues: JiraDown: first line (after record 1)")
    const subtaskError = new SubtaskError({ subtask: "Collect Issues", detail: "x" })
    noteFailure(subtaskError, "Collect Issues", "after record 1")
    expect(describeNoted(subtaskError)).toBeUndefined()
    noteFailure("down", "Collect Issues", "after record 1")
    expect(describeNoted("down")).toBeUndefined()
    expect(describeNoted(new JiraDown({ message: "not noted" }))).toBeUndefined()
  })

  it("name a plain Error by its name", () => {
    const error = new TypeError("boom")
    noteFailure(error, "Convert Issues", "after tool row 4")
    expect(describeNoted(error)).toBe("Convert Issues: TypeError: boom (after tool row 4)")
  })

  it("collectedUpTo says after which record and its request", () => {
    expect(collectedUpTo(0, "")).toBe("before the first record")
    expect(collectedUpTo(2, "")).toBe("after record 2")
    expect(collectedUpTo(2, "https://x/y")).toBe("after record 2, request https://x/y")
  })
})
