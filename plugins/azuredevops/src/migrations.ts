/**
 * The migration scripts: the Python plugin's, with the same versions and names (a database it migrated has them
 * in `_devlake_migration_history` and runs only the new ones), then this plugin's own.
 *
 * The first script creates the tables as they were in May 2023 (the classes below, as the Python script declares
 * them), so that every later script runs on the schema it was written for, on a new database as on an old one.
 * Python's statements for one dialect run on that dialect only; SQLite, where DevLake never runs, gets what it
 * needs as dialect-free operations that are no-ops where the statement already did the work.
 */
import { Schema } from "effect"
import { Migration, Model } from "tsdevlake"
import { boardsMigrations } from "./boards/migrations.js"
import { AzureDevOpsConnection, GitRepositoryConfig, Job } from "./models.js"

const optionalString = Schema.optional(Schema.NullOr(Schema.String))
const optionalDate = Schema.optional(Schema.NullOr(Model.DateTime))

// --- The tables of 20230501000001, as Python's `init_schemas` declares them. ---

class AzureDevOpsConnectionV1 extends Model.Connection<AzureDevOpsConnectionV1>("AzureDevOpsConnection")({
  token: Model.Secret,
  organization: optionalString
}) {}

class TransformationRuleV1 extends Model.ScopeConfig<TransformationRuleV1>("AzureDevopsTransformationRule")({
  refdiff: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))),
  deploymentPattern: optionalString,
  productionPattern: optionalString
}) {}

class GitRepositoryV1 extends Model.ToolModel<GitRepositoryV1>("GitRepository")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  name: Schema.String,
  url: Schema.String,
  remoteUrl: optionalString,
  defaultBranch: optionalString,
  projectId: Schema.String,
  orgId: Schema.String,
  parentRepositoryUrl: optionalString,
  provider: optionalString
}) {}

class GitPullRequestV1 extends Model.ToolModel<GitPullRequestV1>("GitPullRequest")({
  pullRequestId: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  description: optionalString,
  status: Schema.String,
  createdById: Schema.String,
  createdByName: Schema.String,
  creationDate: Model.DateTime,
  closedDate: optionalDate,
  sourceCommitSha: Schema.String,
  targetCommitSha: Schema.String,
  mergeCommitSha: optionalString,
  url: optionalString,
  type: optionalString,
  title: optionalString,
  targetRefName: optionalString,
  sourceRefName: optionalString,
  forkRepoId: optionalString
}) {}

class GitPullRequestCommitV1 extends Model.ToolModel<GitPullRequestCommitV1>("GitPullRequestCommit")({
  commitId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  pullRequestId: Schema.String,
  authorName: Schema.String,
  authorEmail: Schema.String,
  authorDate: Model.DateTime
}) {}

class BuildV1 extends Model.ToolModel<BuildV1>("Build")({
  id: Schema.Int.pipe(Model.primaryKey, Model.autoIncrement(false)),
  name: Schema.String,
  startTime: optionalDate,
  finishTime: optionalDate,
  status: Schema.String,
  result: optionalString,
  sourceBranch: Schema.String,
  sourceVersion: Schema.String
}) {}

class JobV1 extends Model.ToolModel<JobV1>("Job")({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  buildId: Schema.String,
  name: Schema.String,
  startTime: optionalDate,
  finishTime: optionalDate,
  state: Schema.String,
  result: optionalString
}) {}

// --- The tables 20261207000002 rebuilds with their new keys, under a name of their own until renamed. ---

const rekeyed = (table: string) => `${table}_rekeyed`

class JobRekeyed extends Model.ToolModel<JobRekeyed>("Job", { table: rekeyed("_tool_azuredevops_jobs") })({
  id: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  buildId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  name: Schema.String,
  startTime: optionalDate,
  finishTime: optionalDate,
  state: Schema.String,
  result: optionalString,
  identifier: optionalString,
  type: optionalString,
  parentId: optionalString
}) {}

class GitPullRequestCommitRekeyed extends Model.ToolModel<GitPullRequestCommitRekeyed>("GitPullRequestCommit", {
  table: rekeyed("_tool_azuredevops_gitpullrequestcommits")
})({
  commitId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  pullRequestId: Schema.String.pipe(Model.maxLength(255), Model.primaryKey),
  authorName: Schema.String,
  authorEmail: optionalString,
  authorDate: Model.DateTime
}) {}

const baseColumns = [
  "connection_id",
  "created_at",
  "updated_at",
  "_raw_data_params",
  "_raw_data_table",
  "_raw_data_id",
  "_raw_data_remark"
]

/**
 * Rebuilds a table with another primary key, on every dialect alike: MySQL and PostgreSQL could alter the key in
 * place, SQLite cannot, and one portable way keeps the three databases the same. The rows are copied.
 */
