import type * as Y from "yjs";
import { IndexeddbPersistence, storeState } from "y-indexeddb";

/** y-indexeddb's object store of a document's updates. */
const UPDATES_STORE = "updates";

/**
 * Whether this browser's IndexedDB holds everything the document has: "stored" (a closed
 * tab loses nothing), "storing" (a write has not committed yet), "unavailable" (no
 * IndexedDB, or a write failed and could not be made again).
 */
export type BrowserCopyState = "stored" | "storing" | "unavailable";

/**
 * A document's copy in this browser's IndexedDB (kept by y-indexeddb), and whether it holds
 * everything typed so far. y-indexeddb writes each change in a transaction of its own and
 * says nothing when it commits; a transaction not yet committed is lost with the tab, and
 * under load the commits have trailed the typing by over a second. So the copy is said to
 * hold the document only once a read of the same store, begun after the writes, has
 * completed: IndexedDB runs transactions on one store in the order they were made, so the
 * writes before it have then finished. A write that aborted (its `abort` event bubbles to the
 * database) is made good by writing the whole document again.
 */
export class BrowserCopy {
  private readonly persistence: IndexeddbPersistence;
  private db: IDBDatabase | null = null;
  /** Updates of the document seen so far, and how many of them are known to be stored. */
  private changes = 0;
  private stored = -1;
  private checking = false;
  /** Aborted transactions so far: a check during which one aborted does not vouch for the writes before it. */
  private aborts = 0;
  /** Set when a write aborted: the store lacks a change until the whole document is written again. */
  private incomplete = false;
  /** The number of changes when the whole document was last written again (-1: never). */
  private rewrittenAt = -1;
  private broken = false;

  /** Opens (or creates) the copy named `name` and keeps `doc` in it; `changed` is called whenever `state()` may have changed. */
  constructor(
    name: string,
    private readonly doc: Y.Doc,
    private readonly changed: () => void,
  ) {
    // Constructed before `doc` has our listener, y-indexeddb's own runs first: a change's
    // write is begun before the check that counts it.
    this.persistence = new IndexeddbPersistence(name, doc);
    doc.on("update", this.onUpdate);
    // y-indexeddb swallows a database that cannot be opened (private windows, storage off):
    // nothing would ever be stored, and the copy must not claim otherwise.
    this.persistence._db.catch(() => this.fail());
    void this.persistence.whenSynced.then(() => {
      this.db = this.persistence.db;
      this.db?.addEventListener("abort", this.onAbort);
      this.check();
    });
  }

  /** Whether everything in the document is stored in this browser now (see `BrowserCopyState`). */
  state(): BrowserCopyState {
    if (this.broken) return "unavailable";
    if (this.stored === this.changes) return "stored";
    // A write failed and writing the whole document again failed too: nothing to wait for.
    return this.incomplete && this.rewrittenAt === this.changes && !this.checking ? "unavailable" : "storing";
  }

  /** Whether a change to the document with this `origin` was read back from the copy (not typed here). */
  readBack(origin: unknown): boolean {
    return origin === this.persistence;
  }

  /** Deletes the copy from the browser (after a refusal: the server's text is the truth). */
  async clear(): Promise<void> {
    this.stop();
    await this.persistence.clearData();
  }

  /** Stops keeping the document; what is stored stays for the next tab. */
  destroy(): void {
    this.stop();
    void this.persistence.destroy();
  }

  private readonly onUpdate = () => {
    this.changes += 1;
    this.check();
    this.changed();
  };

  private readonly onAbort = () => {
    this.aborts += 1;
    this.incomplete = true;
    this.check();
    this.changed();
  };

  /** Begins a read of the updates store after every write made so far; when it completes, they are stored (unless one aborted). */
  private check(): void {
    const db = this.db;
    if (!db || this.checking || this.broken || this.stored === this.changes) return;
    // An aborted write left a change out of the store: write the whole document, once per
    // state of it (a full disk would refuse every attempt; the next change tries again).
    if (this.incomplete) {
      if (this.rewrittenAt === this.changes) return;
      this.rewrittenAt = this.changes;
      void storeState(this.persistence).catch(() => undefined);
    }
    const upTo = this.changes;
    const abortsBefore = this.aborts;
    let read: IDBTransaction;
    try {
      read = db.transaction(UPDATES_STORE, "readonly");
      read.objectStore(UPDATES_STORE).count();
    } catch {
      // The database was closed under us (deleted by another tab, or by the browser).
      return this.fail();
    }
    this.checking = true;
    read.oncomplete = () => {
      this.checking = false;
      if (this.aborts === abortsBefore) {
        this.stored = upTo;
        this.incomplete = false;
      }
      this.check();
      this.changed();
    };
    read.onabort = () => {
      this.checking = false;
      this.changed();
    };
  }

  private fail(): void {
    this.broken = true;
    this.changed();
  }

  private stop(): void {
    this.doc.off("update", this.onUpdate);
    this.db?.removeEventListener("abort", this.onAbort);
  }
}
