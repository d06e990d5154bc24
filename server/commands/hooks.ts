import type { User } from "../auth/users.js";
import type { Actor } from "../../schema/roles.js";
import type { Room } from "../collab/room.js";
import type { DecodedUpdate, TextChange, TextRules } from "../collab/validate.js";
import type { CommandTx } from "./command.js";
import type { RemovedParagraph } from "../deletions/removed.js";
import type { Paragraph } from "../documents/paragraphs.js";
import type { DocumentEvent } from "../events/events.js";
import type { AuditActor } from "../audit/audit.js";
import type { StoredVersion } from "../../schema/api/versions.js";
import type { ReactionBatch } from "./reaction-batch.js";
import { ParagraphReads } from "../collab/paragraph-reads.js";

/** A feature's rule on which blocks may not change (TextRules.editProblem), reading through the validation's `reads`. */
export type EditRule = (documentId: string, blockId: string, reads: ParagraphReads) => string | null;

/** A feature's rule on removing brackets or paragraphs (TextRules.removalProblem), reading through the validation's `reads`. */
export type RemovalRule = (documentId: string, actor: Actor | null, blockId: string, present: ReadonlySet<string> | null, reads: ParagraphReads) => string | null;

/** One accepted change of a document's text, as hooks see it. */
export interface AcceptedTextChange {
  room: Room;
  /** Who made it (null for the server's own commands run by the system). */
  user: User | null;
  /** Whether the server made it (an amendment applied, a bracket resolved…). */
  byServer: boolean;
  change: TextChange;
  /** The Yjs update that made the change, exactly as it was stored. */
  update: Uint8Array;
  /** That update decoded, when the server decoded it already (a client's, to validate it): reactions need not decode it again. */
  decoded?: DecodedUpdate;
  /** Ids of blocks that existed before and no longer do. */
  removedBlockIds: Set<string>;
  /** Those blocks as they stood just before (when the change removed any). */
  removedParagraphs?: readonly RemovedParagraph[];
  /**
   * Shared by the reactions to every change of the same batch (one flush, or one command
   * change): a paragraph checked once, rows written once at its end.
   */
  batch: ReactionBatch;
}

/** How the versions feature stores a version of a document's current text (audited, announced). */
export type VersionStore = (
  tx: CommandTx,
  who: AuditActor,
  documentId: string,
  input: { label: string; reason: "renumbered" },
) => StoredVersion;

/** Where a paragraph was objected to, and by whom (a bracket opened in it). */
export interface ParagraphObjection {
  meetingId: string;
  documentId: string;
  paragraphId: string;
  /** The paragraph as it stood (null when unknown). */
  paragraph: Paragraph | null;
  /** Who objected (null for the server). */
  user: User | null;
  /** The reason, as people read it ("bracket B3 opened by USA"). */
  because: string;
}

/**
 * How features take part in text changes, registered at start (see app.ts):
 * `rules` add validation (refuse before anyone sees: unknown brackets, agreed text),
 * `afterTextChange` reacts inside the transaction that makes the change durable (mark
 * amendments stale, close deleted brackets) and may audit and publish through `tx`.
 */
export class TextHooks implements TextRules {
  private readonly bracketRules: NonNullable<TextRules["bracketProblem"]>[] = [];
  private readonly removalRules: RemovalRule[] = [];
  private readonly editRules: EditRule[] = [];
  private readonly structureRules: NonNullable<TextRules["structureProblem"]>[] = [];
  private readonly reactions: Array<(tx: CommandTx, change: AcceptedTextChange) => void> = [];
  private readonly objectionReactions: Array<(tx: CommandTx, objection: ParagraphObjection) => void> = [];
  private readonly eventReactions: Array<(tx: CommandTx, event: DocumentEvent) => void> = [];
  private readonly openReactions: Array<(room: Room) => void> = [];
  private versionStore: VersionStore | null = null;

  /** The versions feature says how a version is stored, for acts of other features that store one (a renumbering). */
  setVersionStore(store: VersionStore): void {
    this.versionStore = store;
  }

  /** Stores a version of the document's current text through the versions feature, in the caller's transaction. */
  storeVersion(...args: Parameters<VersionStore>): StoredVersion {
    if (!this.versionStore) throw new Error("no versions feature is installed to store a version");
    return this.versionStore(...args);
  }

