/**
 * Builds and their timelines: every status and result, builds that never started, one whose timeline is a 204
 * (failed before any job) and one whose timeline is gone (404), Job and Stage records among Phases and Tasks.
 */
import type { Build, BuildResult, BuildStatus, Generation, PullRequest, TimelineRecord } from "./data.js"
import { at, HOUR } from "./time.js"

interface Kind {
  readonly status: BuildStatus
  readonly result: BuildResult | undefined
  readonly started: boolean
  readonly finished: boolean
  readonly timeline: Build["timeline"]
}

/** The cycle of build kinds: the first nine builds of a repository cover them all. */
const KINDS: ReadonlyArray<Kind> = [
  { status: "completed", result: "succeeded", started: true, finished: true, timeline: "records" },
  { status: "completed", result: "failed", started: true, finished: true, timeline: "none" },
  { status: "completed", result: "partiallySucceeded", started: true, finished: true, timeline: "records" },
  { status: "completed", result: "canceled", started: true, finished: true, timeline: "records" },
  { status: "inProgress", result: undefined, started: true, finished: false, timeline: "records" },
  { status: "notStarted", result: undefined, started: false, finished: false, timeline: "records" },
  { status: "completed", result: "succeeded", started: true, finished: true, timeline: "gone" },
  { status: "cancelling", result: undefined, started: true, finished: false, timeline: "records" },
  { status: "postponed", result: undefined, started: false, finished: false, timeline: "records" },
  { status: "completed", result: "failed", started: true, finished: true, timeline: "records" }
]

/** The result of a build's jobs, by the build's result (the last job carries the failure). */
const jobResult = (kind: Kind, last: boolean): { state: TimelineRecord["state"]; result: string | null } => {
  if (!kind.started) return { state: "pending", result: null }
  if (!kind.finished) return last ? { state: "inProgress", result: null } : { state: "completed", result: "succeeded" }
  if (!last) return { state: "completed", result: "succeeded" }
  switch (kind.result) {
    case "failed":
      return { state: "completed", result: "failed" }
    case "partiallySucceeded":
      return { state: "completed", result: "succeededWithIssues" }
    case "canceled":
      return { state: "completed", result: "canceled" }
    default:
      return { state: "completed", result: "succeeded" }
  }
}

const records = (g: Generation, kind: Kind, definition: string, started: number): ReadonlyArray<TimelineRecord> => {
  const deploy = definition.startsWith("deploy")
  const stageName = deploy ? "Deploy" : "Build"
  const jobs = deploy
    ? [`predeploy_${definition.slice(7)}_terraform`, `deploy_${definition.slice(7)}_helm`]
    : ["Build job", "Test job"]
  const out: Array<TimelineRecord> = []
  const stage = g.random.uuid()
  const time = (minutes: number, when: boolean) => (when ? at(started + minutes * 60_000) : null)
  const lastState = jobResult(kind, true)
  out.push({
    id: stage,
    parentId: null,
    type: "Stage",
    name: stageName,
    identifier: stageName,
    startTime: time(0, kind.started),
    finishTime: time(9, kind.finished),
    state: lastState.state,
    result: lastState.result,
    order: 1
  })
  const phase = g.random.uuid()
  out.push({ ...out[0]!, id: phase, parentId: stage, type: "Phase", name: `${stageName} phase`, identifier: null })
  jobs.forEach((name, i) => {
    const last = i === jobs.length - 1
    const { result, state } = jobResult(kind, last)
    const job = g.random.uuid()
    out.push({
      id: job,
      parentId: phase,
      type: "Job",
      name,
      identifier: `${stageName}.${name.replace(/ /g, "_")}`,
      startTime: time(i * 4 + 1, kind.started),
      finishTime: time(i * 4 + 4, state === "completed"),
      state,
      result,
      order: i + 1
    })
    out.push({
      id: g.random.uuid(),
      parentId: job,
      type: "Task",
      name: "Checkout",
      identifier: null,
      startTime: time(i * 4 + 1, kind.started),
      finishTime: time(i * 4 + 2, kind.started),
      state: kind.started ? "completed" : "pending",
      result: kind.started ? "succeeded" : null,
      order: 1
    })
  })
  return out
}

interface RepositoryBuilds {
  readonly id: string
  readonly type: string
  readonly count: number
  /** Pull requests whose commits the builds build (any commit when empty). */
  readonly commits: ReadonlyArray<PullRequest>
}

export const generateBuilds = (
  g: Generation,
  options: { readonly repositories: ReadonlyArray<RepositoryBuilds>; readonly name: string; readonly start: number }
): ReadonlyArray<Build> => {
  const definitions = ["ci", "deploy-staging", "deploy-prod"].map((name) => ({
    id: ++g.counters.definition,
    name: `${options.name.toLowerCase().replace(/ /g, "-")}-${name}`
  }))
  const builds: Array<Build> = []
  for (const repository of options.repositories) {
    for (let i = 0; i < repository.count; i++) {
      const kind = KINDS[i % KINDS.length]!
      const definition = definitions[i % definitions.length]!
      const queued = options.start + (i * 3 + 1) * HOUR
      const started = queued + 10 * 60_000
      const pr = repository.commits[i % Math.max(1, repository.commits.length)]
      const id = ++g.counters.build
      builds.push({
        id,
        buildNumber: `2026${String(i + 1).padStart(4, "0")}.1`,
        definition,
        status: kind.status,
        result: kind.result,
        queueTime: at(queued),
        startTime: kind.started ? at(started) : undefined,
        finishTime: kind.finished ? at(started + 10 * 60_000) : undefined,
        sourceBranch: pr === undefined ? "refs/heads/main" : pr.sourceRefName,
        sourceVersion: pr === undefined ? g.random.sha() : pr.commits.at(-1)!.commitId,
        message: pr === undefined ? `Build ${i + 1}` : pr.commits.at(-1)!.comment,
        repository: { id: repository.id, type: repository.type },
        requestedFor: g.random.pick(g.people),
        timeline: kind.timeline,
        records: kind.timeline === "records"
          ? records(g, kind, definition.name.replace(/^.*?-(?=deploy|ci)/, ""), started)
          : []
      })
    }
  }
  return builds
}
