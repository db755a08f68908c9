// The database drivers a built plugin loads at run time, copied into its dist/node_modules: the bundle leaves them
// out (better-sqlite3 is native, and loading mysql2 or pg only in the subtasks that use them keeps plugin-info
// fast), and the folder deployed into DevLake is run.sh and dist/ alone. The launcher requires them from
// dist/plugin.cjs, so dist/node_modules comes first. Each driver comes with the packages it depends on, as
// installed (nested folders kept), and without what only its installation or compilation uses.
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"

/** The drivers the bundle leaves out; each is copied when the plugin's folder resolves it. */
export const drivers = ["better-sqlite3", "mysql2", "pg", "pg-native"]

// better-sqlite3 ships its C sources and build intermediates (tens of MiB), and depends on prebuild-install for its
// installation; at run time it needs lib/ and the compiled addon.
const keep = {
  "better-sqlite3": (relative) =>
    !/^(deps|src)(\/|$)/.test(relative) &&
    (!relative.startsWith("build/") || relative === "build/Release" || /^build\/Release\/[^/]+\.node$/.test(relative))
}

// The installed folder of package `name` as node resolves it from `from` (a package's own exports may not
// include its package.json, so the lookup paths are walked rather than require.resolve).
const packageDir = (name, from) =>
  (createRequire(from).resolve.paths(name) ?? []).map((dir) => path.join(dir, name)).find((dir) =>
    fs.existsSync(path.join(dir, "package.json"))
  )

// The folder a package is copied to: its path below the node_modules folder the driver was found in.
const below = (root, dir) => path.relative(root, dir).split(path.sep).join("/")

const copyPackage = (source, target, name) => {
  const filter = keep[name]
  fs.cpSync(source, target, {
    recursive: true,
    dereference: true,
    filter: (file) => {
      const relative = below(source, file)
      if (relative.split("/").includes("node_modules")) return false
      return filter === undefined || relative === "" || filter(relative)
    }
  })
}

const installOnly = { "better-sqlite3": ["prebuild-install"] }

const copyClosure = (name, from, root, into, copied) => {
  const source = packageDir(name, from)
  if (source === undefined) return false
  const real = fs.realpathSync(source)
  if (copied.has(real)) return true
  copied.add(real)
  const relative = below(root, source)
  // A package outside the driver's node_modules (a workspace link) is copied under its name.
  const target = path.join(into, relative.startsWith("..") ? name : relative)
  copyPackage(source, target, name)
  const manifest = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8"))
  const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })
  for (const dependency of dependencies.filter((d) => !(installOnly[name] ?? []).includes(d))) {
    // From the real folder, as node resolves them: a driver linked into the plugin (file:) has its dependencies there.
    copyClosure(dependency, path.join(real, "package.json"), root, into, copied)
  }
  return true
}

/**
 * Copies each driver the plugin in `dir` resolves, with its dependencies, into `dist/node_modules`; resolves to
 * the drivers copied.
 */
export const copyDrivers = (dir, dist) => {
  const copied = new Set()
  return drivers.filter((name) => {
    const source = packageDir(name, path.join(dir, "package.json"))
    if (source === undefined) return false
    return copyClosure(
      name,
      path.join(dir, "package.json"),
      path.dirname(source),
      path.join(dist, "node_modules"),
      copied
    )
  })
}

/** The files named run.sh below `dir` (DevLake would take each for a plugin). */
export const runShFiles = (dir) =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) =>
    entry.name === "run.sh" && !entry.isDirectory()
  ).map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
