/** The day every timestamp of the mock's data counts from: the data never depends on when the mock runs. */
export const EPOCH = Date.UTC(2026, 0, 5)
export const HOUR = 3_600_000
export const at = (millis: number) => new Date(EPOCH + millis).toISOString()
