import type * as Y from "yjs";
import type { Db } from "../store/db.js";
import type { LoadedText, LoggedUpdate, TextStore } from "../store/text-store.js";
import { WalSync } from "./wal-sync.js";

/** Called once a commit is on disk (`error` null), or with the error that kept it from getting there. */
export type OnDurable = (error: Error | null) => void;

/** Writes accepted updates to the log, inside the commit that `TextStorage.commit` runs. */
export type LogUpdates = (updates: readonly LoggedUpdate[]) => void;

/**
 * Where the collaboration core keeps document text: the one interface between it and the
 * store. "Append these accepted updates durably, then call back": nothing the caller was
 * called back for is ever lost, and callbacks come in commit order, so a caller that
 * broadcasts only from them never shows anyone what a crash could take back.
 */
export interface TextStorage {
  /** The number the next commit gets. */
  readonly nextSeq: number;
  /** The highest commit known to be durable. */
  readonly durableSeq: number;
  /**
   * Whether a commit made now would queue behind an earlier one still unanswered: the
   * flush then waits for `onIdle` instead. Always false where commits never queue.
   */
  readonly busy: boolean;
  /** Called once `busy` has become false (where it can be true). */
  onIdle: (() => void) | null;
  /**
   * Runs `write` as one commit, in which it logs accepted updates (`log`) and writes what
   * goes with them (the features' reactions), and returns the commit's number; `then` is
   * called once it is durable, after every earlier commit's. With `wait` it is durable (and
   * `then` called) before this returns; without, the storage may wait for the disk
   * elsewhere. Throws, with nothing stored and `then` never called, when the commit fails.
   */
  commit(write: (log: LogUpdates) => void, then: OnDurable, wait: boolean): number;
  /** Calls `then` once every commit so far is durable (at once if they are), in order with `commit`'s callbacks. */
  afterDurable(then: OnDurable): void;
  /** Waits here until every commit so far is durable; their callbacks run before it returns. */
  syncNow(): void;
  /** A document's text as stored (snapshot and log). */
  load(documentId: string): LoadedText;
  /** The stored snapshot when no log follows it, or null (see `TextStore.wholeSnapshot`). */
  wholeSnapshot(documentId: string): { state: Uint8Array; stateVector: Uint8Array; nextSeq: number } | null;
  /**
   * Replaces a document's log up to `lastSeq` by its full state (`state`, when the caller
   * has it encoded). With `soon`, committed without waiting for the disk: until the next
   * compaction, the log it replaces is still there.
   */
  compact(documentId: string, doc: Y.Doc, lastSeq: number, state?: Uint8Array, soon?: boolean): void;
  /** Lets go of what the storage holds open (the store itself stays open). */
  close(): void;
}

/**
 * `TextStorage` on the server's store (`TextStore`) and its write-ahead log: each commit
 * is written without waiting for the disk, then made durable by `WalSync` (on this thread
 * while the disk is fast, on a worker thread while it is slow); where the operator chose
 * `sync=normal`, or the database has no WAL file, commits count as durable once written.
 */
export class WalTextStorage implements TextStorage {
  private readonly wal: WalSync;
  /** Callbacks of commits not yet durable, oldest first, with the commit each waits for. */
  private readonly awaiting: Array<{ seq: number; then: OnDurable }> = [];

  onIdle: (() => void) | null = null;

  constructor(
    private readonly texts: TextStore,
    db: Db,
    /** Whether commits are to be durable on the disk (`sync=full`), not only written. */
    private readonly full: boolean,
  ) {
    this.wal = new WalSync(db, (seq, error) => this.durableUpTo(seq, error));
  }

  get nextSeq(): number {
    return this.wal.nextSeq;
  }

  get durableSeq(): number {
    return this.wal.durableSeq;
  }

  /** Never: commits made while an fsync runs share the next one (see `WalSync.kick`). */
  get busy(): boolean {
    return false;
  }

  commit(write: (log: LogUpdates) => void, then: OnDurable, wait: boolean): number {
    const run = () => write((updates) => this.texts.append(updates));
    // Registered first: a commit made durable at once calls back before `commit*` returns.
    this.awaiting.push({ seq: this.wal.nextSeq, then });
    try {
      return !wait && this.full && this.wal.available ? this.wal.commitDurable(run) : this.wal.commitNow(run);
    } catch (error) {
      this.awaiting.pop();
      throw error;
    }
  }

  afterDurable(then: OnDurable): void {
    this.awaiting.push({ seq: this.wal.committedSeq, then });
    this.durableUpTo(this.wal.durableSeq, null);
  }

  syncNow(): void {
    this.wal.syncNow();
  }

  load(documentId: string): LoadedText {
    return this.texts.load(documentId);
  }

  wholeSnapshot(documentId: string): { state: Uint8Array; stateVector: Uint8Array; nextSeq: number } | null {
    return this.texts.wholeSnapshot(documentId);
  }

  compact(documentId: string, doc: Y.Doc, lastSeq: number, state?: Uint8Array, soon = false): void {
    if (soon) this.wal.commitDeferred(() => this.texts.compact(documentId, doc, lastSeq, state));
    else this.texts.compact(documentId, doc, lastSeq, state);
  }

  close(): void {
    this.wal.close();
  }

  /** WalSync: commits up to `seq` are on disk (or failed to get there): their callbacks, in order. */
  private durableUpTo(seq: number, error: Error | null): void {
    let count = 0;
    while (count < this.awaiting.length && this.awaiting[count]!.seq <= seq) count += 1;
    if (count === 0) return;
    for (const { then } of this.awaiting.splice(0, count)) then(error);
  }
}
