/**
 * The PostgreSQL store's durable commit path: accepted updates of one document appended to
 * its log in batches, each batch one transaction committed with synchronous_commit on (the
 * commit returns once PostgreSQL has flushed its WAL), as the server's flush does once per
 * turn before it broadcasts. Prints updates/s per batch size; the target is ≥ 5,000 for one
 * document. Uses ACCORD_DATABASE_URL when set (its database must be an empty one, which it
 * migrates), otherwise starts a cluster of its own in /tmp with fsync on.
 *
 *   npx tsx bench/postgres-durable.ts [seconds=12]
 */
import { performance } from "node:perf_hooks";
import { openPostgres } from "../server/store/postgres.js";
import { TextStore } from "../server/store/text-store.js";
import { startPostgresCluster, TEMPLATE_DATABASE } from "../test/helpers/postgres-setup.js";
import { percentile } from "./load/stats.js";

const seconds = Number(process.argv[2] ?? 12);
// A flush writes what arrived while the previous commit was waiting for the disk: the faster
// updates come, the larger the batch.
const BATCHES = [1, 10, 100, 200, 500];
const own = process.env.ACCORD_DATABASE_URL ? null : await startPostgresCluster({ durable: true });
try {
  const url = process.env.ACCORD_DATABASE_URL ?? own!.admin.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
  const db = openPostgres(url);
  console.log("synchronous_commit:", db.prepare("SHOW synchronous_commit").pluck().get(), " fsync:", db.prepare("SHOW fsync").pluck().get());
  db.exec("ALTER TABLE document_updates DROP CONSTRAINT IF EXISTS document_updates_document_id_fkey"); // the log rows need no document row here
  const store = new TextStore(db);
  const update = new Uint8Array(40).fill(7);
  let seq = 1;
  for (const batch of BATCHES) {
    const durations: number[] = [];
    const start = performance.now();
    while (performance.now() - start < (seconds * 1000) / BATCHES.length) {
      const t = performance.now();
      db.transaction(() => store.append(Array.from({ length: batch }, () => ({ documentId: "bench", seq: seq++, update, userId: null }))))();
      durations.push(performance.now() - t);
    }
    const elapsed = (performance.now() - start) / 1000;
    durations.sort((a, b) => a - b);
    console.log(
      `batch ${String(batch).padStart(3)}: ${Math.round((durations.length * batch) / elapsed)} updates/s, ${Math.round(durations.length / elapsed)} commits/s, ` +
        `commit p50 ${percentile(durations, 50).toFixed(2)} ms p99 ${percentile(durations, 99).toFixed(2)} ms`,
    );
  }
  db.close();
} finally {
  own?.stop();
}
