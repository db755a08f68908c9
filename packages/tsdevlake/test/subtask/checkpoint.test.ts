import { assert, describe, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import {
  collectResumePoint,
  keysetResumePoint,
  nextCollectCheckpoint,
  sameParent
} from "../../src/internal/subtask/checkpoint.js"
import type { Plan } from "../../src/internal/subtask/plan.js"
import * as state from "../../src/internal/subtask/state.js"

describe("collectResumePoint", () => {
  it("starts afresh without a previous run, or from a state that is not a collect checkpoint", () => {
    assert.isUndefined(collectResumePoint(Option.none()))
    assert.isUndefined(collectResumePoint(Option.some({ state: { page: 3 }, completed: true })))
    assert.isUndefined(collectResumePoint(Option.some({ state: null, completed: false })))
  })

  it("resumes an interrupted run at its checkpoint, as it is", () => {
    const saved = { initial: { since: 1 }, parent: ["p1"], state: { page: 3 }, skip: 2 }
    assert.strictEqual(collectResumePoint(Option.some({ state: saved, completed: false })), saved)
  })

  it("after a completed run, starts from its last state, which is also this run's initial state", () => {
    const saved = { initial: { since: 1 }, parent: ["p9"], state: { since: 7 }, skip: 4 }
    assert.deepStrictEqual(collectResumePoint(Option.some({ state: saved, completed: true })), {
      initial: { since: 7 },
      state: { since: 7 },
      skip: 0
    })
  })
})

describe("nextCollectCheckpoint", () => {
  const start = { initial: "i", parent: ["p"], state: "s", skip: 0 }

  it("takes a record's state and skips nothing after it", () => {
    assert.deepStrictEqual(nextCollectCheckpoint({ ...start, skip: 5 }, "t"), { ...start, state: "t", skip: 0 })
  })

  it("counts the records without a state after the last one that had one", () => {
    const once = nextCollectCheckpoint(start, undefined)
    assert.deepStrictEqual(nextCollectCheckpoint(once, undefined), { ...start, skip: 2 })
    assert.deepStrictEqual(
      start,
      { initial: "i", parent: ["p"], state: "s", skip: 0 },
      "the previous checkpoint is kept"
    )
  })
})

describe("sameParent", () => {
  it("compares keys by value, as read back from JSON", () => {
    assert.isTrue(sameParent(["a", 1], ["a", 1]))
    assert.isFalse(sameParent(["a", 1], ["a", 2]))
    assert.isFalse(sameParent(["a"], undefined))
    assert.isFalse(sameParent(undefined, undefined))
  })
})

describe("keysetResumePoint", () => {
  const key = { subtask: "Extract Items", connectionId: 1, params: "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}" }
  const planOf = (incremental: boolean) => ({ key, ctx: { incremental } }) as unknown as Plan

  const present = () => Effect.succeed(true)
  const gone = () => Effect.succeed(false)

  it.effect("is the latest checkpoint of an incremental run, nothing for a full run", () =>
    Effect.gen(function*() {
      const store = yield* state.State
      assert.isUndefined(yield* keysetResumePoint(planOf(true), present))
      const runId = yield* store.start(key)
      yield* store.checkpoint(runId, { after: [42] })
      assert.deepStrictEqual(yield* keysetResumePoint(planOf(true), present), { after: [42] })
      assert.isUndefined(yield* keysetResumePoint(planOf(false), present))
    }).pipe(Effect.provide(state.layerMemory)))

  it.effect("is an interrupted staged full run's checkpoint for a full run too, but not once completed", () =>
    Effect.gen(function*() {
      const store = yield* state.State
      const runId = yield* store.start(key)
      const saved = { after: [42], stamp: "2026-12-07T10:00:00.000Z" }
      yield* store.checkpoint(runId, saved)
      assert.deepStrictEqual(yield* keysetResumePoint(planOf(false), present), saved)
      yield* store.complete(runId, { after: [50] })
      assert.isUndefined(yield* keysetResumePoint(planOf(false), present))
    }).pipe(Effect.provide(state.layerMemory)))

  it.effect("is nothing when the rows the checkpoint points at are gone (the scope's data was deleted)", () =>
    Effect.gen(function*() {
      const store = yield* state.State
      const runId = yield* store.start(key)
      yield* store.checkpoint(runId, { after: [42], stamp: "2026-12-07T10:00:00.000Z" })
      assert.isUndefined(yield* keysetResumePoint(planOf(true), gone))
      assert.isUndefined(yield* keysetResumePoint(planOf(false), gone))
    }).pipe(Effect.provide(state.layerMemory)))
})
