import { performance } from "node:perf_hooks";
import { openDatabase } from "../server/store/db.js";
import { TextStore } from "../server/store/text-store.js";
import { tempDir } from "./servers/targets.js";
import { percentile } from "./load/stats.js";

/** What sustained durable writing achieved with one batch size. */
export interface DurableResult {
  batch: number;
  commitsPerSec: number;
  updatesPerSec: number;
  commitP50: number;
  commitP99: number;
}

/**
 * Sustained durable writes: the text store appending batches of small updates, each batch
 * one transaction with `synchronous=FULL` (one fsync of the WAL per commit), as the
 * server's flush does once per turn. Batch 1 is what a server without batching would get.
 */
export function durableWrites(seconds: number, batches: number[] = [1, 10, 100]): DurableResult[] {
  const dir = tempDir("accord-durable-");
  try {
    const db = openDatabase(`${dir.path}/accord.sqlite`, "full");
    db.exec("PRAGMA foreign_keys = OFF"); // the log rows need no document row here
    const store = new TextStore(db);
    const update = new Uint8Array(40).fill(7);
    let seq = 1;
    const results: DurableResult[] = [];
    for (const batch of batches) {
      const durations: number[] = [];
      const start = performance.now();
      while (performance.now() - start < (seconds * 1000) / batches.length) {
        const t = performance.now();
        store.append(Array.from({ length: batch }, () => ({ documentId: "bench", seq: seq++, update, userId: null })));
        durations.push(performance.now() - t);
      }
      const elapsed = (performance.now() - start) / 1000;
      durations.sort((a, b) => a - b);
      results.push({
        batch,
        commitsPerSec: durations.length / elapsed,
        updatesPerSec: (durations.length * batch) / elapsed,
        commitP50: percentile(durations, 50),
        commitP99: percentile(durations, 99),
      });
    }
    db.close();
    return results;
  } finally {
    dir.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(durableWrites(Number(process.argv[2] ?? 3)));
