export declare const SCOPE_ID: "bench-users"
export declare const taskContext: (input: {
  readonly dbUrl: string
  readonly endpoint: string
  readonly connectionId?: number
  readonly options?: Record<string, unknown>
  readonly connection?: Record<string, unknown>
}) => {
  db_url: string
  scope: Record<string, unknown>
  connection: Record<string, unknown>
  scope_config: null
  options: Record<string, unknown>
}
