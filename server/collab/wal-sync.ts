import { closeSync, fsyncSync, openSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { FsyncThreads } from "./fsync-threads.js";
import type { Statement } from "../store/db.js";
import { sqliteOf, type Db } from "../store/db.js";

/** When a commit's fsync is waited for on the main thread (see `WalSync`). */
export interface InlinePolicy {
  /** At most this share of the main thread may go to waiting for the disk. */
  share: number;
  /** No single wait on the main thread longer than this, ms (a negative value: never, but to measure). */
  maxMs: number;
  /** No wait on the main thread while the event loop was busier than this share of the time (0–1). */
  loopBusy: number;
}

// Waiting for the disk may take up to a third of the main thread, as broadcasting may
// (RoomManager), and never more than 5 ms at a time: longer would stall every request.
// Nor while the event loop is busy more than 80% of the time: measured at 600 and 800
// editors, the fsyncs waited for here whenever the disk was fast made 800's tail worse
// than keeping them off the main thread (bench/README.md, "Where the server's time goes").
const DEFAULT_POLICY: InlinePolicy = { share: 1 / 3, maxMs: 5, loopBusy: 0.8 };
// Fsyncs off the main thread at once (see `WalSync.kick`), one per worker thread.
const MAX_IN_FLIGHT = 2;
// How long a stretch the event loop's busyness is measured over, ms.
const LOOP_SAMPLE_MS = 200;
// Weight of the newest measurement in the moving averages.
const WEIGHT = 0.2;

/**
 * Durability of the text log without letting a slow disk block the event loop.
 *
 * The flush commits with `synchronous=NORMAL` (frames written to the WAL, atomic, not yet
 * on disk) and then fsyncs the WAL file itself; its updates are broadcast only once that
 * fsync has returned, so nothing is visible before it is on disk: the same guarantee as
 * FULL. Where the fsync runs depends on what it costs. Waited for on the main thread, it
 * costs the wait: handing it to another thread and back wakes two more threads per
 * commit, which on a virtual machine costs more than a fast disk's wait and, measured,
 * doubled the tail latency of a quiet document; under load the answer also waits for the
 * event loop's turn (at 800 editors, 1.5–31 ms at the median of a 2 s stretch for fsyncs
 * the disk did in 0.6–2.9 ms). So the main thread waits while the measured fsync time,
 * over the time between commits, stays under a third of it, and while the event loop has
 * room (busy at most 80% of the last 200 ms or more): a nearly saturated loop delays
 * everyone queued behind a wait, whereas the answer's own delay mostly overlaps the
 * broadcast window, which spaces deliveries anyway. Otherwise (a slow disk, a busy one, a busy loop) the fsync
 * runs on a worker thread (`FsyncThreads`) while the main thread validates the next
 * turn's updates; commits that land while one runs start the next at once, without
 * waiting for it (see `kick`), and share it. The fsyncs off the main thread are
 * timed too, by the worker, around the disk's wait alone, so the main thread takes the
 * wait back once the disk is fast again. Timed from start to callback instead, a busy
 * event loop read as a slow disk and kept every fsync off the main thread, which made
 * the loop busier still. The main thread never waits on a slow disk just to measure it
 * (an fsync synced here every 64 commits to measure the disk stalled everything for as
 * long as that flush took: on this shared machine a 4 KB flush took 2 ms at the median
 * but 36 ms at the 90th percentile and up to 58 ms).
 *
 * Each commit gets a sequence number; `onDurable(seq)` is called with the highest one
 * known to be on disk, in order.
 */
export class WalSync {
  private fd: number | null = null;
  private committed = 0;
  private durable = 0;
  /** Fsyncs on worker threads, oldest first: the commit each covers, and how it ended once it has. */
  private readonly inFlight: Array<{ target: number; done: boolean; error: Error | null }> = [];
  /**
   * Moving average of the fsyncs, ms: the disk's wait alone, timed on the thread that
   * waited (this one or a worker), so that the disk is measured without ever stalling the
   * main thread to do it, and a busy event loop is not taken for a slow disk.
   */
  private fsyncMs = 0;
  /**
   * The worker threads that fsync off the main thread (about 19 MB of resident memory for
   * the two), started when the WAL file is first opened: a server's memory does not jump
   * later, the first time the disk or the event loop is slow.
   */
  private threads: FsyncThreads | null = null;
  /** Moving average of the time between durable commits, ms, and when the last one began. */
  private intervalMs = 1000;
  private lastCommitAt = 0;
  /** How busy the event loop was over the last stretch of at least `LOOP_SAMPLE_MS` (0–1), where the next began, and when. */
  private loopBusy = 0;
  private loopSample = performance.eventLoopUtilization();
  private loopSampledAt = performance.now();
  private readonly toNormal: Statement | null;
  private readonly toFull: Statement | null;
  /** Runs a callback as one transaction (built once: better-sqlite3 builds a wrapper per call of `transaction`). */
  private readonly runTransaction: (write: () => void) => void;

  constructor(
    private readonly db: Db,
    private readonly onDurable: (seq: number, error: Error | null) => void,
    private readonly policy: InlinePolicy = DEFAULT_POLICY,
  ) {
    // Where the operator chose NORMAL, the connection is already there and stays there.
    // PostgreSQL has no WAL file of ours to sync: its commits are durable when they return.
    const sqlite = sqliteOf(db);
    const full = sqlite !== null && (sqlite.pragma("synchronous", { simple: true }) as number) >= 2;
    this.toNormal = full ? db.prepare("PRAGMA synchronous = NORMAL") : null;
    this.toFull = full ? db.prepare("PRAGMA synchronous = FULL") : null;
    this.runTransaction = db.transaction((write: () => void) => write());
  }

  /** Whether commits can be made durable off the main thread (a WAL file on disk). */
  get available(): boolean {
    if (this.fd !== null) return true;
    const sqlite = sqliteOf(this.db);
    if (!sqlite || sqlite.memory) return false;
    try {
      this.fd = openSync(`${sqlite.name}-wal`, "r");
      this.threads ??= new FsyncThreads(MAX_IN_FLIGHT);
      return true;
    } catch {
      return false;
    }
  }

  /** The sequence number the next commit gets. */
  get nextSeq(): number {
    return this.committed + 1;
  }

  /** The last commit's number. */
  get committedSeq(): number {
    return this.committed;
  }

  /** Highest commit known to be on disk. */
  get durableSeq(): number {
    return this.durable;
  }

  /** Runs `write` as one transaction committed without waiting for the disk; returns its number. */
  commitDeferred(write: () => void): number {
    this.commitUnsynced(write);
    this.kick();
    return this.committed;
  }

  /**
   * Runs `write` as one transaction and makes it durable: at once on this thread while
   * waiting for the disk is cheap (see the class), on a worker thread (as `commitDeferred`)
   * otherwise. Either way `onDurable` reports it, synchronously in the first case.
   */
  commitDurable(write: () => void): number {
    const now = performance.now();
    if (this.lastCommitAt > 0) this.intervalMs += (now - this.lastCommitAt - this.intervalMs) * WEIGHT;
    this.lastCommitAt = now;
    if (now - this.loopSampledAt >= LOOP_SAMPLE_MS) {
      const next = performance.eventLoopUtilization();
      this.loopBusy = performance.eventLoopUtilization(next, this.loopSample).utilization;
      this.loopSample = next;
      this.loopSampledAt = now;
    }
    this.commitUnsynced(write);
    if (this.waitHere()) this.syncNow();
    else this.kick();
    return this.committed;
  }

  /** Whether the next fsync is cheaper waited for on this thread (see the class). */
  private waitHere(): boolean {
    return this.fsyncMs <= this.policy.maxMs && this.fsyncMs <= this.policy.share * this.intervalMs && this.loopBusy <= this.policy.loopBusy;
  }

  private commitUnsynced(write: () => void): void {
    this.toNormal?.run();
    try {
      this.runTransaction(write);
    } finally {
      this.toFull?.run();
    }
    this.committed += 1;
  }

  /**
   * Runs `write` as one transaction committed with the connection's own durability (FULL
   * waits for the disk; NORMAL, when the operator chose it, does not): it and every commit
   * before it count as durable at once.
   */
  commitNow(write: () => void): number {
    this.runTransaction(write);
    this.committed += 1;
    this.durable = this.committed;
    this.onDurable(this.durable, null);
    return this.committed;
  }

  /** Waits for the disk here and now, so that everything committed so far is durable. */
  syncNow(): void {
    if (this.durable >= this.committed) return;
    let error: Error | null = null;
    try {
      if (this.fd !== null) {
        const started = performance.now();
        fsyncSync(this.fd);
        this.fsyncMs += (performance.now() - started - this.fsyncMs) * WEIGHT;
      }
    } catch (e) {
      error = e as Error;
    }
    this.durable = this.committed;
    this.onDurable(this.durable, error);
  }

  /**
   * Starts an fsync on a worker thread for the commits no fsync in flight covers, without
   * waiting for the one in flight: a commit landing while an fsync runs would otherwise
   * wait for the rest of it and then for a whole one of its own (twice the disk's time,
   * which under load was most of the tail). At most `MAX_IN_FLIGHT` run at once; they are
   * reported in the order they started, and an error reported by one is reported for every
   * commit up to the end of those that finished with it (after a failed fsync, Linux may
   * report success to a later one for pages it dropped).
   */
  private kick(): void {
    if (this.fd === null || this.inFlight.length >= MAX_IN_FLIGHT) return;
    const covered = this.inFlight.at(-1)?.target ?? this.durable;
    if (covered >= this.committed) return;
    const threads = (this.threads ??= new FsyncThreads(MAX_IN_FLIGHT));
    if (!threads.free) return;
    const sync = { target: this.committed, done: false, error: null as Error | null };
    this.inFlight.push(sync);
    threads.fsync(this.fd, (error, diskMs) => {
      if (!error) this.fsyncMs += (diskMs - this.fsyncMs) * WEIGHT;
      sync.done = true;
      sync.error = error;
      this.settle();
      this.kick();
    });
  }

  /** Reports the fsyncs that finished, in the order they started (see `kick`). */
  private settle(): void {
    let error: Error | null = null;
    let target = this.durable;
    while (this.inFlight.length > 0 && this.inFlight[0]!.done) {
      const sync = this.inFlight.shift()!;
      error ??= sync.error;
      target = Math.max(target, sync.target);
    }
    if (target > this.durable) {
      this.durable = target;
      this.onDurable(target, error);
    } else if (error !== null) console.error("fsync failed after its commits were reported durable by another", error);
  }

  /** Closes the WAL file handle and stops the fsync threads (the database stays open). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.threads?.close();
    this.threads = null;
  }
}
