/**
 * The tasks of other DevLake plugins a plugin adds to its pipeline plan (`extraTasks`, `extraStages`), with
 * the options and defaults pydevlake's helpers give them.
 *
 * @internal
 */
import type { PipelineTask } from "./messages.js"

/** A `gitextractor` task: clones a repository and extracts its commits. @internal */
export const gitextractor = (options: {
  readonly url: string
  readonly repoName: string
  readonly scopeId: string
  readonly proxy?: string | null | undefined
  readonly noShallowClone?: boolean
}): PipelineTask => ({
  plugin: "gitextractor",
  skipOnFail: false,
  subtasks: [],
  options: {
    url: options.url,
    name: options.repoName,
    fullName: options.repoName,
    repoId: options.scopeId,
    proxy: options.proxy ?? null,
    noShallowClone: options.noShallowClone ?? false
  }
})

/** A `refdiff` task: commit differences between tags. @internal */
export const refdiff = (repoId: string, options: {
  readonly tagsLimit?: number
  readonly tagsOrder?: string
  readonly tagsPattern?: string
} = {}): PipelineTask => ({
  plugin: "refdiff",
  skipOnFail: false,
  subtasks: [],
  options: {
    repoId,
    tagsLimit: options.tagsLimit ?? 10,
    tagsOrder: options.tagsOrder ?? "reverse semver",
    tagsPattern: options.tagsPattern ?? "/v\\d+\\.\\d+(\\.\\d+(-rc)*\\d*)*$/"
  }
})
