import * as Y from "yjs";
import type { DocumentFacts } from "../../schema/roles.js";
import type { Config } from "../config.js";
import { CLOSE_REFUSED_TOO_OFTEN, type Connection } from "./connection.js";
import { encodeAwareness, encodePermissionDenied, encodeSyncStep1, encodeSyncUpdate } from "./protocol.js";
import { DamagedText, storageFault } from "../store/faults.js";
import type { TextChange, TextRules } from "./validate.js";
import { LiveDocument, type DocumentHost, type PendingUpdate } from "./document.js";
import { FanOut } from "./fanout.js";
import { Presence } from "./presence.js";
import { receiveMessage, type MessageTarget } from "./receiver.js";
import type { AwarenessRelay } from "./awareness-relay.js";

/** What a room needs from the manager that owns it. */
export interface RoomHost {
  rules: TextRules;
  /** Called when the room has accepted something that must be made durable, then sent. */
  scheduleFlush(): void;
  /** Called when presence held back by the budget is due in `ms`. */
  scheduleFlushIn(ms: number): void;
  /** Called when a message from `conn` was refused, with the reason. */
  refused(room: Room, conn: Connection, reason: string): void;
  /** The number the commit of the updates pending now will get, and the last one on disk. */
  commitSeqs(): { next: number; durable: number };
  /** The document's text as committed to the store. */
  storedText(documentId: string): Y.Doc;
  /** The server's configuration (limits on presence and documents). */
  readonly config: Config;
  /** Why text updates are held back now (a storage fault), or null when they are stored. */
  readonly heldBack: string | null;
  /** Called when something failed under this room (damaged text, storage): the host contains it. */
  failed(room: Room, error: unknown): void;
}

// A client that sends this many refused updates is not a person making a mistake.
const MAX_REFUSALS = 50;

/**
 * One open document as its owner serves it: the parts composed. Each connection's messages
 * are read by the receiver (`receiveMessage`) and handed here; updates go to the document
 * (`LiveDocument`: validate, apply, roll back), presence to `Presence`; the manager's flush
 * stores what the document accepted (`TextStorage`) and, once it is durable, the room
 * delivers it through its fan-out (`FanOut`) as one message encoded once. Nothing is sent
 * to anyone before it is durable.
 */
export class Room implements MessageTarget, DocumentHost {
  /** The text and the integration of updates into it. */
  readonly document: LiveDocument;
  /** Presence (cursors, names) of the clients here, relayed with the server's stamp. */
  readonly presence: Presence;
  /** The connections and what is sent to them. */
  readonly fanOut = new FanOut();
  /** The last commit holding this room's updates. */
  lastCommitSeq = 0;
  /** Whether a compaction is already scheduled (RoomManager). */
  compactionScheduled = false;

  constructor(
    readonly id: string,
    readonly meetingId: string,
    public facts: DocumentFacts,
    text: Y.Doc | { load: () => Y.Doc; fullState: Uint8Array; stateVector: Uint8Array },
    /** Sequence number of the next logged update. */
    public nextSeq: number,
    /** Updates logged since the last snapshot. */
    public logLength: number,
    private readonly host: RoomHost,
  ) {
    this.presence = new Presence(host.config);
    this.document = new LiveDocument(id, text, this);
  }

  /**
   * A room whose text is built only once its first joiner's reply is on its way (or when
   * anything needs it first): the first joiners of a compacted document are sent the
   * stored snapshot as it is, without waiting for it to be decoded into a document.
   */
  static deferred(
    id: string,
    meetingId: string,
    facts: DocumentFacts,
    snapshot: { state: Uint8Array; stateVector: Uint8Array; nextSeq: number },
    load: () => Y.Doc,
    host: RoomHost,
  ): Room {
    return new Room(id, meetingId, facts, { load, fullState: snapshot.state, stateVector: snapshot.stateVector }, snapshot.nextSeq, 0, host);
  }

  /** The connections that have the document open. */
  get conns(): Set<Connection> {
    return this.fanOut.conns;
  }

  /** The presence states relayed here. */
  get awareness(): AwarenessRelay {
    return this.presence.relay;
  }

  /** The document's text (built now if it was not yet). */
  get doc(): Y.Doc {
    return this.document.doc;
  }

