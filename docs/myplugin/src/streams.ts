// --- issues ---
import { Effect, Schema, Stream } from "effect"
import { DataStream, Domain, Paginator } from "tsdevlake"
import { MyApi } from "./api.js"
import { myplugin } from "./definition.js"
import { Comment, Issue } from "./models.js"

export const Issues = myplugin.stream({
  name: "issues",
  toolModel: Issue,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.Issue],
  // Where a collect stopped: the page and how many of its issues were stored.
  state: Paginator.Position,
  collect: (ctx) =>
    Stream.unwrap(
      Effect.map(MyApi, (api) =>
        api.paginate(
          Paginator.token({ items: "issues", token: "nextPageToken", param: "pageToken" }),
          { path: ["projects", ctx.scope.id, "issues"] },
          { resume: ctx.state }
        ))
    ),
  convert: (issue, ctx) =>
    Effect.succeed([
      new Domain.Ticket.Issue({
        issueKey: issue.key,
        title: issue.title,
        status: Domain.Ticket.status({
          todo: ctx.scopeConfig.todoStatuses,
          inProgress: ctx.scopeConfig.inProgressStatuses,
          done: ctx.scopeConfig.doneStatuses
        })(issue.status),
        originalStatus: issue.status,
        assigneeName: issue.assignee ?? "",
        createdDate: issue.created,
        resolutionDate: issue.resolved ?? null
      })
    ])
})
// --- end ---

// --- comments ---
/** The comments of one issue, as the API sends them. */
const RawComment = Schema.Struct({
  id: Schema.String,
  issueKey: Schema.String,
  author: Schema.Struct({ displayName: Schema.String }),
  body: Schema.String,
  updated: Schema.DateFromString
})

export const Comments = myplugin.stream({
  name: "comments",
  toolModel: Comment,
  domainTypes: ["TICKET"],
  domainModels: [Domain.Ticket.IssueComment],
  parent: Issues,
  state: Schema.Struct({ since: Schema.DateFromString }),
  // The latest `updated` of every issue's comments, not only the last issue's.
  combineState: (a, b) => a.since >= b.since ? a : b,
  collect: (ctx, issue) =>
    Stream.unwrap(
      Effect.map(MyApi, (api) =>
        api.paginate(Paginator.startAt({ items: "comments", size: 50 }), {
          path: ["issues", issue.key, "comments"],
          query: ctx.state === undefined ? {} : { since: ctx.state.since.toISOString() }
        }))
    ).pipe(Stream.map(({ data, url }) =>
      DataStream.raw(data, { url, state: { since: new Date((data as { updated: string }).updated) } })
    )),
  extract: (raw) =>
    Effect.map(Schema.decodeUnknown(RawComment)(raw), (comment) =>
      new Comment({
        id: comment.id,
        issueKey: comment.issueKey,
        author: comment.author.displayName,
        body: comment.body,
        updated: comment.updated
      })),
  convert: (comment, ctx) =>
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
