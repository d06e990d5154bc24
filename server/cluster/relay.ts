import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import type { AppContext } from "../context.js";
import { CLOSE_TRY_LATER, type Connection } from "../collab/connection.js";
import { HttpError } from "../http/errors.js";
import { FanOut } from "../collab/fanout.js";
import { encodeEvent, encodeSyncUpdate, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from "../collab/protocol.js";
import type { Bus } from "./bus.js";
import type { LeaseRow } from "./leases.js";
import { OwnedElsewhere, type DocumentOwnership } from "./ownership.js";
import { syncCommitted } from "./durable-read.js";
import type { ClusterMessage } from "./wire.js";

// The lease is read again this long after it should have expired: the owner's renewal
// (a statement in flight as it expired) has landed by then, or never will.
const EXPIRY_MARGIN_MS = 20;
// A store that did not answer is asked again after this long.
const RETRY_MS = 100;
// Updates held for a client's answer to a new owner's greeting (see `RelayRoom.resending`)
// are sent anyway after this long (a client that does not answer).
const RESEND_WAIT_MS = 5000;
// A room this process opened when it took a document over is closed again after this long
// if none of its relayed clients reached it (they all left meanwhile).
const UNCLAIMED_MS = 10_000;
// Delivered updates wait at most this long, or until this many, before they are applied to
// the replica together (see `RelayRoom.settle`).
const SETTLE_MS = 1000;
const SETTLE_UPDATES = 4000;

/**
 * A document this process relays: its clients here (each with its number at the owner),
 * a replica of the text as the owner delivered it (durable, so it may answer a joiner's
 * sync step 1), the owner it relays to and the number of the owner's next delivery.
 */
class RelayRoom {
  readonly fanOut = new FanOut();
  readonly ids = new Map<Connection, number>();
  /**
   * Answers to clients' sync step 1 held until the owner's greeting reached them: as in one
   * process, a client is synced only after the server's own step 1, so what it types next
   * is sent once, not again in its reply to a greeting that arrives later.
   */
  readonly ungreeted = new Map<Connection, Uint8Array[]>();
  /**
   * After a move to a new owner: each client's updates held until its answer to the new
   * owner's greeting (its sync step 2, with everything it sent the former owner that the
   * store lacks) has gone ahead of them. Sent before it, an update that builds on one lost
   * with the former owner would be refused ("builds on content the server does not have"),
   * and each refusal costs the owner a reload of the text from the store: with many
   * typists, enough to stall it past its own lease.
   */
  readonly resending = new Map<Connection, Uint8Array[]>();
  /** The owner's next delivery's number; null until the first arrives. */
  expected: number | null = null;
  ended = false;
  /** Wakes when the owner's lease would expire, unless renewed (see `Relays.watch`). */
  timer: NodeJS.Timeout | null = null;
  /** The expiry of the owner's lease the timer was set for. */
  watched = 0;
  /** Delivered updates not yet applied to the replica, in order. */
  private unapplied: Uint8Array[] = [];
  private settling: NodeJS.Timeout | null = null;

  constructor(
    readonly documentId: string,
    /** The live lease relayed to; replaced when another process takes the document over. */
    public owner: LeaseRow,
    private readonly doc: Y.Doc,
  ) {}

  /** The replica with every delivered update applied (a joiner's answer, a catch-up). */
  get replica(): Y.Doc {
    this.settle();
    return this.doc;
  }

  /**
   * Takes a delivered update for the replica. It is applied later, with the others, in one
   * transaction: applied one by one as they came, each in a transaction of its own, the
   * updates of a thousand typists cost each relay about as much as fanning them out.
   */
  take(update: Uint8Array): void {
    this.unapplied.push(update);
    if (this.unapplied.length >= SETTLE_UPDATES) this.settle();
    else this.settling ??= setTimeout(() => this.settle(), SETTLE_MS).unref();
  }

  /** Applies the updates taken so far to the replica, in one transaction. */
  settle(): void {
    if (this.settling) clearTimeout(this.settling);
    this.settling = null;
    if (this.unapplied.length === 0) return;
    const updates = this.unapplied;
    this.unapplied = [];
    Y.transact(this.doc, () => {
      for (const update of updates) Y.applyUpdate(this.doc, update);
    });
  }

  /** Stops applying (the room was dropped) and frees the replica. */
  destroy(): void {
    if (this.settling) clearTimeout(this.settling);
    this.settling = null;
    this.unapplied = [];
    this.doc.destroy();
  }
}

/** What the websocket transport does with a relayed client: hand its messages on, and say when it left. */
export interface RelayedClient {
  receive(bytes: Uint8Array): void;
  leave(): void;
}

/**
 * A relay's side: this process's clients of documents another process owns. Their
 * updates, presence and questions go, as they sent them, to the owner (which validates,
 * commits and answers or refuses each one alone); the owner's deliveries, published once
 * per document, are applied to the replica and fanned out here to every client. A sync
 * step 1 is answered here from the replica. A gap in the deliveries is caught up from the
 * store.
 *
 * The owner's lease is watched from its expiry, not polled: when it would have expired,
 * it is read again; renewed, it is watched again; expired (the owner died or was cut
 * off), this process takes the document over itself or finds who did, catches the
 * replica up from the store and moves its clients there, without closing their
 * websockets: the new owner greets each one (its sync step 1), and each answers with
 * whatever the new owner lacks, what it had sent the dead one included. A stock client
 * closed instead backs off longer at every connection that did not sync, which is what
 * made a takeover take up to a quarter of a minute.
 */
export class Relays {
  private readonly rooms = new Map<string, RelayRoom>();
  private readonly conns = new Map<number, { room: RelayRoom; conn: Connection }>();
  private nextConnId = 1;

  constructor(
    private readonly ctx: AppContext,
    private readonly bus: Bus,
    private readonly ownership: DocumentOwnership,
  ) {
    // A person's own events reach their clients relayed from here (the owner leaves them to this process).
    ctx.rooms.addUserOutlet((userId, _meetingId, event) => {
      let message: Uint8Array | null = null;
      for (const conn of this.connections()) if (conn.wantsEvents && conn.user.id === userId) conn.send((message ??= encodeEvent(event)));
    });
  }

  /** Every client relayed from here. */
  *connections(): Iterable<Connection> {
    for (const { conn } of this.conns.values()) yield conn;
  }

  /** Number of documents relayed here (health, tests). */
  get size(): number {
    return this.rooms.size;
  }

  /** Relays `conn` (authenticated here) to the document's owner. */
  join(documentId: string, owner: LeaseRow, conn: Connection): RelayedClient {
    let room = this.rooms.get(documentId);
    // The joiner read a newer lease than this room relays to: the document was taken over.
    if (room && owner.token > room.owner.token) this.rehome(room, owner);
    if (!room) room = this.openRoom(documentId, owner);
    room.ungreeted.set(conn, []);
    room.fanOut.conns.add(conn);
    this.introduce(room, conn);
    const r = room;
    return {
      receive: (bytes) => this.receive(r, conn, bytes),
      leave: () => this.leave(r, conn),
    };
  }

  /**
   * Gives `conn` a fresh number and opens it at the room's owner; `knowsPresence`: the
   * client is moving from a former owner that greeted it (see `ClusterMessage` "open").
   */
  private introduce(room: RelayRoom, conn: Connection, knowsPresence = false): void {
    const connId = this.nextConnId++;
    room.ids.set(conn, connId);
    this.conns.set(connId, { room, conn });
    this.bus.send(room.owner.holder, {
      type: "open",
      documentId: room.documentId,
      from: this.bus.inbox,
      connId,
      userId: conn.user.id,
      wantsEvents: conn.wantsEvents,
      knowsPresence,
    });
  }

  private openRoom(documentId: string, owner: LeaseRow): RelayRoom {
    const replica = this.ctx.texts.load(documentId).doc;
    // What was read is on disk before it answers anyone (see durable-read.ts).
    syncCommitted(this.ctx);
    const room = new RelayRoom(documentId, owner, replica);
    this.rooms.set(documentId, room);
    this.watch(room);
    // What the owner delivered before the subscription took effect is in the store by then.
    this.bus
      .subscribeDocument(documentId, (m) => this.delivered(room, m))
      .then(() => this.catchUp(room))
      .catch((error) => console.error(`cluster: could not follow document ${documentId}:`, error));
    return room;
  }

  private receive(room: RelayRoom, conn: Connection, bytes: Uint8Array): void {
    const connId = room.ids.get(conn);
    if (room.ended || connId === undefined) return;
    const step1 = stateVectorOfStep1(bytes);
    if (step1 !== null) {
      const answer = encodeSyncUpdate(Y.encodeStateAsUpdate(room.replica, step1), SYNC_STEP2);
      const held = room.ungreeted.get(conn);
      if (held) held.push(answer);
      else conn.send(answer);
      return;
    }
    const waiting = room.resending.get(conn);
    if (waiting !== undefined) {
      if (bytes[0] === MESSAGE_SYNC && bytes[1] === SYNC_UPDATE) return void waiting.push(bytes);
      if (bytes[0] === MESSAGE_SYNC && bytes[1] === SYNC_STEP2) {
        this.bus.send(room.owner.holder, { type: "message", documentId: room.documentId, from: this.bus.inbox, connId, bytes });
        return this.release(room, conn);
      }
    }
    this.bus.send(room.owner.holder, { type: "message", documentId: room.documentId, from: this.bus.inbox, connId, bytes });
  }

  /** Sends a client's held updates on to the owner (its answer to the greeting went first). */
  private release(room: RelayRoom, conn: Connection): void {
    const held = room.resending.get(conn);
    const connId = room.ids.get(conn);
    room.resending.delete(conn);
    if (!held || connId === undefined || room.ended) return;
    for (const bytes of held) this.bus.send(room.owner.holder, { type: "message", documentId: room.documentId, from: this.bus.inbox, connId, bytes });
  }

  private leave(room: RelayRoom, conn: Connection): void {
    const connId = room.ids.get(conn);
    if (connId === undefined) return;
    this.conns.delete(connId);
    room.ids.delete(conn);
    room.ungreeted.delete(conn);
    room.resending.delete(conn);
    room.fanOut.conns.delete(conn);
    if (!room.ended) this.bus.send(room.owner.holder, { type: "close", documentId: room.documentId, from: this.bus.inbox, connId });
    if (room.fanOut.conns.size === 0) this.drop(room);
  }

  private drop(room: RelayRoom): void {
    room.ended = true;
    if (room.timer) clearTimeout(room.timer);
    for (const connId of room.ids.values()) this.conns.delete(connId);
    if (this.rooms.get(room.documentId) === room) {
      this.rooms.delete(room.documentId);
      this.bus.unsubscribeDocument(room.documentId);
    }
    room.destroy();
  }

  /** Ends every client of a relayed document: they reconnect and find its owner afresh. */
  private end(room: RelayRoom, reason: string): void {
    if (room.ended) return;
    for (const conn of [...room.fanOut.conns]) conn.close(CLOSE_TRY_LATER, reason);
    this.drop(room);
  }

  /** A delivery on the document's channel: applied to the replica, sent to every client here. */
  private delivered(room: RelayRoom, m: ClusterMessage): void {
    if (m.type !== "deliver" || room.ended) return;
    // A newer owner's delivery: the lease moved (what it carries is in the store, caught up when the room moves there).
    if (m.token > room.owner.token) return this.checkOwner(room);
    // A former owner's, published before it lost the document: already in the store, or refused by it.
    if (m.token < room.owner.token) return;
    // The owner renewed its lease since it was read: the watch reads it again only after this expiry.
    if (m.until > room.owner.expiresAt) room.owner = { ...room.owner, expiresAt: m.until };
    if (room.expected !== null && m.n !== room.expected) this.catchUp(room);
    room.expected = m.n + 1;
    for (const message of m.messages) {
      const update = updateOf(message);
      if (update !== null) room.take(update);
    }
    room.fanOut.broadcastAll(m.messages);
  }

  /** Brings the replica up to the store (a missed delivery) and sends the difference to every client here. */
  private catchUp(room: RelayRoom): void {
    if (room.ended) return;
    let stored: Y.Doc;
    try {
      stored = this.ctx.texts.load(room.documentId).doc;
      syncCommitted(this.ctx);
    } catch (error) {
      console.error(`cluster: could not catch document ${room.documentId} up from the store:`, error);
      return this.end(room, "the server could not read this document; try again later");
    }
    const missing = Y.encodeStateAsUpdate(stored, Y.encodeStateVector(room.replica));
    stored.destroy();
    if (missing.length <= 2) return;
    Y.applyUpdate(room.replica, missing);
    room.fanOut.broadcastAll([encodeSyncUpdate(missing)]);
  }

  /** The owner's answer to one client, or its end. */
  handle(m: ClusterMessage): void {
    if (m.type !== "send" && m.type !== "end") return;
    const entry = this.conns.get(m.connId);
    if (!entry) return;
    if (m.type === "end") return entry.conn.close(m.code, m.reason);
    entry.conn.send(m.bytes);
    const held = entry.room.ungreeted.get(entry.conn);
    if (held) {
      entry.room.ungreeted.delete(entry.conn);
      for (const answer of held) entry.conn.send(answer);
    }
  }

  /**
   * This process opened the document's room (it took the document, a reconnecting client
   * having found its owner's session gone): the clients relayed from here move to it too,
   * instead of waiting for the former owner's lease to run out.
   */
  opened(documentId: string): void {
    const room = this.rooms.get(documentId);
    if (room) setImmediate(() => this.checkOwner(room));
  }

  /** Reads the owner's lease again just after it would expire, unless it is renewed before. */
  private watch(room: RelayRoom, delayMs = Math.max(0, room.owner.expiresAt - Date.now()) + EXPIRY_MARGIN_MS): void {
    if (room.timer) clearTimeout(room.timer);
    room.watched = room.owner.expiresAt;
    room.timer = setTimeout(() => this.lapsed(room), delayMs);
    room.timer.unref();
  }

  /**
   * The owner's lease would have expired, as last known. A delivery since that carried a
   * later expiry (the owner renewed it, and was alive to publish) moves the watch to that
   * one without reading the store: on PostgreSQL each read is a round trip the main thread
   * waits for, every lease lifetime for every document relayed. Otherwise the lease is read
   * (`checkOwner`): an owner that stopped delivering, dead, paused or cut off, is found out
   * at most a lease after its last renewal, as when every expiry was read.
   */
  private lapsed(room: RelayRoom): void {
    if (room.ended) return;
    if (room.owner.expiresAt > room.watched) return this.watch(room);
    this.checkOwner(room);
  }

  /**
   * The owner's lease, read again: renewed, it is watched again; taken by another process,
   * the room moves there; expired, this process takes the document over (opens its room,
   * which takes the lease) and the room moves here, or to whoever took it first.
   */
  private checkOwner(room: RelayRoom): void {
    if (room.ended) return;
    let live: LeaseRow | null;
    try {
      live = this.ownership.owner(room.documentId);
      if (live === null) live = this.takeOver(room.documentId);
    } catch (error) {
      if (error instanceof HttpError && error.code !== "document.owner_changed") return this.end(room, error.message);
      return this.watch(room, RETRY_MS); // the store did not answer, or the lease is changing hands: soon again
    }
    if (live === null) return this.watch(room, RETRY_MS);
    if (live.token <= room.owner.token) {
      room.owner = live;
      return this.watch(room);
    }
    this.rehome(room, live);
  }

  /** Takes an expired document over: its room opened here takes the lease. Returns the live lease, or null if none yet. */
  private takeOver(documentId: string): LeaseRow | null {
    try {
      this.ctx.rooms.open(documentId);
    } catch (error) {
      if (error instanceof OwnedElsewhere) return error.owner;
      throw error;
    }
    // Closed again if none of the clients moved to it reaches it (they all left meanwhile).
    setTimeout(() => {
      const opened = this.ctx.rooms.get(documentId);
      if (opened) this.ctx.rooms.releaseIfIdle(opened);
    }, UNCLAIMED_MS).unref();
    return this.ownership.owner(documentId);
  }

  /**
   * Moves a room to a new owner: the replica catches up from the store (what the former
   * owner committed but did not deliver), then each client is opened there under a new
   * number (whatever the former owner still says to the old ones is dropped) and greeted
   * by it, and answers with what it lacks.
   */
  private rehome(room: RelayRoom, owner: LeaseRow): void {
    room.owner = owner;
    room.expected = null;
    for (const connId of room.ids.values()) this.conns.delete(connId);
    this.catchUp(room);
    if (room.ended) return;
    for (const conn of room.fanOut.conns) {
      if (!room.resending.has(conn)) room.resending.set(conn, []);
      // One the former owner never greeted (it reconnected from the dead owner) has nobody's presence.
      this.introduce(room, conn, !room.ungreeted.has(conn));
    }
    setTimeout(() => {
      for (const conn of [...room.resending.keys()]) this.release(room, conn);
    }, RESEND_WAIT_MS).unref();
    this.watch(room);
  }

  /** Ends every relayed client (shutdown). */
  close(code: number, reason: string): void {
    for (const room of [...this.rooms.values()]) {
      for (const conn of [...room.fanOut.conns]) conn.close(code, reason);
      this.drop(room);
    }
  }
}

/** The state vector of a sync step 1 message, or null for any other message. */
function stateVectorOfStep1(bytes: Uint8Array): Uint8Array | null {
  if (bytes[0] !== MESSAGE_SYNC || bytes[1] !== SYNC_STEP1) return null;
  try {
    const d = decoding.createDecoder(bytes);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    return decoding.readVarUint8Array(d);
  } catch {
    return null; // the owner refuses it
  }
}

/** The Yjs update a delivered sync message carries, or null (presence, events). */
function updateOf(message: Uint8Array): Uint8Array | null {
  if (message[0] !== MESSAGE_SYNC || (message[1] !== SYNC_UPDATE && message[1] !== SYNC_STEP2)) return null;
  const d = decoding.createDecoder(message);
  decoding.readVarUint(d);
  decoding.readVarUint(d);
  return decoding.readVarUint8Array(d);
}
