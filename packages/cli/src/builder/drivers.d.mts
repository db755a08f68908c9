/** The drivers the bundle leaves out; each is copied when the plugin's folder resolves it. */
export declare const drivers: Array<string>
/** Copies each driver `dir` resolves, with its dependencies, into `dist/node_modules`; returns those copied. */
export declare const copyDrivers: (dir: string, dist: string) => Array<string>
/** The files named run.sh below `dir`. */
export declare const runShFiles: (dir: string) => Array<string>
