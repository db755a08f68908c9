// ESLint for the whole repository (`npm run lint`, part of `npm test`). Formatting is dprint's business
// (`dprint.json`, `npm run format`), so no rule here is about layout.
//
// Syntax-only rules (no type information): the whole lint stays a few seconds; `tsc -b` (`npm run check`)
// already does the type checking.
import js from "@eslint/js"
import { defineConfig, globalIgnores } from "eslint/config"
import globals from "globals"
import tseslint from "typescript-eslint"

// What is linted: the framework, the plugins, the guide's plugin (docs/), the benchmark and the scripts.
const typescriptFiles = [
  "packages/*/src/**/*.ts",
  "packages/*/test/**/*.ts",
  "plugins/*/src/**/*.ts",
  "plugins/*/test/**/*.ts",
  "plugins/*/mock/**/*.ts",
  "docs/*/src/**/*.ts",
  "docs/*/test/**/*.ts",
  "bench/**/*.{ts,mts}",
  "scripts/**/*.ts"
]
const scriptFiles = [
  "scripts/**/*.{mjs,cjs}",
  "bench/**/*.{mjs,cjs}",
  "packages/cli/{bin,src}/**/*.mjs",
  "packages/create-tsdevlake/bin/*.mjs"
]

export default defineConfig(
  globalIgnores([
    "**/node_modules/",
    "**/dist/",
    "**/build/",
    "scratchpad/",
    ".tsdevlake/",
    ".bench/",
    // Plain JavaScript is linted only under scripts/, bench/ and the commands' builder and bins (ESLint would
    // otherwise take every .js, .cjs and .mjs).
    "**/*.{js,cjs,mjs}",
    "!scripts/**/*.{mjs,cjs}",
    "!bench/**/*.{mjs,cjs}",
    "!packages/cli/{bin,src}/**/*.mjs",
    "!packages/create-tsdevlake/bin/*.mjs",
    "eslint.config.mjs"
  ]),
  {
    files: [...typescriptFiles, ...scriptFiles],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: globals.node
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "object-shorthand": "error",
      "no-useless-rename": "error",
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }]
    }
  },
  {
    files: ["scripts/**/*.cjs", "bench/**/*.cjs"],
    languageOptions: { sourceType: "commonjs" }
  },
  {
    files: typescriptFiles,
    extends: [tseslint.configs.recommended],
    rules: {
      "no-unused-vars": "off",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true }
      ],
      // Effect's style: `Array<A>` and `ReadonlyArray<A>`, never `A[]`.
      "@typescript-eslint/array-type": ["error", { default: "generic", readonly: "generic" }],
      // A type-only import says so (`import type` or `import { type A }`): the dependency check
      // (`.dependency-cruiser.cjs`) counts only value imports, and a reader should see the same. `--fix` adds it.
      "@typescript-eslint/consistent-type-imports": ["error", {
        fixStyle: "inline-type-imports",
        disallowTypeAnnotations: false
      }],
      // `any` is how the framework spells "any model / any context" in type parameters' defaults.
      "@typescript-eslint/no-explicit-any": "off",
      // Effect's `Context.Tag` classes and namespaces that merge with types.
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/no-empty-object-type": "off"
    }
  },
  // Size: a function a reader can hold at once, a module a reader can walk. Only the framework's sources;
  // `Domain/` is declarations of DevLake's tables (one long `Model.Class(...)` per table), not logic.
  {
    files: ["packages/tsdevlake/src/**/*.ts"],
    ignores: ["packages/tsdevlake/src/Domain/**"],
    rules: {
      "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }]
    }
  },
  {
    files: ["packages/tsdevlake/src/**/*.ts"],
    rules: {
      // Every line counts, docs included: a module over 500 lines is one a reader cannot walk, whatever
      // its lines are; long docs belong in a guide, long code in modules of their own.
      "max-lines": ["error", { max: 500, skipBlankLines: false, skipComments: false }]
    }
  }
)
