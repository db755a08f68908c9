/**
 * SIGKILL and SIGTERM at random points of each subtask, then a rerun (issue 13, "What to build" 6: "SIGKILL and
 * SIGTERM at random points of all three subtasks, then a full and an incremental rerun"; findings 1, 2 and 5
 * from the side of a killed run: nothing lost, nothing twice).
 *
 * One scope per database, already complete (DevLake re-collects scopes it has), goes through every combination of
 * signal × rerun mode × subtask: the subtask runs full and is killed at the first progress reply at or past a
 * random record, run again (full `{}` or `{incremental: true}`), then the subtasks after it run in the same mode;
 * the raw, tool and domain tables must each hold every user exactly once. The first collect of all (an empty
 * scope) is killed too, when its raw row count reaches a random threshold. Kill points come from a seeded generator: the seed is in the test names, and
 * TSDEVLAKE_FAULT_SEED=<seed> replays them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type BenchDatabase, type Mock, openDatabase, startMock, testDatabases } from "../utils.js"
import {
  assertExactlyOnce,
  describeRun,
  endpointOf,
  killAt,
  type Killed,
  killOnProgress,
  migrated,
  pipeline,
  seeded,
  type Verb,
  VERBS
} from "./harness.js"

const N = 5_000
const CONNECTION_ID = 342
const SEED = Number(process.env["TSDEVLAKE_FAULT_SEED"] ?? Date.now() % 1_000_000)
const SIGNALS: ReadonlyArray<NodeJS.Signals> = ["SIGKILL", "SIGTERM"]
const MODES = [
  { name: "full", options: {} },
  { name: "incremental", options: { incremental: true } }
] as const

let mock: Mock
beforeAll(async () => {
  mock = await startMock()
})
afterAll(() => mock?.stop())

const totals = { killPoints: 0, endedFirst: 0, rows: 0 }
afterAll(() => {
  console.log(
    `kills (seed ${SEED}): ${totals.killPoints} kill points landed, ${totals.endedFirst} runs ended before their `
      + `signal, ${totals.rows} rows checked`
  )
})

const databases = await testDatabases()
databases.forEach((database, index) => {
  describe.skipIf(database.skip !== undefined)(`kills on ${database.name}, seed ${SEED}`, () => {
    const random = seeded(SEED + index)
    const endpoint = () => endpointOf(mock, N)
    let bench: BenchDatabase
    beforeAll(async () => {
      bench = await openDatabase(database, CONNECTION_ID)
      await migrated(bench)
    })
    afterAll(() => bench?.dispose())

    /**
     * Counts a kill point when the signal landed: the process died of it, or (a SIGTERM a framework may catch to
     * stop cleanly) exited non-zero after it. A run that ended before its signal must have succeeded.
     */
    const counted = (killed: Killed) => {
      const landed = killed.killedAt !== undefined
        && (killed.result.signal !== null || killed.result.exitCode !== 0)
      if (landed) totals.killPoints++
      else {
        totals.endedFirst++
        expect(killed.result.exitCode, describeRun(killed.result)).toBe(0)
      }
      return landed
    }

    /** Kills `verb` at a random record and answers where; counts whether the signal landed. */
    const killRandomly = async (verb: Verb, signal: NodeJS.Signals) => {
      const at = Math.floor(random() * N)
      const killed = await killOnProgress(bench, verb, endpoint(), { signal, at })
      return { at, landed: counted(killed) }
    }

    it("a first collect SIGKILLed at a raw row count, run again full, then extract and convert", async () => {
      // Polling the table, as resume.test.ts does: on an empty scope the raw count is the collect's progress.
      const killed = await killAt(bench, "collect", endpoint(), {
        signal: "SIGKILL",
        threshold: Math.floor(random() * N)
      })
      counted(killed)
      await pipeline(bench, endpoint())
      totals.rows += await assertExactlyOnce(bench, N, "first collect")
    }, 120_000)

    for (const signal of SIGNALS) {
      for (const mode of MODES) {
        VERBS.forEach((verb, position) => {
          it(`${signal} in a full ${verb}, then a ${mode.name} rerun and the subtasks after it`, async () => {
            const { at } = await killRandomly(verb, signal)
            const after = VERBS.slice(position)
            await pipeline(bench, endpoint(), mode.options, after)
            totals.rows += await assertExactlyOnce(bench, N, `${signal} at ${at} of ${verb}, ${mode.name} rerun`)
          }, 120_000)
        })
      }
    }
  })
})
