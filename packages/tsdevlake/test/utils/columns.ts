/**
 * Go's `domainlayer.DomainEntity` columns (id, raw-data origin, timestamps), in the order the model
 * constructors put them; `noPkColumns` is `common.NoPKModel` (the same without `id`).
 */
export const entityColumns: ReadonlyArray<string> = [
  "id",
  "_raw_data_params",
  "_raw_data_table",
  "_raw_data_id",
  "_raw_data_remark",
  "created_at",
  "updated_at"
]

export const noPkColumns: ReadonlyArray<string> = entityColumns.slice(1)
