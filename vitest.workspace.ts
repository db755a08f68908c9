export default [
  "packages/*/vitest.config.ts",
  "plugins/*/vitest.config.ts",
  "bench/*/vitest.config.ts",
  "docs/*/vitest.config.ts"
]