  /** Adds a rule on bracket marks arriving in client updates. */
  addBracketRule(rule: NonNullable<TextRules["bracketProblem"]>): void {
    this.bracketRules.push(rule);
  }

  /** Adds a rule on who may make brackets disappear from the text. */
  addRemovalRule(rule: RemovalRule): void {
    this.removalRules.push(rule);
  }

  /** Adds a rule on which blocks may not change at all (agreed text). */
  addEditRule(rule: EditRule): void {
    this.editRules.push(rule);
  }

  /** Adds a rule on which documents' block structure clients may not change (language versions). */
  addStructureRule(rule: NonNullable<TextRules["structureProblem"]>): void {
    this.structureRules.push(rule);
  }

  /** TextRules: the first reason any feature gives why a client may not change the document's structure. */
  structureProblem(documentId: string): string | null {
    for (const rule of this.structureRules) {
      const problem = rule(documentId);
      if (problem) return problem;
    }
    return null;
  }

  /** TextRules: the first reason any feature gives why a block may not change now. */
  editProblem(documentId: string, blockId: string, reads: ParagraphReads = new ParagraphReads()): string | null {
    for (const rule of this.editRules) {
      const problem = rule(documentId, blockId, reads);
      if (problem) return problem;
    }
    return null;
  }

  /** TextRules: the first problem any feature finds with brackets disappearing from a paragraph. */
  removalProblem(
    documentId: string,
    actor: Actor | null,
    blockId: string,
    present: ReadonlySet<string> | null,
    reads: ParagraphReads = new ParagraphReads(),
  ): string | null {
    for (const rule of this.removalRules) {
      const problem = rule(documentId, actor, blockId, present, reads);
      if (problem) return problem;
    }
    return null;
  }

  /** Adds a reaction to accepted text changes. */
  onTextChange(reaction: (tx: CommandTx, change: AcceptedTextChange) => void): void {
    this.reactions.push(reaction);
  }

  /** TextRules: the first problem any feature finds with a bracket mark. */
  bracketProblem(
    documentId: string,
    blockId: string,
    bracket: { id: string; group: string | null },
    reads: ParagraphReads = new ParagraphReads(),
  ): string | null {
    for (const rule of this.bracketRules) {
      const problem = rule(documentId, blockId, bracket, reads);
      if (problem) return problem;
    }
    return null;
  }

  /** Runs every reaction for one accepted change. */
  react(tx: CommandTx, change: AcceptedTextChange): void {
    for (const reaction of this.reactions) reaction(tx, change);
  }

  /**
   * Adds a reaction to a document's room being opened in this process (its text loaded or
   * about to be): it may look and schedule work for later, never write, since a room opens
   * inside whatever needed it (a command, a flush).
   */
  onRoomOpened(reaction: (room: Room) => void): void {
    this.openReactions.push(reaction);
  }

  /** Tells every feature that a room was opened (RoomManager.open). */
  roomOpened(room: Room): void {
    for (const reaction of this.openReactions) reaction(room);
  }

  /** Adds a reaction to a paragraph being objected to (status: no longer agreed). */
  onObjection(reaction: (tx: CommandTx, objection: ParagraphObjection) => void): void {
    this.objectionReactions.push(reaction);
  }

  /** Tells every feature that a paragraph was objected to, inside the objecting command. */
  objected(tx: CommandTx, objection: ParagraphObjection): void {
    for (const reaction of this.objectionReactions) reaction(tx, objection);
  }

  /**
   * Adds a reaction to the domain events commands announce (`amendment.decided`,
   * `bracket.resolved`, `document.transitioned`, `comment.added`…), run inside the
   * announcing command's transaction, so that what it writes commits or fails with the act.
   */
  onEvent(reaction: (tx: CommandTx, event: DocumentEvent) => void): void {
    this.eventReactions.push(reaction);
  }

  /** Runs every event reaction for one announced event (CommandTx.publish and CommandTx.tell call it). */
  announced(tx: CommandTx, event: DocumentEvent): void {
    for (const reaction of this.eventReactions) reaction(tx, event);
  }
}
