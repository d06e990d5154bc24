import type * as Y from "yjs";
import type { Actor, DocumentFacts, DocumentKind, DocumentState } from "../../schema/roles.js";
import { textWriteDenial, textWriteDenialOf } from "../../schema/roles.js";
import type { AppContext } from "../context.js";
import { ReactionBatch } from "../commands/reaction-batch.js";
import { CommandTx } from "../commands/command.js";
import { documentEvent, type DocumentEvent, type EventAudience } from "../events/events.js";
import { notFound, unavailable } from "../http/errors.js";
import { refusalOf, type Refusal } from "../http/refusals.js";
import { runCommand } from "../commands/command.js";
import { quarantineDocument } from "../documents/quarantine.js";
import { DamagedText, storageFault } from "../store/faults.js";
import { Connection, CLOSE_QUARANTINED, CLOSE_SHUTDOWN, CLOSE_TRY_LATER } from "./connection.js";
import { encodeEvent } from "./protocol.js";
import { Room, type RoomHost } from "./room.js";
import type { PendingUpdate } from "./document.js";
import type { LoggedUpdate } from "../store/text-store.js";
import { WalTextStorage, type LogUpdates, type TextStorage } from "./text-storage.js";
import { PostgresTextStorage } from "./postgres-text-storage.js";
import { postgresOf } from "../store/postgres.js";
import { BroadcastWindow } from "./broadcast-window.js";
import { OwnershipLost } from "../cluster/ownership.js";
import { StorageFaults } from "./storage-faults.js";
import { WalCheckpointer } from "./wal-checkpoint.js";
import type { TextRules } from "./validate.js";

// Documents larger than this raise their compaction threshold in proportion (wantsCompaction).
const COMPACTION_UNIT_BYTES = 64 * 1024;

// A deferred room's text is built at the latest this long after the room was opened.
const DEFERRED_LOAD_MS = 50;

/** A way a person's events reach them besides their document sockets (see `RoomManager.addUserOutlet`). */
export type UserOutlet = (userId: string, meetingId: string, event: DocumentEvent) => void;

/** How a cluster carries the events this process cannot deliver alone (see `RoomManager.crossing`). */
export interface EventCrossing {
  /** A document's event, its room not on this process (`audience` is evaluated here: it is code, not data). */
  documentEvent(event: DocumentEvent, audience?: EventAudience): void;
  /** A document's state changed, its room not on this process. */
  access(documentId: string): void;
  /** A person's event, for their connections on the other processes. */
  userEvent(userId: string, meetingId: string, event: DocumentEvent): void;
}

/** What clients of a quarantined document are told when it is closed to them (at most 123 bytes). */
export const QUARANTINED_REASON = "document quarantined: its stored text is damaged; the secretariat has been told";

/** One flush: each room's updates taken from its document, and the features' reactions to them. */
interface Flush {
  batches: Array<{ room: Room; pending: PendingUpdate[] }>;
  tx: CommandTx;
}

/** The paragraphs of one document that a flush's updates touched or removed (what its reactions read about). */
function touchedIn(batches: Flush["batches"], documentId: string): Set<string> {
  const ids = new Set<string>();
  for (const { room, pending } of batches) {
    if (room.id !== documentId) continue;
    for (const p of pending) {
      for (const id of p.change.touched) ids.add(id);
      for (const id of p.removedBlockIds) ids.add(id);
    }
  }
  return ids;
}

interface DocumentRow {
  meeting_id: string;
  body_id: string;
  kind: DocumentKind;
  state: DocumentState;
  quarantine_reason: string | null;
  language: string | null;
  original_id: string | null;
}

/**
 * Owns the rooms of open documents: loads a document's text when the first client (or a
 * command) needs it, makes accepted updates durable once per event-loop turn and then
 * broadcasts them, and frees a room when its last client leaves.
 */
