import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Model from "../../src/Model.js"
import { modelTable } from "../../src/internal/model/tables.js"
import {
  columnIndexes,
  domainTuple,
  frameworkSlots,
  fromTuple,
  toolTuple,
  toTuple
} from "../../src/internal/subtask/tuples.js"

class Widget extends Model.ToolModel<Widget>("Widget")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  name: Schema.String,
  size: Schema.optional(Schema.NullOr(Schema.Int))
}) {
  get label() {
    return `${this.name} (${this.id})`
  }
}

class Gadget extends Model.DomainModel<Gadget>("Gadget", { table: "gadgets" })({
  name: Schema.String
}) {}

const widgets = modelTable(Widget, "_tool_test_widgets")
const gadgets = modelTable(Gadget, "gadgets")
const field = (table: typeof widgets, name: string) => table.fields.findIndex((f) => f.name === name)
const at = new Date("2024-05-06T07:08:09Z")

describe("toTuple and fromTuple", () => {
  it("a value as a tuple in the table's column order, null for absent fields", () => {
    const tuple = toTuple(widgets, { id: "w1", name: "Widget one" })
    assert.strictEqual(tuple.length, widgets.columns.length)
    assert.strictEqual(tuple[field(widgets, "id")], "w1")
    assert.strictEqual(tuple[field(widgets, "name")], "Widget one")
    assert.isNull(tuple[field(widgets, "size")])
  })

  it("a tuple read back is an instance of the model, null only where the field is nullable", () => {
    const tuple = toTuple(widgets, { id: "w1", name: "Widget one", size: 3 })
    const widget = fromTuple(widgets, tuple) as Widget
    assert.instanceOf(widget, Widget)
    assert.strictEqual(widget.label, "Widget one (w1)")
    assert.strictEqual(widget.size, 3)
    const bare = fromTuple(widgets, toTuple(widgets, { id: "w2" })) as Record<string, unknown>
    assert.isFalse("name" in bare, "a non-nullable field read as null stays absent")
    assert.isNull(bare["size"])
  })
})

describe("the framework's columns", () => {
  it("a tool row gets the connection, its raw row and the batch's time over the extractor's fields", () => {
    const slots = frameworkSlots(widgets)
    assert.strictEqual(frameworkSlots(widgets), slots, "found once per table")
    const value = { id: "w1", name: "n", connectionId: 99, rawDataId: 5, createdAt: null }
    const tuple = toolTuple(widgets, slots, value, 7, "{\"ConnectionId\":7}", "_raw_test_widgets", 12, at)
    assert.strictEqual(tuple[slots.connectionId], 7)
    assert.strictEqual(tuple[slots.rawDataParams], "{\"ConnectionId\":7}")
    assert.strictEqual(tuple[slots.rawDataTable], "_raw_test_widgets")
    assert.strictEqual(tuple[slots.rawDataId], 12)
    assert.strictEqual(tuple[slots.createdAt], at)
    assert.strictEqual(tuple[slots.updatedAt], at)
  })

  it("a row's own createdAt is kept", () => {
    const created = new Date("2020-01-01T00:00:00Z")
    const slots = frameworkSlots(widgets)
    const tuple = toolTuple(widgets, slots, { id: "w1", name: "n", createdAt: created }, 7, "p", "r", 1, at)
    assert.strictEqual(tuple[slots.createdAt], created)
  })

  it("a domain row gets the tool row's domain id unless it has one, and the tool row's origin", () => {
    const slots = frameworkSlots(gadgets)
    const tool = { rawDataParams: "p", rawDataTable: "_raw_test_widgets", rawDataId: 3 }
    const tuple = domainTuple(gadgets, { name: "g" }, "test:Widget:1:w1", tool, at)
    assert.strictEqual(tuple[slots.id], "test:Widget:1:w1")
    assert.strictEqual(tuple[slots.rawDataParams], "p")
    assert.strictEqual(tuple[slots.rawDataTable], "_raw_test_widgets")
    assert.strictEqual(tuple[slots.rawDataId], 3)
    assert.strictEqual(tuple[slots.updatedAt], at)
    assert.strictEqual(domainTuple(gadgets, { id: "own", name: "g" }, "test:Widget:1:w1", tool, at)[slots.id], "own")
    assert.strictEqual(domainTuple(gadgets, { id: "", name: "g" }, "d", tool, at)[slots.id], "d")
  })

  it("columnIndexes finds columns in the tuples", () => {
    assert.deepStrictEqual(columnIndexes(widgets, ["_raw_data_id", "id"]), [
      widgets.columns.findIndex((c) => c.name === "_raw_data_id"),
      field(widgets, "id")
    ])
    assert.deepStrictEqual(columnIndexes(widgets, ["missing"]), [-1])
  })
})
