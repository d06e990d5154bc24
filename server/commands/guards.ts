import type { AppContext } from "../context.js";

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
 * "what keeps this paragraph from being agreed?". The lifecycle asks the first before
 * `agreed_ad_ref`; paragraph status asks the second before turning a paragraph yellow.
 */
export class Guards {
  private readonly documentChecks: DocumentCheck[] = [];
  private readonly paragraphChecks: ParagraphCheck[] = [];

  /** Adds a check of the whole document. */
  addDocumentCheck(check: DocumentCheck): void {
    this.documentChecks.push(check);
  }

  /** Adds a check of one paragraph. */
  addParagraphCheck(check: ParagraphCheck): void {
    this.paragraphChecks.push(check);
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
