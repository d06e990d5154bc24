import { performance } from "node:perf_hooks";
import { closeSync, fdatasyncSync, openSync, writeSync } from "node:fs";
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

/** How long this disk takes to make one small write durable, ms. */
export interface DiskFlushes {
  /** One after the other, as under load. */
  busy: { p50: number; p99: number };
  /** Each after `idleMs` of nothing, as a quiet document's keystrokes come. */
  idle: { p50: number; p99: number };
  idleMs: number;
}

/**
 * The floor under every durable keystroke: one WAL frame's worth of bytes (4 KB) written to
 * a file on the data's disk and fdatasynced, `count` times back to back, then `count` times
 * each after `idleMs` of idleness. On a virtual machine the second is far slower (the
 * host's side of the disk has gone quiet), and no server that waits for the disk before a
 * keystroke is visible can be faster than it.
 */
export function diskFlushes(count = 200, idleMs = 5): DiskFlushes {
  const dir = tempDir("accord-disk-");
  const frame = Buffer.alloc(4096 + 24, 7);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    const fd = openSync(`${dir.path}/flush`, "w");
    // Written once first: the timed writes overwrite allocated blocks, as a reused WAL does.
    for (let i = 0; i < 64; i++) writeSync(fd, frame, 0, frame.length, i * frame.length);
    fdatasyncSync(fd);
    const time = (idle: number) => {
      const durations: number[] = [];
      for (let i = 0; i < count; i++) {
        if (idle > 0) Atomics.wait(pause, 0, 0, idle);
        const t = performance.now();
        writeSync(fd, frame, 0, frame.length, (i % 64) * frame.length);
        fdatasyncSync(fd);
        durations.push(performance.now() - t);
      }
      durations.sort((a, b) => a - b);
      return { p50: percentile(durations, 50), p99: percentile(durations, 99) };
    };
    const busy = time(0);
    const idle = time(idleMs);
    closeSync(fd);
    return { busy, idle, idleMs };
  } finally {
    dir.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(durableWrites(Number(process.argv[2] ?? 3)));
  console.table(diskFlushes());
}
