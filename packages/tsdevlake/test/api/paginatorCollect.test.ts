/**
 * A stream whose collect is one resumable `paginate` with `state: Paginator.Position`, run by the framework:
 * each batch commits its rows with the last record's position, so a failed collect run again with
 * `incremental` continues after its last committed record, and a later run gets only what was appended.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Exit, Stream } from "effect"
import * as Api from "../../src/Api.js"
import * as DataStream from "../../src/DataStream.js"
import * as Paginator from "../../src/Paginator.js"
import { ctxFor, inHarness, Item, latestState, rawRows, run, Thing } from "../fixtures/subtaskPlugin.js"
import * as FaultServer from "../utils/faultServer.js"

class ItemsApi extends Context.Tag("ItemsApi")<ItemsApi, Api.Client>() {}

const PAGE = 4
const p1 = "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}"

const Items = DataStream.make({
  name: "items",
  toolModel: Item,
  domainTypes: ["CROSS"],
  domainModels: [Thing],
  state: Paginator.Position,
  collect: (ctx) =>
    Stream.unwrap(
      Effect.map(ItemsApi, (api) =>
        api.paginate(Paginator.offset({ limit: PAGE, items: "values", total: "total" }), { path: "items" }, {
          resume: ctx.state
        }))
    ),
  convert: (item) => Effect.succeed([new Thing({ name: item.name })])
})

const ids = (rows: ReadonlyArray<{ readonly data: unknown }>) => rows.map((r) => (r.data as { id: string }).id)
const range = (n: number) => Array.from({ length: n }, (_, k) => `i${k}`)

describe("a resumable paginated collect, run by the framework", () => {
  it.scoped("a failed collect, run again incremental, continues after its last committed record; then appends", () =>
    Effect.gen(function*() {
      const server = yield* FaultServer.make
      const data = { total: 25, failAt: 12 as number | undefined }
      server.route("/items", (req) => {
        const offset = Number(req.query.get("offset"))
        if (data.failAt !== undefined && offset >= data.failAt) return { status: 404, body: { error: "gone" } }
        const values = range(data.total).slice(offset, offset + PAGE).map((id) => ({ id, name: `item ${id}` }))
        return { body: { values, total: data.total } }
      })
      const offsets = () => server.requests.map((r) => Number(r.query.get("offset")))
      const api = Api.layer(ItemsApi, { baseUrl: server.url })
      yield* inHarness(() =>
        Effect.gen(function*() {
          // Batches of 5: the failure comes after 12 records, mid-batch, so the last checkpoint is after record 12.
          const failed = yield* Effect.exit(run("collect", Items, ctxFor("p1"), { batchSize: 5 }))
          assert.isTrue(Exit.isFailure(failed))
          assert.deepStrictEqual(ids(yield* rawRows("_raw_testplugin_items")), range(12))
          assert.deepStrictEqual(offsets(), [0, 4, 8, 12])

          data.failAt = undefined
          yield* run("collect", Items, ctxFor("p1", { incremental: true }), { batchSize: 5 })
          assert.deepStrictEqual(ids(yield* rawRows("_raw_testplugin_items")), range(25))
          // From the page after the last committed record, not from the first.
          assert.deepStrictEqual(offsets().slice(4), [12, 16, 20, 24])

          data.total = 27
          yield* run("collect", Items, ctxFor("p1", { incremental: true }), { batchSize: 5 })
          assert.deepStrictEqual(ids(yield* rawRows("_raw_testplugin_items")), range(27))
          // The last page again (past the item it had), then the new one.
          assert.deepStrictEqual(offsets().slice(8), [24])
          const saved = yield* latestState("Collect Items", p1)
          assert.include(JSON.stringify(saved), "\"skip\":3")
        }).pipe(Effect.provide(api))
      )
    }))
})