  /** Whether the text is in memory. */
  get loaded(): boolean {
    return this.document.loaded;
  }

  /** The fragment holding the text. */
  get fragment(): Y.XmlFragment {
    return this.document.fragment;
  }

  /** Ids of the blocks as of the last structural change, to tell which ones were removed. */
  get blockIds(): Set<string> {
    return this.document.blockIds;
  }

  set blockIds(ids: Set<string>) {
    this.document.blockIds = ids;
  }

  /** Size of the last snapshot, bytes (see `LiveDocument.snapshotBytes`). */
  get snapshotBytes(): number {
    return this.document.snapshotBytes;
  }

  set snapshotBytes(bytes: number) {
    this.document.snapshotBytes = bytes;
  }

  /** An upper bound of the document's encoded size, bytes (see `LiveDocument.approxBytes`). */
  get approxBytes(): number {
    return this.document.approxBytes;
  }

  set approxBytes(bytes: number) {
    this.document.approxBytes = bytes;
  }

  /** Ids of the blocks now in the document. */
  currentBlockIds(): Set<string> {
    return this.document.currentBlockIds();
  }

  /** `LiveDocument.loadSoon`: builds a deferred text, a failure contained by the host. */
  loadSoon(): void {
    this.document.loadSoon();
  }

  /** The document's full state as one update (for compaction). */
  fullStateUpdate(): Uint8Array {
    return this.document.fullStateUpdate();
  }

  /** Why `bytes` more would take the document past its size limit, or null. */
  sizeProblem(bytes: number): string | null {
    return this.document.sizeProblem(bytes);
  }

  /** Applies a change made by the server itself (see `LiveDocument.applyServerChange`). */
  applyServerChange(edit: (fragment: Y.XmlFragment, doc: Y.Doc) => void): { update: Uint8Array; change: TextChange } | null {
    return this.document.applyServerChange(edit);
  }

  /** Undoes updates applied but not stored: the document again as stored (see `LiveDocument.revert`). */
  revert(): void {
    this.document.revert();
  }

  /** Takes the pending updates for the flush (the caller makes them durable). */
  takePending(): PendingUpdate[] {
    return this.document.takePending();
  }

  /** Accepted updates waiting for the flush. */
  get pending(): PendingUpdate[] {
    return this.document.pending;
  }

  /**
   * Greets a new connection: our state vector (so it sends what we lack) and who is here,
   * unless it `knowsPresence` already (a client moving from a former owner: sent to each of
   * hundreds of clients moving at once, everyone's presence would cost the square of them).
   */
  welcome(conn: Connection, knowsPresence = false): void {
    conn.send(this.document.step1());
    if (knowsPresence) return;
    const present = this.presence.everyone();
    if (present) conn.send(present);
  }

  /** Handles one binary message from a connection. Never throws for bad input. */
  receive(conn: Connection, message: Uint8Array): void {
    receiveMessage(this, conn, message);
  }

  /** MessageTarget: a client's state vector; what it lacks is sent once durable. */
  syncStep1(conn: Connection, stateVector: Uint8Array): void {
    this.replyWhenDurable(conn, this.document.stateSince(stateVector));
    if (!this.loaded) setImmediate(() => this.loadSoon());
  }

  /** MessageTarget: a client's update, to the document. */
  syncUpdate(conn: Connection, update: Uint8Array): void {
    this.document.receiveUpdate(conn, update);
  }

  /** MessageTarget: a client's presence. */
  awarenessUpdate(conn: Connection, update: Uint8Array): void {
    const result = this.presence.receive(conn, update, this.conns);
    if (result.problem !== null) return this.refuse(conn, result.problem);
    if (result.changed) this.host.scheduleFlush();
  }

  /** MessageTarget: everyone's presence, to the client that asked. */
  awarenessQuery(conn: Connection): void {
    conn.send(this.presence.everyone() ?? encodeAwareness(new Uint8Array([0])));
  }

  /** MessageTarget: a message failed; damaged stored text or a storage fault is the server's trouble, not the client's. */
  failed(conn: Connection, error: unknown): void {
    if (error instanceof DamagedText || storageFault(error) !== null) return this.host.failed(this, error);
    this.refuse(conn, "malformed message");
  }