const rebuild = (model: Model.Any, table: string, columns: ReadonlyArray<string>) => {
  const list = [...baseColumns, ...columns].join(", ")
  return [
    Migration.createTable(model, { pluginFolder: "azuredevops" }),
    Migration.execute(`INSERT INTO ${rekeyed(table)} (${list}) SELECT ${list} FROM ${table}`),
    Migration.dropTable(table),
    Migration.renameTable(rekeyed(table), table)
  ]
}

const jobs = "_tool_azuredevops_jobs"
const builds = "_tool_azuredevops_builds"
const repositories = "_tool_azuredevops_gitrepositories"
const configs = "_tool_azuredevops_gitrepositoryconfigs"

// The Python plugin's scripts (backend/python/plugins/azuredevops/azuredevops/migrations.py).
const pythonScripts = [
  Migration.script({
    version: 20230501000001,
    name: "initialize schemas for Azure Devops",
    operations: [
      AzureDevOpsConnectionV1,
      TransformationRuleV1,
      GitRepositoryV1,
      GitPullRequestCommitV1,
      GitPullRequestV1,
      BuildV1,
      JobV1
    ].map((model) => Migration.createTable(model))
  }),
  // Python's `ADD PRIMARY KEY` has no dialect; here it is given one per server dialect, which is what Go ran. On
  // SQLite the key (id, build_id) is left out: 20261207000002 gives the table its final key there as elsewhere.
  Migration.script({
    version: 20230524181430,
    name: "add_build_id_as_job_primary_key",
    operations: [
      Migration.execute(`ALTER TABLE ${jobs} MODIFY COLUMN build_id VARCHAR(255)`, { dialect: "mysql" }),
      Migration.execute(`ALTER TABLE ${jobs} ALTER COLUMN build_id TYPE VARCHAR(255)`, { dialect: "postgres" }),
      Migration.execute(`ALTER TABLE ${jobs} DROP PRIMARY KEY`, { dialect: "mysql" }),
      Migration.execute(`ALTER TABLE ${jobs} DROP CONSTRAINT ${jobs}_pkey`, { dialect: "postgres" }),
      Migration.execute(`ALTER TABLE ${jobs} ADD PRIMARY KEY (id, build_id)`, { dialect: "mysql" }),
      Migration.execute(`ALTER TABLE ${jobs} ADD PRIMARY KEY (id, build_id)`, { dialect: "postgres" })
    ]
  }),
  Migration.script({
    version: 20230606165630,
    name: "rename_tx_rule_table_to_scope_config",
    operations: [Migration.renameTable("_tool_azuredevops_azuredevopstransformationrules", configs)]
  }),
  Migration.script({
    version: 20230607165630,
    name: "add entities column to gitrepositoryconfig table",
    operations: [Migration.addColumn(configs, "entities", "json")]
  }),
  Migration.script({
    version: 20230630000001,
    name: "populated _raw_data_table column for azuredevops git repos",
    operations: [
      Migration.execute(`UPDATE ${repositories} SET _raw_data_table = '_raw_azuredevops_scopes' WHERE 1=1`)
    ]
  }),
  Migration.script({
    version: 20230802000001,
    name: "rename startTime/finishTime to start_time/finish_time",
    operations: [
      Migration.renameColumn(jobs, "startTime", "start_time"),
      Migration.renameColumn(jobs, "finishTime", "finish_time")
    ]
  }),
  Migration.script({
    version: 20230825150421,
    name: "add missing migrations from 0.17 to 0.18",
    operations: [
      Migration.renameColumn(repositories, "transformation_rule_id", "scope_config_id"),
      Migration.addColumn(repositories, "provider", "varchar(255)")
    ]
  }),
  Migration.script({
    version: 20231013130200,
    name: "add missing field in _tool_azuredevops_gitrepositoryconfigs",
    operations: [Migration.addColumn(configs, "connection_id", "bigint")]
  }),
  Migration.script({
    version: 20231013130201,
    name: "add missing field in _tool_azuredevops_gitrepositories",
    operations: [Migration.addColumn(repositories, "scope_config_id", "bigint")]
  }),
  // Each dialect-specific `ADD COLUMN` is followed by an `add_column`, a no-op where the column exists: SQLite's.
  Migration.script({
    version: 20231130163000,
    name: "add queue_time field in _tool_azuredevops_builds",
    operations: [
      Migration.execute(`ALTER TABLE ${builds} ADD COLUMN queue_time timestamptz`, { dialect: "postgres" }),
      Migration.execute(`ALTER TABLE ${builds} ADD COLUMN queue_time datetime`, { dialect: "mysql" }),
      Migration.addColumn(builds, "queue_time", "datetime")
    ]
  }),
  Migration.script({
    version: 20240223170000,
    name: "add updated_date field in _tool_azuredevops_gitrepositories",
    operations: [
      Migration.execute(`ALTER TABLE ${repositories} add COLUMN updated_date datetime(3) DEFAULT NULL`, {
        dialect: "mysql"
      }),
      Migration.execute(`ALTER TABLE ${repositories} add COLUMN updated_date TIMESTAMPTZ DEFAULT NULL`, {
        dialect: "postgres"
      }),
      Migration.addColumn(repositories, "updated_date", "datetime")
    ]
  }),
  // Python names this one like 20231130163000 (a copy-paste); the name is part of the script's identity.
  Migration.script({
    version: 20240415163000,
    name: "add queue_time field in _tool_azuredevops_builds",
    operations: [Migration.addColumn(builds, "display_title", "TEXT"), Migration.addColumn(builds, "url", "TEXT")]
  }),
  // SQLite columns have no length: widening to TEXT is only needed on the servers.
  Migration.script({
    version: 20240521133000,
    name: "Update url column in _tool_azuredevops_builds",
    operations: [
      Migration.execute(`ALTER TABLE ${builds} MODIFY COLUMN url TEXT`, { dialect: "mysql" }),
      Migration.execute(`ALTER TABLE ${builds} ALTER COLUMN url TYPE TEXT`, { dialect: "postgres" })
    ]
  }),
  rawBuildsUrlScript()
]

