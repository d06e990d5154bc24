import { closeSync, fsync, fsyncSync, openSync } from "node:fs";
import type { Statement } from "better-sqlite3";
import type { Db } from "../store/db.js";

/**
 * Durability of the text log without blocking the event loop.
 *
 * With `synchronous=FULL`, SQLite fsyncs the WAL inside every commit, and the whole server
 * waits for the disk (1–100 ms here) once per flush. Instead, the flush commits with
 * `synchronous=NORMAL` (frames written to the WAL, atomic, not yet on disk) and this
 * class fsyncs the WAL file on libuv's thread pool; the flush's updates are broadcast
 * only when that fsync returns, so nothing is visible before it is on disk: the same
 * guarantee as FULL, while the main thread validates the next turn's updates. Commits
 * that land while an fsync runs share the next one (group commit).
 *
 * Each commit gets a sequence number; `onDurable(seq)` is called with the highest one
 * known to be on disk, in order.
 */
export class WalSync {
  private fd: number | null = null;
  private committed = 0;
  private durable = 0;
  private syncing = false;
  private readonly toNormal: Statement | null;
  private readonly toFull: Statement | null;
  /** Runs a callback as one transaction (built once: better-sqlite3 builds a wrapper per call of `transaction`). */
  private readonly runTransaction: (write: () => void) => void;

  constructor(
    private readonly db: Db,
    private readonly onDurable: (seq: number, error: Error | null) => void,
  ) {
    // Where the operator chose NORMAL, the connection is already there and stays there.
    const full = (db.pragma("synchronous", { simple: true }) as number) >= 2;
    this.toNormal = full ? db.prepare("PRAGMA synchronous = NORMAL") : null;
    this.toFull = full ? db.prepare("PRAGMA synchronous = FULL") : null;
    this.runTransaction = db.transaction((write: () => void) => write());
  }

  /** Whether commits can be made durable off the main thread (a WAL file on disk). */
  get available(): boolean {
    if (this.fd !== null) return true;
    if (this.db.memory) return false;
    try {
      this.fd = openSync(`${this.db.name}-wal`, "r");
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
    this.toNormal?.run();
    try {
      this.runTransaction(write);
    } finally {
      this.toFull?.run();
    }
    this.committed += 1;
    this.kick();
    return this.committed;
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
      if (this.fd !== null) fsyncSync(this.fd);
    } catch (e) {
      error = e as Error;
    }
    this.durable = this.committed;
    this.onDurable(this.durable, error);
  }

  private kick(): void {
    if (this.syncing || this.fd === null || this.durable >= this.committed) return;
    this.syncing = true;
    const target = this.committed;
    fsync(this.fd, (error) => {
      this.syncing = false;
      // A failed fsync is reported with its commits, whose rooms are then reloaded; later
      // commits get their own fsync.
      if (target > this.durable) {
        this.durable = target;
        this.onDurable(target, error);
      }
      this.kick();
    });
  }

  /** Closes the WAL file handle (the database stays open). */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
