import type * as Y from "yjs";
import type { PostgresDb } from "../store/postgres.js";
import type { LoadedText, TextStore } from "../store/text-store.js";
import type { LogUpdates, OnDurable, TextStorage } from "./text-storage.js";

/**
 * `TextStorage` on PostgreSQL: a flush's statements run as before (each a round trip the
 * main thread waits for, the lease's check among them), but its COMMIT, which waits for
 * PostgreSQL's fsync, is sent without waiting (`PostgresDb.transactionDeferred`); the flush
 * is called back, and so broadcast, only when PostgreSQL has answered it. While a COMMIT is
 * unanswered the storage is `busy`: the next flush waits for it (`onIdle`) instead of
 * queueing statements behind it, so that the event loop keeps validating updates meanwhile
 * and the next flush takes them all (a commit per PostgreSQL fsync, as many updates as
 * arrived during it), and so that no transaction builds on one whose COMMIT may yet fail.
 * A failed COMMIT is reported to the flush's callback as a failed fsync is on SQLite.
 */
export class PostgresTextStorage implements TextStorage {
  private committed = 0;
  private durable = 0;
  /** Callbacks of commits not yet answered, oldest first, with the commit each waits for. */
  private readonly awaiting: Array<{ seq: number; then: OnDurable }> = [];
  onIdle: (() => void) | null = null;

  constructor(
    private readonly texts: TextStore,
    private readonly db: PostgresDb,
  ) {}

  get nextSeq(): number {
    return this.committed + 1;
  }

  get durableSeq(): number {
    return this.durable;
  }

  get busy(): boolean {
    return this.db.committing;
  }

  commit(write: (log: LogUpdates) => void, then: OnDurable, wait: boolean): number {
    const run = () => write((updates) => this.texts.append(updates));
    // Whatever is made now builds on the commits before it: their outcome first.
    this.db.drain();
    const seq = this.committed + 1;
    if (wait) {
      this.db.transaction(run)();
      this.committed = seq;
      this.awaiting.push({ seq, then });
      this.answered(seq, null);
      return seq;
    }
    this.awaiting.push({ seq, then });
    try {
      this.db.transactionDeferred(run, (error) => this.answered(seq, error));
    } catch (error) {
      this.awaiting.pop();
      throw error;
    }
    this.committed = seq;
    return seq;
  }

  afterDurable(then: OnDurable): void {
    this.awaiting.push({ seq: this.committed, then });
    this.answered(this.durable, null);
  }

  syncNow(): void {
    this.db.drain();
  }

  load(documentId: string): LoadedText {
    return this.texts.load(documentId);
  }

  wholeSnapshot(documentId: string): { state: Uint8Array; stateVector: Uint8Array; nextSeq: number } | null {
    return this.texts.wholeSnapshot(documentId);
  }

  compact(documentId: string, doc: Y.Doc, lastSeq: number, state?: Uint8Array, soon = false): void {
    // After the COMMITs before it: a compaction must not store what a failed one did not.
    this.db.drain();
    if (!soon) return this.texts.compact(documentId, doc, lastSeq, state);
    // Its COMMIT unwaited for too: until it is answered, the log it replaces is still there.
    this.db.transactionDeferred(
      () => this.texts.compact(documentId, doc, lastSeq, state),
      (error) => {
        if (error !== null) console.error(`could not compact document ${documentId}; its log is kept:`, error);
        if (!this.db.committing) this.onIdle?.();
      },
    );
  }

  close(): void {
    this.db.drain();
  }

  /** PostgreSQL answered the commits up to `seq` (`error` for the last one): their callbacks, in order. */
  private answered(seq: number, error: Error | null): void {
    if (seq > this.durable) this.durable = seq;
    let count = 0;
    while (count < this.awaiting.length && this.awaiting[count]!.seq <= seq) count += 1;
    for (const { then } of this.awaiting.splice(0, count)) then(error);
    if (!this.db.committing) this.onIdle?.();
  }
}