// Python's stored procedure (MySQL) and DO block (PostgreSQL): the raw table may not exist yet, and its `url`
// column is widened. Raw tables are this framework's and SQLite's `url` is already unbounded.
function rawBuildsUrlScript() {
  const raw = "_raw_azuredevops_builds"
  return Migration.script({
    version: 20240527113400,
    name: "Update url column in _raw_azuredevops_builds ",
    operations: [
      Migration.execute(
        `
    CREATE PROCEDURE alter_url_column_if_exists()
    BEGIN
        DECLARE table_exists INT DEFAULT 0;
        SELECT COUNT(*) INTO table_exists
        FROM information_schema.tables 
        WHERE table_schema = DATABASE() 
          AND table_name = '${raw}';
        IF table_exists > 0 THEN
            ALTER TABLE ${raw} MODIFY COLUMN url TEXT;
        ELSE
            SELECT 'Table ${raw} does not exist' AS message;
        END IF;
    END;
    `,
        { dialect: "mysql" }
      ),
      Migration.execute("CALL alter_url_column_if_exists();", { dialect: "mysql" }),
      Migration.execute("DROP PROCEDURE alter_url_column_if_exists;", { dialect: "mysql" }),
      Migration.execute(
        `
    DO $$
    BEGIN
        IF EXISTS (SELECT FROM information_schema.tables 
                   WHERE table_schema = 'public' AND table_name = '${raw}') THEN
            ALTER TABLE ${raw} ALTER COLUMN url TYPE TEXT;
        ELSE
            RAISE NOTICE 'Table ${raw} does not exist';
        END IF;
    END $$;
    `,
        { dialect: "postgres" }
      )
    ]
  })
}

// This plugin's own scripts.
const ownScripts = [
  // The Python plugin's models read these, but none of its scripts added them (its jobs and scope config
  // extraction failed on a database its scripts made); `endpoint` and `rateLimitPerHour` are new.
  Migration.script({
    version: 20261207000001,
    name: "add the columns the models use that no earlier script added",
    operations: [
      Migration.addColumn(Job, "identifier", "text"),
      Migration.addColumn(Job, "type", "text"),
      Migration.addColumn(Job, "parent_id", "text"),
      Migration.addColumn(GitRepositoryConfig, "environment_pattern", "text"),
      Migration.addColumn(AzureDevOpsConnection, "endpoint", "text"),
      Migration.addColumn(AzureDevOpsConnection, "rate_limit_per_hour", "bigint")
    ]
  }),
  // A commit in two pull requests is a row for each (Python's key kept only the last); a job's key becomes the
  // model's, (connection, id, build_id): Python's (id, build_id) collided with nothing (build_id is the build's
  // domain id, which holds the connection), but the upsert names the model's key (PostgreSQL's ON CONFLICT).
  Migration.script({
    version: 20261207000002,
    name: "key pull request commits by pull request and jobs by connection and build",
    operations: [
      ...rebuild(GitPullRequestCommitRekeyed, "_tool_azuredevops_gitpullrequestcommits", [
        "commit_id",
        "pull_request_id",
        "author_name",
        "author_email",
        "author_date"
      ]),
      ...rebuild(JobRekeyed, jobs, [
        "id",
        "build_id",
        "name",
        "start_time",
        "finish_time",
        "state",
        "result",
        "identifier",
        "type",
        "parent_id"
      ])
    ]
  })
]

/** Every script, in version order. */
export const migrations = [...pythonScripts, ...ownScripts, ...boardsMigrations]
