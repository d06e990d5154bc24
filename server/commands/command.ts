import type * as Y from "yjs";
import { FROZEN_STATES } from "../../schema/roles.js";
import { appendAudit, type AuditActor, type AuditEvent, type AuditInput } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { Room } from "../collab/room.js";
import type { TextChange } from "../collab/validate.js";
import type { AppContext } from "../context.js";
import type { DocumentEvent, EventAudience } from "../events/events.js";
import { conflict, tooLarge } from "../http/errors.js";
import { blockLimitProblem } from "../documents/limits.js";
import { removedParagraphs, type RemovedParagraph } from "../deletions/removed.js";
import { encodeSyncUpdate } from "../collab/protocol.js";
import { sqliteOf } from "../store/db.js";
import { ReactionBatch } from "./reaction-batch.js";

/**
 * The transaction a domain command runs in. Everything it writes (rows, audit events, text
 * updates) commits together; what it announces (text broadcasts, events) goes out only
 * after the commit, and not at all if the command fails.
 */
export class CommandTx {
  private readonly textUpdates: Array<[Room, Uint8Array]> = [];
  private readonly events: Array<{ event: DocumentEvent; audience?: EventAudience }> = [];
  private readonly accessChanged = new Set<string>();
  private readonly callbacks: Array<() => void> = [];
  /** Rooms whose text this command changed, with their log counters before it (restored on rollback). */
  private readonly changedRooms = new Map<Room, { nextSeq: number; logLength: number }>();

  constructor(readonly ctx: AppContext) {}

  /** The database, inside the command's transaction. */
  get db() {
    return this.ctx.db;
  }

  /** Appends an audit event in this transaction. */
  audit(who: AuditActor, input: AuditInput): AuditEvent {
    return appendAudit(this.ctx.db, who, input);
  }

  /**
   * Queues an event for every client that has the document open (only those `audience`
   * admits, when given), sent after the commit; the features' event reactions hear it now,
   * inside the transaction.
   */
  publish(event: DocumentEvent, audience?: EventAudience): void {
    this.events.push(audience ? { event, audience } : { event });
    this.ctx.hooks.announced(this, event);
  }

  /**
   * Tells the features' event reactions of an event, inside the transaction, without
   * sending it to any client (the feature announces it to clients in its own way).
   */
  tell(event: DocumentEvent): void {
    this.ctx.hooks.announced(this, event);
  }

  /** Re-reads a document's state after the commit and switches open connections' access. */
  documentStateChanged(documentId: string): void {
    this.accessChanged.add(documentId);
  }

  /** Runs `fn` after a successful commit. */
  afterCommit(fn: () => void): void {
    this.callbacks.push(fn);
  }

