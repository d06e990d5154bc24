import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { textFragment } from "../../schema/yfragment.js";
import type { DocumentFacts } from "../../schema/roles.js";
import type { User } from "../auth/users.js";
import type { Config } from "../config.js";
import { CLOSE_REFUSED_TOO_OFTEN, type Connection } from "./connection.js";
import {
  binaryFrames,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep1From,
  encodeSyncUpdate,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from "./protocol.js";
import { AwarenessRelay } from "./awareness-relay.js";
import { DamagedText, storageFault } from "../store/faults.js";
import { blockLimitProblem, documentSizeProblem } from "../documents/limits.js";
import { removedParagraphs, type RemovedParagraph } from "../deletions/removed.js";
import { changesDocument, documentProblem, staticProblemOf, type DecodedUpdate, type TextChange, type TextRules } from "./validate.js";

/** An update accepted into the room's document but not yet durable. */
export interface PendingUpdate {
  update: Uint8Array;
  user: User | null;
  /** The connection it came from (null for the server's own). */
  conn: Connection | null;
  change: TextChange;
  /** Ids of blocks this update removed from the document. */
  removedBlockIds: Set<string>;
  /** Those blocks as they stood just before (only when it removed any). */
  removedParagraphs?: RemovedParagraph[];
}

/** An update received this turn, waiting for the flush to be validated and applied. */
interface ReceivedUpdate {
  conn: Connection;
  update: Uint8Array;
  decoded: DecodedUpdate;
}

/**
 * Whether an update only inserts characters after or before existing ones (its parent
 * follows from its neighbours) and deletes: what typing sends. Attributes, marks, new
 * elements or text nodes take the one-by-one path.
 */
function isPlainTyping(decoded: DecodedUpdate): boolean {
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) return false;
    if (!(struct.content instanceof Y.ContentString) || struct.parent !== null || struct.parentSub !== null) return false;
  }
  return true;
}

/**
 * Ids of the blocks whose text `decoded` changed, looked up in `doc` after it was applied;
 * null if any of its items is not text inside a block.
 */
function typedIn(doc: Y.Doc, decoded: DecodedUpdate): Set<string> | null {
  const ids = new Set<string>();
  const note = (item: Y.Item | Y.GC): boolean => {
    const text = item instanceof Y.Item ? item.parent : null;
    const block = text instanceof Y.XmlText ? text.parent : null;
    if (!(block instanceof Y.XmlElement)) return false;
    ids.add(String(block.getAttribute("id")));
    return true;
  };
  for (const struct of decoded.structs) if (!note(Y.getItem(doc.store, struct.id))) return null;
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) return null;
    for (const { clock, len } of ranges)
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) if (!note(structs[i]!)) return null;
  }
  return ids;
}

/** Sends messages to one connection in one write. */
function sendAll(conn: Connection, messages: Uint8Array[]): void {
  if (messages.length === 1) conn.send(messages[0]!);
  else conn.sendFrames(binaryFrames(messages), messages);
}

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

// A joiner gets the cached full state plus what changed since, encoded from the document;
// once that is this share of the state, the state is encoded afresh instead.
const MAX_CHANGES_SHARE = 0.5;

/** Whether an update carries nothing: no structs, no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

// Presence changes a second that each connection is sent at most (see `deliver`).
const PRESENCE_BUDGET = 1000;

// A client that sends this many refused updates is not a person making a mistake.
const MAX_REFUSALS = 50;

/** Whether a transaction added, deleted or changed anything. */
function changedAnything(tr: Y.Transaction): boolean {
  if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if ((tr.beforeState.get(client) ?? 0) !== clock) return true;
  return false;
}

/**
 * The live state of one document: its Yjs doc, awareness, and the connections that have
 * it open.
 *
 * An update from a client is checked without the document (shape) when it arrives; at the
 * flush, the turn's updates are applied to the document and checked in context (what they
 * touched), and a refused one is undone by reloading the stored text. Nothing is sent to
 * anyone before it is durable in SQLite: the manager's flush writes the accepted updates,
 * then broadcasts them as one message encoded once.
 */
