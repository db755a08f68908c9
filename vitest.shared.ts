import { defineConfig } from "vitest/config"

// Inside this repository `tsdevlake` and `@tsdevlake/testing` resolve to their TypeScript sources (the
// `@tsdevlake/source` export condition), so that tests never run a stale `dist/`. Vitest adds its default
// conditions after these.
export default defineConfig({
  resolve: { conditions: ["@tsdevlake/source"] },
  ssr: { resolve: { conditions: ["@tsdevlake/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
