/**
 * Installs packed tarballs into a project outside this repository with no network: `npm install --offline`.
 *
 * npm (11) resolves a version range from the registry's full metadata document, which the npm cache here does
 * not hold (it holds the abbreviated ones and every tarball). So the project gets a `package-lock.json` that
 * pins each registry package to the version, integrity and place in the tree this repository's lock gives it;
 * npm then only needs the tarballs. The tarballs themselves are pinned by their own integrity.
 */
import { execFile, execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { promisify } from "node:util"

// Asynchronous: a test worker that blocks for a minute misses the test runner's calls.
const run = promisify(execFile)

/** The repository root. */
export const repoRoot = path.resolve(import.meta.dirname, "../../../..")

interface LockEntry {
  readonly version?: string
  readonly dependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>
  readonly [key: string]: unknown
}

/** A tarball `npm pack --json` wrote, with its manifest. */
export interface Packed {
  readonly name: string
  readonly version: string
  readonly filename: string
  readonly integrity: string
}

/** `npm` without the `npm_*` settings of an `npm run` this test may run under (workspace, prefix, …). */
export const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")))

/** `npm pack` of the repository's package folders into `destination`. */
export const pack = async (folders: ReadonlyArray<string>, destination: string): Promise<ReadonlyArray<Packed>> => {
  const { stdout: out } = await run("npm", ["pack", "--json", "--pack-destination", destination, ...folders], {
    cwd: repoRoot,
    env: cleanEnv(),
    encoding: "utf8"
  })
  // prepack's output comes before the JSON document on stdout.
  return JSON.parse(out.slice(out.indexOf("\n[") + 1)) as ReadonlyArray<Packed>
}

/** Where node finds `name` from the package at `from` (a lock path): its own node_modules, then its parents'. */
const resolveIn = (lock: Record<string, LockEntry>, from: string, name: string): string | undefined => {
  let dir = from
  for (;;) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`
    if (lock[candidate] !== undefined) return candidate
    if (dir === "") return undefined
    const at = dir.lastIndexOf("node_modules/")
    dir = at <= 0 ? "" : dir.slice(0, at - 1)
  }
}

const wanted = (entry: LockEntry): Array<[string, boolean]> => [
  ...Object.keys(entry.dependencies ?? {}).map((name): [string, boolean] => [name, true]),
  ...Object.keys(entry.optionalDependencies ?? {}).map((name): [string, boolean] => [name, false]),
  ...Object.keys(entry.peerDependencies ?? {}).map((name): [string, boolean] => [
    name,
    entry.peerDependenciesMeta?.[name]?.optional !== true
  ])
]

// The flags npm computes from the root's dependency types: wrong in a project where everything is a dependency.
const withoutFlags = (entry: LockEntry): LockEntry => {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry
  return rest
}

/** A packed tarball with its manifest, and its path relative to the project (the lock's `resolved`). */
type PackedIn = Packed & { readonly manifest: LockEntry; readonly relative: string }

/** A project's package.json: its name and the dependencies the lock must satisfy exactly. */
interface ProjectManifest {
  readonly name: string
  readonly version: string
  readonly dependencies?: Record<string, string>
  readonly devDependencies?: Record<string, string>
  readonly [key: string]: unknown
}

/**
 * The lock of `project`, whose dependencies are tarballs of `packed` and registry packages this repository
 * installs: every registry package they need, where this repository's lock has it, at the version it has there.
 * A package the repository's lock lacks is an error naming it.
 */
export const lockFor = (project: ProjectManifest, packed: ReadonlyArray<PackedIn>): object => {
  const repoLock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>
  }
  const source = { ...repoLock.packages }
  const packages: Record<string, LockEntry> = {}
  const queue: Array<string> = []
  const visit = (from: string, entry: LockEntry) => {
    for (const [name, required] of wanted(entry)) {
      if (packed.some((p) => p.name === name)) continue
      const at = resolveIn(source, from, name)
      if (at === undefined) {
        if (required) throw new Error(`${from || "the project"} needs ${name}, which package-lock.json lacks`)
        continue
      }
      if (packages[at] === undefined) {
        packages[at] = withoutFlags(source[at]!)
        queue.push(at)
      }
    }
  }
  for (const p of packed) {
    const at = `node_modules/${p.name}`
    const fields = [
      "dependencies",
      "optionalDependencies",
      "peerDependencies",
      "peerDependenciesMeta",
      "engines",
      "bin"
    ]
    packages[at] = {
      ...Object.fromEntries(fields.flatMap((field) => field in p.manifest ? [[field, p.manifest[field]]] : [])),
      version: p.version,
      resolved: `file:${p.relative}`,
      integrity: p.integrity
    }
    visit(at, p.manifest)
  }
  const { dependencies, devDependencies } = project
  visit("", { dependencies: { ...dependencies, ...devDependencies } })
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) visit(at, packages[at]!)
  const root = {
    name: project.name,
    version: project.version,
    ...(dependencies === undefined ? {} : { dependencies }),
    ...(devDependencies === undefined ? {} : { devDependencies })
  }
  return {
    name: project.name,
    version: project.version,
    lockfileVersion: 3,
    requires: true,
    packages: { "": root, ...packages }
  }
}

/**
 * The package.json and lock of a probe project depending on `packed` (tarballs in the project folder) and on
 * `extras` (registry packages this repository installs, e.g. `@types/node`, at the version it has).
 */
export const offlineLock = (
  packed: ReadonlyArray<Packed & { readonly manifest: LockEntry }>,
  extras: ReadonlyArray<string>
): { readonly manifest: ProjectManifest; readonly lock: object } => {
  const repoPackages = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>
  }).packages
  const dependencies: Record<string, string> = {}
  for (const p of packed) dependencies[p.name] = `file:${p.filename}`
  for (const name of extras) {
    const version = repoPackages[`node_modules/${name}`]?.version
    if (version === undefined) throw new Error(`${name} is not in package-lock.json`)
    dependencies[name] = version
  }
  const manifest = { name: "tsdevlake-pack-probe", version: "0.0.0", private: true, type: "module", dependencies }
  return { manifest, lock: lockFor(manifest, packed.map((p) => ({ ...p, relative: p.filename }))) }
}

// better-sqlite3's install script downloads a prebuilt binary; offline it compiles SQLite instead (two minutes on
// this machine). Scripts are skipped and the repository's binary, built for the same version and node, is copied.
const copyNativeDriver = (dir: string): void => {
  const from = path.join(repoRoot, "node_modules/better-sqlite3")
  const to = path.join(dir, "node_modules/better-sqlite3")
  const version = (folder: string) => JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8")).version
  if (version(from) !== version(to)) {
    throw new Error(`better-sqlite3 ${version(to)} is installed, the repository has ${version(from)}`)
  }
  fs.cpSync(path.join(from, "build/Release/better_sqlite3.node"), path.join(to, "build/Release/better_sqlite3.node"))
}

const manifestIn = (tarball: string): LockEntry =>
  JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" })) as LockEntry

const npmInstall = async (dir: string): Promise<void> => {
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd: dir,
    env: cleanEnv(),
    encoding: "utf8"
  })
  copyNativeDriver(dir)
}

/** Writes the project's package.json and lock into `dir` (where the tarballs are) and runs `npm install --offline`. */
export const installOffline = async (
  dir: string,
  packed: ReadonlyArray<Packed>,
  extras: ReadonlyArray<string>
): Promise<void> => {
  const withManifests = packed.map((p) => ({ ...p, manifest: manifestIn(path.join(dir, p.filename)) }))
  const { lock, manifest } = offlineLock(withManifests, extras)
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2))
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock, null, 2))
  await npmInstall(dir)
}

/**
 * `npm install --offline` of the project in `dir` as its own package.json says, which depends on tarballs of
 * `packed` (in `tarballs`, as `file:` specs) and on registry packages: its lock is written first.
 */
export const installProjectOffline = async (
  dir: string,
  tarballs: string,
  packed: ReadonlyArray<Packed>
): Promise<void> => {
  const project = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as ProjectManifest
  const withManifests = packed.map((p) => {
    const tarball = path.join(tarballs, p.filename)
    return { ...p, manifest: manifestIn(tarball), relative: path.relative(dir, tarball) }
  })
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lockFor(project, withManifests), null, 2))
  await npmInstall(dir)
}
