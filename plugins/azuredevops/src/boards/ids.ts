/**
 * Domain ids of Boards rows. They follow DevLake's `<plugin>:<ToolModel>:<connectionId>:<key…>` but leave out
 * the scope the tool rows carry (see `models.ts`): the key is the organization (work item ids are unique in an
 * organization or collection) and the work item id, iteration path or update.
 */
import { createHash } from "node:crypto"
import { Iteration, WorkItem, WorkItemUpdate } from "./models.js"

/** What an id needs of the task context. */
export interface IdContext {
  /** The scope's domain id, `<plugin>:GitRepository:<connectionId>:<repositoryId>`. */
  readonly domainScopeId: string
  readonly connection: { readonly id: number }
  readonly scope: { readonly orgId: string }
}

/** The longest id DevLake's tables hold (`varchar(255)` keys). */
export const maxIdLength = 255

// An iteration path may be longer than an id can be: a long id keeps its start and ends with a hash of the whole,
// so that it stays unique and is the same wherever it is made.
const bounded = (id: string) =>
  id.length <= maxIdLength ? id : `${id.slice(0, maxIdLength - 41)}#${createHash("sha1").update(id).digest("hex")}`

const idOf = (ctx: IdContext, model: { readonly identifier: string }, keys: ReadonlyArray<string | number>) =>
  bounded(
    [ctx.domainScopeId.slice(0, ctx.domainScopeId.indexOf(":")), model.identifier, ctx.connection.id, ctx.scope.orgId]
      .concat(keys)
      .join(":")
  )

/** The `issues.id` of a work item. */
export const issueId = (ctx: IdContext, workItemId: number): string => idOf(ctx, WorkItem, [workItemId])

/** The `sprints.id` of an iteration, from its path. */
export const sprintId = (ctx: IdContext, iterationPath: string): string => idOf(ctx, Iteration, [iterationPath])

/** The `issue_changelogs.id` of one field's change in a work item update (as Go's Jira plugin: update and field). */
export const changelogId = (ctx: IdContext, workItemId: number, updateId: number, field: string): string =>
  idOf(ctx, WorkItemUpdate, [workItemId, updateId, field])
