/**
 * The PostgreSQL store's durable commit path: accepted updates of one document appended to
 * its log in batches, each batch one transaction committed with synchronous_commit on (the
 * commit returns once PostgreSQL has flushed its WAL), as the server's flush does once per
 * turn before it broadcasts. Prints updates/s per batch size; the target is ≥ 5,000 for one
 * document. Uses ACCORD_DATABASE_URL when set (its database must be an empty one, which it
 * migrates), otherwise starts a cluster of its own in /tmp with fsync on.
 *
 * Then the same path as a server runs it: a real Accord process storing in that cluster,
 * stock-protocol writers typing into one document as fast as the bench asks (50 editors at
 * 120 updates/s each, 6,000 offered), the server forming its flush batches from what
 * arrives while a commit waits. Every update a probe receives was committed first
 * (durability before visibility), so the rate the probes receive is the accepted rate.
 *
 *   npx tsx bench/postgres-durable.ts [seconds=12] [--editors=50] [--rate=120]
 */
import { performance } from "node:perf_hooks";
import { openPostgres } from "../server/store/postgres.js";
import { TextStore } from "../server/store/text-store.js";
import { startPostgresCluster, TEMPLATE_DATABASE } from "../test/helpers/postgres-setup.js";
import { percentile, ms } from "./load/stats.js";
import { prepareAccordData } from "./servers/accord-data.js";
import { startAccord, tempDir } from "./servers/targets.js";
import { runLoad } from "./load/scenario.js";
import { favour, favourSession } from "./load/proc.js";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const seconds = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 12);
const editors = Number(arg("editors", "50"));
const rate = Number(arg("rate", "120"));
// The goal for one document's durable commit path.
const TARGET_UPDATES_PER_SECOND = 5000;
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
  if (own) await throughServer(own.admin);
} finally {
  own?.stop();
}

/**
 * A real server on its own database of the cluster (and, as the peer in the same run, the
 * same server on its embedded SQLite file): the accepted updates/s of one document under
 * the flush batches it forms itself, and the latency its probes saw meanwhile.
 */
async function throughServer(admin: string): Promise<void> {
  favourSession();
  favour(process.pid);
  const database = "accord_bench_server";
  const setup = openPostgres(admin);
  setup.exec(`DROP DATABASE IF EXISTS ${database}`);
  setup.exec(`CREATE DATABASE ${database}`);
  setup.close();
  const stores: Array<[string, Record<string, string>]> = [
    ["PostgreSQL", { ACCORD_DATABASE_URL: admin.replace(/\/postgres$/, `/${database}`) }],
    ["SQLite", {}],
  ];
  for (const [store, env] of stores) {
    const dir = tempDir("accord-pg-server-");
    try {
      const data = await prepareAccordData(dir.path, 10, 2, env);
      // ACCORD_LOG=info shows what the server says (with BENCH_SERVER_LOG=<file>).
      const target = await startAccord(19_900 + Math.floor(Math.random() * 90), dir.path, data, { ...env, ACCORD_LOG: process.env.ACCORD_LOG ?? "silent" }, `Accord on ${store}`);
      try {
        const r = await runLoad(target, { editors, watchers: 0, rate, probes: 2, oneProcess: false, doc: "declaration", warmupMs: 2000, measureMs: seconds * 1000, run: 1 });
        console.log(
          `server on ${store}, one document, ${editors} editors at ${rate}/s: sent ${Math.round(r.sentPerSec)} updates/s, accepted and delivered ${Math.round(r.deliveredPerSec)} updates/s; ` +
            `p50 ${ms(r.p50)} p99 ${ms(r.p99)}; server ${r.serverCores.toFixed(2)} cores, machine ${r.machineCores.toFixed(1)} (stolen ${r.stolenCores.toFixed(2)}); ${r.converged ? "converged" : `NOT converged (lost ${r.lost})`}`,
        );
        if (store === "PostgreSQL") {
          const met = r.converged && r.deliveredPerSec >= TARGET_UPDATES_PER_SECOND;
          console.log(`goal: >= ${TARGET_UPDATES_PER_SECOND} accepted updates/s for one document through a server on PostgreSQL: ${met ? "met" : "NOT met"}`);
        }
      } finally {
        await target.stop();
      }
    } finally {
      dir.remove();
    }
  }
}