export class RoomManager implements RoomHost {
  private readonly rooms = new Map<string, Room>();
  /** Rooms kept loaded by another open room (`keepWith`), by the keeping room's id. */
  private readonly kept = new Map<string, Set<string>>();
  private flushScheduled = false;
  /** Whether a flush waits for the storage's commit in flight (`TextStorage.busy`). */
  private flushWaiting = false;
  /** A flush asked for later (`scheduleFlushIn`). */
  private laterFlush: { at: number; timer: NodeJS.Timeout } | null = null;
  private closed = false;
  /** Where accepted updates are stored; a flush is delivered once its commit is durable. */
  private readonly textStorage: TextStorage;
  private readonly checkpointer: WalCheckpointer | null;
  /** Durable flushes waiting for the broadcast window, oldest first. */
  private ready: Flush[] = [];
  /** The last commit known durable when a flush became ready. */
  private readySeq = 0;
  /** The pace of deliveries. */
  private readonly window: BroadcastWindow;
  /** Whether a delivery is queued after the current storage callbacks (`deliverSoon`). */
  private deliverQueued = false;
  /** Documents found damaged in this process (also recorded on their rows once that can be written). */
  private readonly quarantined = new Map<string, string>();
  /** Storage faults, holding text updates back while one lasts. */
  private readonly faults = new StorageFaults(() => {
    for (const room of this.rooms.values()) {
      try {
        room.resync();
      } catch (error) {
        this.contain(room, error, "asking clients for held-back updates");
      }
    }
  });

  constructor(private readonly ctx: AppContext) {
    const postgres = postgresOf(ctx.db);
    this.textStorage = postgres ? new PostgresTextStorage(ctx.texts, postgres) : new WalTextStorage(ctx.texts, ctx.db, ctx.config.sync === "full");
    // A flush that waited for a commit still unanswered runs once it is.
    this.textStorage.onIdle = () => {
      if (this.flushWaiting) {
        this.flushWaiting = false;
        this.scheduleFlush();
      }
    };
    this.window = new BroadcastWindow(
      () => this.ready.length > 0,
      () => this.deliverAll(),
    );
    ctx.texts.onDamaged = (damage) => this.quarantine(damage);
    // Only where commits wait for the disk is a checkpoint on the main thread worth avoiding.
    this.checkpointer = ctx.config.sync === "full" ? new WalCheckpointer(ctx.db) : null;
  }

