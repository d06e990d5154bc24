import type * as Y from "yjs";
import type { Actor, DocumentFacts, DocumentKind, DocumentState } from "../../schema/roles.js";
import { textWriteDenial } from "../../schema/roles.js";
import type { AppContext } from "../context.js";
import { CommandTx } from "../commands/command.js";
import { documentEvent, type DocumentEvent } from "../events/events.js";
import { notFound } from "../http/errors.js";
import { Connection, CLOSE_SHUTDOWN } from "./connection.js";
import { encodeEvent } from "./protocol.js";
import { Room, type PendingUpdate, type RoomHost } from "./room.js";
import { WalSync } from "./wal-sync.js";
import { WalCheckpointer } from "./wal-checkpoint.js";
import type { TextRules } from "./validate.js";

// Broadcast window: broadcasting may take at most this share of the main thread (a
// broadcast that took d ms lets the next start d / share ms after it), and nobody waits
// longer than the maximum for a window.
const BROADCAST_SHARE = 1 / 3;
const MAX_BROADCAST_WINDOW_MS = 20;

// Documents larger than this raise their compaction threshold in proportion (wantsCompaction).
const COMPACTION_UNIT_BYTES = 64 * 1024;

// A deferred room's text is built at the latest this long after the room was opened.
const DEFERRED_LOAD_MS = 50;

interface DocumentRow {
  meeting_id: string;
  body_id: string;
  kind: DocumentKind;
  state: DocumentState;
}

/**
 * Owns the rooms of open documents: loads a document's text when the first client (or a
 * command) needs it, makes accepted updates durable once per event-loop turn and then
 * broadcasts them, and frees a room when its last client leaves.
 */
export class RoomManager implements RoomHost {
  private readonly rooms = new Map<string, Room>();
  private flushScheduled = false;
  /** A flush asked for later (`scheduleFlushIn`). */
  private laterFlush: { at: number; timer: NodeJS.Timeout } | null = null;
  private closed = false;
  private readonly wal: WalSync;
  private readonly checkpointer: WalCheckpointer | null;
  /** Durable flushes waiting for the broadcast window, oldest first, and the commit they reach. */
  private ready: Array<{ seq: number; batches: Array<{ room: Room; pending: PendingUpdate[] }>; tx: CommandTx }> = [];
  private readySeq = 0;
  private lastDelivery = 0;
  /** How long recent deliveries took on the main thread (moving average), ms. */
  private deliveryMs = 0;
  private deliveryTimer: NodeJS.Timeout | null = null;
  /** Committed flushes waiting for the disk, oldest first. */
  private readonly awaiting: Array<{ seq: number; batches: Array<{ room: Room; pending: PendingUpdate[] }>; tx: CommandTx }> = [];

  constructor(private readonly ctx: AppContext) {
    this.wal = new WalSync(ctx.db, (seq, error) => this.durableUpTo(seq, error));
    // Only where commits wait for the disk is a checkpoint on the main thread worth avoiding.
    this.checkpointer = ctx.config.sync === "full" ? new WalCheckpointer(ctx.db) : null;
  }

  /** RoomHost: validation rules come from the registered features. */
  get rules(): TextRules {
    return this.ctx.hooks;
  }

  /** The room of a loaded document, if any. */
  get(documentId: string): Room | undefined {
    return this.rooms.get(documentId);
  }

  /** Number of loaded rooms (for tests and health). */
  get size(): number {
    return this.rooms.size;
  }

  /** The facts of a document from its row, or null. */
  private facts(documentId: string): (DocumentFacts & { meetingId: string }) | null {
    const row = this.ctx.db.prepare("SELECT meeting_id, body_id, kind, state FROM documents WHERE id = ?").get(documentId) as
      | DocumentRow
      | undefined;
    return row ? { meetingId: row.meeting_id, bodyId: row.body_id, kind: row.kind, state: row.state } : null;
  }

  /** The room of a document, loading its text from the store if needed. */
  open(documentId: string): Room {
    const existing = this.rooms.get(documentId);
    if (existing) return existing;
    const facts = this.facts(documentId);
    if (!facts) throw notFound("document");
    const room = this.loadRoom(documentId, facts);
    this.rooms.set(documentId, room);
    // A long log is replayed on every cold open until it is compacted: do it now.
    if (this.wantsCompaction(room)) this.scheduleCompaction(room);
    return room;
  }

