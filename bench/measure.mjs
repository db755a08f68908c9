// How the harness measures a child process (peak RSS and CPU time from /proc) and summarises its CPU profiles;
// shared by bench/run.mjs and the floors' harness (bench/floor/harness.mjs).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100

/**
 * Peak resident set and CPU time of a child. run.sh `exec`s node, so the spawned pid becomes node's.
 * `/proc/<pid>/status` `VmHWM` is the kernel's high-water mark of the resident set; it only grows, so
 * polling it every 10 ms loses at most what the process gained in its last interval. CPU time (user +
 * system, `/proc/<pid>/stat` fields 14 and 15) is reported beside wall time because, on a machine shared
 * with other work, wall time also measures the waiting for a CPU; it misses at most the last interval.
 */
export const watchProcess = (pid) => {
  let peak = 0
  let cpu = 0
  const read = () => {
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
      if (match) peak = Math.max(peak, Number(match[1]) * 1024)
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
      // Fields after the parenthesised command name (which may contain spaces); utime and stime are 14, 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      cpu = Math.max(cpu, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS)
    } catch {
      // gone already
    }
  }
  read()
  const timer = setInterval(read, 10)
  return { stop: () => (clearInterval(timer), { peak, cpu }) }
}

// ---------------------------------------------------------------------------------------------
// profiles: self time by function and by package
// ---------------------------------------------------------------------------------------------

const B64 = new Map([..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]))

/** A source map's `mappings` as, per generated line, sorted `[column, source, line]` triples (VLQ decoding). */
const decodeMappings = (mappings) => {
  const lines = []
  let source = 0
  let line = 0
  for (const text of mappings.split(";")) {
    const segments = []
    let generated = 0
    for (const segment of text.split(",")) {
      if (segment === "") continue
      const values = []
      let value = 0
      let shift = 0
      for (const char of segment) {
        const digit = B64.get(char)
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      generated += values[0]
      if (values.length >= 4) {
        source += values[1]
        line += values[2]
        // values[3] is the source column: the mapper needs only the line
        segments.push([generated, source, line])
      }
    }
    lines.push(segments)
  }
  return lines
}

/** Maps bundle positions of the plugin's dist/ back to source files (`linked` source maps of the build). */
const makeSourceMapper = () => {
  const maps = new Map()
  const load = (url) => {
    if (!maps.has(url)) {
      let map
      try {
        // The builder writes into a sibling `.dist-<random>` folder and renames it `dist`; the code cache made
        // there keeps that path as the script's URL.
        const file = fileURLToPath(url).replace(/\/\.dist-[^/]+\//, "/dist/")
        const raw = JSON.parse(fs.readFileSync(`${file}.map`, "utf8"))
        const dir = path.dirname(file)
        map = {
          sources: raw.sources.map((s) => path.relative(root, path.resolve(dir, raw.sourceRoot ?? "", s))),
          lines: decodeMappings(raw.mappings)
        }
      } catch {
        map = undefined
      }
      maps.set(url, map)
    }
    return maps.get(url)
  }
  return (callFrame) => {
    if (!callFrame.url.startsWith("file:")) return callFrame.url === "" ? "(native)" : callFrame.url
    const map = load(callFrame.url)
    const segments = map?.lines[callFrame.lineNumber]
    if (!segments || segments.length === 0) return `${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}`
    let found = segments[0]
    for (const segment of segments) {
      if (segment[0] > callFrame.columnNumber) break
      found = segment
    }
    return `${map.sources[found[1]].replace(/^node_modules\//, "")}:${found[2] + 1}`
  }
}

const isFramework = (where) => where.startsWith("packages/tsdevlake/") || where.startsWith("bench/benchplugin/src/")

/**
 * Where a phase's CPU time goes: self time by function and by source file (mapped back through the
 * bundle's source maps), and each sample charged to the innermost framework (or plugin) function on its
 * stack, which shows which framework step pays for the library code (Effect, Schema, SQLite driver) below it.
 */
export const summariseProfile = (dir) => {
  // One file per thread (`CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`): the main thread (0) first,
  // then the SQLite writer thread when the phase ran one.
  const threadOf = (file) => Number(file.split(".").at(-3))
  const files = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).sort((a, b) => threadOf(a) - threadOf(b))
    : []
  if (files.length === 0) return undefined
  return files.map((file) => summariseThread(dir, file, threadOf(file))).join("\n")
}

const summariseThread = (dir, file, thread) => {
  const files = [file]
  const profile = JSON.parse(fs.readFileSync(path.join(dir, files[0]), "utf8"))
  const where = makeSourceMapper()
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const located = new Map()
  const locate = (id) => {
    if (!located.has(id)) {
      const { callFrame } = byId.get(id)
      const at = where(callFrame)
      located.set(id, { at, name: `${callFrame.functionName || "(anonymous)"} ${at}` })
    }
    return located.get(id)
  }
  const self = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const byFunction = new Map()
  const byFile = new Map()
  const byFramework = new Map()
  const add = (map, key, micros) => map.set(key, (map.get(key) ?? 0) + micros)
  for (const [id, micros] of self) {
    const { at, name } = locate(id)
    add(byFunction, name, micros)
    add(byFile, at.replace(/:\d+$/, ""), micros)
    let owner = "(no framework frame on the stack)"
    for (let cursor = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = locate(cursor)
      if (isFramework(frame.at)) {
        owner = frame.name
        break
      }
    }
    add(byFramework, owner, micros)
  }
  const top = (map, k) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, micros]) =>
      `    ${(micros / 1000).toFixed(0).padStart(7)} ms ${(100 * micros / total).toFixed(1).padStart(5)}%  ${name}`
    ).join("\n")
  return `  ${thread === 0 ? "main thread" : `thread ${thread}`}: profile ${
    path.relative(root, path.join(dir, files[0]))
  } (${(total / 1e6).toFixed(2)} s sampled)\n` +
    `  self time by function:\n${top(byFunction, 20)}\n  self time by source file:\n${top(byFile, 15)}\n` +
    `  charged to the innermost framework/plugin function on the stack:\n${top(byFramework, 15)}`
}
