import { isAgreed, STATUS_WORDS, type ParagraphStatus } from "../../schema/status.js";
import type { AppContext } from "../context.js";
import { citation, documentParagraph } from "../documents/paragraphs.js";
import { statement } from "../store/statements.js";
import { ParagraphReads } from "../collab/paragraph-reads.js";

interface LockRow {
  status: ParagraphStatus;
  set_by_username: string | null;
}

/** The status rows of `paragraphIds` (those that have one), in one statement. */
function lockRows(ctx: AppContext, documentId: string, paragraphIds: readonly string[]): Map<string, LockRow> {
  const rows = statement(
    ctx.db,
    "SELECT paragraph_id, status, set_by_username FROM paragraph_statuses WHERE document_id = ? AND paragraph_id IN (SELECT value FROM json_each(?))",
  ).all(documentId, JSON.stringify(paragraphIds)) as Array<LockRow & { paragraph_id: string }>;
  return new Map(rows.map((row) => [row.paragraph_id, row]));
}

/**
 * Why the text of a paragraph may not change now, or null: an agreed paragraph (yellow,
 * green, ad ref) is what the room agreed, word for word, and stays so until its body's
 * chair reopens it (status back to white, recorded like every status change). Asked on
 * every flush of typing for each paragraph it touched: the statuses of all of them read
 * in one indexed lookup (`reads`), and the paragraph's reference only when refusing.
 */
function agreedTextLock(ctx: AppContext, documentId: string, paragraphId: string, reads: ParagraphReads): string | null {
  const row = reads.read<LockRow | null>("status", documentId, paragraphId, (ids) => lockRows(ctx, documentId, ids), null);
  if (!row || !isAgreed(row.status)) return null;
  const paragraph = citation(documentParagraph(ctx, documentId, paragraphId));
  // Two whole sentences, each with its code (server/http/refusals.ts).
  return row.set_by_username
    ? `${paragraph} is ${STATUS_WORDS[row.status]} by ${row.set_by_username} and locked; the chair must reopen it before its text can change`
    : `${paragraph} is ${STATUS_WORDS[row.status]} and locked; the chair must reopen it before its text can change`;
}

/** The lock as a paragraph guard: its reasons (none, or the one sentence). */
function agreedTextLockReasons(ctx: AppContext, documentId: string, paragraphId: string): string[] {
  const reason = agreedTextLock(ctx, documentId, paragraphId, new ParagraphReads());
  return reason ? [reason] : [];
}

/** Installs the lock: as a text rule on every client update, and as a guard for commands. */
export function installAgreedTextLock(ctx: AppContext): void {
  ctx.hooks.addEditRule((documentId, blockId, reads) => agreedTextLock(ctx, documentId, blockId, reads));
  ctx.guards.addParagraphLock(agreedTextLockReasons);
}
