import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import type { AppContext } from "../context.js";
import { CLOSE_TRY_LATER, type Connection } from "../collab/connection.js";
import { FanOut } from "../collab/fanout.js";
import { encodeSyncUpdate, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from "../collab/protocol.js";
import type { Bus } from "./bus.js";
import type { LeaseRow } from "./leases.js";
import type { DocumentOwnership } from "./ownership.js";
import type { ClusterMessage } from "./wire.js";

/**
 * A document this process relays: its clients here, a replica of the text as the owner
 * delivered it (durable, so it may answer a joiner's sync step 1), the owner it relays to
 * and the number of the owner's next delivery.
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
  /** The owner's next delivery's number; null until the first arrives. */
  expected: number | null = null;
  ended = false;

  constructor(
    readonly documentId: string,
    readonly owner: LeaseRow,
    readonly replica: Y.Doc,
  ) {}
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
 * store; an owner that changed or died (its lease expired or taken) ends the clients'
 * websockets with "try again later": they reconnect through the balancer to the new owner
 * (or a relay of it) and re-send whatever it lacks.
 */
export class Relays {
  private readonly rooms = new Map<string, RelayRoom>();
  private readonly conns = new Map<number, { room: RelayRoom; conn: Connection }>();
  private nextConnId = 1;
  private readonly checker: NodeJS.Timeout;

  constructor(
    private readonly ctx: AppContext,
    private readonly bus: Bus,
    private readonly ownership: DocumentOwnership,
  ) {
    this.checker = setInterval(() => this.checkOwners(), Math.max(100, Math.floor(ctx.config.leaseMs / 3)));
    this.checker.unref();
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
    if (room && room.owner.holder !== owner.holder) {
      this.end(room, "the document's owner changed; reconnecting");
      room = undefined;
    }
    if (!room) room = this.openRoom(documentId, owner);
    const connId = this.nextConnId++;
    room.ids.set(conn, connId);
    room.ungreeted.set(conn, []);
    room.fanOut.conns.add(conn);
    this.conns.set(connId, { room, conn });
    const r = room;
    this.bus.send(owner.holder, { type: "open", documentId, from: this.bus.inbox, connId, userId: conn.user.id, wantsEvents: conn.wantsEvents });
    return {
      receive: (bytes) => this.receive(r, conn, connId, bytes),
      leave: () => this.leave(r, conn, connId),
    };
  }

  private openRoom(documentId: string, owner: LeaseRow): RelayRoom {
    const room = new RelayRoom(documentId, owner, this.ctx.texts.load(documentId).doc);
    this.rooms.set(documentId, room);
    // What the owner delivered before the subscription took effect is in the store by then.
    this.bus
      .subscribeDocument(documentId, (m) => this.delivered(room, m))
      .then(() => this.catchUp(room))
      .catch((error) => console.error(`cluster: could not follow document ${documentId}:`, error));
    return room;
  }

  private receive(room: RelayRoom, conn: Connection, connId: number, bytes: Uint8Array): void {
    if (room.ended) return;
    const step1 = stateVectorOfStep1(bytes);
    if (step1 !== null) {
      const answer = encodeSyncUpdate(Y.encodeStateAsUpdate(room.replica, step1), SYNC_STEP2);
      const held = room.ungreeted.get(conn);
      if (held) held.push(answer);
      else conn.send(answer);
      return;
    }
    this.bus.send(room.owner.holder, { type: "message", documentId: room.documentId, from: this.bus.inbox, connId, bytes });
  }

  private leave(room: RelayRoom, conn: Connection, connId: number): void {
    this.conns.delete(connId);
    room.ids.delete(conn);
    room.ungreeted.delete(conn);
    room.fanOut.conns.delete(conn);
    if (!room.ended) this.bus.send(room.owner.holder, { type: "close", documentId: room.documentId, from: this.bus.inbox, connId });
    if (room.fanOut.conns.size === 0) this.drop(room);
  }

  private drop(room: RelayRoom): void {
    room.ended = true;
    if (this.rooms.get(room.documentId) === room) {
      this.rooms.delete(room.documentId);
      this.bus.unsubscribeDocument(room.documentId);
    }
    room.replica.destroy();
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
    if (m.token !== room.owner.token) return this.end(room, "the document's owner changed; reconnecting");
    if (room.expected !== null && m.n !== room.expected) this.catchUp(room);
    room.expected = m.n + 1;
    for (const message of m.messages) {
      const update = updateOf(message);
      if (update !== null) Y.applyUpdate(room.replica, update);
    }
    room.fanOut.broadcastAll(m.messages);
  }

  /** Brings the replica up to the store (a missed delivery) and sends the difference to every client here. */
  private catchUp(room: RelayRoom): void {
    if (room.ended) return;
    let stored: Y.Doc;
    try {
      stored = this.ctx.texts.load(room.documentId).doc;
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

  /** Ends the documents whose owner is gone (lease expired) or changed. */
  private checkOwners(): void {
    for (const room of [...this.rooms.values()]) {
      let live: LeaseRow | null;
      try {
        live = this.ownership.owner(room.documentId);
      } catch {
        continue; // the store did not answer; next time
      }
      if (live === null || live.holder !== room.owner.holder) this.end(room, "the document's owner changed; reconnecting");
    }
  }

  /** Ends every relayed client (shutdown). */
  close(code: number, reason: string): void {
    clearInterval(this.checker);
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
