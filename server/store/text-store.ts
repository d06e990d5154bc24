import * as Y from "yjs";
import type { Db } from "./db.js";
import { textFragment } from "../../schema/yfragment.js";

/** One accepted text update, ready to be written to the log. */
export interface LoggedUpdate {
  documentId: string;
  seq: number;
  update: Uint8Array;
  userId: string | null;
}

/** A document's text as loaded from the store. */
export interface LoadedText {
  doc: Y.Doc;
  /** The sequence number the next logged update gets. */
  nextSeq: number;
  /** How many updates are in the log after the snapshot. */
  logLength: number;
  /** Size of the snapshot the text was loaded from, bytes (0 without one). */
  snapshotBytes: number;
}

/**
 * The durable store of document text: per document a compacted Yjs snapshot and the log
 * of updates accepted since. Everything here is synchronous and meant to run inside the
 * caller's transaction where one is open.
 */
export class TextStore {
  private readonly insertUpdate;
  private readonly selectSnapshot;
  private readonly selectLog;
  private readonly selectHasLog;
  private readonly upsertSnapshot;
  private readonly deleteLog;
  private readonly appendAll: (updates: readonly LoggedUpdate[], at: string) => void;

  constructor(private readonly db: Db) {
    this.insertUpdate = db.prepare(
      "INSERT INTO document_updates (document_id, seq, update_data, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.selectSnapshot = db.prepare("SELECT state, state_vector, last_seq FROM document_snapshots WHERE document_id = ?");
    this.selectLog = db.prepare("SELECT seq, update_data FROM document_updates WHERE document_id = ? ORDER BY seq");
    this.selectHasLog = db.prepare("SELECT 1 FROM document_updates WHERE document_id = ? LIMIT 1").pluck();
    this.upsertSnapshot = db.prepare(
      `INSERT INTO document_snapshots (document_id, state, state_vector, last_seq, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (document_id) DO UPDATE SET state = excluded.state, state_vector = excluded.state_vector,
         last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
    );
    this.deleteLog = db.prepare("DELETE FROM document_updates WHERE document_id = ? AND seq <= ?");
    // Built once: better-sqlite3 builds a new wrapper for every call of `transaction`.
    this.appendAll = db.transaction((updates: readonly LoggedUpdate[], at: string) => {
      for (const u of updates) this.insertUpdate.run(u.documentId, u.seq, u.update, u.userId, at);
    });
  }

  /** Writes a batch of updates in one transaction (nested as a savepoint inside an open one). */
  append(updates: readonly LoggedUpdate[]): void {
    if (updates.length === 0) return;
    this.appendAll(updates, new Date().toISOString());
  }

  /**
   * The stored snapshot when no logged update follows it: the document's whole text as
   * encoded at the last compaction. Null when there is a log to replay (or no snapshot).
   */
  wholeSnapshot(documentId: string): { state: Uint8Array; stateVector: Uint8Array; nextSeq: number } | null {
    // The log first: a document with one is loaded as a whole, and its snapshot read once, there.
    if (this.selectHasLog.get(documentId) !== undefined) return null;
    const snapshot = this.selectSnapshot.get(documentId) as { state: Buffer; state_vector: Buffer | null; last_seq: number } | undefined;
    if (!snapshot) return null;
    const state = new Uint8Array(snapshot.state.buffer, snapshot.state.byteOffset, snapshot.state.byteLength);
    const stateVector = snapshot.state_vector
      ? new Uint8Array(snapshot.state_vector.buffer, snapshot.state_vector.byteOffset, snapshot.state_vector.byteLength)
      : Y.encodeStateVectorFromUpdate(state);
    return { state, stateVector, nextSeq: snapshot.last_seq + 1 };
  }

  /** Loads a document's text: snapshot, then every logged update in order. */
  load(documentId: string): LoadedText {
    const doc = new Y.Doc({ gc: true });
    textFragment(doc); // typed before content arrives (see Room.makeShadow)
    const snapshot = this.selectSnapshot.get(documentId) as { state: Buffer; last_seq: number } | undefined;
    let lastSeq = snapshot?.last_seq ?? 0;
    if (snapshot) Y.applyUpdate(doc, snapshot.state);
    const rows = this.selectLog.all(documentId) as Array<{ seq: number; update_data: Buffer }>;
    if (rows.length > 0) {
      // All in one Yjs transaction: Yjs' per-transaction work is paid once, and integrating
      // is linear, where Y.mergeUpdates over tens of thousands of small updates from several
      // clients grows much faster than that (50,000: minutes).
      doc.transact(() => {
        for (const row of rows) Y.applyUpdate(doc, row.update_data);
      });
      lastSeq = rows[rows.length - 1]!.seq;
    }
    return { doc, nextSeq: lastSeq + 1, logLength: rows.length, snapshotBytes: snapshot?.state.length ?? 0 };
  }

  /**
   * Replaces the snapshot by the document's full state and drops the log up to `lastSeq`.
   * `state` is that full state when the caller already has it encoded (a room's cache).
   */
  compact(documentId: string, doc: Y.Doc, lastSeq: number, state: Uint8Array = Y.encodeStateAsUpdate(doc)): void {
    this.db.transaction(() => {
      this.upsertSnapshot.run(documentId, state, Y.encodeStateVector(doc), lastSeq, new Date().toISOString());
      this.deleteLog.run(documentId, lastSeq);
    })();
  }

  /** Stores the initial text of a new document as its snapshot. */
  create(documentId: string, doc: Y.Doc): void {
    this.upsertSnapshot.run(documentId, Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), 0, new Date().toISOString());
  }
}