  /**
   * A compacted document's room starts from its stored snapshot, which its first joiners
   * are sent as it is; its text is built once their replies are on their way (or when
   * anything needs it first). A document with a log to replay is loaded at once.
   */
  private loadRoom(documentId: string, facts: DocumentFacts & { meetingId: string }): Room {
    const whole = this.ctx.texts.wholeSnapshot(documentId);
    if (whole) {
      const room = Room.deferred(documentId, facts.meetingId, facts, whole, () => this.ctx.texts.load(documentId).doc, this);
      // Should no joiner ask for the text soon, it is built anyway.
      setTimeout(() => room.load(), DEFERRED_LOAD_MS).unref();
      return room;
    }
    const loaded = this.ctx.texts.load(documentId);
    const room = new Room(documentId, facts.meetingId, facts, loaded.doc, loaded.nextSeq, loaded.logLength, this);
    room.snapshotBytes = loaded.snapshotBytes;
    return room;
  }

  /** Adds a connection to a room and greets it. */
  attach(room: Room, conn: Connection): void {
    conn.writeDenial = textWriteDenial(conn.user, room.facts);
    room.conns.add(conn);
    room.welcome(conn);
    if (conn.wantsEvents) conn.send(encodeEvent(this.accessEvent(room, conn)));
  }

  /** Removes a connection; the room is closed when it was the last. */
  detach(room: Room, conn: Connection): void {
    room.detach(conn);
    this.releaseIfIdle(room);
  }

  /** Closes a room that nobody has open: flushes, compacts, frees its memory. */
  releaseIfIdle(room: Room): void {
    if (room.conns.size > 0 || this.rooms.get(room.id) !== room) return;
    this.flushNow();
    if (room.logLength > 0) {
      this.ctx.texts.compact(room.id, room.doc, room.nextSeq - 1);
      room.logLength = 0;
    }
    this.rooms.delete(room.id);
    room.destroy();
  }

  /** Drops a room whose memory can no longer be trusted; its clients reconnect and resync. */
  discard(room: Room, reason: string): void {
    if (this.rooms.get(room.id) !== room) return;
    this.rooms.delete(room.id);
    for (const conn of room.conns) conn.close(1011, reason);
    room.destroy();
  }

