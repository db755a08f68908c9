/**
 * Collecting Azure Boards: the project's work items (a WIQL query for their ids, then `workitems?ids=` in
 * batches), each work item's updates, and the iterations of the project's teams.
 *
 * Work items are collected in `System.ChangedDate` order, and the state after each is a keyset position: the
 * newest changed date stored and the ids stored at that date. A run resumed, and an incremental run after a
 * completed one, ask WIQL for the work items changed at or after it and skip the ones stored, so nothing is
 * lost or stored twice whatever the order of work items changed at the same instant.
 */
import { Effect, Schema, Stream } from "effect"
import { type Api, DataStream } from "tsdevlake"
import { AzureDevOps, type AzureDevOpsClient, inOrg, topSkip } from "../api.js"
import { RawWorkItemKey } from "./extract.js"
import type { WorkItem } from "./models.js"
import { categoryOf, type StateCategories, stateCategories } from "./states.js"

/** Where work item collection stands: the newest `System.ChangedDate` stored, and the ids stored at it. */
export const WorkItemsState = Schema.Struct({ since: Schema.DateFromString, ids: Schema.Array(Schema.Int) })

/** @see WorkItemsState */
export type WorkItemsState = typeof WorkItemsState.Type

/** The scope fields the requests need. */
export interface ProjectScope {
  readonly orgId: string
  readonly projectId: string
}

/** Sizes of the requests: WIQL answers at most 20,000 ids, `workitems?ids=` takes at most 200. */
export interface Sizes {
  readonly wiqlTop: number
  readonly batch: number
}

/** The service's limits. */
export const serviceSizes: Sizes = { wiqlTop: 20_000, batch: 200 }

const wiqlOf = (since: Date | undefined) =>
  "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project" +
  (since === undefined ? "" : ` AND [System.ChangedDate] >= '${since.toISOString()}'`) +
  " ORDER BY [System.ChangedDate] ASC"

const keyOf = (item: unknown) =>
  Effect.mapError(Schema.decodeUnknown(RawWorkItemKey)(item), (error) =>
    new DataStream.CollectFailure({
      stream: "workitems",
      detail: `a work item without an id or System.ChangedDate: ${error.message}`
    }))

/** Whether a work item comes after a position: changed later, or at the same instant and not stored yet. */
export const isAfter = (position: WorkItemsState | undefined, changed: Date, id: number): boolean =>
  position === undefined || changed.getTime() > position.since.getTime() ||
  (changed.getTime() === position.since.getTime() && !position.ids.includes(id))

/**
 * The position after storing a work item. One changed after the run started (`startedAt`) was changed while the
 * run read: it leaves the position where it is, since the work items WIQL listed after it may be older and not
 * stored yet; the next run collects it again anyway.
 */
export const advance = (
  position: WorkItemsState | undefined,
  changed: Date,
  id: number,
  startedAt: number
): WorkItemsState | undefined => {
  if (changed.getTime() > startedAt) return position
  if (position === undefined || changed.getTime() > position.since.getTime()) return { since: changed, ids: [id] }
  if (changed.getTime() === position.since.getTime()) return { since: position.since, ids: [...position.ids, id] }
  return position
}

const chunks = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

const queryIds = (client: AzureDevOpsClient, scope: ProjectScope, since: Date | undefined, top: number) =>
  Effect.map(
    client.api.execute({
      method: "POST",
      path: inOrg(client, scope.orgId, scope.projectId, "_apis", "wit", "wiql"),
      query: { timePrecision: "true", $top: top },
      json: { query: wiqlOf(since) }
    }),
    (response) => ((response.body as { workItems?: ReadonlyArray<{ id: number }> }).workItems ?? []).map((w) => w.id)
  )

// One batch of work items, in the order asked (the service's), without those deleted since the query.
const fetchBatch = (client: AzureDevOpsClient, scope: ProjectScope, ids: ReadonlyArray<number>) =>
  Effect.map(
    client.api.execute({
      method: "GET",
      path: inOrg(client, scope.orgId, scope.projectId, "_apis", "wit", "workitems"),
      query: { ids: ids.join(","), $expand: "all", errorPolicy: "omit" }
    }),
    (response) => ({
      url: response.url,
      items: ((response.body as { value?: ReadonlyArray<unknown> }).value ?? []).filter((item) => item !== null)
    })
  )

type WorkItemRecord = DataStream.RawRecord<WorkItemsState>
type Failure = Api.ApiError | DataStream.CollectFailure