  /** RoomHost: the server's configuration. */
  get config(): AppContext["config"] {
    return this.ctx.config;
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
  private facts(documentId: string): (DocumentFacts & { meetingId: string; quarantine: string | null }) | null {
    const row = this.ctx.db
      .prepare("SELECT meeting_id, body_id, kind, state, quarantine_reason, language, original_id FROM documents WHERE id = ?")
      .get(documentId) as DocumentRow | undefined;
    return row
      ? {
          meetingId: row.meeting_id,
          bodyId: row.body_id,
          kind: row.kind,
          state: row.state,
          quarantine: row.quarantine_reason,
          language: row.language,
          originalId: row.original_id,
        }
      : null;
  }

  /**
   * The room of a document, loading its text from the store if needed. A quarantined
   * document (or one found damaged now) is refused with 503.
   */
  open(documentId: string): Room {
    const existing = this.rooms.get(documentId);
    if (existing) return existing;
    const facts = this.facts(documentId);
    if (!facts) throw notFound("document");
    if (facts.quarantine !== null || this.quarantined.has(documentId)) throw unavailable(QUARANTINED_REASON);
    // In a cluster the text is served by its one owner: this process, if it can take the lease.
    this.ctx.ownership?.claim(documentId);
    let room: Room;
    try {
      room = this.loadRoom(documentId, facts);
    } catch (error) {
      this.ctx.ownership?.release(documentId);
      if (error instanceof DamagedText) throw unavailable(QUARANTINED_REASON);
      throw error;
    }
    this.rooms.set(documentId, room);
    this.onOpened?.(room);
    try {
      this.ctx.hooks.roomOpened(room);
    } catch (error) {
      // What the features do when a room opens is for later; it never keeps the room from opening.
      console.error(`reacting to document ${documentId} being opened:`, error);
    }
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
    const whole = this.textStorage.wholeSnapshot(documentId);
    if (whole) {
      const room = Room.deferred(documentId, facts.meetingId, facts, whole, () => this.textStorage.load(documentId).doc, this);
      // Should no joiner ask for the text soon, it is built anyway.
      setTimeout(() => room.loadSoon(), DEFERRED_LOAD_MS).unref();
      return room;
    }
    const loaded = this.textStorage.load(documentId);
    const room = new Room(documentId, facts.meetingId, facts, loaded.doc, loaded.nextSeq, loaded.logLength, this);
    room.snapshotBytes = loaded.snapshotBytes;
    room.approxBytes = loaded.storedBytes;
    return room;
  }

  /** Told of every room opened (in a cluster, the owner's fan-out is published for the relays). */
  onOpened: ((room: Room) => void) | null = null;

  /**
   * Where events go that this process cannot deliver alone (set by the cluster, null in one
   * process): a document's events when its room is elsewhere, a person's events for their
   * connections on other processes.
   */
  crossing: EventCrossing | null = null;

  private readonly userOutlets: UserOutlet[] = [];

  /** Adds a way a person's events reach them besides their document sockets here (a feature's live stream, a cluster's relayed clients). */
  addUserOutlet(outlet: UserOutlet): void {
    this.userOutlets.push(outlet);
  }

  /**
   * Adds a connection to a room and greets it; with `knowsPresence` (a client moving from a
   * former owner, which told it everyone's presence), without everyone's presence again.
   */
  attach(room: Room, conn: Connection, knowsPresence = false): void {
    conn.writeDenial = textWriteDenial(conn.user, room.facts);
    room.conns.add(conn);
    room.welcome(conn, knowsPresence);
    if (conn.wantsEvents) conn.send(encodeEvent(this.accessEvent(room, conn)));
  }

  /**
   * Keeps `room` loaded while `holder` is open, however idle `room` is: a document whose
   * text is written whenever another one changes (a language version following its
   * original) would otherwise be loaded from the store and released again on each change.
   * It is released, if idle, when `holder` is.
   */
  keepWith(room: Room, holder: Room): void {
    if (room === holder || this.rooms.get(holder.id) !== holder) return;
    let held = this.kept.get(holder.id);
    if (!held) this.kept.set(holder.id, (held = new Set()));
    held.add(room.id);
  }

  /** Whether an open room keeps `room` loaded. */
  private isKept(room: Room): boolean {
    for (const held of this.kept.values()) if (held.has(room.id)) return true;
    return false;
  }

  /** Lets go of the rooms `holder` kept loaded, releasing those now idle. */
  private letGo(holder: Room): void {
    const held = this.kept.get(holder.id);
    if (!held) return;
    this.kept.delete(holder.id);
    for (const id of held) {
      const room = this.rooms.get(id);
      if (room) this.releaseIfIdle(room);
    }
  }

  /** Removes a connection; the room is closed when it was the last. */
  detach(room: Room, conn: Connection): void {
    room.detach(conn);
    this.releaseIfIdle(room);
  }

  /**
   * Closes a room that nobody has open: flushes, compacts, frees its memory. A compaction
   * that fails (a full disk) leaves the log as it was, which is the same text.
   */
  releaseIfIdle(room: Room): void {
    if (room.conns.size > 0 || this.rooms.get(room.id) !== room || this.isKept(room)) return;
    this.flushNow();
    if (room.conns.size > 0 || this.rooms.get(room.id) !== room) return;
    try {
      if (room.logLength > 0) {
        this.textStorage.compact(room.id, room.doc, room.nextSeq - 1);
        room.logLength = 0;
      }
    } catch (error) {
      this.contain(room, error, "compacting");
    }
    if (this.rooms.get(room.id) !== room) return;
    this.rooms.delete(room.id);
    this.ctx.ownership?.release(room.id);
    room.destroy();
    this.letGo(room);
  }

  /** Drops a room whose memory can no longer be trusted; its clients reconnect (with back-off) and resync. */
  discard(room: Room, reason: string, code = CLOSE_TRY_LATER): void {
    if (this.rooms.get(room.id) !== room) return;
    this.rooms.delete(room.id);
    this.ctx.ownership?.release(room.id);
    for (const conn of room.conns) conn.close(code, reason);
    room.destroy();
    this.letGo(room);
  }

  /**
   * A document this process no longer owns (another took its lease over): its room is
   * dropped, nothing of it stored, and its clients reconnect to whoever owns it now, re-
   * sending what they have that the store lacks.
   */
  moved(documentId: string): void {
    const live = this.rooms.get(documentId);
    if (live) this.discard(live, "this document moved to another process; reconnecting");
  }

  /** RoomHost: why text updates are held back now, or null. */
  get heldBack(): string | null {
    return this.faults.heldBack;
  }

  /** RoomHost: something failed under a room; contained here. */
  failed(room: Room, error: unknown): void {
    this.contain(room, error, "serving the document");
  }

  /**
   * Contains a failure on a collaboration path so that it cannot take the process down:
   * damaged text quarantines its document, a storage fault holds text updates back until
   * the storage works again, anything else drops the room (its clients reconnect and are
   * served from the store).
   */
  contain(room: Room | string | null, error: unknown, doing: string): void {
    try {
      const documentId = typeof room === "string" ? room : room?.id;
      if (error instanceof DamagedText) return this.quarantine(error);
      if (error instanceof OwnershipLost) return this.moved(error.documentId);
      const fault = storageFault(error);
      if (fault !== null) return this.faults.failed(fault, error);
      console.error(`unexpected error ${doing}${documentId ? ` (document ${documentId})` : ""}:`, error);
      const live = documentId === undefined ? undefined : this.rooms.get(documentId);
      if (live) this.discard(live, "the server hit an unexpected error on this document; reconnecting");
    } catch (again) {
      console.error("could not contain an error", error, again);
    }
  }

  /**
   * Quarantines a document found damaged: its room is dropped and its clients told with a
   * close code that a stock client does not retry; the record (row and audit event) is
   * written after the current turn, outside whatever transaction found the damage.
   */
  private quarantine(damage: DamagedText): void {
    if (this.quarantined.has(damage.documentId)) return;
    this.quarantined.set(damage.documentId, damage.detail);
    console.error(`quarantined document ${damage.documentId}: ${damage.detail}`);
    const live = this.rooms.get(damage.documentId);
    if (live) this.discard(live, QUARANTINED_REASON, CLOSE_QUARANTINED);
    setImmediate(() => {
      if (this.closed) return;
      try {
        runCommand(this.ctx, (tx) => quarantineDocument(tx, damage.documentId, damage.detail));
      } catch (error) {
        console.error(`could not record the quarantine of document ${damage.documentId}:`, error);
      }
    });
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
    if (conn.wantsEvents) conn.send(encodeEvent(documentEvent(room.id, "update.refused", { reason, ...this.refusalCode(room, conn, reason) })));
  }

  /** The stable code of a websocket refusal and the values it names (docs/API.md, "Error codes"), for a client that words it in another language. */
  private refusalCode(room: Room, conn: Connection, reason: string): Refusal | Record<string, never> {
    const why = reason.replace(/^(update|presence) refused: /, "");
    const denial = why === conn.writeDenial ? textWriteDenialOf(conn.user as Actor, room.facts) : null;
    return (denial ? { code: denial.code, ...(denial.params ? { params: denial.params } : {}) } : refusalOf(why)) ?? {};
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
   * thread while the disk is fast and on a worker thread while it is slow; the batch is sent
   * when the fsync has returned. On PostgreSQL the COMMIT is sent without waiting and the
   * batch is sent when it is answered; while it is not, the flush waits (`TextStorage.busy`).
   * Presence needs no disk: a flush of presence alone goes out with the next broadcast,
   * behind any text still waiting for its fsync.
   */
  private flush(now: boolean): void {
    try {
      this.flushUnsafe(now);
    } catch (error) {
      this.contain(null, error, "flushing");
    }
  }

  /** The flush itself (see `flush`, which contains what it throws). */
  private flushUnsafe(now: boolean): void {
    this.flushScheduled = false;
    // Updates arriving meanwhile are validated and wait for it in their rooms: one flush takes them all.
    if (!now && this.textStorage.busy) {
      this.flushWaiting = true;
      return;
    }
    // A command must not announce anything before the updates that came before it.
    if (now) {
      this.textStorage.syncNow();
      this.deliverReady(true);
    }
    const busy = [...this.rooms.values()].filter((room) => room.hasOutgoing);
    if (busy.length === 0) return;
    const batches: Array<{ room: Room; pending: PendingUpdate[] }> = [];
    for (const room of busy) {
      try {
        batches.push({ room, pending: room.takePending() });
      } catch (error) {
        this.contain(room, error, "applying updates");
      }
    }
    const flush: Flush = { batches, tx: new CommandTx(this.ctx) };
    if (batches.some((b) => b.pending.length > 0)) {
      const before = batches.map(({ room }) => ({ nextSeq: room.nextSeq, logLength: room.logLength }));
      const write = (log: LogUpdates) => {
        // Every update of the flush is in the rooms already: the reactions share one batch,
        // which reads what they need about all the paragraphs it touches at once.
        const batch = new ReactionBatch(
          (documentId) => touchedIn(batches, documentId),
          batches.filter((b) => b.pending.length > 0).map((b) => b.room.id),
        );
        // Every room's updates logged at once: on PostgreSQL each append is a savepoint and its
        // statements, round trips the main thread waits for, so one per room made a flush of
        // many busy documents pay them as many times.
        const logged: LoggedUpdate[] = [];
        for (const { room, pending } of batches) {
          for (const p of pending) logged.push({ documentId: room.id, seq: room.nextSeq++, update: p.update, userId: p.user?.id ?? null });
          room.logLength += pending.length;
        }
        log(logged);
        for (const { room, pending } of batches) {
          for (const p of pending) {
            this.ctx.hooks.react(flush.tx, {
              room,
              user: p.user,
              byServer: false,
              change: p.change,
              update: p.update,
              decoded: p.decoded,
              removedBlockIds: p.removedBlockIds,
              removedParagraphs: p.removedParagraphs,
              batch,
            });
          }
        }
        batch.end();
      };
      let seq: number;
      try {
        seq = this.textStorage.commit(write, (error) => this.durable(flush, error), now);
      } catch (error) {
        // Text the reactions wrote into other rooms (a language version following its original) goes back too.
        flush.tx.rollback(false);
        batches.forEach(({ room }, i) => Object.assign(room, before[i]));
        this.unstored(batches, error);
        return;
      }
      for (const { room, pending } of batches) if (pending.length > 0) room.lastCommitSeq = seq;
    } else {
      this.textStorage.afterDurable((error) => this.durable(flush, error));
    }
    if (now) this.deliverReady(true);
  }

  /**
   * Runs `change` (text changed by the server through `tx.changeText`, rows written through
   * `tx.db`) as a commit of its own, made durable and delivered as a flush is: after every
   * commit before it, its text sent to nobody before it is on disk, without waiting for the
   * disk on this thread where the flush would not. It builds on the rooms' text as stored:
   * between flushes a room's document holds nothing accepted and not stored (what arrived
   * since waits, unapplied, for the next flush). Returns false, with nothing stored or
   * changed, when the commit failed (the failure contained here) or the rooms are closed.
   */
  commitServerChange(change: (tx: CommandTx) => void): boolean {
    if (this.closed) return false;
    const tx = new CommandTx(this.ctx);
    const flush: Flush = { batches: [], tx };
    let seq: number;
    try {
      seq = this.textStorage.commit(() => change(tx), (error) => this.durable(flush, error), false);
    } catch (error) {
      tx.rollback(false);
      if (error instanceof OwnershipLost) this.moved(error.documentId);
      else {
        const fault = storageFault(error);
        if (fault !== null) this.faults.failed(fault, error);
        else console.error("could not store a change the server made", error);
      }
      return false;
    }
    // Joiners of the changed rooms are answered once this commit is durable, with its delivery.
    for (const room of tx.changedRoomList) {
      room.lastCommitSeq = seq;
      flush.batches.push({ room, pending: [] });
    }
    return true;
  }

  /**
   * A flush whose commit failed: nothing of it was stored or sent. Each room goes back to
   * its stored text and the authors are told; for a storage fault they keep their updates
   * and are asked for them again once it is over.
   */
  private unstored(batches: Array<{ room: Room; pending: PendingUpdate[] }>, error: unknown): void {
    if (error instanceof OwnershipLost) {
      for (const { room } of batches) this.moved(room.id);
      return;
    }
    const fault = storageFault(error);
    if (fault !== null) this.faults.failed(fault, error);
    else console.error("could not store text updates", error);
    for (const { room, pending } of batches) {
      if (pending.length === 0) continue;
      try {
        room.revert();
      } catch (again) {
        this.contain(room, again, "reverting unstored updates");
        continue;
      }
      for (const p of pending) {
        if (p.conn === null) continue;
        if (fault !== null) room.holdBack(p.conn, fault);
        else this.refused(room, p.conn, "the server could not store your change");
      }
    }
  }

  /** TextStorage: a flush's commit is on disk (or failed to get there). */
  private durable(flush: Flush, error: Error | null): void {
    if (error) {
      // The commit is in the database but perhaps not on the disk (SQLite's fsync failed),
      // or not there, or in doubt (PostgreSQL's COMMIT failed): the rooms are dropped and
      // their clients, reconnecting with back-off, are served what the store has and send
      // again what it lacks.
      console.error("could not make text updates durable", error);
      const fault = storageFault(error);
      if (fault !== null) this.faults.failed(fault, error);
      for (const { room, pending } of flush.batches) if (pending.length > 0) this.discard(room, "the server could not store your change; reconnecting");
      // Rooms the features' reactions changed (a language version following its original) too.
      for (const room of flush.tx.changedRoomList) this.discard(room, "the server could not store a change; reconnecting");
      return;
    }
    this.ready.push(flush);
    this.readySeq = this.textStorage.durableSeq;
    this.deliverSoon();
  }

  /**
   * Delivers what became ready once the storage's callbacks of this turn have all run
   * (several flushes made durable by one fsync go out in one delivery).
   */
  private deliverSoon(): void {
    if (this.deliverQueued) return;
    this.deliverQueued = true;
    queueMicrotask(() => {
      this.deliverQueued = false;
      this.deliverReady(false);
    });
  }

  /**
   * Sends every durable flush not yet sent, each room's updates merged into one broadcast,
   * then the features' announcements in commit order; unless the last broadcast was less
   * than a window ago (and `now` is false), in which case it waits for the window to end
   * (see `BroadcastWindow`).
   */
  private deliverReady(now: boolean): void {
    this.window.request(now);
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
      try {
        const state = room.fullStateUpdate();
        this.textStorage.compact(room.id, room.doc, lastSeq, state, true);
        room.logLength = room.nextSeq - 1 - lastSeq;
        room.snapshotBytes = state.length;
        room.approxBytes = state.length;
      } catch (error) {
        // The log is still there: the same text, only longer to load.
        this.contain(room, error, "compacting");
      }
    });
  }

