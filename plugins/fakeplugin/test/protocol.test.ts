/**
 * The fake plugin driven through run.sh exactly as the Go server drives it: every reply DevLake's
 * `backend/test/e2e/remote` tests and the conformance checks of devlake-protocol.md section 9 (items 1-9) expect.
 */
import { Either } from "effect"
import { Schema } from "effect"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { Message, ModelInfo } from "tsdevlake/runtime"
import { describe, expect, it } from "vitest"
import {
  goConnection,
  goScope,
  goScopeConfig,
  invoke,
  invokeRaw,
  pluginDir,
  repoRoot,
  runSh,
  VALID_TOKEN
} from "./utils.js"

const LINE_LIMIT = 64 * 1024 - 1

const callReply = (lines: ReadonlyArray<string>) => JSON.parse(lines.join(""))

const expectOk = (result: Awaited<ReturnType<typeof invoke>>) => {
  expect(result.stderr, result.stderr.join("\n")).toEqual([])
  expect(result.exitCode).toBe(0)
  expect(result.longestLineBytes).toBeLessThanOrEqual(LINE_LIMIT)
}

describe("run.sh (section 9 item 1)", () => {
  it("is an executable #! script that execs node on the prebuilt bundle", () => {
    fs.accessSync(runSh, fs.constants.X_OK)
    const text = fs.readFileSync(runSh, "utf8")
    expect(text.startsWith("#!/bin/sh\n")).toBe(true)
    expect(text).toMatch(/^exec "\$\(dirname "\$0"\)\/dist\/run" "\$@"$/m)
    fs.accessSync(path.join(pluginDir, "dist/run"), fs.constants.X_OK)
    expect(fs.readFileSync(path.join(pluginDir, "dist/run"), "utf8")).toMatch(
      /^exec node (--[a-z-]+=\d+ )*dist\/main\.cjs "\$@"$/m
    )
  })

  it("is a plugin's own run.sh, the only kind under plugins/ (symlinks followed), and node_modules ships none", () => {
    const find = (...args: Array<string>) =>
      execFileSync("find", args, { cwd: repoRoot, encoding: "utf8" }).trim().split("\n").filter((l) => l !== "")
    // REMOTE_PLUGIN_DIR would be plugins/: the Go server walks it recursively and runs every run.sh.
    // Only each plugin's own: a run.sh deeper down (a build output, a dependency) would be taken for a plugin.
    const found = find("-L", "plugins", "-name", "run.sh")
    expect(found).toContain("plugins/fakeplugin/run.sh")
    expect(found.filter((file) => !/^plugins\/[^/]+\/run\.sh$/.test(file))).toEqual([])
    // Workspace links (node_modules/@tsdevlake/*) point back at the plugins; no package brings a run.sh.
    expect(find("node_modules", "-name", "run.sh")).toEqual([])
  })

  it("works from any working directory", () => {
    const out = execFileSync("sh", ["-c", `cd / && ${runSh} plugin-info '{"log_level":""}' 3>&1 1>/dev/null`], {
      encoding: "utf8"
    })
    expect(JSON.parse(out).name).toBe("fake")
  })
})

describe("start-up snapshot (scripts/build.mjs)", () => {
  const runner = path.join(pluginDir, "dist/run")
  // `sh -x` traces the exec line, so each case shows which way node was started; fd 3 holds the reply.
  const traced = (file: string, args: Array<string>, env: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync("sh", ["-x", file, ...args], {
      env: { ...process.env, NODE_OPTIONS: "", ...env },
      stdio: ["ignore", "ignore", "pipe", "pipe"],
      encoding: "utf8"
    })
    const exec = result.stderr.split("\n").find((line) => line.startsWith("+ exec node")) ?? ""
    return { status: result.status, exec, reply: String(result.output[3]) }
  }
  const withoutSnapshot = () => traced(runner, ["plugin-info", "{}"], { NODE_OPTIONS: "--no-warnings" })

  it("starts the short commands from the snapshot, with the same reply as the plain bundle", () => {
    const fromSnapshot = traced(runner, ["plugin-info", "{}"])
    expect(fromSnapshot.exec).toContain("--snapshot-blob dist/snapshot.blob")
    expect(fromSnapshot.status).toBe(0)
    const plain = withoutSnapshot()
    expect(plain.exec).toMatch(/ dist\/main\.cjs plugin-info \{\}$/)
    expect(fromSnapshot.reply).toBe(plain.reply)
    expect(JSON.parse(fromSnapshot.reply).plugin_path).toBe(runSh)
    const failed = traced(runner, ["test-connection", "{}", "{\"name\":\"x\"}"])
    expect(failed.exec).toContain("--snapshot-blob")
    expect(failed.status).toBe(2)
  })

  it("runs subtasks and migrate without it", () => {
    for (const command of ["collect", "extract", "convert", "migrate"]) {
      expect(traced(runner, [command, "{}"]).exec).toMatch(/ dist\/main\.cjs /)
    }
  })

  it("falls back to the code cache for another node binary", () => {
    const stale = path.join(pluginDir, "dist/run-stale-key")
    fs.writeFileSync(stale, fs.readFileSync(runner, "utf8").replace(/= "\d+ \d+" \]/, "= \"1 1\" ]"), { mode: 0o755 })
    try {
      const result = traced(stale, ["plugin-info", "{}"])
      expect(result.exec).toMatch(/ dist\/main\.cjs plugin-info \{\}$/)
      expect(result.reply).toBe(withoutSnapshot().reply)
    } finally {
      fs.rmSync(stale)
    }
  })
})

