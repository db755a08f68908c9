/**
 * Progress reporting: DevLake shows a subtask's progress from messages the plugin sends on fd 3. Collect, extract
 * and convert each send one per committed batch; kept apart from the plan so the plan stays a pure description.
 *
 * @internal
 */
import { Effect } from "effect"
import { Ipc } from "../process/replies.js"

/**
 * A progress message on fd 3.
 *
 * @internal
 */
export const progress = (current: number, increment: number, total: number) =>
  Effect.flatMap(Ipc, (ipc) => ipc.send({ current, total, increment }))
