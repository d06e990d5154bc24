import * as Y from "yjs";
import { textFragment } from "../../schema/yfragment.js";
import type { User } from "../auth/users.js";
import type { Config } from "../config.js";
import type { Connection } from "./connection.js";
import { encodeSyncStep1, encodeSyncStep1From, encodeSyncUpdate, SYNC_STEP2 } from "./protocol.js";
import { blockLimitProblem, documentSizeProblem } from "../documents/limits.js";
import { removedParagraphs, type RemovedParagraph } from "../deletions/removed.js";
import { ParagraphReads } from "./paragraph-reads.js";
import { advance, buildsOnMissing } from "./missing-base.js";
import { changesDocument, documentProblem, staticProblemOf, type DecodedUpdate, type TextChange, type TextRules } from "./validate.js";

/** An update accepted into the document but not yet durable. */
export interface PendingUpdate {
  update: Uint8Array;
  /** The update decoded (it was, to be checked when it arrived): the flush's reactions read it without decoding it again. */
  decoded?: DecodedUpdate;
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

/** What a live document needs from the part that owns it. */
export interface DocumentHost {
  /** Validation rules (from the registered features). */
  readonly rules: TextRules;
  /** The server's configuration (limits on documents). */
  readonly config: Config;
  /** Why text updates are held back now (a storage fault), or null when they are stored. */
  readonly heldBack: string | null;
  /** The document's text as committed to the store. */
  storedText(): Y.Doc;
  /** Called when the stored text could not be built (damaged, storage): the host contains it. */
  documentFailed(error: unknown): void;
  /** Called when an update from `conn` was refused, with the reason (the client is told). */
  refuse(conn: Connection, reason: string): void;
  /** Called when an update from `conn` is held back by a storage fault (the client keeps it). */
  holdBack(conn: Connection, fault: string): void;
  /** Asks `conn` for everything the document lacks of it (sync step 1): it sent an update building on content the server never got. */
  askForMissing(conn: Connection): void;
  /** Called when an update was received: the flush after this turn integrates it. */
  scheduleFlush(): void;
}

// Times a client is asked for what its updates build on, without one of them taken in
// between, before its updates building on nothing are refused: a client that answers with
// more of the same is broken or hostile, and asking it forever would cost the room each time.
const MAX_MISSING_ASKS = 3;

// A joiner gets the cached full state plus what changed since, encoded from the document;
// once that is this share of the state, the state is encoded afresh instead.
const MAX_CHANGES_SHARE = 0.5;

/** Whether an update carries nothing: no structs, no deletions. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/** Whether a transaction added, deleted or changed anything. */
function changedAnything(tr: Y.Transaction): boolean {
  if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if ((tr.beforeState.get(client) ?? 0) !== clock) return true;
  return false;
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
  for (const struct of decoded.structs) if (!noteBlock(ids, Y.getItem(doc.store, struct.id))) return null;
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) return null;
    for (const { clock, len } of ranges)
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) if (!noteBlock(ids, structs[i]!)) return null;
  }
  return ids;
}

/**
 * Adds to `ids` the block whose text holds `item`; false if it is not text inside a block.
 * A function of the module rather than a closure in `typedIn`: under tsx a named closure
 * gets its name set on every call, and `typedIn` runs for every update of a batch.
 */
function noteBlock(ids: Set<string>, item: Y.Item | Y.GC): boolean {
  const text = item instanceof Y.Item ? item.parent : null;
  const block = text instanceof Y.XmlText ? text.parent : null;
  if (!(block instanceof Y.XmlElement)) return false;
  ids.add(String(block.getAttribute("id")));
  return true;
}

/**
 * One document's text in memory and the integration of updates into it: the checks that
 * need no document when an update arrives; at the flush, the turn's updates applied and
 * checked in context (what they touched), and a refused one undone by rebuilding the text
 * from the store. It sends nothing and stores nothing: what it accepted waits in `pending`
 * for whoever stores it, and a refusal goes to the host.
 */
