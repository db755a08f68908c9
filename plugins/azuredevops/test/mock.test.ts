/**
 * The mock Azure DevOps API itself: the same data from the same seed, data consistent with itself, paging as the
 * service pages, its authentication answers and faults, over real HTTP: on-premises collection URLs in plain http
 * and the cloud hosts through the mock as proxy with its test CA.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import type { Dispatcher } from "undici"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { generate, type Mock, startMock } from "../mock/index.js"
import { call, cloudDispatcher, plainDispatcher, readAll } from "./support/http.js"

describe("the mock's data", () => {
  it("is the same for the same seed and size, and differs with the seed", () => {
    expect(generate("a", 12)).toEqual(generate("a", 12))
    expect(generate("b", 12).organizations[0]!.projects[0]!.id).not.toBe(
      generate("a", 12).organizations[0]!.projects[0]!.id
    )
    const big = generate("a", 40).organizations[0]!.projects[0]!
    expect(big.repositories[0]!.pullRequests).toHaveLength(40)
    expect(big.builds.filter((b) => b.repository.type === "TfsGit")).toHaveLength(40)
    expect(big.workItems).toHaveLength(40)
  })

  const data = generate(7, 20)
  const projects = data.organizations.flatMap((o) => o.projects)
  const web = data.organizations[0]!.projects[0]!

  it("has every pull request status, labels, a fork source and commits in two pull requests", () => {
    const prs = projects.flatMap((p) => p.repositories.flatMap((r) => r.pullRequests))
    expect(new Set(prs.map((pr) => pr.status))).toEqual(new Set(["active", "completed", "abandoned"]))
    expect(prs.every((pr) => pr.commits.length > 0)).toBe(true)
    expect(prs.some((pr) => pr.labels.length > 1)).toBe(true)
    const owners = new Map<string, number>()
    for (const pr of prs) for (const c of pr.commits) owners.set(c.commitId, (owners.get(c.commitId) ?? 0) + 1)
    expect([...owners.values()].some((n) => n === 2)).toBe(true)
    const [main, fork, empty] = web.repositories
    const forked = main!.pullRequests.filter((pr) => pr.forkSourceRepositoryId !== undefined)
    expect(forked.map((pr) => pr.forkSourceRepositoryId)).toEqual([fork!.id])
    expect(fork!.parentId).toBe(main!.id)
    expect(empty!.defaultBranch).toBeUndefined()
    // Pull request ids are unique per organization, as the service numbers them.
    for (const org of data.organizations) {
      const ids = org.projects.flatMap((p) =>
        p.repositories.flatMap((r) => r.pullRequests.map((pr) => pr.pullRequestId))
      )
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it("has builds of every status and result, of existing repositories, with 204 and 404 timelines", () => {
    const builds = projects.flatMap((p) => p.builds)
    expect(new Set(builds.map((b) => b.status))).toEqual(
      new Set(["completed", "inProgress", "notStarted", "cancelling", "postponed"])
    )
    expect(new Set(builds.map((b) => b.result))).toEqual(
      new Set(["succeeded", "failed", "partiallySucceeded", "canceled", undefined])
    )
    expect(builds.some((b) => b.startTime === undefined)).toBe(true)
    expect(new Set(web.builds.map((b) => b.timeline))).toEqual(new Set(["records", "none", "gone"]))
    for (const project of projects) {
      const repositoryIds = new Set([
        ...project.repositories.map((r) => r.id),
        ...project.endpoints.flatMap((e) => e.repositories.map((r) => r.id))
      ])
      for (const b of project.builds) {
        expect(repositoryIds.has(b.repository.id)).toBe(true)
        if (b.timeline !== "records") expect(b.records).toEqual([])
        const ids = new Set(b.records.map((r) => r.id))
        for (const r of b.records) if (r.parentId !== null) expect(ids.has(r.parentId)).toBe(true)
        if (b.startTime === undefined) expect(b.records.every((r) => r.startTime === null)).toBe(true)
      }
    }
    const types = new Set(web.builds.flatMap((b) => b.records.map((r) => r.type)))
    expect(types).toEqual(new Set(["Stage", "Phase", "Job", "Task"]))
    // A built commit belongs to one of the repository's pull requests.
    const commits = new Set(web.repositories[0]!.pullRequests.flatMap((pr) => pr.commits.map((c) => c.commitId)))
    expect(web.builds.filter((b) => b.repository.type === "TfsGit").every((b) => commits.has(b.sourceVersion))).toBe(
      true
    )
  })

  it("has work items of every type, whose updates fold to their fields, in existing sprints and areas", () => {
    expect(new Set(web.workItems.map((w) => w.fields["System.WorkItemType"]))).toEqual(
      new Set(["Epic", "Feature", "User Story", "Task", "Bug"])
    )
    const incident = web.workItems.filter((w) => String(w.fields["System.Tags"] ?? "").includes("incident"))
    expect(incident.map((w) => [w.fields["System.WorkItemType"], w.fields["Microsoft.VSTS.Common.Priority"]])).toEqual([
      ["Bug", 1]
    ])
    for (const project of projects) {
      const ids = new Set(project.workItems.map((w) => w.id))
      const sprints = new Set([project.name, ...project.iterations.map((it) => it.path)])
      for (const item of project.workItems) {
        if (item.parentId !== undefined) expect(ids.has(item.parentId)).toBe(true)
        expect(sprints.has(String(item.fields["System.IterationPath"]))).toBe(true)
        expect(project.areaPaths).toContain(item.fields["System.AreaPath"])
        const folded: Record<string, unknown> = {}
        item.updates.forEach((u, i) => {
          expect(u.rev).toBe(i + 1)
          for (const [name, change] of Object.entries(u.fields)) {
            expect(change.oldValue).toEqual(folded[name])
            folded[name] = change.newValue
          }
        })
        expect(folded).toEqual(item.fields)
      }
    }
    const changed = web.workItems.flatMap((w) => w.updates.slice(1).flatMap((u) => Object.keys(u.fields)))
    expect(changed).toEqual(expect.arrayContaining(["System.State", "System.AssignedTo", "System.IterationPath"]))
  })
})

describe("the mock over HTTP", () => {
  let mock: Mock
  let plain: Dispatcher
  let cloud: Dispatcher
  let token: string
  beforeAll(async () => {
    mock = await startMock({ seed: 11, size: 10, pageSize: 3 })
    token = mock.data.token
    plain = plainDispatcher()
    cloud = cloudDispatcher(mock)
  })
  afterAll(async () => {
    await Promise.all([plain.close(), cloud.close()])
    await mock.close()
  })
  const v = "api-version=7.0"

  it("answers the cloud hosts through the proxy with the test CA: profile, accounts, projects", async () => {
    const me = await call(cloud, `https://app.vssps.visualstudio.com/_apis/profile/profiles/me?${v}`, { token })
    expect(me.status).toBe(200)
    expect(me.json).toMatchObject(mock.data.profile)
    const accounts = await call(
      cloud,
      `https://app.vssps.visualstudio.com/_apis/accounts?memberId=${me.json.id}&${v}`,
      {
        token
      }
    )
    expect(accounts.json.value.map((a: any) => a.accountName)).toEqual(["fabrikam", "contoso"])
    const projects = await readAll(cloud, `https://dev.azure.com/fabrikam/_apis/projects?${v}`, token)
    expect(projects.items.map((p) => p.name)).toEqual(["web", "Fabrikam Fiber"])
    expect(projects.items[0].url).toMatch(/^https:\/\/dev\.azure\.com\/fabrikam\/_apis\/projects\//)
  })

  it("is refused without the test CA, and tunnels no other host", async () => {
    const untrusted = cloudDispatcher(mock, false)
    await expect(call(untrusted, `https://dev.azure.com/fabrikam/_apis/projects?${v}`, { token })).rejects.toThrow(
      /certificate/i
    )
    await untrusted.close()
    await expect(call(cloud, `https://example.com/fabrikam/_apis/projects?${v}`, { token })).rejects.toThrow(/403/)
  })

  it("serves the same data under any on-premises collection path as on the cloud, URLs under that path", async () => {
    const repos = async (base: string, d: Dispatcher) =>
      (await call(d, `${base}web/_apis/git/repositories?${v}`, { token })).json
    const cloudRepos = await repos("https://dev.azure.com/fabrikam/", cloud)
    for (const prefix of ["", "tfs/"]) {
      for (const collection of ["fabrikam", "DefaultCollection"]) {
        const base = mock.collectionUrl(prefix, collection)
        const onPrem = await repos(base, plain)
        expect(onPrem.value.map((r: any) => r.id)).toEqual(cloudRepos.value.map((r: any) => r.id))
        const normalised = JSON.parse(
          JSON.stringify(onPrem).replaceAll(base.slice(0, -1), "https://dev.azure.com/fabrikam")
        )
        // The cloud's clone URLs carry the organization as user name; on-premises ones do not.
        const cloudWithoutUser = JSON.parse(JSON.stringify(cloudRepos).replaceAll("https://fabrikam@", "https://"))
        const withoutSsh = (x: any) => x.value.map(({ sshUrl: _, ...r }: any) => r)
        expect(withoutSsh(normalised)).toEqual(withoutSsh(cloudWithoutUser))
      }
    }
    const unknown = await call(plain, `${mock.url}tfs/nowhere/_apis/projects?${v}`, { token })
    expect(unknown.status).toBe(404)
  })

  it("lists repositories with a fork's parent, one without default branch, and external repositories", async () => {
    const base = mock.collectionUrl()
    const repos = (await call(plain, `${base}web/_apis/git/repositories?${v}`, { token })).json.value
    expect(repos.map((r: any) => [r.name, r.defaultBranch, r.parentRepository?.name])).toEqual([
      ["web-app", "refs/heads/main", undefined],
      ["web-app-fork", "refs/heads/main", "web-app"],
      ["empty", undefined, undefined]
    ])
    const endpoints = (await call(plain, `${base}web/_apis/serviceendpoint/endpoints?${v}`, { token })).json.value
    expect(endpoints.map((e: any) => e.type)).toEqual(["GitHub", "azurerm"])
    const external = await call(
      plain,
      `${base}web/_apis/sourceProviders/github/repositories?serviceEndpointId=${endpoints[0].id}&${v}`,
      { token }
    )
    expect(external.json.repositories.map((r: any) => [r.name, r.properties.cloneUrl, r.properties.defaultBranch]))
      .toEqual([
        ["octo-org/api", "https://github.com/octo-org/api.git", "develop"],
        ["octo-org/docs", "https://github.com/octo-org/docs.git", undefined]
      ])
  })

  it("pages builds by continuation token and pull requests by $top/$skip, as the service does", async () => {
    const web = mock.data.organizations[0]!.projects[0]!
    const repo = web.repositories[0]!
    const base = `${mock.collectionUrl()}web/_apis`
    const builds = await readAll(
      plain,
      `${base}/build/builds?repositoryId=${repo.id}&repositoryType=tfsgit&deletedFilter=excludeDeleted&queryOrder=finishTimeDescending&${v}`,
      token
    )
    const expected = web.builds.filter((b) => b.repository.id === repo.id)
    expect(builds.pages).toBe(Math.ceil(expected.length / 3))
    expect(builds.items.map((b) => b.id).sort()).toEqual(expected.map((b) => b.id).sort())
    const finished = builds.items.filter((b) => b.finishTime !== undefined).map((b) => b.finishTime)
    expect(finished).toEqual([...finished].sort().reverse())
    const prs = `${base}/git/repositories/${repo.id}/pullrequests?searchCriteria.status=all&${v}`
    const first = await call(plain, `${prs}&$top=2`, { token })
    expect(first.json.count).toBe(2)
    expect(first.headers["x-ms-continuationtoken"]).toBeUndefined()
    const second = await call(plain, `${prs}&$top=2&$skip=2`, { token })
    const ids = [...first.json.value, ...second.json.value].map((pr: any) => pr.pullRequestId)
    expect(new Set(ids).size).toBe(4)
    const active = await call(plain, `${base}/git/repositories/${repo.id}/pullrequests?$top=100&${v}`, { token })
    expect(active.json.value.every((pr: any) => pr.status === "active")).toBe(true)
    const bad = await call(plain, `${base}/build/builds?continuationToken=nonsense&${v}`, { token })
    expect(bad.status).toBe(400)
  })

  it("answers timelines with records, 204 and 404, and pull request commits", async () => {
    const web = mock.data.organizations[0]!.projects[0]!
    const base = `${mock.collectionUrl()}web/_apis`
    for (const b of web.builds) {
      const timeline = await call(plain, `${base}/build/builds/${b.id}/timeline?${v}`, { token })
      expect(timeline.status).toBe({ records: 200, none: 204, gone: 404 }[b.timeline])
      if (b.timeline === "records") expect(timeline.json.records).toHaveLength(b.records.length)
    }
    const repo = web.repositories[0]!
    const pr = repo.pullRequests.find((p) => p.commits.length === 3)!
    const commits = await readAll(
      plain,
      `${base}/git/repositories/${repo.id}/pullRequests/${pr.pullRequestId}/commits?${v}`,
      token
    )
    expect(commits.items.map((c) => c.commitId).sort()).toEqual(pr.commits.map((c) => c.commitId).sort())
  })

  it("answers WIQL, work item batches of at most 200, paged updates, iterations and teams", async () => {
    const web = mock.data.organizations[0]!.projects[0]!
    const base = `${mock.collectionUrl()}web`
    const wiql = await call(plain, `${base}/_apis/wit/wiql?${v}`, {
      token,
      method: "POST",
      body: { query: "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project ORDER BY [System.Id]" }
    })
    expect(wiql.json.workItems.map((w: any) => w.id)).toEqual(web.workItems.map((w) => w.id))
    const since = web.workItems[5]!.fields["System.ChangedDate"] as string
    const recent = await call(plain, `${base}/_apis/wit/wiql?timePrecision=true&${v}`, {
      token,
      method: "POST",
      body: {
        query:
          `SELECT [System.Id] FROM WorkItems WHERE [System.ChangedDate] >= '${since}' ORDER BY [System.ChangedDate] ASC`
      }
    })
    expect(recent.json.workItems.length).toBe(
      web.workItems.filter((w) => String(w.fields["System.ChangedDate"]) >= since).length
    )
    const unsupported = await call(plain, `${base}/_apis/wit/wiql?${v}`, {
      token,
      method: "POST",
      body: { query: "SELECT [System.Id] FROM WorkItems WHERE [System.Title] CONTAINS 'x'" }
    })
    expect(unsupported.status).toBe(400)
    const ids = web.workItems.map((w) => w.id)
    const items = await call(plain, `${base}/_apis/wit/workitems?ids=${ids.join(",")}&$expand=all&${v}`, { token })
    expect(items.json.value.map((w: any) => w.id)).toEqual(ids)
    expect(items.json.value.find((w: any) => w.relations.length > 0).relations[0].rel).toBe(
      "System.LinkTypes.Hierarchy-Reverse"
    )
    const tooMany = Array.from({ length: 201 }, (_, i) => i + 1).join(",")
    expect((await call(plain, `${base}/_apis/wit/workitems?ids=${tooMany}&${v}`, { token })).status).toBe(400)
    const item = web.workItems.find((w) => w.updates.length >= 4)!
    const updates = async (skip: number) =>
      (await call(plain, `${base}/_apis/wit/workItems/${item.id}/updates?$top=3&$skip=${skip}&${v}`, { token })).json
    const pages = [...(await updates(0)).value, ...(await updates(3)).value]
    expect(pages.map((u: any) => u.rev)).toEqual(item.updates.map((u) => u.rev))
    expect(pages.at(-1).revisedDate).toBe("9999-01-01T00:00:00Z")
    const team = await call(plain, `${mock.collectionUrl()}_apis/projects/web/teams?${v}`, { token })
    expect(team.json.value[0].name).toBe("web Team")
    const sprints = await call(plain, `${base}/web%20Team/_apis/work/teamsettings/iterations?${v}`, { token })
    expect(sprints.json.value.map((it: any) => it.name)).toEqual(["Sprint 1", "Sprint 2", "Sprint 3"])
  })

  it("redirects a wrong token to a sign-in page answered with 203, and answers an expired one with 401", async () => {
    for (const [d, base] of [[plain, mock.collectionUrl()], [cloud, "https://dev.azure.com/fabrikam/"]] as const) {
      const wrong = await call(d, `${base}_apis/projects?${v}`, { token: "not-the-token" })
      expect(wrong.status).toBe(302)
      const location = new URL(wrong.headers["location"]!)
      expect(location.origin).toBe(new URL(base).origin)
      const signIn = await call(d, location.href)
      expect(signIn.status).toBe(203)
      expect(signIn.headers["content-type"]).toMatch(/^text\/html/)
      const expired = await call(d, `${base}_apis/projects?${v}`, { token: mock.data.expiredToken })
      expect(expired.status).toBe(401)
      expect(expired.json.message).toMatch(/expired/)
      expect((await call(d, `${base}_apis/projects?${v}`)).status).toBe(401)
    }
    mock.setSignIn("page")
    const page = await call(plain, `${mock.collectionUrl()}_apis/projects?${v}`, { token: "not-the-token" })
    mock.setSignIn("redirect")
    expect([page.status, page.headers["content-type"]]).toEqual([203, "text/html; charset=utf-8"])
    expect((await call(plain, `${mock.collectionUrl()}_apis/projects`, { token })).status).toBe(400)
  })

  it("injects a 429 with Retry-After on the k-th request and a burst of 5xx", async () => {
    const url = `${mock.collectionUrl()}_apis/projects?${v}`
    mock.setFaults([{ kind: "429", at: 2, retryAfter: 3 }, { kind: "5xx", at: 4, count: 2, status: 502 }])
    const statuses: Array<number> = []
    let retryAfter: string | undefined
    for (let i = 0; i < 6; i++) {
      const reply = await call(plain, url, { token })
      statuses.push(reply.status)
      retryAfter ??= reply.headers["retry-after"]
    }
    expect(statuses).toEqual([200, 429, 200, 502, 502, 200])
    expect(retryAfter).toBe("3")
    mock.setFaults([{ kind: "429", at: 1, path: "/_apis/build/" }])
    expect((await call(plain, url, { token })).status).toBe(200)
    mock.setFaults([])
    expect(mock.requests.at(-1)).toMatchObject({ url, status: 200, auth: "ok" })
  })
})

describe("npm run mock", () => {
  it("prints where it listens, the token and connections for the cloud and on-premises", async () => {
    const root = path.resolve(import.meta.dirname, "..")
    const child = spawn(process.execPath, ["--import", "tsx", "mock/main.ts", "--seed", "3", "--size", "4"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes("NODE_EXTRA_CA_CERTS")) resolve()
      })
      void exited.then((code) => reject(new Error(`the mock exited (${code}): ${out}`)))
    })
    child.kill("SIGTERM")
    expect(await exited).toBe(0)
    const data = generate(3, 4)
    expect(out).toContain(`token:            ${data.token}`)
    const onPrem = JSON.parse(/on-premises: +(\{.*\})/.exec(out)![1]!)
    const cloud = JSON.parse(/cloud via proxy: +(\{.*\})/.exec(out)![1]!)
    expect(onPrem).toMatchObject({
      token: data.token,
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/tfs\/fabrikam\/$/)
    })
    expect(cloud).toMatchObject({ token: data.token, proxy: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) })
  })

  it("says in one line that it needs openssl when there is none", async () => {
    const root = path.resolve(import.meta.dirname, "..")
    const child = spawn(process.execPath, ["--import", "tsx", "mock/main.ts"], {
      cwd: root,
      env: { ...process.env, PATH: "" },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let err = ""
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)))
    expect(code).toBe(1)
    expect(err.trim().split("\n")).toEqual([
      "the Azure DevOps mock failed to start: the Azure DevOps mock needs the openssl command line tool to make its test certificates: install openssl"
    ])
  })
})