  /** RoomHost: the document's text as committed (read by this connection, fsynced or not). */
  storedText(documentId: string): Y.Doc {
    return this.textStorage.load(documentId).doc;
  }

  /** RoomHost: the commit the updates pending now will get, and the last one on disk. */
  commitSeqs(): { next: number; durable: number } {
    return { next: this.textStorage.nextSeq, durable: this.textStorage.durableSeq };
  }

  /**
   * Sends an event to every client of the document that listens for events (those
   * `audience` admits, when given); in a cluster, when the document's room is on another
   * process, through `crossing` to it.
   */
  publish(event: DocumentEvent, audience?: EventAudience): void {
    const room = this.rooms.get(event.documentId);
    if (!room) return this.crossing?.documentEvent(event, audience);
    const message = encodeEvent(event);
    room.fanOut.send(message, (conn) => conn.wantsEvents && (!audience || audience(conn.user)));
  }

  /**
   * Sends an event of a person's own (their inbox in `meetingId` changed) to every
   * connection of theirs that listens for events, whatever document it has open, and to
   * every outlet (their live inbox streams); in a cluster, on every process.
   */
  publishToUser(userId: string, meetingId: string, event: DocumentEvent): void {
    this.deliverToUser(userId, meetingId, event);
    this.crossing?.userEvent(userId, meetingId, event);
  }

