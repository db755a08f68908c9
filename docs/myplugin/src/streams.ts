import { Effect, Schema, Stream } from "effect"
import { DataStream, Domain, Paginator } from "tsdevlake"
import { MyApi } from "./api.js"
import { Comment, Issue, type MyConnection, type MyProject, type MyScopeConfig } from "./models.js"

// --- issues ---
export const Issues = DataStream.make({
  name: "issues",
  toolModel: Issue,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.Issue],
  collect: (ctx: DataStream.CollectContext<MyConnection, MyProject, MyScopeConfig>) =>
    Stream.unwrap(
      Effect.map(MyApi, (api) =>
        api.paginate(Paginator.token({ items: "issues", token: "nextPageToken", param: "pageToken" }), {
          path: ["projects", ctx.scope.id, "issues"]
        }))
    ),
  convert: (issue, ctx: DataStream.TaskContext<MyConnection, MyProject, MyScopeConfig>) =>
    Effect.succeed([
      new Domain.Ticket.Issue({
        issueKey: issue.key,
        title: issue.title,
        status: ctx.scopeConfig.doneStatuses.includes(issue.status.toLowerCase()) ? "DONE" : "TODO",
        originalStatus: issue.status,
        assigneeName: issue.assignee ?? "",
        createdDate: issue.created,
        resolutionDate: issue.resolved ?? null
      })
    ])
})
// --- end ---

// --- comments ---
const CommentsState = Schema.Struct({ since: Schema.DateFromString })

export const Comments = DataStream.make({
  name: "comments",
  toolModel: Comment,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.IssueComment],
  parent: Issues,
  state: CommentsState,
  combineState: (a, b) => a.since >= b.since ? a : b,
  collect: (
    ctx: DataStream.CollectContext<MyConnection, MyProject, MyScopeConfig, typeof CommentsState.Type>,
    issue: Issue
  ) =>
    Stream.unwrap(
      Effect.map(MyApi, (api) =>
        api.paginate(Paginator.startAt({ items: "comments", size: 50 }), {
          path: ["issues", issue.key, "comments"],
          query: ctx.state === undefined ? {} : { since: ctx.state.since.toISOString() }
        }))
    ).pipe(
      Stream.map(({ data, url }) =>
        DataStream.raw(data, { url, state: { since: new Date((data as { updated: string }).updated) } })
      )
    ),
  extract: (raw: { id: string; issueKey: string; author: { displayName: string }; body: string; updated: string }) =>
    Effect.succeed(
      new Comment({
        id: raw.id,
        issueKey: raw.issueKey,
        author: raw.author.displayName,
        body: raw.body,
        updated: new Date(raw.updated)
      })
    ),
  convert: (comment, ctx: DataStream.TaskContext<MyConnection, MyProject, MyScopeConfig>) =>
    Effect.succeed([
      new Domain.Ticket.IssueComment({
        issueId: ctx.domainId(Issue, { key: comment.issueKey }),
        body: comment.body,
        accountId: comment.author,
        createdDate: comment.updated
      })
    ])
})
// --- end ---