  /**
   * Changes a document's text on the server, in one Yjs transaction: the update is logged
   * in this SQLite transaction, the features' reactions run, and every connected client
   * receives it after the commit. Refused with 409 once the document is frozen.
   * `removing`: the paragraphs the edit will remove, as they stand before it, when the
   * caller has them at hand (a language version following its original): the deletions
   * record is then written without reading the document's stored text.
   */
  changeText(
    documentId: string,
    user: User | null,
    edit: (fragment: Y.XmlFragment, doc: Y.Doc) => void,
    removing?: readonly RemovedParagraph[],
  ): TextChange {
    const room = this.ctx.rooms.open(documentId);
    if (FROZEN_STATES.has(room.facts.state)) throw conflict(`the document is ${room.facts.state}; its text can no longer change`);
    const before = room.blockIds;
    if (!this.changedRooms.has(room)) this.changedRooms.set(room, { nextSeq: room.nextSeq, logLength: room.logLength });
    const result = room.applyServerChange(edit);
    if (!result) return { touched: new Set(), structural: false, reattributed: new Set() };
    // Past a limit the change is refused; runCommand's rollback takes it out of the room.
    const sizeProblem = room.sizeProblem(result.update.length);
    if (sizeProblem !== null) throw tooLarge(sizeProblem);
    if (result.change.structural && room.fragment.length > this.ctx.config.maxBlocks) throw tooLarge(blockLimitProblem(this.ctx.config.maxBlocks));
    room.approxBytes += result.update.length;
    let removedBlockIds = new Set<string>();
    let removed: RemovedParagraph[] | undefined;
    if (result.change.structural) {
      const after = room.currentBlockIds();
      removedBlockIds = new Set([...before].filter((id) => !after.has(id)));
      room.blockIds = after;
      const given = removing?.filter((p) => removedBlockIds.has(p.block.id));
      if (removedBlockIds.size > 0 && given?.length === removedBlockIds.size) removed = given;
      // The stored text is still the text before this change (it is appended below).
      else if (removedBlockIds.size > 0) {
        const stored = this.ctx.texts.load(documentId).doc;
        removed = removedParagraphs(stored, removedBlockIds);
        stored.destroy();
      }
    }
    const seq = room.nextSeq++;
    this.ctx.texts.append([{ documentId, seq, update: result.update, userId: user?.id ?? null }]);
    room.logLength += 1;
    const batch = new ReactionBatch((id) => (id === documentId ? [...result.change.touched, ...removedBlockIds] : []));
    this.ctx.hooks.react(this, { room, user, byServer: true, change: result.change, update: result.update, removedBlockIds, removedParagraphs: removed, batch });
    batch.end();
    this.textUpdates.push([room, result.update]);
    return result.change;
  }

  /** The rooms whose text this transaction changed. */
  get changedRoomList(): Room[] {
    return [...this.changedRooms.keys()];
  }

  /** Called by runCommand after the commit. */
  commit(): void {
    for (const [room, update] of this.textUpdates) room.broadcast(encodeSyncUpdate(update));
    for (const { event, audience } of this.events) this.ctx.rooms.publish(event, audience);
    for (const id of this.accessChanged) this.ctx.rooms.refreshAccess(id);
    for (const fn of this.callbacks) fn();
    for (const room of this.changedRooms.keys()) this.ctx.rooms.releaseIfIdle(room);
  }

  /**
   * Called by runCommand when the transaction failed: each room's text goes back to what is
   * stored (nobody was sent the change); a room that cannot be reverted is dropped. Idle
   * rooms are closed unless `release` is false (a failed flush, which must not flush again).
   */
  rollback(release = true): void {
    for (const [room, counters] of this.changedRooms) {
      try {
        room.revert();
        Object.assign(room, counters);
      } catch (error) {
        this.ctx.rooms.contain(room, error, "reverting a failed command");
        this.ctx.rooms.discard(room, "the server could not store a change; reconnecting");
        continue;
      }
      // Inside an enclosing transaction nothing may be flushed; the room closes with its last client.
      if (release && !this.ctx.db.inTransaction) this.ctx.rooms.releaseIfIdle(room);
    }
  }
}

/**
 * Runs one domain command: first makes every pending client update durable (so the
 * command's own text change never builds on something not yet stored), then runs `fn` in
 * one SQLite transaction, then announces what it did.
 */
export function runCommand<T>(ctx: AppContext, fn: (tx: CommandTx) => T): T {
  ctx.rooms.flushNow();
  const tx = new CommandTx(ctx);
  let result: T;
  try {
    const sqlite = sqliteOf(ctx.db);
    // Several processes writing one SQLite file (a cluster): a command takes the write lock as
    // it begins, waiting its turn, instead of failing when another process wrote between
    // its reads and its first write (SQLite cannot upgrade such a snapshot).
    result = sqlite !== null && ctx.ownership !== null ? sqlite.transaction(() => fn(tx)).immediate() : ctx.db.transaction(() => fn(tx))();
  } catch (error) {
    tx.rollback();
    throw error;
  }
  tx.commit();
  return result;
}
