/** Builds the plugin in `dir` into `dir/dist`; `warn` receives why it built without its startup snapshot. */
export declare const buildPlugin: (
  dir: string,
  options?: { readonly warn?: (message: string) => void }
) => Promise<void>
/** Why a build failed, in one line. */
export declare const failureReason: (error: unknown) => string
/** Builds the plugins in `dirs` in parallel; resolves to the failures with their one-line reasons. */
export declare const buildPlugins: (
  dirs: ReadonlyArray<string>,
  options?: { readonly warn?: (dir: string, message: string) => void }
) => Promise<Array<{ readonly dir: string; readonly reason: string }>>