describe("plugin-info (items 2, 3, 5, 6)", () => {
  it("describes the plugin as the Go loader needs", async () => {
    const result = await invoke("plugin-info")
    expectOk(result)
    const info = callReply(result.lines)
    expect(info.name).toBe("fake")
    expect(info.extension).toBe("datasource")
    expect(path.isAbsolute(info.plugin_path)).toBe(true)
    expect(fs.realpathSync(info.plugin_path)).toBe(fs.realpathSync(runSh))
    fs.accessSync(info.plugin_path, fs.constants.X_OK)
    expect(info.connection_model_info.table_name).toBe("_tool_fakeplugin_fakeconnections")
    expect(info.scope_model_info.table_name).toBe("_tool_fakeplugin_fakeprojects")
    expect(info.scope_config_model_info.table_name).toBe("_tool_fakeplugin_fakescopeconfigs")
    expect(info.tool_model_infos.map((m: any) => m.table_name)).toEqual(["_tool_fakeplugin_fakepipelines"])
    expect(info.subtask_metas).toEqual([
      ["Collect", "collect"],
      ["Extract", "extract"],
      ["Convert", "convert"]
    ].map(([verb, entry]) => ({
      name: `${verb} Fakepipelinestream`,
      entry_point_name: entry,
      arguments: ["fakepipelinestream"],
      required: false,
      enabled_by_default: false,
      description: `${verb} fake fakepipelinestream`,
      domain_types: ["CICD"]
    })))
  })

  it("emits json schemas the Go server accepts, with the keys the e2e tests use", async () => {
    const info = callReply((await invoke("plugin-info")).lines)
    const infos = [
      ["common.Model", info.connection_model_info],
      ["ScopeModel", info.scope_model_info],
      ["ScopeConfigModel", info.scope_config_model_info],
      ["ToolModel", info.tool_model_infos[0]]
    ] as const
    for (const [base, modelInfo] of infos) {
      expect(Either.isRight(ModelInfo.validate(modelInfo.json_schema, base))).toBe(true)
      expect(Either.isRight(ModelInfo.validate(modelInfo.json_schema, "common.NoPKModel"))).toBe(true)
      for (const property of Object.values<any>(modelInfo.json_schema.properties)) {
        expect(["integer", "number", "boolean", "string", "array", "object"]).toContain(property.type)
      }
    }
    const connection = info.connection_model_info.json_schema.properties
    expect(Object.keys(connection)).toEqual(expect.arrayContaining(["id", "name", "token"]))
    expect(connection.token).toMatchObject({ type: "string", format: "password" })
    expect(connection.id).toMatchObject({ type: "integer", primaryKey: true })
    expect(connection.createdAt).toMatchObject({ type: "string", format: "date-time" })
    const scope = info.scope_model_info.json_schema.properties
    expect(Object.keys(scope)).toEqual(expect.arrayContaining(["id", "name", "connectionId", "scopeConfigId", "url"]))
    expect(scope.id).toMatchObject({ type: "string", primaryKey: true, maxLength: 255 })
    expect(scope.connectionId).toMatchObject({ type: "integer", primaryKey: true, autoIncrement: false })
    const scopeConfig = info.scope_config_model_info.json_schema.properties
    expect(Object.keys(scopeConfig)).toEqual(expect.arrayContaining(["id", "name", "env", "entities"]))
    const pipeline = info.tool_model_infos[0].json_schema.properties
    expect(pipeline.id).toMatchObject({ type: "string", primaryKey: true })
    expect(pipeline.connectionId).toMatchObject({ type: "integer", primaryKey: true, autoIncrement: false })
    expect(pipeline.startedAt).toMatchObject({ type: "string", format: "date-time" })
    expect(pipeline.state).toMatchObject({ type: "string" })
  })

  it("declares both migration scripts with a create_table for every table", async () => {
    const info = callReply((await invoke("plugin-info")).lines)
    const scripts = info.migration_scripts
    expect(scripts.map((s: any) => [s.version, s.name])).toEqual([
      [20230530000001, "init schemas"],
      [20230630000001, "populated _raw_data_table column for fakeproject"]
    ])
    for (const script of scripts) {
      expect(String(script.version)).toMatch(/^\d{14}$/)
      for (const op of script.operations) expect(typeof op.type).toBe("string")
    }
    expect(scripts[0].operations.map((op: any) => [op.type, op.model_info.table_name]).sort()).toEqual([
      ["create_table", "_tool_fakeplugin_fakeconnections"],
      ["create_table", "_tool_fakeplugin_fakepipelines"],
      ["create_table", "_tool_fakeplugin_fakeprojects"],
      ["create_table", "_tool_fakeplugin_fakescopeconfigs"]
    ])
    expect(scripts[1].operations.map((op: any) => [op.type, op.dialect])).toEqual([
      ["execute", "mysql"],
      ["execute", "postgres"]
    ])
  })

  it("accepts the underscore spelling, any log level and servers that send no config", async () => {
    for (
      const [method, config] of [
        ["plugin_info", { log_level: "DEBUG" }],
        ["plugin-info", { log_level: "Info" }],
        ["plugin-info", { log_level: "error" }],
        ["plugin-info", null]
      ] as const
    ) {
      const result = await invoke(method, [], { config })
      expectOk(result)
      expect(callReply(result.lines).name).toBe("fake")
    }
  })

  it("logs debug lines only at log level debug", async () => {
    const debug = await invoke("plugin-info", [], { config: { log_level: "debug" } })
    const info = await invoke("plugin-info", [], { config: { log_level: "info" } })
    expect(debug.stdout.some((l) => l.startsWith("DEBUG: "))).toBe(true)
    expect(info.stdout.some((l) => l.startsWith("DEBUG: "))).toBe(false)
  })
})