  /** MessageTarget and DocumentHost: refuses a message with a reason; a client refused too often is dropped. */
  refuse(conn: Connection, reason: string): void {
    conn.refusals += 1;
    conn.send(encodePermissionDenied(reason));
    this.host.refused(this, conn, reason);
    if (conn.refusals >= MAX_REFUSALS) conn.close(CLOSE_REFUSED_TOO_OFTEN, "too many refused updates");
  }

  /** DocumentHost: sync step 1 with the document's state vector, to which a stock client answers with everything the server lacks of it. */
  askForMissing(conn: Connection): void {
    conn.send(encodeSyncStep1(this.doc));
  }

  /** Tells a client its update is held back (`fault`), and marks it to be asked again (`resync`). */
  holdBack(conn: Connection, fault: string): void {
    const reason = `update held back: ${fault}; your change stays with you and is sent again once the server can store it`;
    // Not counted as a refusal: the client did nothing wrong and must not be dropped for it.
    if (!conn.resync) conn.send(encodePermissionDenied(reason));
    conn.resync = true;
    this.host.refused(this, conn, reason);
  }

  /** DocumentHost: validation rules come from the host. */
  get rules(): TextRules {
    return this.host.rules;
  }

  /** DocumentHost: the server's configuration. */
  get config(): Config {
    return this.host.config;
  }

  /** DocumentHost: why text updates are held back now, or null. */
  get heldBack(): string | null {
    return this.host.heldBack;
  }

  /** DocumentHost: the document's text as committed to the store. */
  storedText(): Y.Doc {
    return this.host.storedText(this.id);
  }

  /** DocumentHost: an update was received; the host flushes after this turn. */
  scheduleFlush(): void {
    this.host.scheduleFlush();
  }

  /** DocumentHost: the stored text could not be built; the host contains it. */
  documentFailed(error: unknown): void {
    this.host.failed(this, error);
  }

  /**
   * Asks every client whose updates were held back for them again: sync step 1 with the
   * server's state vector, to which a stock client answers with everything the server lacks.
   */
  resync(): void {
    let step1: Uint8Array | null = null;
    for (const conn of this.conns) {
      if (!conn.resync) continue;
      conn.resync = false;
      step1 ??= encodeSyncStep1(this.doc);
      conn.send(step1);
    }
  }

  /**
   * Sends messages that reveal text once everything applied so far is on disk: the room's
   * last commit (or the next one, for updates applied but not yet committed).
   */
  private replyWhenDurable(conn: Connection, messages: Uint8Array[]): void {
    const seqs = this.host.commitSeqs();
    // Updates received this turn are not in the document yet, so the reply does not reveal them.
    const needs = this.pending.length > 0 ? seqs.next : this.lastCommitSeq;
    this.fanOut.reply(conn, messages, needs, seqs.durable);
  }

  /**
   * After the commit `durableSeq` reached the disk with `updates`: one merged update and the
   * presence changes since the last delivery, framed once, to every connection; then the
   * replies that were waiting for that commit.
   */
  deliver(updates: readonly Uint8Array[], durableSeq: number): void {
    const messages: Uint8Array[] = [];
    if (updates.length > 0) messages.push(encodeSyncUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates as Uint8Array[])));
    const presence = this.presence.take();
    if (presence.message) messages.push(presence.message);
    if (presence.nextInMs !== null) this.host.scheduleFlushIn(presence.nextInMs);
    this.fanOut.deliver(messages, durableSeq);
  }

  /** Sends one message to every connection. */
  broadcast(message: Uint8Array): void {
    this.fanOut.broadcastAll([message]);
  }

  /** Forgets a connection and its presence. */
  detach(conn: Connection): void {
    this.conns.delete(conn);
    if (this.presence.remove(conn)) this.host.scheduleFlush();
  }

  /** Frees the room's memory. */
  destroy(): void {
    this.document.destroy();
  }

  /** Whether anything is waiting to be sent. */
  get hasOutgoing(): boolean {
    return this.pending.length > 0 || this.document.hasReceived || this.fanOut.holding || this.presence.hasChanges;
  }
}
