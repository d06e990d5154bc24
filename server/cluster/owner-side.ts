import type { AppContext } from "../context.js";
import type { Room } from "../collab/room.js";
import { CLOSE_NOT_FOUND, CLOSE_TRY_LATER } from "../collab/connection.js";
import { membersByIds, type User } from "../auth/users.js";
import { HttpError } from "../http/errors.js";
import type { Bus } from "./bus.js";
import type { DocumentOwnership } from "./ownership.js";
import { RemoteConnection } from "./remote-connection.js";
import { syncCommitted } from "./durable-read.js";
import type { ClusterMessage } from "./wire.js";

// A relay not heard from for this long is taken for dead and its clients removed.
const RELAY_SILENCE_MS = 5000;

/**
 * A document owner's side of relaying: other processes' clients join its rooms as
 * `RemoteConnection`s (validated, refused and answered exactly as its own), and every
 * broadcast of a room it owns is published once on the document's channel, numbered so
 * that a relay notices a gap.
 */
export class OwnerSide {
  private readonly remote = new Map<string, { conn: RemoteConnection; room: Room; documentId: string }>();
  private readonly lastHeard = new Map<string, number>();
  private readonly published = new WeakMap<Room, { token: number; n: number }>();
  private readonly sweeper: NodeJS.Timeout;
  /**
   * Relays' messages held from an open until the end of this turn of the event loop, in the
   * order they came: the members of every open among them are read at once. A relay moving
   * its clients here sends hundreds of opens together, and each member read alone was three
   * synchronous round trips on PostgreSQL (1.25 ms a client, a second for 400).
   */
  private held: Extract<ClusterMessage, { type: "open" | "message" | "close" }>[] = [];
  private heldTurn: NodeJS.Immediate | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly bus: Bus,
    private readonly ownership: DocumentOwnership,
  ) {
    ctx.rooms.onOpened = (room) => {
      // Its text (or snapshot) was just read, possibly as a former owner left it: on disk before it is served.
      syncCommitted(ctx);
      room.fanOut.onBroadcast = (messages) => this.publish(room, messages);
    };
    this.sweeper = setInterval(() => this.sweep(), RELAY_SILENCE_MS / 2);
    this.sweeper.unref();
  }

  /** Publishes what a room broadcast, for the relays' clients. */
  private publish(room: Room, messages: readonly Uint8Array[]): void {
    const token = this.ownership.token(room.id);
    if (token === null) return;
    let counter = this.published.get(room);
    if (!counter || counter.token !== token) this.published.set(room, (counter = { token, n: 0 }));
    // With the lease's expiry: a relay hearing from the owner need not read its lease (relay.ts, `lapsed`).
    this.bus.publishDocument(room.id, { type: "deliver", token, n: counter.n++, until: this.ownership.expiresAt(room.id) ?? 0, messages: [...messages] });
  }

  /** Handles a relay's message about one of its clients. */
  handle(m: ClusterMessage): void {
    if (m.type === "alive") {
      this.lastHeard.set(m.from, Date.now());
      return;
    }
    if (m.type !== "open" && m.type !== "message" && m.type !== "close") return;
    this.lastHeard.set(m.from, Date.now());
    // Behind an open, everything waits its turn: a client's first messages follow its open.
    if (m.type === "open" || this.held.length > 0) {
      this.held.push(m);
      this.heldTurn ??= setImmediate(() => this.handleHeld());
      return;
    }
    this.take(m, null);
  }

  /** Handles the held messages in order, the members of all their opens read in one go. */
  private handleHeld(): void {
    this.heldTurn = null;
    const held = this.held;
    this.held = [];
    let members: ((id: string, meetingId?: string) => User | null) | null = null;
    // Read when the first open's room has opened (an open refused before needs no member).
    const member = (id: string, meetingId: string) => (members ??= membersByIds(this.ctx.db, held.flatMap((m) => (m.type === "open" ? [m.userId] : []))))(id, meetingId);
    for (const m of held) {
      try {
        this.take(m, member);
      } catch (error) {
        // As the bus does for a message it hands over; an open that failed (the store failing) is ended, and the client tries again.
        console.error(`cluster: handling a ${m.type} message failed:`, error);
        if (m.type === "open") this.bus.send(m.from, { type: "end", connId: m.connId, code: CLOSE_TRY_LATER, reason: "the document could not be opened; try again later" });
      }
    }
  }

  /** Handles a relay's open, message or close; `member` reads the members of a batch of opens. */
  private take(m: Extract<ClusterMessage, { type: "open" | "message" | "close" }>, member: ((id: string, meetingId: string) => User | null) | null): void {
    const key = `${m.from}/${m.connId}`;
    if (m.type === "open") return this.open(m, key, member);
    const entry = this.remote.get(key);
    if (!entry) {
      if (m.type === "message") this.bus.send(m.from, { type: "end", connId: m.connId, code: CLOSE_TRY_LATER, reason: "the document moved; reconnecting" });
      return;
    }
    if (m.type === "close") {
      this.remote.delete(key);
      entry.conn.gone();
      this.leave(entry);
      return;
    }
    // The room may have been discarded (and reopened) since: the client reconnects to the live one.
    if (this.ctx.rooms.get(entry.documentId) !== entry.room) {
      this.remote.delete(key);
      entry.conn.close(CLOSE_TRY_LATER, "document reloaded; reconnect");
      return;
    }
    try {
      entry.room.receive(entry.conn, m.bytes);
    } catch (error) {
      this.ctx.rooms.contain(entry.room, error, "receiving a relayed message");
    }
  }

  private open(m: Extract<ClusterMessage, { type: "open" }>, key: string, member: ((id: string, meetingId: string) => User | null) | null): void {
    const end = (code: number, reason: string) => this.bus.send(m.from, { type: "end", connId: m.connId, code, reason });
    let room: Room;
    try {
      // Ours unless the lease moved meanwhile: then the client tries again, and finds the new owner.
      room = this.ctx.rooms.open(m.documentId);
    } catch (error) {
      return end(CLOSE_TRY_LATER, error instanceof HttpError ? error.message : "the document could not be opened; try again later");
    }
    // The relay authenticated the session; the rights are the owner's to work out, from the store.
    const user = (member ?? membersByIds(this.ctx.db, [m.userId]))(m.userId, room.meetingId);
    if (!user) return end(CLOSE_NOT_FOUND, "document not found");
    const conn = new RemoteConnection(this.bus, m.from, m.connId, user, m.wantsEvents, m.documentId);
    this.remote.set(key, { conn, room, documentId: m.documentId });
    this.ctx.rooms.attach(room, conn, m.knowsPresence);
  }

  private leave(entry: { conn: RemoteConnection; room: Room; documentId: string }): void {
    try {
      if (this.ctx.rooms.get(entry.documentId) === entry.room) this.ctx.rooms.detach(entry.room, entry.conn);
    } catch (error) {
      this.ctx.rooms.contain(entry.room, error, "closing a relayed connection");
    }
  }

  /**
   * Removes the clients of relays that went silent (a process killed): their presence goes,
   * their rooms may close. Silent means not heard for RELAY_SILENCE_MS before the last time
   * this process heard itself: every process's "alive" (its own too) comes through the same
   * Redis subscription, so an owner whose event loop was held (a long commit, a loaded
   * machine) or whose subscription lags in Redis's buffer does not take the relays, whose
   * messages are merely waiting in that same queue, for dead. Measured against the clock
   * instead, a busy owner dropped every relayed client at once, and each reconnected into
   * the same overload.
   */
  private sweep(): void {
    const now = this.lastHeard.get(this.bus.inbox) ?? Date.now();
    for (const [key, entry] of this.remote) {
      if (now - (this.lastHeard.get(entry.conn.relay) ?? 0) < RELAY_SILENCE_MS) continue;
      this.remote.delete(key);
      entry.conn.gone();
      this.leave(entry);
    }
  }

  /** Stops sweeping. */
  close(): void {
    clearInterval(this.sweeper);
    if (this.heldTurn) clearImmediate(this.heldTurn);
    this.heldTurn = null;
    this.held = [];
    this.ctx.rooms.onOpened = null;
  }
}
