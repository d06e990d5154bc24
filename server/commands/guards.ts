import type { AppContext } from "../context.js";
import { blockedBy } from "../http/errors.js";
import type { Action } from "../http/refusals.js";

/** Reports what stands in the way, as sentences naming paragraphs by their reference (OP3). */
export type DocumentCheck = (ctx: AppContext, documentId: string) => string[];
/** The same for one paragraph. */
export type ParagraphCheck = (ctx: AppContext, documentId: string, paragraphId: string) => string[];

// A document under heavy negotiation has hundreds of brackets; a refusal lists the first
// ones and counts the rest rather than burying the reader.
const MAX_LISTED = 50;

/** At most the first 50 reasons, then how many more `what` there are. */
export function capped(reasons: string[], what: string): string[] {
  if (reasons.length <= MAX_LISTED) return reasons;
  return [...reasons.slice(0, MAX_LISTED), `… and ${reasons.length - MAX_LISTED} more ${what}`];
}

/**
 * Questions features answer for each other without knowing each other: "what keeps this
 * document from being clean?" (open brackets, tabled amendments, white paragraphs) and
 * "what keeps this paragraph from being agreed?", and "what keeps this paragraph's text
 * from changing?", and "what keeps this document from being adopted?". The lifecycle asks
 * the first before `agreed_ad_ref` and the last before `adopted`; paragraph status asks the
 * second before turning a paragraph yellow; commands that write a paragraph ask the third.
 */
export class Guards {
  private readonly documentChecks: DocumentCheck[] = [];
  private readonly paragraphChecks: ParagraphCheck[] = [];
  private readonly paragraphLocks: ParagraphCheck[] = [];
  private readonly adoptionChecks: DocumentCheck[] = [];
  private readonly structureLocks: DocumentCheck[] = [];

  /** Adds a reason a document's paragraphs, statuses, amendments and brackets are not decided in it (a language version follows its original). */
  addStructureLock(check: DocumentCheck): void {
    this.structureLocks.push(check);
  }

  /** Every reason the document's structure and statuses may not be changed by a command on it (empty when they may). */
  structureLockReasons(ctx: AppContext, documentId: string): string[] {
    return this.structureLocks.flatMap((check) => check(ctx, documentId));
  }

  /** Adds a check of what keeps a document from being adopted (beyond being clean). */
  addAdoptionCheck(check: DocumentCheck): void {
    this.adoptionChecks.push(check);
  }

  /** Every reason the document cannot be adopted now (empty when it can), e.g. a language version not current. */
  adoptionBlockers(ctx: AppContext, documentId: string): string[] {
    return this.adoptionChecks.flatMap((check) => check(ctx, documentId));
  }

  /** Adds a check of the whole document. */
  addDocumentCheck(check: DocumentCheck): void {
    this.documentChecks.push(check);
  }

  /** Adds a check of one paragraph. */
  addParagraphCheck(check: ParagraphCheck): void {
    this.paragraphChecks.push(check);
  }

  /** Adds a reason a paragraph's text may not change now (it is agreed). */
  addParagraphLock(check: ParagraphCheck): void {
    this.paragraphLocks.push(check);
  }

  /**
   * Every reason the text of the paragraph may not change now (empty when it may): asked
   * by every command that would change it (accepting or tabling an amendment, opening a
   * bracket, pulling a source change), as the text rule asks it of typing.
   */
  paragraphLockReasons(ctx: AppContext, documentId: string, paragraphId: string): string[] {
    return this.paragraphLocks.flatMap((check) => check(ctx, documentId, paragraphId));
  }

  /** Every reason the document is not clean (empty when it is). */
  documentBlockers(ctx: AppContext, documentId: string): string[] {
    return this.documentChecks.flatMap((check) => check(ctx, documentId));
  }

  /** Every reason the paragraph cannot be agreed now (empty when it can). */
  paragraphBlockers(ctx: AppContext, documentId: string, paragraphId: string): string[] {
    return this.paragraphChecks.flatMap((check) => check(ctx, documentId, paragraphId));
  }
}

/**
 * Refuses (409) a command that would change the text of a locked paragraph (an agreed
 * one), saying what it was about to do (`doing`, e.g. `amendment.accept` {amendment: "A3"}:
 * "A3 cannot be accepted") and why, with every reason.
 */
export function requireUnlocked(ctx: AppContext, documentId: string, paragraphId: string, doing: Action): void {
  const reasons = ctx.guards.paragraphLockReasons(ctx, documentId, paragraphId);
  if (reasons.length > 0) throw blockedBy(doing, reasons);
}

/**
 * Refuses (409) a command that decides a document's structure or status (a paragraph's
 * status, restoring a deleted paragraph, an amendment, a recommendation, opening, resolving
 * or adding to a bracket) on a document whose structure and status are decided elsewhere,
 * saying what it was about to do (`doing`, an action's code and values) and why.
 */
export function requireOwnStructure(ctx: AppContext, documentId: string, doing: Action): void {
  const reasons = ctx.guards.structureLockReasons(ctx, documentId);
  if (reasons.length > 0) throw blockedBy(doing, reasons);
}
