/**
 * Showing a subtask's progress from the `{current, total, increment}` messages it sends on fd 3, read as the Go
 * server reads them (`bridge.go`): a message with a total sets the progress, otherwise its increment adds to it.
 * On a terminal, one bar redrawn in place per subtask; elsewhere (a pipe, a file, CI) plain lines, at most one a
 * second, so a log stays readable.
 */

/** One progress message of a subtask (`RemoteProgress`). */
export interface ProgressMessage {
  readonly current?: number
  readonly total?: number
  readonly increment?: number
}

/** Where a subtask stands. */
export interface Progress {
  readonly records: number
  /** 0 when the subtask does not know it (a collect). */
  readonly total: number
  readonly seconds: number
  /**
   * Records and time at the first message: the rate is measured from there, since the process's start-up and its
   * first query would otherwise make the first estimates far too low.
   */
  readonly first?: { readonly records: number; readonly seconds: number }
}

/** Folds one message into the progress, as `bridge.go` does. */
export const advance = (progress: Progress, message: ProgressMessage, seconds: number): Progress => {
  const total = message.total ?? 0
  const next = total !== 0
    ? { records: message.current ?? 0, total, seconds }
    : { records: progress.records + (message.increment ?? 0), total: progress.total, seconds }
  return { ...next, first: progress.first ?? { records: next.records, seconds } }
}

/** How a run shows its subtasks. */
export interface Reporter {
  readonly start: (name: string, index: number, count: number) => void
  readonly update: (name: string, progress: Progress) => void
  readonly finish: (name: string, progress: Progress, failed: boolean) => void
}

const integer = (n: number) => Math.round(n).toLocaleString("en-US")

/** Records a second since the first message; 0 while unknown. */
export const rateOf = (p: Progress): number => {
  const since = p.first ?? { records: 0, seconds: 0 }
  const elapsed = p.seconds - since.seconds
  return elapsed > 0.05 && p.records > since.records ? (p.records - since.records) / elapsed : 0
}

/** `12s`, `3m05s` or `1h02m`. */
export const duration = (seconds: number): string => {
  if (seconds < 10) return `${seconds.toFixed(1)}s`
  const s = Math.round(seconds)
  if (s < 3600) return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

/** `120/250 (48%), 1,000/s, ETA 0.1s` with a total; `1,200 records, 3,400/s` without. */
export const describe = (p: Progress): string => {
  const rate = rateOf(p)
  const speed = rate > 0 ? `, ${integer(rate)}/s` : ""
  if (p.total <= 0) return `${integer(p.records)} records${speed}`
  const percent = Math.min(100, Math.floor((p.records / p.total) * 100))
  const eta = rate > 0 && p.records < p.total ? `, ETA ${duration((p.total - p.records) / rate)}` : ""
  return `${integer(p.records)}/${integer(p.total)} (${percent}%)${speed}${eta}`
}

const BAR_WIDTH = 24

/** A bar filled to the fraction done; without a total, a block that moves back and forth. */
export const bar = (p: Progress): string => {
  if (p.total > 0) {
    const filled = Math.min(BAR_WIDTH, Math.round((p.records / p.total) * BAR_WIDTH))
    return "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled)
  }
  const position = Math.floor(p.seconds * 8) % (2 * (BAR_WIDTH - 3))
  const at = position < BAR_WIDTH - 3 ? position : 2 * (BAR_WIDTH - 3) - position
  return "░".repeat(at) + "███" + "░".repeat(BAR_WIDTH - 3 - at)
}

/** Bars redrawn in place on a terminal (at most ten times a second). */
export const terminalReporter = (write: (text: string) => void, columns: number | undefined): Reporter => {
  // A terminal that does not say its width (or says 0, as a bare pseudo-terminal does) gets the usual 80.
  const width = columns === undefined || columns < 20 ? 80 : columns
  let lastDraw = 0
  let prefix = ""
  // The bar goes first when the line is too long; then the end of the line is cut, never wrapped (a wrapped line
  // would not be redrawn in place).
  const fit = (head: string, barText: string, tail: string) => {
    const short = `${head} ${tail}`
    const full = barText === "" ? short : `${head} ${barText} ${tail}`
    if (full.length < width) return full
    return short.length < width ? short : short.slice(0, width - 2) + "…"
  }
  const draw = (name: string, p: Progress, final: string | undefined) => {
    const text = final === undefined
      ? fit(`${prefix} ${name}`, bar(p), describe(p))
      : fit(`${prefix} ${name}`, "", final)
    write(`\r\x1b[2K${text}${final === undefined ? "" : "\n"}`)
  }
  return {
    start: (name, index, count) => {
      prefix = `[${index}/${count}]`
      lastDraw = 0
      draw(name, { records: 0, total: 0, seconds: 0 }, undefined)
    },
    update: (name, p) => {
      const now = performance.now()
      if (now - lastDraw < 100) return
      lastDraw = now
      draw(name, p, undefined)
    },
    finish: (name, p, failed) =>
      draw(name, p, `${failed ? "✗ failed" : "✓"} ${integer(p.records)} records in ${duration(p.seconds)}`)
  }
}

/**
 * Plain lines: one when a subtask starts, one at its first progress (so that even a short subtask shows it is
 * moving, whatever the machine's speed), then at most one a second, and one when it ends.
 */
export const plainReporter = (write: (text: string) => void, intervalSeconds = 1): Reporter => {
  let lastLine = Number.NEGATIVE_INFINITY
  return {
    start: (name, index, count) => {
      lastLine = Number.NEGATIVE_INFINITY
      write(`[${index}/${count}] ${name}: started\n`)
    },
    update: (name, p) => {
      if (p.seconds - lastLine < intervalSeconds) return
      lastLine = p.seconds
      write(`${name}: ${describe(p)}\n`)
    },
    finish: (name, p, failed) =>
      write(`${name}: ${failed ? "failed after" : "done,"} ${integer(p.records)} records in ${duration(p.seconds)}\n`)
  }
}

/** Bars when `stream` is a terminal, plain lines otherwise. */
export const reporterFor = (stream: NodeJS.WriteStream): Reporter => {
  const write = (text: string) => void stream.write(text)
  return stream.isTTY === true ? terminalReporter(write, stream.columns) : plainReporter(write)
}
