import { configDefaults, defineConfig } from "vitest/config";

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
};

/**
 * The domain test files that run a second time against PostgreSQL (their servers come from
 * test/helpers/server.ts, which gives each a database of its own there). Every file that
 * starts its servers through those helpers belongs here, except the ones about SQLite's own
 * file (backup, WAL, faults of its disk); those not listed yet have not been run green
 * against PostgreSQL.
 */
export const POSTGRES_TESTS = [
  "test/store-dialects.test.ts",
  "test/amendments.test.ts",
  "test/meetings.test.ts",
  "test/comments.test.ts",
  "test/consolidation.rules.test.ts",
  "test/lifecycle.test.ts",
  "test/import.test.ts",
  "test/notifications.test.ts",
  "test/brackets.test.ts",
  "test/status.test.ts",
  "test/numbering.server.test.ts",
  "test/versions.test.ts",
  "test/rooms.test.ts",
  "test/consolidation.test.ts",
  "test/fuzz-routes.test.ts",
  "test/http.test.ts",
  "test/plain-text.test.ts",
  "test/signin.test.ts",
  "test/validation.test.ts",
];

export default defineConfig({
  test: {
    // Two cores: integration and browser tests each start real servers; more in parallel only thrash.
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: "test/artifacts/vitest.json" },
    projects: [
      {
        test: {
          ...shared,
          name: "sqlite",
          include: ["test/**/*.test.ts"],
          // Needs the PostgreSQL cluster: it runs in the postgres project only.
          exclude: [...configDefaults.exclude, "test/store-dialects.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
        },
      },
      {
        test: {
          ...shared,
          name: "postgres",
          include: POSTGRES_TESTS,
          // The cluster's address reaches every project's workers (global setups share one
          // process environment); this names the project whose servers store in it.
          env: { ACCORD_TEST_STORE: "postgres" },
          // Every statement is a round trip to another process: the same tests take longer.
          testTimeout: 120_000,
          globalSetup: ["test/helpers/postgres-setup.ts"],
        },
      },
    ],
  },
});