export class Room {
  readonly conns = new Set<Connection>();
  /** Presence (cursors, names) of the clients here, relayed with the server's stamp. */
  readonly awareness: AwarenessRelay;
  /** Accepted updates waiting for the flush. */
  pending: PendingUpdate[] = [];
  /** Messages for one connection that reveal text, held until the commit they need is on disk. */
  private heldReplies: Array<{ conn: Connection; messages: Uint8Array[]; needs: number }> = [];
  /** The last commit holding this room's updates. */
  lastCommitSeq = 0;
  /** Size of the last snapshot, bytes: compacting costs in proportion to it (RoomManager). */
  snapshotBytes = 0;
  /**
   * An upper bound of the document's encoded size, bytes: what it was loaded from plus
   * every update accepted since (deletions shrink the real size, never this). Checked
   * against the limit before an update is even decoded; made exact only near the limit.
   */
  approxBytes = 0;
  /** Whether a compaction is already scheduled (RoomManager). */
  compactionScheduled = false;
  /** Ids of the blocks as of the last structural change (see `blockIds`). */
  private knownBlockIds = new Set<string>();
  /** The document's text, or null until something needs it (see `deferred`). */
  private current: Y.Doc | null = null;
  /** Builds the text of a room opened before its text was loaded; null once loaded. */
  private loadText: (() => Y.Doc) | null = null;
  /** Sync step 1 of a room whose text is not built yet, from its snapshot's state vector. */
  private unloadedStep1: Uint8Array | null = null;
  /** Updates received this turn, validated and applied at the flush. */
  private received: ReceivedUpdate[] = [];
  private lastTransaction: Y.Transaction | null = null;
  /** The full state as sync step 2, encoded once, and its state vector. */
  private fullState: { update: Uint8Array; message: Uint8Array; stateVector: Uint8Array } | null = null;

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
    this.awareness = new AwarenessRelay({ maxStateBytes: host.config.maxPresenceBytes, maxStates: host.config.maxPresenceStates });
    if (text instanceof Y.Doc) {
      this.adopt(text);
      this.knownBlockIds = this.currentBlockIds();
    } else {
      this.loadText = text.load;
      this.snapshotBytes = text.fullState.length;
      this.approxBytes = text.fullState.length;
      this.fullState = { update: text.fullState, message: encodeSyncUpdate(text.fullState, SYNC_STEP2), stateVector: text.stateVector };
      this.unloadedStep1 = encodeSyncStep1From(text.stateVector);
    }
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

  /** The document's text (built now if it was not yet). */
  get doc(): Y.Doc {
    this.load();
    return this.current!;
  }

  /** Whether the text is in memory. */
  get loaded(): boolean {
    return this.current !== null;
  }

  /**
   * Builds the text of a deferred room; does nothing once built. Should the stored text
   * turn out damaged, the host is told (it quarantines the document) and the error thrown.
   */
  load(): void {
    if (this.loadText === null) return;
    const load = this.loadText;
    let doc: Y.Doc;
    try {
      doc = load();
    } catch (error) {
      this.host.failed(this, error);
      throw error;
    }
    this.loadText = null;
    this.unloadedStep1 = null;
    this.adopt(doc, true);
    this.knownBlockIds = this.currentBlockIds();
  }

  /** `load` from a timer: a failure is the host's to contain (see `load`), never a crash. */
  loadSoon(): void {
    try {
      this.load();
    } catch {
      // Already reported to the host by `load`.
    }
  }

  /** Ids of the blocks as of the last structural change, to tell which ones were removed. */
  get blockIds(): Set<string> {
    this.load();
    return this.knownBlockIds;
  }

  set blockIds(ids: Set<string>) {
    this.knownBlockIds = ids;
  }

