import { configDefaults, defineConfig } from "vitest/config";

const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: "forks" as const,
};

/**
 * The domain test files that run a second time against PostgreSQL (their servers come from
 * test/helpers/server.ts, which gives each a database of its own there, copied from a
 * template with the demo seeded once). Every file that starts its servers through those
 * helpers belongs here, except:
 * - those about SQLite's own file: backup, wal-sync, wal-checkpoint, faults (disk faults
 *   injected through SQLite), faults-startup (start-up checks of the file), the SQLite
 *   migration histories (memberships-migration, status.migration), cluster.leases (one
 *   SQLite file opened by two stores; cluster.test.ts runs on PostgreSQL itself);
 * - tamper-evidence and lifecycle-signatures, which forge rows by writing the SQLite file
 *   directly (on PostgreSQL that would need a second connection: not done yet), and
 *   durability (a child server killed and restarted on its data folder: not done yet);
 * - the end-to-end browser files (test/e2e), which test the editor, not the store.
 */
export const POSTGRES_TESTS = [
  "test/store-dialects.test.ts",
  "test/postgres-commit.test.ts",
  "test/cluster.lease-session.test.ts",
  "test/cluster.owner-opens.test.ts",
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
  "test/amendments-concurrency.test.ts",
  "test/audit.test.ts",
  "test/authorship.test.ts",
  "test/brackets-practice.test.ts",
  "test/brackets-resolution.test.ts",
  "test/collab.test.ts",
  "test/document-limits.test.ts",
  "test/documents.paragraphs.test.ts",
  "test/error-codes.test.ts",
  "test/exports-footnotes.test.ts",
  "test/exports-formats.test.ts",
  "test/exports-thread.test.ts",
  "test/exports.test.ts",
  "test/http-hardening.test.ts",
  "test/preferences.test.ts",
  "test/presence.test.ts",
  "test/refusals.test.ts",
  "test/session-end.test.ts",
  "test/session-recheck.test.ts",
  "test/structure.test.ts",
  "test/typed-brackets.test.ts",
  "test/languages.test.ts",
  "test/flush-reads.test.ts",
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
          // Need the PostgreSQL cluster: they run in the postgres project only.
          exclude: [...configDefaults.exclude, "test/store-dialects.test.ts", "test/postgres-commit.test.ts", "test/cluster.lease-session.test.ts"],
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
          hookTimeout: 120_000,
          globalSetup: ["test/helpers/postgres-setup.ts"],
        },
      },
    ],
  },
});