describe("test-connection (items 4, 7)", () => {
  it("succeeds with the valid token, full body or only {proxy, token}", async () => {
    for (const body of [goConnection(), { proxy: "", token: VALID_TOKEN }]) {
      const result = await invoke("test-connection", [body])
      expectOk(result)
      expect(callReply(result.lines)).toEqual({ success: true, message: "Connection successful", status: 200 })
    }
  })

  it("reports an invalid token as a failed result with exit 0", async () => {
    const result = await invoke("test-connection", [{ proxy: "", token: "wrong-token-s3cr3t" }])
    expectOk(result)
    expect(callReply(result.lines)).toEqual({ success: false, message: "Invalid token", status: 401 })
    expect([...result.stdout, ...result.stderr, ...result.lines].join("\n")).not.toContain("wrong-token-s3cr3t")
  })
})

describe("remote-scopes (item 8)", () => {
  it("lists the groups for an empty group id", async () => {
    const result = await invoke("remote-scopes", [goConnection(), ""])
    expectOk(result)
    expect(result.lines.map((l) => JSON.parse(l))).toEqual([{ type: "group", id: "group1", name: "Group 1" }])
  })

  it("lists the scopes of group1 with origin fields and the connection id", async () => {
    const result = await invoke("remote-scopes", [{ ...goConnection(), id: 7 }, "group1"])
    expectOk(result)
    const nodes = result.lines.map((l) => JSON.parse(l))
    expect(nodes).toHaveLength(1)
    expect(nodes[0]).toMatchObject({ type: "scope", id: "p1", name: "Project 1", parentId: "group1" })
    expect(nodes[0].data).toMatchObject({
      id: "p1",
      name: "Project 1",
      connectionId: 7,
      url: "http://fake.org/api/project/p1",
      _raw_data_params: "{\"ConnectionId\":7,\"ScopeId\":\"p1\"}",
      _raw_data_table: "_raw_fake_scopes"
    })
  })

  it("lists nothing for an unknown group", async () => {
    const result = await invoke("remote-scopes", [goConnection(), "nope"])
    expectOk(result)
    expect(result.lines).toEqual([])
  })
})

