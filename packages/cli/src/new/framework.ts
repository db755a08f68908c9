/**
 * Where a new project gets the framework from, and the dependencies that follows: this repository's checkout
 * (`file:` links, no registry), a folder of `npm pack` tarballs, or the registry's published versions.
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { CliError } from "../failure.js"

/** The framework's packages, by npm name, and where each lives in a checkout. */
const frameworkPackages = {
  "tsdevlake": "packages/tsdevlake",
  "@tsdevlake/testing": "packages/testing",
  "@tsdevlake/cli": "packages/cli"
} as const

type FrameworkPackage = keyof typeof frameworkPackages

/**
 * The registry packages a project uses besides the framework, with the ranges this repository is tested with
 * (test/new/versions.test.ts keeps them equal to its package.json files).
 */
export const registryVersions = {
  "effect": "~3.22.4",
  "@effect/platform": "~0.97.2",
  "@effect/vitest": "~0.30.0",
  "vitest": "~3.2.7",
  "typescript": "~5.9.3",
  "tsx": "^4.20.0",
  "@types/node": "^20.19.0"
} as const

type RegistryPackage = keyof typeof registryVersions

/** The version range of the framework a project from the registry depends on. */
export const publishedRange = "^0.1.0"

const runtime: ReadonlyArray<FrameworkPackage | RegistryPackage> = ["tsdevlake", "effect", "@effect/platform"]
const development: ReadonlyArray<FrameworkPackage | RegistryPackage> = [
  "@tsdevlake/testing",
  "@tsdevlake/cli",
  "@effect/vitest",
  "vitest",
  "typescript",
  "tsx",
  "@types/node"
]

// An npm install hoists the framework's database drivers into the project's node_modules, where the built
// plugin loads them from (they are not bundled: native code). `file:` links install no dependencies of their
// targets, so a project on a checkout links the checkout's drivers itself.
const drivers = ["better-sqlite3", "mysql2", "pg"] as const

/** Where the framework comes from. */
export type FrameworkSource =
  | { readonly _tag: "Checkout"; readonly root: string }
  | { readonly _tag: "Tarballs"; readonly dir: string; readonly tarballs: Readonly<Record<FrameworkPackage, string>> }
  | { readonly _tag: "Registry" }

/** Whether `dir` is a checkout of this repository (its root package.json and the framework's package). */
export const isCheckout = (dir: string): boolean => {
  try {
    const root = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown }
    return root.name === "tsdevlake-monorepo" && fs.existsSync(path.join(dir, frameworkPackages.tsdevlake))
  } catch {
    return false
  }
}

/** The checkout this command runs from (this file is packages/cli/src/new/ of it), if it runs from one. */
export const ownCheckout = (): string | undefined => {
  const root = path.resolve(import.meta.dirname, "../../../..")
  return isCheckout(root) ? root : undefined
}

// `npm pack` names a tarball after the package: `@tsdevlake/testing` 0.1.0 is `tsdevlake-testing-0.1.0.tgz`.
const tarballPattern = (name: FrameworkPackage) =>
  new RegExp(`^${name.replace(/^@/, "").replace("/", "-")}-\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?\\.tgz$`)

const fail = (message: string) => Effect.fail(new CliError({ message: `new: ${message}` }))

/**
 * The source `--framework` names (a checkout, or a folder of tarballs), or, without it, the checkout this
 * command runs from, else the registry.
 */
export const resolveSource = (
  framework: string | undefined,
  findCheckout: () => string | undefined = ownCheckout
): Effect.Effect<FrameworkSource, CliError> => {
  if (framework === undefined) {
    const checkout = findCheckout()
    return Effect.succeed(checkout === undefined ? { _tag: "Registry" } : { _tag: "Checkout", root: checkout })
  }
  const dir = path.resolve(framework)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return fail(`--framework ${framework}: no such folder`)
  if (isCheckout(dir)) return Effect.succeed({ _tag: "Checkout", root: dir })
  const files = fs.readdirSync(dir)
  const tarballs: Partial<Record<FrameworkPackage, string>> = {}
  for (const name of Object.keys(frameworkPackages) as Array<FrameworkPackage>) {
    const found = files.filter((file) => tarballPattern(name).test(file)).sort()
    // Several versions: the last in name order, which is the newest but for a 0.10 after a 0.9.
    if (found.length > 0) tarballs[name] = path.join(dir, found[found.length - 1]!)
  }
  const missing = (Object.keys(frameworkPackages) as Array<FrameworkPackage>).filter((name) => !tarballs[name])
  if (missing.length > 0) {
    return fail(
      `--framework ${framework}: neither a checkout of tsdevlake nor a folder of its npm pack tarballs (no tarball of ${
        missing.join(", ")
      })`
    )
  }
  return Effect.succeed({ _tag: "Tarballs", dir, tarballs: tarballs as Record<FrameworkPackage, string> })
}

const isFramework = (name: string): name is FrameworkPackage => name in frameworkPackages

/** The `file:` spec of `target`, relative to nothing: an absolute path, so the project can move. */
const fileSpec = (target: string) => `file:${target}`

/**
 * A dependency's spec for `source`: on a checkout, its folder, and for registry packages the checkout's installed
 * copy (one copy of effect for the framework and the plugin, and no registry); from tarballs, the tarball; else the
 * published range.
 */
const specOf = (source: FrameworkSource, name: string): Effect.Effect<string, CliError> => {
  switch (source._tag) {
    case "Checkout": {
      const target = isFramework(name)
        ? path.join(source.root, frameworkPackages[name])
        : path.join(source.root, "node_modules", name)
      return fs.existsSync(path.join(target, "package.json"))
        ? Effect.succeed(fileSpec(target))
        : fail(`the checkout at ${source.root} has no ${name} (${target}): run npm install there first`)
    }
    case "Tarballs":
      return Effect.succeed(
        isFramework(name) ? fileSpec(source.tarballs[name]) : registryVersions[name as RegistryPackage]
      )
    case "Registry":
      return Effect.succeed(isFramework(name) ? publishedRange : registryVersions[name as RegistryPackage])
  }
}

const specs = (source: FrameworkSource, names: ReadonlyArray<string>) =>
  Effect.map(
    Effect.forEach(names, (name) => Effect.map(specOf(source, name), (spec) => [name, spec] as const)),
    (entries) => Object.fromEntries(entries)
  )

/** The `dependencies` and `devDependencies` of a new project on `source`. */
export const dependencies = (source: FrameworkSource) =>
  Effect.all({
    dependencies: specs(source, source._tag === "Checkout" ? [...runtime, ...drivers] : runtime),
    devDependencies: specs(source, development)
  })
