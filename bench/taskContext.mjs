// The task context DevLake sends with every bench subtask, with the connection and scope as Go serialises
// them. Shared by the harness (bench/run.mjs) and the bench plugin's tests.

export const SCOPE_ID = "bench-users"

/**
 * @param {{ dbUrl: string, endpoint: string, connectionId?: number, options?: Record<string, unknown>, connection?: Record<string, unknown> }} input
 */
export const taskContext = ({ connection = {}, connectionId = 1, dbUrl, endpoint, options = {} }) => ({
  db_url: dbUrl,
  scope: {
    id: SCOPE_ID,
    connectionId,
    name: "bench users",
    scopeConfigId: 0,
    createdAt: "2026-11-27T09:00:00Z",
    updatedAt: "2026-11-27T09:00:00Z",
    _raw_data_params: "",
    _raw_data_table: "",
    _raw_data_id: 0,
    _raw_data_remark: ""
  },
  connection: {
    id: connectionId,
    name: "bench",
    endpoint,
    maxRequests: 20000,
    proxy: "",
    createdAt: "2026-11-27T09:00:00Z",
    updatedAt: "2026-11-27T09:00:00Z",
    ...connection
  },
  scope_config: null,
  options
})
