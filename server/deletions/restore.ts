import { requireOwnStructure } from "../commands/guards.js";
import { chairsDocument } from "../../schema/roles.js";
import { insertBlocks, type Block } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { DocumentRow } from "../documents/documents.js";
import { conflict, forbidden, notFound } from "../http/errors.js";
import { deletedParagraphJson, type DeletedParagraph, type DeletedParagraphRow } from "./record.js";
import * as Y from "yjs";

/** The ids of the blocks of a fragment, in order. */
function blockIds(fragment: Y.XmlFragment): string[] {
  return fragment.toArray().map((child) => (child instanceof Y.XmlElement ? String(child.getAttribute("id")) : ""));
}

/**
 * Where a deleted paragraph goes back: after the block that stood before it, else before
 * the one that stood after it, else at its old index (never before the title).
 */
function restoreIndex(ids: string[], row: Pick<DeletedParagraphRow, "previous_id" | "next_id" | "position">): number {
  const previous = row.previous_id === null ? -1 : ids.indexOf(row.previous_id);
  if (previous >= 0) return previous + 1;
  const next = row.next_id === null ? -1 : ids.indexOf(row.next_id);
  if (next >= 1) return next;
  return Math.max(1, Math.min(row.position, ids.length));
}

/**
 * Puts a deleted paragraph back into the text at its former place, with its id, kind,
 * level and words (its brackets were closed when it was deleted and do not come back),
 * through the text like any server change, audited as `paragraph.restored`. Only the
 * chair of the owning body or the secretariat restores.
 */
export function restoreParagraph(tx: CommandTx, user: User, document: DocumentRow, paragraphId: string): DeletedParagraph {
  if (!chairsDocument(user, { bodyId: document.body_id }))
    throw forbidden("only the chair of the body that owns the document, or the secretariat, restores a deleted paragraph");
  requireOwnStructure(tx.ctx, document.id, { code: "deletion.restore" });
  const row = tx.db
    .prepare("SELECT * FROM deleted_paragraphs WHERE document_id = ? AND paragraph_id = ? AND restored_at IS NULL ORDER BY deleted_at DESC, rowid DESC LIMIT 1")
    .get(document.id, paragraphId) as DeletedParagraphRow | undefined;
  if (!row) throw notFound("deleted paragraph");
  const stored = JSON.parse(row.block) as Block;
  const block: Block = { ...stored, runs: stored.runs.map(({ brackets: _closed, ...run }) => run) };
  tx.changeText(document.id, user, (fragment) => {
    const ids = blockIds(fragment);
    if (ids.includes(paragraphId)) throw conflict(`paragraph ${paragraphId} is in the text; there is nothing to restore`);
    insertBlocks(fragment, restoreIndex(ids, row), [block]);
  });
  const now = new Date().toISOString();
  tx.db.prepare("UPDATE deleted_paragraphs SET restored_at = ?, restored_by_username = ? WHERE id = ?").run(now, user.username, row.id);
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: document.id,
    action: "paragraph.restored",
    targetType: "paragraph",
    targetId: paragraphId,
    details: { deletedBy: row.deleted_by_username, deletedAt: row.deleted_at },
  });
  return deletedParagraphJson({ ...row, restored_at: now, restored_by_username: user.username });
}
