/**
 * The category of each state of each work item type of a project (`wit/workitemtypes`): Proposed, InProgress,
 * Resolved, Completed or Removed. A work item and its updates name states only, so the collectors add each
 * state's category to the raw records, and the statuses follow the process, custom states included.
 */
import { Effect, Schema } from "effect"
import type { Api } from "tsdevlake"
import { type AzureDevOpsClient, inOrg } from "../api.js"

/** Work item type → state → category. */
export type StateCategories = ReadonlyMap<string, ReadonlyMap<string, string>>

const WorkItemTypes = Schema.Struct({
  value: Schema.Array(Schema.Struct({
    name: Schema.String,
    states: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({
      name: Schema.String,
      category: Schema.optional(Schema.NullOr(Schema.String))
    }))))
  }))
})

const fetchCategories = (client: AzureDevOpsClient, scope: { readonly orgId: string; readonly projectId: string }) =>
  Effect.map(
    client.api.get(inOrg(client, scope.orgId, scope.projectId, "_apis", "wit", "workitemtypes"), {
      schema: WorkItemTypes
    }),
    ({ value }): StateCategories =>
      new Map(value.map((type) => [
        type.name,
        new Map((type.states ?? []).flatMap((state) => state.category == null ? [] : [[state.name, state.category]]))
      ]))
  )

// One request per project for a client, i.e. for a subtask: every work item's updates need the categories.
const memo = new WeakMap<AzureDevOpsClient, Map<string, Effect.Effect<StateCategories, Api.ApiError>>>()

/** The state categories of the scope's project, asked once per client. */
export const stateCategories = (
  client: AzureDevOpsClient,
  scope: { readonly orgId: string; readonly projectId: string }
): Effect.Effect<StateCategories, Api.ApiError> =>
  Effect.suspend(() => {
    let byProject = memo.get(client)
    if (byProject === undefined) {
      byProject = new Map()
      memo.set(client, byProject)
    }
    const key = `${scope.orgId}/${scope.projectId}`
    const known = byProject.get(key)
    if (known !== undefined) return known
    const projects = byProject
    return Effect.flatMap(Effect.cached(fetchCategories(client, scope)), (cached) => {
      projects.set(key, cached)
      return cached
    })
  })

/** The category of a state of a work item type, `null` when the service did not list it. */
export const categoryOf = (
  categories: StateCategories,
  type: string | null | undefined,
  state: string | null | undefined
): string | null => type == null || state == null ? null : categories.get(type)?.get(state) ?? null