describe("make-pipeline (item 9)", () => {
  const expectedTask = {
    plugin: "fake",
    skipOnFail: false,
    subtasks: ["Collect Fakepipelinestream", "Extract Fakepipelinestream", "Convert Fakepipelinestream"],
    options: { scopeId: "p1", scopeName: "Project 1", connectionId: 1, fullName: "Project 1" }
  }

  it("plans one stage per scope and returns the CicdScope domain scope", async () => {
    const result = await invoke("make-pipeline", [[[goScope(), goScopeConfig()]], goConnection()])
    expectOk(result)
    const data = callReply(result.lines)
    expect(data.plan).toEqual([[expectedTask]])
    expect(typeof data.plan[0][0].options.connectionId).toBe("number")
    expect(typeof data.plan[0][0].options.scopeId).toBe("string")
    expect(data.scopes).toHaveLength(1)
    expect(data.scopes[0].type_name).toBe("CicdScope")
    expect(typeof data.scopes[0].data).toBe("string")
    expect(JSON.parse(data.scopes[0].data)).toMatchObject({
      id: "fakeplugin:FakeProject:1:p1",
      name: "Project 1",
      url: "http://fake.org/api/project/project_1",
      _raw_data_params: "{\"ConnectionId\":1,\"ScopeId\":\"p1\"}",
      _raw_data_table: "_raw_fake_scopes"
    })
  })

  it("applies the scope config's defaults when DevLake sends a null scope config", async () => {
    const result = await invoke("make-pipeline", [
      [[goScope(), null], [goScope("p2", "Project 2"), null]],
      goConnection()
    ])
    expectOk(result)
    const data = callReply(result.lines)
    expect(data.plan).toHaveLength(2)
    expect(data.plan[0]).toEqual([expectedTask])
    expect(data.plan[1][0].options.scopeId).toBe("p2")
  })

  it("selects no subtask when the scope config disables the stream's domain type", async () => {
    const data = callReply(
      (await invoke("make-pipeline", [[[goScope(), goScopeConfig(["CODE"])]], goConnection()])).lines
    )
    expect(data.plan[0][0].subtasks).toEqual([])
  })
})

describe("bad input (item 4)", () => {
  const expectOneLineError = (result: Awaited<ReturnType<typeof invoke>>, pattern: RegExp) => {
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toHaveLength(1)
    expect(result.stderr[0]).toMatch(pattern)
    expect(result.lines).toEqual([])
  }

  it("rejects an argument that is not JSON", async () => {
    const result = await invokeRaw(["test-connection", "{\"log_level\":\"\"}", "{token: s3cr3t-value"])
    expectOneLineError(result, /connection.*not valid JSON/)
    expect([...result.stdout, ...result.stderr].join("\n")).not.toContain("s3cr3t-value")
  })

  it("rejects a connection of the wrong shape, naming the field", async () => {
    const result = await invoke("test-connection", [{ proxy: "", token: 42 }])
    expectOneLineError(result, /invalid connection: token/)
  })

  it("rejects a connection without its required token", async () => {
    const result = await invoke("test-connection", [{ name: "x", proxy: "" }])
    expectOneLineError(result, /invalid connection: token is missing/)
  })

  it("rejects an unknown command", async () => {
    const result = await invoke("frobnicate", [])
    expectOneLineError(result, /unknown command "frobnicate"/)
  })

  it("rejects scope pairs of the wrong shape without echoing the secret", async () => {
    const result = await invoke("make-pipeline", [{ not: "pairs" }, goConnection("s3cr3t-token")])
    expectOneLineError(result, /invalid scope\/scope config pairs/)
    expect([...result.stdout, ...result.stderr].join("\n")).not.toContain("s3cr3t-token")
  })

  it("rejects a missing argument", async () => {
    const result = await invoke("make-pipeline", [[]])
    expectOneLineError(result, /^error: make-pipeline: /)
  })

  it("prints help", async () => {
    const result = await invokeRaw(["--help"])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.join("\n")).toContain("plugin-info")
  })
})

describe("replies against the message schemas (Go's structs)", () => {
  const decode = <A, I>(schema: Schema.Schema<A, I, never>, value: unknown) =>
    Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(value)

  it("every reply decodes with its Message schema, with no key Go would not read", async () => {
    const info = callReply((await invoke("plugin-info")).lines)
    expect(Either.isRight(decode(Message.PluginInfo, info))).toBe(true)
    const test = callReply((await invoke("test-connection", [goConnection()])).lines)
    expect(Either.isRight(decode(Message.TestConnectionResult, test))).toBe(true)
    const plan = callReply((await invoke("make-pipeline", [[[goScope(), null]], goConnection()])).lines)
    expect(Either.isRight(decode(Message.PipelineData, plan))).toBe(true)
    for (const group of ["", "group1"]) {
      for (const line of (await invoke("remote-scopes", [goConnection(), group])).lines) {
        expect(Either.isRight(decode(Message.RemoteScopeNode, JSON.parse(line)))).toBe(true)
      }
    }
  })

  it("rejects a reply Go could not use", () => {
    expect(Either.isLeft(decode(Message.TestConnectionResult, { success: "yes", message: "", status: 200 }))).toBe(true)
    expect(Either.isLeft(decode(Message.PipelineData, { plan: [], scopes: [{ type_name: "Project", data: "{}" }] })))
      .toBe(true)
  })
})