export class LiveDocument {
  /** Accepted updates waiting for the flush. */
  pending: PendingUpdate[] = [];
  /** Size of the last snapshot, bytes: compacting costs in proportion to it (RoomManager). */
  snapshotBytes = 0;
  /**
   * An upper bound of the document's encoded size, bytes: what it was loaded from plus
   * every update accepted since (deletions shrink the real size, never this). Checked
   * against the limit before an update is even decoded; made exact only near the limit.
   */
  approxBytes = 0;
  /** Ids of the blocks as of the last structural change (see `blockIds`). */
  private knownBlockIds = new Set<string>();
  /** The document's text, or null until something needs it (a deferred document). */
  private current: Y.Doc | null = null;
  /** Builds the text of a document opened before its text was loaded; null once loaded. */
  private loadText: (() => Y.Doc) | null = null;
  /** Sync step 1 of a document whose text is not built yet, from its snapshot's state vector. */
  private unloadedStep1: Uint8Array | null = null;
  /** Updates received this turn, validated and applied at the flush. */
  private received: ReceivedUpdate[] = [];
  private lastTransaction: Y.Transaction | null = null;
  /** The full state as sync step 2, encoded once, and its state vector. */
  private fullState: { update: Uint8Array; message: Uint8Array; stateVector: Uint8Array } | null = null;

