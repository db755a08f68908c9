// An esbuild plugin that rewrites imports from the `effect` index into imports of its modules:
// `import { Effect, pipe } from "effect"` becomes `import * as Effect from "effect/Effect"` and
// `import { pipe } from "effect/Function"`.
//
// Why: through the index, esbuild keeps every export of each namespace a module uses (`Effect.succeed` alone
// brings ~140 of Effect's modules instead of ~30), and a bundle whose modules are initialised lazily (any
// dynamic `import()`, as the framework's database drivers) keeps the index itself and evaluates all ~175
// modules at every process start. Importing from the index is the idiomatic style, in this framework and in
// plugins, so the build rewrites it rather than asking everyone to avoid it.
//
// What each name means is kept: every namespace of the index is the module of the same name, and its few
// functions come from `effect/Function`; both lists are read from the installed package. Names it does not
// know stay imported from the index. Only real import declarations are touched (TypeScript's parser finds
// them, not a pattern), and the replacement keeps the statement's line count, so source maps still match.
import * as fs from "node:fs"
import { createRequire } from "node:module"
import ts from "typescript"

/**
 * The `effect` index's exports: the namespaces (each the module of the same name) and the functions it
 * re-exports from `Function`.
 */
export const effectIndexExports = (indexSource) => {
  const namespaces = new Set()
  for (const match of indexSource.matchAll(/export \* as (\w+) from "\.\/(\w+)\.js"/g)) {
    if (match[1] === match[2]) namespaces.add(match[1])
  }
  const functions = new Set()
  for (const match of indexSource.matchAll(/export \{([^}]*)\} from "\.\/Function\.js"/g)) {
    // The list carries each function's JSDoc.
    for (const name of match[1].replace(/\/\*[\s\S]*?\*\//g, "").split(",")) {
      if (name.trim() !== "") functions.add(name.trim())
    }
  }
  return { namespaces, functions }
}

const rewriteDeclaration = (declaration, { functions, namespaces }) => {
  const statements = []
  const fromFunction = []
  const rest = []
  for (const element of declaration.importClause.namedBindings.elements) {
    if (element.isTypeOnly) continue
    const name = (element.propertyName ?? element.name).text
    const alias = element.name.text
    if (namespaces.has(name)) statements.push(`import * as ${alias} from "effect/${name}";`)
    else if (functions.has(name)) fromFunction.push(name === alias ? name : `${name} as ${alias}`)
    else rest.push(name === alias ? name : `${name} as ${alias}`)
  }
  if (fromFunction.length > 0) statements.push(`import { ${fromFunction.join(", ")} } from "effect/Function";`)
  if (rest.length > 0) statements.push(`import { ${rest.join(", ")} } from "effect";`)
  return statements.join(" ")
}

/**
 * Rewrites the `import { … } from "effect"` declarations of a module's source; returns it unchanged when it
 * has none. Type-only imports, default and namespace imports and re-exports are left as they are.
 */
export const rewriteEffectImports = (source, exports, fileName = "module.ts") => {
  if (!source.includes("effect")) return source
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false)
  const edits = []
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement)) continue
    if (!ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== "effect") continue
    const clause = statement.importClause
    if (clause === undefined || clause.isTypeOnly || clause.name !== undefined) continue
    if (clause.namedBindings === undefined || !ts.isNamedImports(clause.namedBindings)) continue
    const start = statement.getStart(file)
    const lines = source.slice(start, statement.end).split("\n").length - 1
    edits.push({ start, end: statement.end, text: rewriteDeclaration(statement, exports) + "\n".repeat(lines) })
  }
  let out = source
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  return out
}

const fromIndex = /\bfrom\s*["']effect["']/

// Effect's own packages never import from the index (they import its modules by path): most of a bundle's files,
// left to esbuild without a read in JavaScript (a fifth of the bundling time, measured on plugins/azuredevops).
const publishedEffect = /[\\/]node_modules[\\/](effect|@effect[\\/][^\\/]+)[\\/]dist[\\/]/

const loaders = { ts: "ts", mts: "ts", cts: "ts", tsx: "tsx", js: "js", mjs: "js", cjs: "js", jsx: "jsx" }

/**
 * The esbuild plugin. `resolveDir` is where `effect` is resolved from (the plugin's folder). Files in
 * node_modules are rewritten too (an installed tsdevlake ships its TypeScript sources); only files that name
 * `"effect"` in an import are parsed, and published Effect libraries import its modules by path already.
 */
export const effectImportsPlugin = (resolveDir) => ({
  name: "effect-module-imports",
  setup(build) {
    const require = createRequire(`${resolveDir}/`)
    const index = require.resolve("effect").replace(/dist[\\/]cjs[\\/]index\.js$/, "dist/esm/index.js")
    const exports = effectIndexExports(fs.readFileSync(index, "utf8"))
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
      if (publishedEffect.test(args.path)) return undefined
      const source = fs.readFileSync(args.path, "utf8")
      if (!fromIndex.test(source)) return undefined
      const rewritten = rewriteEffectImports(source, exports, args.path)
      if (rewritten === source) return undefined
      return { contents: rewritten, loader: loaders[args.path.slice(args.path.lastIndexOf(".") + 1)] ?? "default" }
    })
  }
})