// The work items of one WIQL window, after `from`; the next window starts where this one's records left off.
const windowFrom = (
  client: AzureDevOpsClient,
  scope: ProjectScope,
  sizes: Sizes,
  from: WorkItemsState | undefined,
  run: { readonly startedAt: number; readonly categories: StateCategories }
): Stream.Stream<WorkItemRecord, Failure> =>
  Stream.unwrap(Effect.map(queryIds(client, scope, from?.since, sizes.wiqlTop), (ids) => {
    let position = from
    const records = Stream.fromIterable(chunks(ids, sizes.batch)).pipe(
      Stream.mapEffect((batch) => fetchBatch(client, scope, batch)),
      Stream.flatMap(({ items, url }) =>
        Stream.fromIterable(items).pipe(
          Stream.mapEffect((data) => Effect.map(keyOf(data), (key) => ({ data, key, url })))
        )
      ),
      Stream.filter(({ key }) => isAfter(from, key.fields["System.ChangedDate"], key.id)),
      Stream.map(({ data, key: { fields, id }, url }) => {
        position = advance(position, fields["System.ChangedDate"], id, run.startedAt)
        const category = categoryOf(run.categories, fields["System.WorkItemType"], fields["System.State"])
        return DataStream.raw({ ...(data as object), x_state_category: category }, { url, state: position })
      })
    )
    if (ids.length < sizes.wiqlTop) return records
    // A full window: WIQL may have more, from the position reached.
    return Stream.concat(
      records,
      Stream.suspend(() =>
        position === from
          ? Stream.fail(
            new DataStream.CollectFailure({
              stream: "workitems",
              detail:
                `${sizes.wiqlTop} work items in a row changed at ${from?.since.toISOString()}; WIQL cannot page past them`
            })
          )
          : windowFrom(client, scope, sizes, position, run)
      )
    )
  }))

/**
 * How far this host's clock may run ahead of the service's without losing work items: `advance` compares the
 * service's `System.ChangedDate` with the run's start on this clock, and a work item changed during the run at a
 * service time before the local start would move the position past items WIQL listed after it and not stored
 * yet. Holding the position for items changed this long before the start only makes a resumed run read them again.
 */
export const clockSkewAllowanceMs = 10 * 60_000

/** The scope's project's work items changed after `state` (all of them without one), oldest change first. */
export const collectWorkItems = (scope: ProjectScope, state: WorkItemsState | undefined, sizes: Sizes = serviceSizes) =>
  Stream.unwrap(Effect.gen(function*() {
    const client = yield* AzureDevOps
    // The wall clock, not Effect's Clock: the position compares it with the service's dates, and a test's
    // TestClock (at 0) would hold the position back for good.
    const startedAt = Date.now() - clockSkewAllowanceMs
    const categories = yield* stateCategories(client, scope)
    return windowFrom(client, scope, sizes, state, { startedAt, categories })
  }))

/** The state of the updates: the newest changed date of the work items whose updates were collected. */
export const UpdatesState = Schema.Struct({ since: Schema.DateFromString })

/**
 * A work item's updates, unless it has not changed since the last run's (`state`): its updates then are those
 * already stored.
 */
export const collectUpdates = (scope: ProjectScope, item: WorkItem, state: typeof UpdatesState.Type | undefined) =>
  state !== undefined && item.changedDate.getTime() < state.since.getTime()
    ? Stream.empty
    : Stream.unwrap(Effect.gen(function*() {
      const client = yield* AzureDevOps
      const categories = yield* stateCategories(client, scope)
      return client.api.paginate(topSkip, {
        path: inOrg(client, scope.orgId, scope.projectId, "_apis", "wit", "workItems", item.id, "updates")
      }).pipe(Stream.map(({ data, url }) => {
        const change = (data as { fields?: { "System.State"?: { oldValue?: string; newValue?: string } } }).fields?.[
          "System.State"
        ]
        const categorized = change === undefined ? data : {
          ...(data as object),
          x_old_state_category: categoryOf(categories, item.workItemType, change.oldValue),
          x_new_state_category: categoryOf(categories, item.workItemType, change.newValue)
        }
        return DataStream.raw(categorized, { url, state: { since: item.changedDate } })
      }))
    }))

/** The iterations of every team of the project, each once (teams share iterations). */
export const collectIterations = (scope: ProjectScope) =>
  Stream.unwrap(Effect.map(AzureDevOps, (client) => {
    const seen = new Set<string>()
    return client.api.paginate(topSkip, {
      path: inOrg(client, scope.orgId, "_apis", "projects", scope.projectId, "teams")
    }).pipe(
      // A team's iterations come in one list, not paged.
      Stream.flatMap(({ data }) =>
        Stream.unwrap(Effect.map(
          client.api.execute({
            method: "GET",
            path: inOrg(
              client,
              scope.orgId,
              scope.projectId,
              (data as { id: string }).id,
              "_apis",
              "work",
              "teamsettings",
              "iterations"
            )
          }),
          ({ body, url }) =>
            Stream.fromIterable(
              ((body as { value?: ReadonlyArray<unknown> }).value ?? []).map((item) => DataStream.raw(item, { url }))
            )
        ))
      ),
      Stream.filter(({ data }) => {
        const path = (data as { path?: unknown }).path
        if (typeof path !== "string" || seen.has(path)) return false
        seen.add(path)
        return true
      })
    )
  }))
