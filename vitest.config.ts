import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: integration and browser tests each start real servers; more in parallel only thrash.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: "test/artifacts/vitest.json" },
  },
});