  /** The fragment holding the text. */
  get fragment(): Y.XmlFragment {
    return textFragment(this.doc);
  }

  /** Ids of the blocks now in the document. */
  currentBlockIds(): Set<string> {
    const ids = new Set<string>();
    for (const child of this.fragment.toArray()) {
      if (child instanceof Y.XmlElement) ids.add(String(child.getAttribute("id")));
    }
    return ids;
  }

  /**
   * Makes `doc` the room's document and listens to it. The cached full state is kept only
   * when `doc` was just built from it (a deferred room).
   */
  private adopt(doc: Y.Doc, keepFullState = false): void {
    this.current = doc;
    if (!keepFullState) this.fullState = null;
    doc.on("afterTransaction", (tr: Y.Transaction) => {
      // Only the transaction that applied a remote update: after an update with formatting,
      // Yjs runs a local clean-up transaction of its own, which changes nothing we check.
      if (!tr.local) this.lastTransaction = tr;
    });
  }

  /** After a change: which blocks disappeared, keeping `blockIds` current. */
  private noteStructure(change: TextChange): Set<string> {
    if (!change.structural) return new Set();
    const after = this.currentBlockIds();
    const removed = new Set([...this.blockIds].filter((id) => !after.has(id)));
    this.blockIds = after;
    return removed;
  }

  /** Greets a new connection: our state vector (so it sends what we lack) and who is here. */
  welcome(conn: Connection): void {
    conn.send(this.unloadedStep1 ?? encodeSyncStep1(this.doc));
    const present = this.awareness.encodeAll();
    if (present) conn.send(encodeAwareness(present));
  }

  /** Handles one binary message from a connection. Never throws for bad input. */
  receive(conn: Connection, message: Uint8Array): void {
    let decoder: decoding.Decoder;
    let type: number;
    try {
      decoder = decoding.createDecoder(message);
      type = decoding.readVarUint(decoder);
    } catch {
      return this.refuse(conn, "malformed message");
    }
    try {
      switch (type) {
        case MESSAGE_SYNC:
          return this.receiveSync(conn, decoder);
        case MESSAGE_AWARENESS:
          return this.receiveAwareness(conn, decoding.readVarUint8Array(decoder));
        case MESSAGE_QUERY_AWARENESS:
          conn.send(encodeAwareness(this.awareness.encodeAll() ?? new Uint8Array([0])));
          return;
        case MESSAGE_AUTH:
          return;
        default:
          return; // Unknown types (e.g. a newer client's) are ignored, as y-websocket does.
      }
    } catch (error) {
      // Damaged stored text or a storage fault is the server's trouble, not the client's.
      if (error instanceof DamagedText || storageFault(error) !== null) return this.host.failed(this, error);
      return this.refuse(conn, "malformed message");
    }
  }

  private receiveSync(conn: Connection, decoder: decoding.Decoder): void {
    const subType = decoding.readVarUint(decoder);
    if (subType === SYNC_STEP1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      this.replyWhenDurable(conn, this.stateSince(stateVector));
      if (!this.loaded) setImmediate(() => this.loadSoon());
      return;
    }
    if (subType === SYNC_STEP2 || subType === SYNC_UPDATE) {
      this.receiveUpdate(conn, decoding.readVarUint8Array(decoder));
      return;
    }
    this.refuse(conn, "unknown sync message");
  }

  /**
   * What a peer with `stateVector` lacks, as sync step 2 (and an update). A joiner (empty
   * state vector) gets the cached full state, encoded once, and what changed since, encoded
   * from the document against the cache's state vector: a fraction of a millisecond where
   * encoding a 1 MB document afresh takes 10–13 ms, which every other editor would wait for.
   */
  private stateSince(stateVector: Uint8Array): Uint8Array[] {
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    if (!empty) return [encodeSyncUpdate(Y.encodeStateAsUpdate(this.doc, stateVector), SYNC_STEP2)];
    const full = this.cachedFullState();
    // A room whose text is not built yet has applied nothing since its snapshot.
    if (!this.loaded) return [full.message];
    const changes = this.changesSince(full);
    if (isEmptyUpdate(changes)) return [full.message];
    if (changes.length > full.update.length * MAX_CHANGES_SHARE) {
      this.fullState = null;
      return [this.cachedFullState().message];
    }
    return [full.message, encodeSyncUpdate(changes)];
  }

