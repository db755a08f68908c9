/**
 * `tsdevlake new <name>`: creates a plugin project in `<dir>/<name>` that installs, builds and passes its tests
 * as it is (project.ts writes it; framework.ts says where its framework comes from).
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as path from "node:path"
import { buildCheckoutPackages } from "./checkoutBuild.js"
import { type FrameworkSource, resolveSource } from "./framework.js"
import { createProject } from "./project.js"

const describeSource = (source: FrameworkSource) => {
  switch (source._tag) {
    case "Checkout":
      return `the framework linked from the checkout at ${source.root}`
    case "Tarballs":
      return `the framework from the tarballs in ${source.dir}`
    case "Registry":
      return "the framework from npm"
  }
}

/** The `new` subcommand of `tsdevlake`. */
export const newCommand = Command.make(
  "new",
  {
    name: Args.text({ name: "name" }).pipe(
      Args.withDescription("The plugin's name, as DevLake knows it: lower-case letters and digits")
    ),
    dir: Options.directory("dir").pipe(
      Options.withDescription("The folder to create the project in (default: the current folder)"),
      Options.withDefault(".")
    ),
    framework: Options.text("framework").pipe(
      Options.withDescription(
        "Where the framework comes from: a checkout of tsdevlake, or a folder of its npm pack tarballs (default: the checkout this command runs from, else npm)"
      ),
      Options.optional
    )
  },
  ({ dir, framework, name }) =>
    Effect.gen(function*() {
      const source = yield* resolveSource(Option.getOrUndefined(framework))
      if (source._tag === "Checkout") yield* buildCheckoutPackages(source.root)
      const created = yield* createProject({ name, dir, source })
      // `cd demo` when the project is below the current folder, its full path otherwise.
      const relative = path.relative(process.cwd(), created.folder)
      const shown = relative === "" || relative.startsWith("..") ? created.folder : relative
      yield* Console.log(
        [
          `created ${name} in ${created.folder}, with ${describeSource(source)}`,
          "",
          `  cd ${shown.includes(" ") ? JSON.stringify(shown) : shown}`,
          "  npm install && npm start   # build, then run the plugin against its mock API",
          "  npm test                   # type-check and test"
        ].join("\n")
      )
    })
).pipe(Command.withDescription("Create a plugin project: models, a stream against a mock API, tests, run.sh"))
