// The server floors' writes: a connection runs its statements in order, so the floor keeps a few batches in flight
// on one connection (as the framework's writers overlap a batch's write with the next batch's preparation).
"use strict"

/** Batches in flight on one connection, which runs them in order; at most `depth` before `submit` waits. */
const pipelined = (write, depth) => {
  const inFlight = []
  return {
    submit: async (values) => {
      if (inFlight.length >= depth) await inFlight.shift()
      const promise = write(values)
      promise.catch(() => {}) // awaited in order below; this only keeps Node from calling it unhandled meanwhile
      inFlight.push(promise)
    },
    flush: async () => {
      while (inFlight.length > 0) await inFlight.shift()
    }
  }
}

module.exports = { pipelined }