  /** RoomHost: a flush after the current turn, once however many updates arrive. */
  scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush(false));
  }

  /** RoomHost: a flush in `ms` (the earliest asked for wins), for presence held back by the budget. */
  scheduleFlushIn(ms: number): void {
    const at = performance.now() + ms;
    if (this.laterFlush !== null && this.laterFlush.at <= at) return;
    if (this.laterFlush !== null) clearTimeout(this.laterFlush.timer);
    const timer = setTimeout(() => {
      this.laterFlush = null;
      this.scheduleFlush();
    }, Math.ceil(ms));
    timer.unref();
    this.laterFlush = { at, timer };
  }

  /** RoomHost: tells an event-listening client why its update was refused. */
  refused(room: Room, conn: Connection, reason: string): void {
    if (this.ctx.config.log === "debug") console.log(`refused update from ${conn.user.username} on ${room.id}: ${reason}`);
    if (conn.wantsEvents) conn.send(encodeEvent(documentEvent(room.id, "update.refused", { reason })));
  }

  /**
   * Makes every accepted update durable in one transaction, with the features' reactions,
   * then sends each room's updates as one message and the replies that waited for them.
   * Called by commands and on close: returns only when everything is on disk and sent.
   */
  flushNow(): void {
    this.flush(true);
  }

  /**
   * The flush. From the event loop (`now` false) WalSync commits and fsyncs the WAL, on this
   * thread while the disk is fast and on the thread pool while it is slow; the batch is sent
   * when the fsync has returned. Presence needs no disk: a flush of presence alone goes out
   * with the next broadcast, behind any text still waiting for its fsync.
   */
  private flush(now: boolean): void {
    this.flushScheduled = false;
    // A command must not announce anything before the updates that came before it.
    if (now) {
      this.wal.syncNow();
      this.deliverReady(true);
    }
    const busy = [...this.rooms.values()].filter((room) => room.hasOutgoing);
    if (busy.length === 0) return;
    const batches = busy.map((room) => ({ room, pending: room.takePending() }));
    const tx = new CommandTx(this.ctx);
    let seq = this.wal.committedSeq;
    if (batches.some((b) => b.pending.length > 0)) {
      const write = () => {
        for (const { room, pending } of batches) {
          if (pending.length === 0) continue;
          this.ctx.texts.append(
            pending.map((p) => ({ documentId: room.id, seq: room.nextSeq++, update: p.update, userId: p.user?.id ?? null })),
          );
          room.logLength += pending.length;
          for (const p of pending) {
            this.ctx.hooks.react(tx, { room, user: p.user, byServer: false, change: p.change, removedBlockIds: p.removedBlockIds });
          }
        }
      };
      try {
        const synced = !now && this.ctx.config.sync === "full" && this.wal.available;
        this.awaiting.push({ seq: this.wal.nextSeq, batches, tx });
        seq = synced ? this.wal.commitDurable(write) : this.wal.commitNow(write);
      } catch (error) {
        this.awaiting.pop();
        console.error("could not store text updates", error);
        for (const { room, pending } of batches) if (pending.length > 0) this.discard(room, "the server could not store your change");
        return;
      }
      for (const { room, pending } of batches) if (pending.length > 0) room.lastCommitSeq = seq;
    } else {
      this.awaiting.push({ seq, batches, tx });
    }
    this.durableUpTo(this.wal.durableSeq, null);
    if (now) this.deliverReady(true);
  }

  /** WalSync: commits up to `seq` are on disk (or failed to get there). */
  private durableUpTo(seq: number, error: Error | null): void {
    let count = 0;
    while (count < this.awaiting.length && this.awaiting[count]!.seq <= seq) count += 1;
    if (count === 0) return;
    const entries = this.awaiting.splice(0, count);
    if (error) {
      console.error("could not make text updates durable", error);
      for (const { batches } of entries)
        for (const { room, pending } of batches) if (pending.length > 0) this.discard(room, "the server could not store your change");
      return;
    }
    this.ready.push(...entries);
    this.readySeq = seq;
    this.deliverReady(false);
  }

  /**
   * The shortest time between the starts of two broadcasts. Every broadcast costs a socket
   * write per recipient (about 10 µs each here, mostly in the kernel), so with hundreds of
   * connections, broadcasting every turn would take the whole main thread and the queue,
   * not the work, would set the latency. Measuring what deliveries take, rather than
   * counting connections, sizes the window to this machine and its load: a few tens of
   * microseconds with 35 editors, a few milliseconds with 200, the maximum near 800.
   */
  private broadcastWindowMs(): number {
    return Math.min(MAX_BROADCAST_WINDOW_MS, this.deliveryMs / BROADCAST_SHARE);
  }

  /**
   * Sends every durable flush not yet sent, each room's updates merged into one broadcast,
   * then the features' announcements in commit order; unless the last broadcast was less
   * than a window ago (and `now` is false), in which case it waits for the window to end.
   */
  private deliverReady(now: boolean): void {
    if (this.ready.length === 0) return;
    if (!now) {
      const wait = this.lastDelivery + this.broadcastWindowMs() - performance.now();
      if (wait > 0) {
        this.deliveryTimer ??= setTimeout(() => {
          this.deliveryTimer = null;
          this.deliverReady(true);
        }, wait);
        return;
      }
    }
    if (this.deliveryTimer !== null) {
      clearTimeout(this.deliveryTimer);
      this.deliveryTimer = null;
    }
    const started = performance.now();
    this.lastDelivery = started;
    this.deliverAll();
    this.deliveryMs += (performance.now() - started - this.deliveryMs) * 0.2;
  }

  /** Sends every durable flush waiting in `ready` (see `deliverReady`). */
  private deliverAll(): void {
    const entries = this.ready;
    this.ready = [];
    const byRoom = new Map<Room, Uint8Array[]>();
    for (const { batches } of entries)
      for (const { room, pending } of batches) {
        let updates = byRoom.get(room);
        if (!updates) byRoom.set(room, (updates = []));
        for (const p of pending) updates.push(p.update);
      }
    for (const [room, updates] of byRoom) {
      if (this.rooms.get(room.id) !== room) continue;
      room.deliver(updates, this.readySeq);
      if (this.wantsCompaction(room)) this.scheduleCompaction(room);
    }
    for (const { tx } of entries) tx.commit();
  }

  /**
   * Whether a live room's log is long enough to compact: `compactAfter` updates, times the
   * snapshot's size in 64 KB. A compaction re-encodes and writes the whole document, so a
   * 1 MB document compacted every 500 keystrokes spent a 10–20 ms stall every second of
   * busy typing; its log is still compacted when the last client leaves.
   */
  private wantsCompaction(room: Room): boolean {
    return room.logLength >= this.ctx.config.compactAfter * Math.max(1, room.snapshotBytes / COMPACTION_UNIT_BYTES);
  }

  /**
   * Compacts a busy room's log after the current turn, off the path of the broadcast, with
   * the full state joiners are served (encoded once for both). The compaction is atomic and
   * needs no fsync of its own: until the next one, the log it replaces is still there.
   */
  private scheduleCompaction(room: Room): void {
    if (room.compactionScheduled) return;
    room.compactionScheduled = true;
    setImmediate(() => {
      room.compactionScheduled = false;
      if (this.rooms.get(room.id) !== room || !this.wantsCompaction(room)) return;
      const lastSeq = room.nextSeq - 1;
      const state = room.fullStateUpdate();
      try {
        this.wal.commitDeferred(() => this.ctx.texts.compact(room.id, room.doc, lastSeq, state));
        room.logLength = room.nextSeq - 1 - lastSeq;
        room.snapshotBytes = state.length;
      } catch (error) {
        console.error("could not compact", error);
      }
    });
  }

  /** RoomHost: the document's text as committed (read by this connection, fsynced or not). */
  storedText(documentId: string): Y.Doc {
    return this.ctx.texts.load(documentId).doc;
  }

  /** RoomHost: the commit the updates pending now will get, and the last one on disk. */
  commitSeqs(): { next: number; durable: number } {
    return { next: this.wal.nextSeq, durable: this.wal.durableSeq };
  }

  /** Sends an event to every client of the document that listens for events. */
  publish(event: DocumentEvent): void {
    const room = this.rooms.get(event.documentId);
    if (!room) return;
    const message = encodeEvent(event);
    for (const conn of room.conns) if (conn.wantsEvents) conn.send(message);
  }

  private accessEvent(room: Room, conn: Connection): DocumentEvent {
    return documentEvent(room.id, "access.changed", {
      state: room.facts.state,
      canWrite: conn.writeDenial === null,
      reason: conn.writeDenial,
    });
  }

  /** Re-reads a document's state and switches each open connection's write access at once. */
  refreshAccess(documentId: string): void {
    const room = this.rooms.get(documentId);
    const facts = this.facts(documentId);
    if (!room || !facts) return;
    room.facts = facts;
    for (const conn of room.conns) {
      const denial = textWriteDenial(conn.user as Actor, facts);
      if (denial === conn.writeDenial) continue;
      conn.writeDenial = denial;
      if (conn.wantsEvents) conn.send(encodeEvent(this.accessEvent(room, conn)));
    }
  }

  /** Flushes, compacts and closes every room (server shutdown). */
  closeAll(): void {
    this.flushNow();
    this.closed = true;
    if (this.laterFlush !== null) clearTimeout(this.laterFlush.timer);
    for (const room of [...this.rooms.values()]) {
      for (const conn of room.conns) conn.close(CLOSE_SHUTDOWN, "server shutting down");
      room.conns.clear();
      if (room.logLength > 0) this.ctx.texts.compact(room.id, room.doc, room.nextSeq - 1);
      room.destroy();
    }
    this.rooms.clear();
    this.wal.close();
    this.checkpointer?.close();
  }
}
