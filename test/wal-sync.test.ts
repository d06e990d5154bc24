import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type SqliteDb } from "../server/store/db.js";
import { WalSync } from "../server/collab/wal-sync.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A migrated database in WAL mode on a real file, and a table to write to. */
function database(sync: "full" | "normal" = "full"): { db: SqliteDb; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "accord-wal-"));
  const file = join(dir, "accord.sqlite");
  const db = openDatabase(file, sync);
  db.exec("CREATE TABLE t (n INTEGER)");
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, file };
}

/** What another connection reads: committed rows only. */
function rowsSeenElsewhere(file: string): number {
  const other = new Database(file, { readonly: true });
  try {
    return other.prepare("SELECT COUNT(*) FROM t").pluck().get() as number;
  } finally {
    other.close();
  }
}

describe("WalSync", () => {
  it("while waiting for the disk is cheap, makes a commit durable before commitDurable returns", () => {
    const { db, file } = database();
    const reported: number[] = [];
    // However long the fsync takes, it is waited for here.
    const always = { share: Number.POSITIVE_INFINITY, maxMs: Number.POSITIVE_INFINITY, loopBusy: Number.POSITIVE_INFINITY };
    const wal = new WalSync(db, (seq, error) => (expect(error).toBeNull(), reported.push(seq)), always);
    expect(wal.available).toBe(true);
    for (let i = 1; i <= 3; i++) {
      const seq = wal.commitDurable(() => db.prepare("INSERT INTO t VALUES (?)").run(i));
      expect(seq).toBe(i);
      expect(reported).toEqual(Array.from({ length: i }, (_, k) => k + 1));
      expect(wal.durableSeq).toBe(i);
    }
    expect(rowsSeenElsewhere(file)).toBe(3);
    wal.close();
  });

  it("when it is not, reports durability from a worker thread only: this thread never waits for the disk just to measure it", async () => {
    const { db, file } = database();
    const reported: number[] = [];
    // No fsync is short enough: every commit goes to a worker thread.
    const wal = new WalSync(db, (seq) => reported.push(seq), { share: 1 / 3, maxMs: -1, loopBusy: 1 });
    expect(wal.available).toBe(true);
    const seq = wal.commitDurable(() => db.prepare("INSERT INTO t VALUES (1)").run());
    // Committed (other connections see it) but not reported durable until the fsync returns.
    expect(reported).toEqual([]);
    expect(rowsSeenElsewhere(file)).toBe(1);
    await expect.poll(() => reported.at(-1), { timeout: 5000 }).toBe(seq);
    // However many follow, none is synced here (a slow disk's flush would stall everything).
    for (let i = 2; i <= 100; i++) {
      wal.commitDurable(() => db.prepare("INSERT INTO t VALUES (?)").run(i));
      expect(wal.durableSeq).toBeLessThan(i);
    }
    await expect.poll(() => wal.durableSeq, { timeout: 5000 }).toBe(100);
    expect(reported.at(-1)).toBe(100);
    wal.close();
  });

  it("times an fsync off the main thread around the disk's wait, not until its answer: a busy event loop is not taken for a slow disk", async () => {
    const { db } = database();
    const reported: number[] = [];
    // Waiting here is allowed for fsyncs up to 50 ms, whatever the time between commits and the event loop's load.
    const wal = new WalSync(db, (seq) => reported.push(seq), { share: Number.POSITIVE_INFINITY, maxMs: 50, loopBusy: Number.POSITIVE_INFINITY });
    expect(wal.available).toBe(true);
    for (let i = 1; i <= 5; i++) {
      const seq = wal.commitDeferred(() => db.prepare("INSERT INTO t VALUES (?)").run(i));
      // The main thread is busy for 200 ms after handing the fsync over: its answer waits
      // that long, which timed from the start would bring the average to 134 ms.
      const busyUntil = performance.now() + 200;
      while (performance.now() < busyUntil);
      await expect.poll(() => wal.durableSeq, { timeout: 5000 }).toBe(seq);
    }
    // The disk was measured, not the wait: the next commit is synced here, before it returns.
    const seq = wal.commitDurable(() => db.prepare("INSERT INTO t VALUES (6)").run());
    expect(wal.durableSeq).toBe(seq);
    expect(reported.at(-1)).toBe(seq);
    wal.close();
  });

  it("does not wait for the disk on an event loop that was busy, and waits again once it has room", async () => {
    const { db } = database();
    const reported: number[] = [];
    const wal = new WalSync(db, (seq) => reported.push(seq), { share: Number.POSITIVE_INFINITY, maxMs: Number.POSITIVE_INFINITY, loopBusy: 0.5 });
    expect(wal.available).toBe(true);
    // The loop busy for 300 ms: the fsync goes to a worker thread.
    const busyUntil = performance.now() + 300;
    while (performance.now() < busyUntil);
    const first = wal.commitDurable(() => db.prepare("INSERT INTO t VALUES (1)").run());
    expect(wal.durableSeq).toBeLessThan(first);
    await expect.poll(() => wal.durableSeq, { timeout: 5000 }).toBe(first);
    // 300 ms with the loop idle: waited for here, before commitDurable returns.
    await new Promise((r) => setTimeout(r, 300));
    const second = wal.commitDurable(() => db.prepare("INSERT INTO t VALUES (2)").run());
    expect(wal.durableSeq).toBe(second);
    expect(reported.at(-1)).toBe(second);
    wal.close();
  });

  it.each([
    ["normal", 1],
    ["full", 2],
  ] as const)("leaves a connection the operator set to %s there after committing without waiting", (sync, level) => {
    const { db } = database(sync);
    const wal = new WalSync(db, () => {});
    wal.commitDeferred(() => db.prepare("INSERT INTO t VALUES (1)").run());
    expect(db.pragma("synchronous", { simple: true })).toBe(level);
    wal.close();
  });

  it("with fsyncs overlapping on worker threads, reports every commit durable once, in order, with nothing skipped at the end", async () => {
    const { db } = database();
    const reported: number[] = [];
    const wal = new WalSync(db, (seq, error) => (expect(error).toBeNull(), reported.push(seq)), { share: 1 / 3, maxMs: -1, loopBusy: 1 });
    expect(wal.available).toBe(true);
    // Commits land while earlier fsyncs are still running (every few without yielding, some after a turn).
    for (let i = 1; i <= 40; i++) {
      wal.commitDeferred(() => db.prepare("INSERT INTO t VALUES (?)").run(i));
      if (i % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    await expect.poll(() => wal.durableSeq, { timeout: 5000 }).toBe(40);
    expect(reported.at(-1)).toBe(40);
    for (let i = 1; i < reported.length; i++) expect(reported[i]!).toBeGreaterThan(reported[i - 1]!);
    wal.close();
  });
});
