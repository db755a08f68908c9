/**
 * Effect's `Service not found` defect, said as what the author should do: a plugin built without type-checking
 * (esbuild) whose `layer` lacks a service its streams or callbacks use fails with it at run time.
 *
 * @internal
 */

/**
 * The key of the service a defect says is missing (Effect's `Service not found: <key> (defined at …)`), if it
 * is that defect: Effect has no typed error for it, so its message is all there is to go by.
 *
 * @internal
 */
export const missingServiceKey = (defect: unknown): string | undefined => {
  if (!(defect instanceof Error)) return undefined
  const found = /^Service not found(?:: (.*?))?(?: \(defined at [^\n]*\))?$/.exec(defect.message.split("\n")[0]!)
  return found === null ? undefined : (found[1] ?? "a service")
}

/**
 * One line for a defect that is a service missing from the plugin's layer (without Effect's `defined at` path
 * into the bundle), or `undefined` for any other defect. `npm run check` reports the same mistake at compile
 * time (`MissingLayerFor`), which the line says because the run-time failure comes only from untyped builds.
 *
 * @internal
 */
export const describeMissingService = (defect: unknown): string | undefined => {
  const key = missingServiceKey(defect)
  return key === undefined
    ? undefined
    : `the plugin's layer does not provide ${key}: add it to the layer of Plugin.make (npm run check shows it at compile time)`
}
