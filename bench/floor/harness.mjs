// The floors as bench/run.mjs runs them (`--floor`): each phase's floor process (bench/floor/main.cjs) spawned and
// measured as the phase is, from spawn to exit, peak RSS and CPU time from /proc; and the ratio of the phase to it.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { watchProcess } from "../measure.mjs"

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "main.cjs")

/** The heap flags `dist/run` gives a subtask: the floor runs under the same limits. */
const NODE_FLAGS = ["--max-semi-space-size=4", "--max-old-space-size=512"]

/** Issue 15's target: a phase within 1.3 times its floor, measured in the same run. */
export const MAX_RATIO = 1.3

/** One floor command as a child process: seconds from spawn to exit, peak RSS, CPU seconds, its JSON line. */
const runFloor = (args, profileDir) =>
  new Promise((resolve, reject) => {
    const flags = profileDir === undefined ? NODE_FLAGS : [...NODE_FLAGS, "--cpu-prof", `--cpu-prof-dir=${profileDir}`]
    const started = performance.now()
    const child = spawn(process.execPath, [...flags, script, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    const watcher = watchProcess(child.pid)
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => stdout += chunk)
    child.stderr.on("data", (chunk) => stderr += chunk)
    child.once("error", reject)
    child.once("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000
      const { peak, cpu } = watcher.stop()
      if (code !== 0) {
        reject(new Error(`floor ${args[0]} failed (exit ${code ?? signal}):\n${(stdout + stderr).trim()}`))
        return
      }
      const line = stdout.trim().split("\n").at(-1)
      resolve({ seconds, cpuSeconds: cpu, peakRss: peak, reply: line ? JSON.parse(line) : undefined })
    })
  })

/**
 * The floors of one database: `setup` creates the floor's tables (not measured, as `migrate` is not), `phase`
 * runs and measures one phase's floor, `drop` removes the tables. `tag` suffixes the table names so that two
 * harnesses measuring on one server do not meet.
 */
export const makeFloor = ({ db, target, tag, profileRoot }) => {
  const common = ["--db", db, "--target", target, "--tag", tag]
  return {
    setup: () => runFloor(["setup", ...common]),
    drop: () => runFloor(["drop", ...common]),
    phase: async (phase, n, endpoint) => {
      let profileDir
      if (profileRoot !== undefined) {
        profileDir = path.join(profileRoot, `floor-${db}-${n}-${phase}`)
        fs.rmSync(profileDir, { recursive: true, force: true })
        fs.mkdirSync(profileDir, { recursive: true })
      }
      const out = await runFloor([phase, ...common, "--endpoint", endpoint, "--n", String(n)], profileDir)
      return { n: out.reply.rows, seconds: out.seconds, cpuSeconds: out.cpuSeconds, peakRss: out.peakRss, profileDir }
    }
  }
}

/**
 * A phase's row with its floor: the floor's figures, and the ratio of the phase's seconds to the floor's (the
 * target's). `cpuRatio`, of CPU seconds, says the same with less noise on a machine busy with other work, but
 * does not see what the server does for each.
 */
export const withFloor = (row, floor) => {
  const ratio = row.seconds / floor.seconds
  const cpuRatio = row.cpuSeconds / floor.cpuSeconds
  return { ...row, floor, ratio, cpuRatio, floorVerdict: ratio <= MAX_RATIO ? "ok" : "MISS" }
}
