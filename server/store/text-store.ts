import { createHash } from "node:crypto";
import * as Y from "yjs";
import type { Db } from "./db.js";
import { statement } from "./statements.js";
import { textFragment } from "../../schema/yfragment.js";
import { DamagedText } from "./faults.js";
import { leaseHeldSql, leasesParameter } from "./lease-sql.js";

/** SHA-256 of a snapshot's state, stored beside it (see `wholeSnapshot`). */
function digestOf(state: Uint8Array): Buffer {
  return createHash("sha256").update(state).digest();
}

/** Most log rows written by one INSERT (5 parameters each, far below either database's limit). */
const APPEND_ROWS = 100;

/** The INSERT of `rows` log rows at once. */
function insertUpdates(rows: number): string {
  return `INSERT INTO document_updates (document_id, seq, update_data, user_id, created_at) VALUES ${Array.from({ length: rows }, () => "(?, ?, ?, ?, ?)").join(", ")}`;
}

/**
 * How a process of a cluster fences its text writes: the lease it writes each document
 * under, checked by the store inside the statement that writes (see `TextStore.fence`).
 */
export interface TextFence {
  /** The holder this process writes under (its leases' `holder`). */
  readonly holder: string;
  /** The fencing token of this process's lease on the document, or null when it holds none (the write is refused). */
  token(documentId: string): number | null;
  /** What is thrown when the store refuses a write: the document is not, or no longer, this process's. */
  refused(documentId: string): Error;
  /** The time a lease must outlast to be live, ms (`Date.now()` when absent). */
  now?(): number;
}

