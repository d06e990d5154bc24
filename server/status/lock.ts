import { isAgreed, STATUS_WORDS, type ParagraphStatus } from "../../schema/status.js";
import type { AppContext } from "../context.js";
import { citation, documentParagraph } from "../documents/paragraphs.js";
import { statement } from "../store/statements.js";

interface LockRow {
  status: ParagraphStatus;
  set_by_username: string | null;
}

/**
 * Why the text of a paragraph may not change now, or null: an agreed paragraph (yellow,
 * green, ad ref) is what the room agreed, word for word, and stays so until its body's
 * chair reopens it (status back to white, recorded like every status change). Asked on
 * every flush of typing for each paragraph it touched: one indexed lookup, and the
 * paragraph's reference only when refusing.
 */
function agreedTextLock(ctx: AppContext, documentId: string, paragraphId: string): string | null {
  const row = statement(ctx.db, "SELECT status, set_by_username FROM paragraph_statuses WHERE document_id = ? AND paragraph_id = ?").get(
    documentId,
    paragraphId,
  ) as LockRow | undefined;
  if (!row || !isAgreed(row.status)) return null;
  const paragraph = citation(documentParagraph(ctx, documentId, paragraphId));
  // Two whole sentences, each with its code (server/http/refusals.ts).
  return row.set_by_username
    ? `${paragraph} is ${STATUS_WORDS[row.status]} by ${row.set_by_username} and locked; the chair must reopen it before its text can change`
    : `${paragraph} is ${STATUS_WORDS[row.status]} and locked; the chair must reopen it before its text can change`;
}

/** The lock as a paragraph guard: its reasons (none, or the one sentence). */
function agreedTextLockReasons(ctx: AppContext, documentId: string, paragraphId: string): string[] {
  const reason = agreedTextLock(ctx, documentId, paragraphId);
  return reason ? [reason] : [];
}

/** Installs the lock: as a text rule on every client update, and as a guard for commands. */
export function installAgreedTextLock(ctx: AppContext): void {
  ctx.hooks.addEditRule((documentId, blockId) => agreedTextLock(ctx, documentId, blockId));
  ctx.guards.addParagraphLock(agreedTextLockReasons);
}