  /** Delivers a person's event on this process only (`publishToUser` here, or another process's through the cluster). */
  deliverToUser(userId: string, meetingId: string, event: DocumentEvent): void {
    const message = encodeEvent(event);
    for (const conn of this.localConnections()) if (conn.wantsEvents && conn.user.id === userId) conn.send(message);
    for (const outlet of this.userOutlets) outlet(userId, meetingId, event);
  }

  /** Every connection of this process's clients, in every room (not other processes' relayed ones). */
  *localConnections(): Iterable<Connection> {
    for (const room of this.rooms.values()) for (const conn of room.conns) if (!conn.relayed) yield conn;
  }

  private accessEvent(room: Room, conn: Connection): DocumentEvent {
    // The reason's code, for a client that words it in another language (docs/API.md, "Error codes").
    const coded = conn.writeDenial === null ? null : textWriteDenialOf(conn.user as Actor, room.facts);
    return documentEvent(room.id, "access.changed", {
      state: room.facts.state,
      canWrite: conn.writeDenial === null,
      reason: conn.writeDenial,
      ...(coded ? { reasonCode: coded.code, ...(coded.params ? { reasonParams: coded.params } : {}) } : {}),
    });
  }

  /**
   * Re-reads a document's state and switches each open connection's write access at once
   * (in a cluster, when its room is on another process, through `crossing` there).
   */
  refreshAccess(documentId: string): void {
    const room = this.rooms.get(documentId);
    if (!room) return this.crossing?.access(documentId);
    const facts = this.facts(documentId);
    if (!facts) return;
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
    this.faults.close();
    for (const room of [...this.rooms.values()]) {
      for (const conn of room.conns) conn.close(CLOSE_SHUTDOWN, "server shutting down");
      room.conns.clear();
      try {
        if (room.logLength > 0) this.textStorage.compact(room.id, room.doc, room.nextSeq - 1);
      } catch (error) {
        console.error(`could not compact document ${room.id} on shutdown; its log is kept:`, error);
      }
      this.ctx.ownership?.release(room.id);
      room.destroy();
    }
    this.rooms.clear();
    this.textStorage.close();
    this.checkpointer?.close();
  }
}
