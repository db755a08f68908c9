/** A phase's row as the harness measured it (the fields `targetMarks` reads). */
export interface MeasuredRow {
  readonly phase: string
  readonly n: number
  readonly of?: number
  readonly seconds: number
  readonly peakRss: number
}
/** The table's "target" cell of a row: the targets that apply to it on `dbName`, each `ok …` or `MISS …`. */
export declare const targetMarks: (dbName: string, row: MeasuredRow) => string
export declare const fmt: (x: number, digits: number) => string
export declare const printTable: (title: string, rows: ReadonlyArray<unknown>, dbName: string, floor: boolean) => void