  constructor(
    readonly id: string,
    text: Y.Doc | { load: () => Y.Doc; fullState: Uint8Array; stateVector: Uint8Array },
    private readonly host: DocumentHost,
  ) {
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
   * Builds the text of a deferred document; does nothing once built. Should the stored
   * text turn out damaged, the host is told (it quarantines the document) and the error thrown.
   */
  load(): void {
    if (this.loadText === null) return;
    const load = this.loadText;
    let doc: Y.Doc;
    try {
      doc = load();
    } catch (error) {
      this.host.documentFailed(error);
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
   * Makes `doc` the document and listens to it. The cached full state is kept only when
   * `doc` was just built from it (a deferred document).
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

  /** Sync step 1 with the document's state vector (from the snapshot while the text is not built). */
  step1(): Uint8Array {
    return this.unloadedStep1 ?? encodeSyncStep1(this.doc);
  }

  /**
   * What a peer with `stateVector` lacks, as sync step 2 (and an update). A joiner (empty
   * state vector) gets the cached full state, encoded once, and what changed since, encoded
   * from the document against the cache's state vector: a fraction of a millisecond where
   * encoding a 1 MB document afresh takes 10–13 ms, which every other editor would wait for.
   */
  stateSince(stateVector: Uint8Array): Uint8Array[] {
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    if (!empty) return [encodeSyncUpdate(Y.encodeStateAsUpdate(this.doc, stateVector), SYNC_STEP2)];
    const full = this.cachedFullState();
    // A document whose text is not built yet has applied nothing since its snapshot.
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
    if (sizeProblem !== null) return this.host.refuse(conn, `update refused: ${conn.writeDenial ?? sizeProblem}`);
    let decoded: DecodedUpdate;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      return this.host.refuse(conn, `update refused: ${conn.writeDenial ?? "the update cannot be decoded"}`);
    }
    const shapeProblem = staticProblemOf(decoded);
    if (shapeProblem) return this.host.refuse(conn, `update refused: ${conn.writeDenial ?? shapeProblem}`);
    // A re-send of what the server already has (every reconnect's sync step 2) is harmless,
    // even from a read-only client; anything else from one is refused without being applied.
    if (conn.writeDenial !== null) {
      if (changesDocument(this.doc, decoded)) this.host.refuse(conn, `update refused: ${conn.writeDenial}`);
      return;
    }
    // While the storage fails, an update is held back on the client, which is asked for it
    // again once the server can store it (`Room.resync`): no reconnect, nothing lost.
    const heldBack = this.host.heldBack;
    if (heldBack !== null && changesDocument(this.doc, decoded)) return this.host.holdBack(conn, heldBack);
    this.received.push({ conn, update, decoded });
    this.host.scheduleFlush();
  }

  /** Whether updates were received and not yet integrated. */
  get hasReceived(): boolean {
    return this.received.length > 0;
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
    const received = this.setAsideMissingBase(this.received);
    this.received = [];
    if (received.length === 0) return;
    if (received.length > 1 && received.every((r) => isPlainTyping(r.decoded))) {
      if (this.integrateBatch(received)) return;
      this.rollback();
    }
    for (const r of received) this.integrateOne(r);
  }

  /**
   * Sets aside, without applying them, the updates that build on content the document lacks
   * (`buildsOnMissing`; each may build on the ones before it in `received`), and returns the
   * others. Such an update is the client's own earlier work that never arrived (typed on after
   * its server died, before the new one greeted it): the client did nothing wrong, so it is
   * not refused (a refusal counts towards dropping it, with a close code after which the stock
   * client never reconnects, and is shown to the person) but asked once for everything the
   * document lacks of it, which its answer brings together with the updates set aside. A
   * client whose answers still build on nothing, asked `MAX_MISSING_ASKS` times without an
   * update of its being taken in between, is refused as before.
   */
  private setAsideMissingBase(received: ReceivedUpdate[]): ReceivedUpdate[] {
    const ahead = new Map<number, number>();
    const state = (client: number) => Math.max(Y.getState(this.doc.store, client), ahead.get(client) ?? 0);
    const rest: ReceivedUpdate[] = [];
    for (const r of received) {
      if (buildsOnMissing(r.decoded, state)) {
        const conn = r.conn;
        if (conn.missingAsks >= MAX_MISSING_ASKS) this.host.refuse(conn, "update refused: it builds on content the server does not have; reload the document");
        else if (!conn.missingAsked) {
          conn.missingAsked = true;
          conn.missingAsks += 1;
          this.host.askForMissing(conn);
        }
        continue;
      }
      r.conn.missingAsked = false;
      r.conn.missingAsks = 0;
      advance(r.decoded, ahead);
      rest.push(r);
    }
    return rest;
  }

  /** One transaction for `batch`; false (document to be rolled back) unless all of it is accepted. */
  private integrateBatch(batch: ReceivedUpdate[]): boolean {
    const fresh = batch.filter((r) => changesDocument(this.doc, r.decoded));
    if (fresh.length === 0) return true;
    this.lastTransaction = null;
    try {
      Y.transact(
        this.doc,
        () => {
          for (const r of fresh) Y.applyUpdate(this.doc, r.update, r.conn);
        },
        null,
        false,
      );
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
      this.pending.push({
        update: r.update,
        decoded: r.decoded,
        user: r.conn.user,
        conn: r.conn,
        change: { touched: touched[i]!, structural: false, reattributed: new Set() },
        removedBlockIds: new Set(),
      });
    });
    return true;
  }

  /** Applies one update in its own transaction and validates it in context, or refuses it. */
  private integrateOne({ conn, update, decoded }: ReceivedUpdate): void {
    this.lastTransaction = null;
    try {
      Y.applyUpdate(this.doc, update, conn);
    } catch {
      this.rollback();
      return this.host.refuse(conn, "update refused: it cannot be applied");
    }
    const tr = this.lastTransaction as Y.Transaction | null;
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      this.rollback();
      return this.host.refuse(conn, "update refused: it builds on content the server does not have; reload the document");
    }
    if (tr === null || !changedAnything(tr)) return;
    const result = documentProblem(this.id, this.fragment, tr, this.host.rules, conn.user);
    if ("problem" in result) {
      this.rollback();
      return this.host.refuse(conn, `update refused: ${result.problem}`);
    }
    if (result.change.structural && this.fragment.length > this.host.config.maxBlocks) {
      this.rollback();
      return this.host.refuse(conn, `update refused: ${blockLimitProblem(this.host.config.maxBlocks)}`);
    }
    let removed: RemovedParagraph[] | undefined;
    if (result.change.structural) {
      const after = this.currentBlockIds();
      const gone = new Set([...this.blockIds].filter((id) => !after.has(id)));
      if (gone.size > 0) {
        const problem = this.removalProblem(conn, gone);
        if (problem) {
          this.rollback();
          return this.host.refuse(conn, `update refused: ${problem}`);
        }
        removed = this.asTheyStood(gone);
      }
    }
    this.pending.push({ update, decoded, user: conn.user, conn, change: result.change, removedBlockIds: this.noteStructure(result.change), removedParagraphs: removed });
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
    const reads = ParagraphReads.of(this.id, gone);
    for (const id of gone) {
      const problem = this.host.rules.removalProblem?.(this.id, conn.user, id, null, reads);
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
    const before = this.host.storedText();
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
    const doc = this.host.storedText();
    doc.transact(() => {
      for (const p of this.pending) Y.applyUpdate(doc, p.update);
    });
    // The old document is dropped, not destroyed: features may still hold it for a moment.
    this.adopt(doc);
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
    const change: TextChange = "change" in result ? result.change : { touched: new Set(), structural: true, reattributed: new Set() };
    return { update, change };
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

  /** Frees the document's memory. */
  destroy(): void {
    this.loadText = null;
    this.current?.destroy();
  }
}
