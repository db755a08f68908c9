/**
 * Writing a new plugin project: the files of templates/plugin/ with the plugin's names filled in, and a
 * package.json whose dependencies come from the framework source (framework.ts).
 */
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { Plugin } from "tsdevlake"
import { CliError } from "../failure.js"
import { dependencies, type FrameworkSource } from "./framework.js"

/** The project template; every file ends in `.tmpl`, so that this repository's tools leave it alone. */
export const templateDir = path.resolve(import.meta.dirname, "../../templates/plugin")

const fail = (message: string) => Effect.fail(new CliError({ message: `new: ${message}` }))

/** The plugin name, if DevLake accepts it (the rule `Plugin.make` checks). */
export const validateName = (name: string): Effect.Effect<string, CliError> => {
  const problem = Plugin.nameProblem(name)
  return problem === undefined ? Effect.succeed(name) : fail(problem)
}

/** The project's folder, `<dir>/<name>`, if it does not exist or is an empty folder. */
export const targetFolder = (dir: string, name: string): Effect.Effect<string, CliError> => {
  const target = path.resolve(dir, name)
  if (!fs.existsSync(target)) return Effect.succeed(target)
  if (!fs.statSync(target).isDirectory()) return fail(`${target} already exists and is not a folder`)
  return fs.readdirSync(target).length === 0
    ? Effect.succeed(target)
    : fail(`${target} already exists and is not empty; choose another name or --dir`)
}

/** The values templates name: `{{name}}`, `{{Name}}` (for classes) and `{{version}}` (the first migration's). */
export const templateValues = (name: string, now: Date): Readonly<Record<string, string>> => ({
  name,
  Name: name[0]!.toUpperCase() + name.slice(1),
  // A migration version is a timestamp, YYYYMMDDhhmmss: today's date, first script of the day.
  version: `${now.toISOString().slice(0, 10).replace(/-/g, "")}000001`
})

const render = (text: string, values: Readonly<Record<string, string>>) =>
  text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole)

/** The template's files, as paths relative to its folder. */
const templateFiles = (dir: string, prefix = ""): ReadonlyArray<string> =>
  fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name)
    return entry.isDirectory() ? templateFiles(dir, relative) : [relative]
  })

// npm leaves a `.gitignore` out of a published package, so the template's is `gitignore`.
const outputPath = (relative: string) => relative.replace(/\.tmpl$/, "").replace(/^gitignore$/, ".gitignore")

/** The project's package.json: its two commands, the build, and the dependencies of `source`. */
export const packageJson = (name: string, source: FrameworkSource) =>
  Effect.map(dependencies(source), (deps) => ({
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    description: `${name}: an Apache DevLake remote plugin on tsdevlake`,
    scripts: {
      build: "tsdevlake build",
      start: "npm run build --silent && tsx mock/start.ts",
      test: "tsc && vitest run"
    },
    ...deps,
    engines: { node: ">=20" }
  }))

/**
 * On a checkout, every dependency links a package installed there already; npm would run their install scripts
 * again, in the checkout (better-sqlite3's native build: minutes, and the checkout's driver rebuilt under it).
 */
const npmrc = (source: FrameworkSource) =>
  source._tag !== "Checkout" ? [] : [{
    path: ".npmrc",
    text: [
      `# The dependencies link the packages of the tsdevlake checkout at ${source.root}, which are installed`,
      "# there already: their install scripts must not run again, into the checkout.",
      "ignore-scripts=true",
      ""
    ].join("\n")
  }]

/** What `new` made: the folder, and the files written in it. */
export interface Created {
  readonly folder: string
  readonly files: ReadonlyArray<string>
}

/** Creates the project `name` in `<dir>/<name>` on `source`. */
export const createProject = (options: {
  readonly name: string
  readonly dir: string
  readonly source: FrameworkSource
  readonly now?: Date
}): Effect.Effect<Created, CliError> =>
  Effect.gen(function*() {
    const name = yield* validateName(options.name)
    const folder = yield* targetFolder(options.dir, name)
    const pkg = yield* packageJson(name, options.source)
    const values = templateValues(name, options.now ?? new Date())
    const files = templateFiles(templateDir).map((relative) => ({
      path: outputPath(relative),
      text: render(fs.readFileSync(path.join(templateDir, relative), "utf8"), values)
    }))
    files.push({ path: "package.json", text: `${JSON.stringify(pkg, null, 2)}\n` }, ...npmrc(options.source))
    yield* Effect.try({
      try: () => {
        for (const file of files) {
          const target = path.join(folder, file.path)
          fs.mkdirSync(path.dirname(target), { recursive: true })
          fs.writeFileSync(target, file.text, { mode: file.path === "run.sh" ? 0o755 : 0o644 })
        }
      },
      catch: (error) => new CliError({ message: `new: cannot write ${folder}: ${(error as Error).message}` })
    })
    return { folder, files: files.map((file) => file.path).sort() }
  })