  private cachedFullState(): { update: Uint8Array; message: Uint8Array; stateVector: Uint8Array } {
    if (this.fullState === null) {
      const update = Y.encodeStateAsUpdate(this.doc);
      this.fullState = { update, message: encodeSyncUpdate(update, SYNC_STEP2), stateVector: Y.encodeStateVector(this.doc) };
    }
    return this.fullState;
  }

  /** What the document has that the cached state lacks, as one update (empty if nothing). */
  private changesSince(full: { stateVector: Uint8Array }): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc, full.stateVector);
  }

  /** The document's full state as one update (for compaction), from the cache when nothing changed since. */
  fullStateUpdate(): Uint8Array {
    if (this.fullState !== null && isEmptyUpdate(this.changesSince(this.fullState))) return this.fullState.update;
    this.fullState = null;
    return this.cachedFullState().update;
  }

  /**
   * Takes a client's update: the checks that need no document at once (shape; for a
   * read-only client, whether it would change anything, without applying it); the rest at
   * the flush (`integrate`), with the other updates of the same turn.
   */
  receiveUpdate(conn: Connection, update: Uint8Array): void {
    // The size first, before any work: a 10 MB update costs nothing to refuse.
    const sizeProblem = this.sizeProblem(update.length);
    if (sizeProblem !== null) return this.refuse(conn, `update refused: ${conn.writeDenial ?? sizeProblem}`);
    let decoded: DecodedUpdate;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      return this.refuse(conn, `update refused: ${conn.writeDenial ?? "the update cannot be decoded"}`);
    }
    const shapeProblem = staticProblemOf(decoded);
    if (shapeProblem) return this.refuse(conn, `update refused: ${conn.writeDenial ?? shapeProblem}`);
    // A re-send of what the server already has (every reconnect's sync step 2) is harmless,
    // even from a read-only client; anything else from one is refused without being applied.
    if (conn.writeDenial !== null) {
      if (changesDocument(this.doc, decoded)) this.refuse(conn, `update refused: ${conn.writeDenial}`);
      return;
    }
    // While the storage fails, an update is held back on the client, which is asked for it
    // again once the server can store it (`resync`): no reconnect, nothing lost.
    const heldBack = this.host.heldBack;
    if (heldBack !== null && changesDocument(this.doc, decoded)) return this.holdBack(conn, heldBack);
    this.received.push({ conn, update, decoded });
    this.host.scheduleFlush();
  }

  /**
   * Validates and applies the updates received this turn (called by the flush). Plain
   * typing (characters inserted or deleted inside paragraphs) is applied in one Yjs
   * transaction and validated once on what it touched: Yjs pays per transaction for every
   * client the document has ever seen, so one per turn instead of one per update is what
   * keeps hundreds of editors cheap. If anything in the batch is refused or is more than
   * typing, the batch is undone and each update is taken one by one, exactly as alone.
   */
  integrate(): void {
    if (this.received.length === 0) return;
    const received = this.received;
    this.received = [];
    if (received.length > 1 && received.every((r) => isPlainTyping(r.decoded))) {
      if (this.integrateBatch(received)) return;
      this.rollback();
    }
    for (const r of received) this.integrateOne(r.conn, r.update);
  }

  /** One transaction for `batch`; false (document to be rolled back) unless all of it is accepted. */
  private integrateBatch(batch: ReceivedUpdate[]): boolean {
    const fresh = batch.filter((r) => changesDocument(this.doc, r.decoded));
    if (fresh.length === 0) return true;
    this.lastTransaction = null;
    try {
      Y.transact(this.doc, () => {
        for (const r of fresh) Y.applyUpdate(this.doc, r.update, r.conn);
      }, null, false);
    } catch {
      return false;
    }
    const tr = this.lastTransaction as Y.Transaction | null;
    if (tr === null || this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) return false;
    for (const type of tr.changed.keys()) if (!(type instanceof Y.XmlText)) return false;
    const result = documentProblem(this.id, this.fragment, tr, this.host.rules);
    if ("problem" in result) return false;
    let touched: Array<Set<string> | null>;
    try {
      touched = fresh.map((r) => typedIn(this.doc, r.decoded));
    } catch {
      return false;
    }
    if (touched.some((t) => t === null)) return false;
    fresh.forEach((r, i) => {
      this.pending.push({ update: r.update, user: r.conn.user, conn: r.conn, change: { touched: touched[i]!, structural: false }, removedBlockIds: new Set() });
    });
    return true;
  }

  /** Applies one update in its own transaction and validates it in context, or refuses it. */
  private integrateOne(conn: Connection, update: Uint8Array): void {
    this.lastTransaction = null;
    try {
      Y.applyUpdate(this.doc, update, conn);
    } catch {
      this.rollback();
      return this.refuse(conn, "update refused: it cannot be applied");
    }
    const tr = this.lastTransaction as Y.Transaction | null;
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      this.rollback();
      return this.refuse(conn, "update refused: it builds on content the server does not have; reload the document");
    }
    if (tr === null || !changedAnything(tr)) return;
    const result = documentProblem(this.id, this.fragment, tr, this.host.rules, conn.user);
    if ("problem" in result) {
      this.rollback();
      return this.refuse(conn, `update refused: ${result.problem}`);
    }
    if (result.change.structural && this.fragment.length > this.host.config.maxBlocks) {
      this.rollback();
      return this.refuse(conn, `update refused: ${blockLimitProblem(this.host.config.maxBlocks)}`);
    }
    let removed: RemovedParagraph[] | undefined;
    if (result.change.structural) {
      const after = this.currentBlockIds();
      const gone = new Set([...this.blockIds].filter((id) => !after.has(id)));
      if (gone.size > 0) {
        const problem = this.removalProblem(conn, gone);
        if (problem) {
          this.rollback();
          return this.refuse(conn, `update refused: ${problem}`);
        }
        removed = this.asTheyStood(gone);
      }
    }
    this.pending.push({ update, user: conn.user, conn, change: result.change, removedBlockIds: this.noteStructure(result.change), removedParagraphs: removed });
  }

  /**
   * Why `conn` may not remove the paragraphs `gone` in one update, or null: a delegate
   * removes at most a few at once (proposing a deletion is what amendments are for), and
   * each feature may protect its paragraphs (agreed, bracketed, amended).
   */
  private removalProblem(conn: Connection, gone: ReadonlySet<string>): string | null {
    const max = this.host.config.maxParagraphDeletions;
    if (conn.user.role === "delegate" && gone.size > max)
      return `a delegate may delete at most ${max} paragraph${max === 1 ? "" : "s"} at once (this update deletes ${gone.size}); propose a deletion as an amendment`;
    for (const id of gone) {
      const problem = this.host.rules.removalProblem?.(this.id, conn.user, id, null);
      if (problem) return problem;
    }
    return null;
  }

  /**
   * The paragraphs `ids` as they stood before the update being integrated: the stored
   * text plus what this flush accepted before it (as `rollback` rebuilds it). Paid only
   * by an update that removes paragraphs.
   */
  private asTheyStood(ids: ReadonlySet<string>): RemovedParagraph[] {
    const before = this.host.storedText(this.id);
    before.transact(() => {
      for (const p of this.pending) Y.applyUpdate(before, p.update);
    });
    const removed = removedParagraphs(before, ids);
    before.destroy();
    return removed;
  }

  /**
   * Undoes a refused update: the document again as stored (every earlier flush is
   * committed) plus what this flush accepted before it. Refusals are rare, so no copy of
   * the document is kept for them: opening a room and accepting an update cost one document.
   */
  private rollback(): void {
    const doc = this.host.storedText(this.id);
    doc.transact(() => {
      for (const p of this.pending) Y.applyUpdate(doc, p.update);
    });
    // The old document is dropped, not destroyed: features may still hold it for a moment.
    this.adopt(doc);
  }

  private refuse(conn: Connection, reason: string): void {
    conn.refusals += 1;
    conn.send(encodePermissionDenied(reason));
    this.host.refused(this, conn, reason);
    if (conn.refusals >= MAX_REFUSALS) conn.close(CLOSE_REFUSED_TOO_OFTEN, "too many refused updates");
  }

  /** Tells a client its update is held back (`fault`), and marks it to be asked again (`resync`). */
  holdBack(conn: Connection, fault: string): void {
    const reason = `update held back: ${fault}; your change stays with you and is sent again once the server can store it`;
    // Not counted as a refusal: the client did nothing wrong and must not be dropped for it.
    if (!conn.resync) conn.send(encodePermissionDenied(reason));
    conn.resync = true;
    this.host.refused(this, conn, reason);
  }

  /**
   * Undoes updates applied to the document but not stored (their commit failed): the
   * document again as stored. Throws if even the stored text cannot be read.
   */
  revert(): void {
    this.received = [];
    this.pending = [];
    this.rollback();
    this.knownBlockIds = this.currentBlockIds();
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
   * Relays a client's presence, stamping who is behind each state it sets from the session,
   * so nobody can pose as another delegation. Only states the client actually changed are
   * stamped: a stock client echoes others' presence, which must not take their names.
   */
  private receiveAwareness(conn: Connection, update: Uint8Array): void {
    const user = conn.user;
    // A bucket of `presencePerSecond` changes, refilled continuously: a person moving a
    // cursor never empties it; a flood is refused, and told so at most once a second.
    const rate = this.host.config.presencePerSecond;
    const now = performance.now();
    conn.presenceTokens = Math.min(rate, conn.presenceTokens + ((now - conn.presenceRefilledAt) * rate) / 1000);
    conn.presenceRefilledAt = now;
    if (conn.presenceTokens < 1) {
      if (now - conn.presenceRefusedAt < 1000) return;
      conn.presenceRefusedAt = now;
      conn.send(encodePermissionDenied(`presence refused: at most ${rate} presence changes a second`));
      return;
    }
    const stamp = (state: Record<string, unknown>) => {
      const claimed = (state.user ?? {}) as Record<string, unknown>;
      state.user = { ...claimed, id: user.id, name: user.displayName, username: user.username, delegation: user.delegation, role: user.role };
    };
    // The same person's other connection may hand its ids over (a reconnect before the old socket is found dead).
    const sameUser = (owner: Set<number>) => [...this.conns].some((c) => c.awarenessIds === owner && c.user.id === user.id);
    const result = this.awareness.apply(update, stamp, conn.awarenessIds, sameUser);
    if (result.problem !== null) return this.refuse(conn, `presence refused: ${result.problem}`);
    conn.presenceTokens -= result.set;
    if (result.changed) this.host.scheduleFlush();
  }

  /**
   * Applies a change made by the server itself (an accepted amendment, a resolved bracket).
   * Returns the update and what it touched; the caller stores it in its transaction.
   */
  applyServerChange(edit: (fragment: Y.XmlFragment, doc: Y.Doc) => void): { update: Uint8Array; change: TextChange } | null {
    let update: Uint8Array | null = null;
    let transaction: Y.Transaction | null = null;
    const onUpdate = (u: Uint8Array, _origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      update = u;
      transaction = tr;
    };
    this.doc.on("update", onUpdate);
    try {
      this.doc.transact(() => edit(this.fragment, this.doc), "server");
    } finally {
      this.doc.off("update", onUpdate);
    }
    if (update === null || transaction === null) return null;
    const result = documentProblem(this.id, this.fragment, transaction, {});
    const change: TextChange = "change" in result ? result.change : { touched: new Set(), structural: true };
    return { update, change };
  }

  /**
   * Sends messages that reveal text once everything applied so far is on disk: the room's
   * last commit (or the next one, for updates applied but not yet committed).
   */
  private replyWhenDurable(conn: Connection, messages: Uint8Array[]): void {
    const seqs = this.host.commitSeqs();
    // Updates received this turn are not in the document yet, so the reply does not reveal them.
    const needs = this.pending.length > 0 ? seqs.next : this.lastCommitSeq;
    if (needs <= seqs.durable && this.heldReplies.length === 0) sendAll(conn, messages);
    else this.heldReplies.push({ conn, messages, needs });
  }

  /** Takes the pending updates for the flush (the caller makes them durable). */
  takePending(): PendingUpdate[] {
    this.integrate();
    const taken = this.pending;
    this.pending = [];
    for (const p of taken) this.approxBytes += p.update.length;
    return taken;
  }

  /**
   * Why `bytes` more would take the document past its size limit, or null. Near the limit
   * the size is measured (the full state, cached while nothing changes) instead of bounded.
   */
  sizeProblem(bytes: number): string | null {
    const max = this.host.config.maxDocumentBytes;
    if (bytes <= max && this.approxBytes + bytes <= max) return null;
    if (bytes <= max) {
      this.approxBytes = this.fullStateUpdate().length;
      if (this.approxBytes + bytes <= max) return null;
    }
    return documentSizeProblem(max, bytes);
  }

  /**
   * After the commit `durableSeq` reached the disk with `updates`: one merged update and the
   * awareness changes since the last delivery, framed once, to every connection; then the
   * replies that were waiting for that commit.
   */
  deliver(updates: readonly Uint8Array[], durableSeq: number): void {
    const messages: Uint8Array[] = [];
    if (updates.length > 0) messages.push(encodeSyncUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates as Uint8Array[])));
    // Each person's presence at most every `present / PRESENCE_BUDGET` seconds: in a room of
    // 800 moving their cursors five times a second, 4,000 states a second would reach every
    // screen; past the budget each cursor is relayed less often, with its latest position.
    const presence = this.awareness.takeChanged(performance.now(), (this.awareness.present / PRESENCE_BUDGET) * 1000);
    if (presence.update) messages.push(encodeAwareness(presence.update));
    if (presence.nextInMs !== null) this.host.scheduleFlushIn(presence.nextInMs);
    if (messages.length > 0) this.broadcastAll(messages);
    if (this.heldReplies.length === 0) return;
    let ready = 0;
    while (ready < this.heldReplies.length && this.heldReplies[ready]!.needs <= durableSeq) ready += 1;
    const replies = this.heldReplies.splice(0, ready);
    for (const { conn, messages: m } of replies) sendAll(conn, m);
  }

  /** Sends one message to every connection. */
  broadcast(message: Uint8Array): void {
    this.broadcastAll([message]);
  }

  /** Sends messages to every connection, framed once and written together. */
  private broadcastAll(messages: readonly Uint8Array[]): void {
    if (this.conns.size === 0) return;
    const frames = binaryFrames(messages);
    for (const conn of this.conns) conn.sendFrames(frames, messages);
  }

  /** Forgets a connection and its awareness states. */
  detach(conn: Connection): void {
    this.conns.delete(conn);
    if (this.awareness.remove(conn.awarenessIds)) this.host.scheduleFlush();
  }

  /** Frees the room's memory. */
  destroy(): void {
    this.loadText = null;
    this.current?.destroy();
  }

  /** Whether anything is waiting to be sent. */
  get hasOutgoing(): boolean {
    return this.pending.length > 0 || this.received.length > 0 || this.heldReplies.length > 0 || this.awareness.hasChanges;
  }
}