/** Stores a document's snapshot (replacing the one before). */
const UPSERT_SNAPSHOT = `INSERT INTO document_snapshots (document_id, state, state_vector, state_digest, last_seq, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (document_id) DO UPDATE SET state = excluded.state, state_vector = excluded.state_vector,
         state_digest = excluded.state_digest, last_seq = excluded.last_seq, updated_at = excluded.updated_at`;

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
  /** Size of everything it was loaded from (snapshot and log), bytes: at least its encoded size. */
  storedBytes: number;
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
    this.selectSnapshot = db.prepare("SELECT state, state_vector, state_digest, last_seq FROM document_snapshots WHERE document_id = ?");
    this.selectLog = db.prepare("SELECT seq, update_data FROM document_updates WHERE document_id = ? ORDER BY seq");
    this.selectHasLog = db.prepare("SELECT 1 FROM document_updates WHERE document_id = ? LIMIT 1").pluck();
    this.upsertSnapshot = db.prepare(UPSERT_SNAPSHOT);
    this.deleteLog = db.prepare("DELETE FROM document_updates WHERE document_id = ? AND seq <= ?");
    // Built once: better-sqlite3 builds a new wrapper for every call of `transaction`.
    // Up to APPEND_ROWS rows per INSERT: on PostgreSQL each statement is a round trip.
    this.appendAll = db.transaction((updates: readonly LoggedUpdate[], at: string) => {
      const fence = this.fence;
      // Fenced, each INSERT checks the lease of every row's document as it writes (see `fenced`).
      const leases = fence === null ? null : this.leasesOf(fence, updates.map((u) => u.documentId));
      for (let start = 0; start < updates.length; start += APPEND_ROWS) {
        const chunk = updates.slice(start, start + APPEND_ROWS);
        const values = chunk.flatMap((u) => [u.documentId, u.seq, u.update, u.userId, at]);
        if (fence === null) {
          (chunk.length === 1 ? this.insertUpdate : statement(db, insertUpdates(chunk.length))).run(...values);
          continue;
        }
        const rows = statement(db, this.fenced(insertUpdates(chunk.length), "document_updates")).all(...values, fence.holder, leases, fence.now?.() ?? Date.now());
        this.checkFenced(fence, rows);
      }
    });
  }

  /**
   * In a cluster: every write of a document's text is refused (`TextFence.refused` thrown,
   * its transaction rolled back) unless this process owns the document then (its lease,
   * with its fencing token, live in the store), so that a former owner's late writes are
   * refused by the store itself. Null in one process.
   */
  fence: TextFence | null = null;

  /**
   * `sql` (an INSERT into `table`, whose rows carry `document_id`) with the fence's check of
   * each written row's document in its RETURNING (`held`: 1, or null when the lease is not
   * this process's and live; three more parameters: holder, the leases as `leasesOf` gives
   * them, now; see `leaseHeldSql`). Checked by the
   * statement that writes, not by one of its own after it: on PostgreSQL every statement is
   * a round trip the main thread waits for. A refused write is undone with its transaction.
   * Checked after the write and in the same transaction: the write has taken SQLite's write
   * lock (waiting for other processes' commits) and PostgreSQL's check locks the lease row,
   * so nobody changes the lease between check and commit.
   */
  private fenced(sql: string, table: string): string {
    return `${sql} RETURNING document_id, ${leaseHeldSql(this.db.dialect, `${table}.document_id`)} AS held`;
  }

  /** This process's leases on the documents, as the fenced statements take them; throws `refused` for one it holds none on. */
  private leasesOf(fence: TextFence, documentIds: Iterable<string>): string {
    const leases: Array<{ documentId: string; token: number }> = [];
    for (const documentId of new Set(documentIds)) {
      const token = fence.token(documentId);
      if (token === null) throw fence.refused(documentId);
      leases.push({ documentId, token });
    }
    return leasesParameter(leases);
  }

  /** Throws `refused` for the first row a fenced statement wrote whose document's lease was not live (see `fenced`). */
  private checkFenced(fence: TextFence, rows: unknown[]): void {
    for (const row of rows as Array<{ document_id: string; held: unknown }>) if (Number(row.held) !== 1) throw fence.refused(row.document_id);
  }

  /** Writes a batch of updates in one transaction (nested as a savepoint inside an open one). */
  append(updates: readonly LoggedUpdate[]): void {
    if (updates.length === 0) return;
    this.appendAll(updates, new Date().toISOString());
  }

  /** Told of every document found damaged while loading (the room manager quarantines it). */
  onDamaged: ((damage: DamagedText) => void) | null = null;

  /**
   * The stored snapshot when no logged update follows it: the document's whole text as
   * encoded at the last compaction, checked against its digest (it is sent to joiners
   * before it is decoded). Null when there is a log to replay, no snapshot, or a snapshot
   * from before digests (those are decoded, and so checked, before they are served).
   * Throws `DamagedText` when the snapshot does not match its digest.
   */
  wholeSnapshot(documentId: string): { state: Uint8Array; stateVector: Uint8Array; nextSeq: number } | null {
    // The log first: a document with one is loaded as a whole, and its snapshot read once, there.
    if (this.selectHasLog.get(documentId) !== undefined) return null;
    const snapshot = this.selectSnapshot.get(documentId) as
      | { state: Buffer; state_vector: Buffer | null; state_digest: Buffer | null; last_seq: number }
      | undefined;
    if (!snapshot || snapshot.state_digest === null) return null;
    const state = new Uint8Array(snapshot.state.buffer, snapshot.state.byteOffset, snapshot.state.byteLength);
    if (!digestOf(state).equals(snapshot.state_digest)) throw this.damaged(documentId, "its snapshot does not match its digest");
    let stateVector: Uint8Array;
    try {
      stateVector = snapshot.state_vector
        ? new Uint8Array(snapshot.state_vector.buffer, snapshot.state_vector.byteOffset, snapshot.state_vector.byteLength)
        : Y.encodeStateVectorFromUpdate(state);
    } catch {
      throw this.damaged(documentId, "its snapshot cannot be decoded");
    }
    return { state, stateVector, nextSeq: snapshot.last_seq + 1 };
  }

  private damaged(documentId: string, detail: string): DamagedText {
    const damage = new DamagedText(documentId, detail);
    this.onDamaged?.(damage);
    return damage;
  }

  /**
   * Loads a document's text: snapshot, then every logged update in order. Throws
   * `DamagedText` when a stored row cannot be decoded or leaves the text incomplete.
   */
  load(documentId: string): LoadedText {
    const doc = new Y.Doc({ gc: true });
    const fragment = textFragment(doc); // typed before content arrives (see Room.makeShadow)
    const snapshot = this.selectSnapshot.get(documentId) as { state: Buffer; last_seq: number } | undefined;
    let lastSeq = snapshot?.last_seq ?? 0;
    try {
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
    } catch {
      doc.destroy();
      throw this.damaged(documentId, "its snapshot cannot be decoded");
    }
    const rows = this.selectLog.all(documentId) as Array<{ seq: number; update_data: Buffer }>;
    if (rows.length > 0) {
      // All in one Yjs transaction: Yjs' per-transaction work is paid once, and integrating
      // is linear, where Y.mergeUpdates over tens of thousands of small updates from several
      // clients grows much faster than that (50,000: minutes).
      let failed: number | null = null;
      doc.transact(() => {
        for (const row of rows) {
          try {
            Y.applyUpdate(doc, row.update_data);
          } catch {
            failed = row.seq;
            return;
          }
        }
      });
      if (failed !== null) {
        doc.destroy();
        throw this.damaged(documentId, `its logged update ${failed} cannot be decoded`);
      }
      lastSeq = rows[rows.length - 1]!.seq;
    }
    // A gap (a row missing or garbled into something decodable) leaves structs waiting for
    // what they build on; a document always keeps at least its title.
    const problem =
      doc.store.pendingStructs !== null || doc.store.pendingDs !== null
        ? "its stored updates build on text that is missing"
        : (snapshot || rows.length > 0) && fragment.length === 0
          ? "its stored text is empty"
          : null;
    if (problem) {
      doc.destroy();
      throw this.damaged(documentId, problem);
    }
    let storedBytes = snapshot?.state.length ?? 0;
    for (const row of rows) storedBytes += row.update_data.length;
    return { doc, nextSeq: lastSeq + 1, logLength: rows.length, snapshotBytes: snapshot?.state.length ?? 0, storedBytes };
  }

  /**
   * Replaces the snapshot by the document's full state and drops the log up to `lastSeq`.
   * `state` is that full state when the caller already has it encoded (a room's cache).
   */
  compact(documentId: string, doc: Y.Doc, lastSeq: number, state: Uint8Array = Y.encodeStateAsUpdate(doc)): void {
    this.db.transaction(() => {
      const values = [documentId, state, Y.encodeStateVector(doc), digestOf(state), lastSeq, new Date().toISOString()];
      // A former owner's compaction would replace the new owner's snapshot and drop its log (see `fenced`).
      const fence = this.fence;
      if (fence === null) this.upsertSnapshot.run(...values);
      else {
        const leases = this.leasesOf(fence, [documentId]);
        const rows = statement(this.db, this.fenced(UPSERT_SNAPSHOT, "document_snapshots")).all(...values, fence.holder, leases, fence.now?.() ?? Date.now());
        if (rows.length !== 1) throw fence.refused(documentId);
        this.checkFenced(fence, rows);
      }
      this.deleteLog.run(documentId, lastSeq);
    })();
  }

  /** Stores the initial text of a new document as its snapshot. */
  create(documentId: string, doc: Y.Doc): void {
    const state = Y.encodeStateAsUpdate(doc);
    this.upsertSnapshot.run(documentId, state, Y.encodeStateVector(doc), digestOf(state), 0, new Date().toISOString());
  }
}
