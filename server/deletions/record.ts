import { newId } from "../../schema/ids.js";
import { blockText, type Block } from "../../schema/index.js";
import { auditActor, SYSTEM } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { AppContext } from "../context.js";

/** A deleted paragraph as the API lists it. */
export interface DeletedParagraph {
  id: string;
  paragraphId: string;
  kind: Block["kind"];
  level: number;
  text: string;
  position: number;
  deletedBy: string | null;
  deletedAt: string;
  restoredBy: string | null;
  restoredAt: string | null;
}

/** A row of `deleted_paragraphs`. */
export interface DeletedParagraphRow {
  id: string;
  document_id: string;
  paragraph_id: string;
  block: string;
  position: number;
  previous_id: string | null;
  next_id: string | null;
  deleted_by_username: string | null;
  deleted_at: string;
  restored_at: string | null;
  restored_by_username: string | null;
}

/**
 * Reaction to every accepted text change: each paragraph it removed is kept with what it
 * said, where it stood and who removed it (audited as `paragraph.deleted`), for the chair
 * to restore.
 */
export function recordDeletedParagraphs(tx: CommandTx, change: AcceptedTextChange): void {
  if (!change.removedParagraphs || change.removedParagraphs.length === 0) return;
  const now = new Date().toISOString();
  const insert = tx.db.prepare(
    `INSERT INTO deleted_paragraphs (id, document_id, paragraph_id, block, position, previous_id, next_id, deleted_by, deleted_by_username, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const { room, user } = change;
  for (const removed of change.removedParagraphs) {
    insert.run(newId("dp"), room.id, removed.block.id, JSON.stringify(removed.block), removed.position, removed.previousId, removed.nextId, user?.id ?? null, user?.username ?? null, now);
    tx.audit(user ? auditActor(user) : SYSTEM, {
      meetingId: room.meetingId,
      documentId: room.id,
      action: "paragraph.deleted",
      targetType: "paragraph",
      targetId: removed.block.id,
      details: { position: removed.position, text: blockText(removed.block).slice(0, 500) },
    });
  }
}

/** The API shape of a deletion row. */
export function deletedParagraphJson(row: DeletedParagraphRow): DeletedParagraph {
  const block = JSON.parse(row.block) as Block;
  return {
    id: row.id,
    paragraphId: row.paragraph_id,
    kind: block.kind,
    level: block.level,
    text: blockText(block),
    position: row.position,
    deletedBy: row.deleted_by_username,
    deletedAt: row.deleted_at,
    restoredBy: row.restored_by_username,
    restoredAt: row.restored_at,
  };
}

/** Every paragraph deleted from a document's text, newest first. */
export function listDeletedParagraphs(ctx: Pick<AppContext, "db">, documentId: string): DeletedParagraph[] {
  const rows = ctx.db
    .prepare("SELECT * FROM deleted_paragraphs WHERE document_id = ? ORDER BY deleted_at DESC, rowid DESC")
    .all(documentId) as DeletedParagraphRow[];
  return rows.map(deletedParagraphJson);
}
