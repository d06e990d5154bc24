import { SYSTEM } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";

/**
 * Quarantines a document whose stored text cannot be read back: recorded on its row (so
 * it stays refused after a restart and the secretariat sees it in every listing) with an
 * audit event. Idempotent: a document already quarantined keeps its first reason.
 */
export function quarantineDocument(tx: CommandTx, documentId: string, reason: string): void {
  const row = tx.db.prepare("SELECT meeting_id, quarantined_at FROM documents WHERE id = ?").get(documentId) as
    | { meeting_id: string; quarantined_at: string | null }
    | undefined;
  if (!row || row.quarantined_at !== null) return;
  tx.db
    .prepare("UPDATE documents SET quarantined_at = ?, quarantine_reason = ? WHERE id = ?")
    .run(new Date().toISOString(), reason, documentId);
  tx.audit(SYSTEM, { meetingId: row.meeting_id, documentId, action: "document.quarantined", targetType: "document", targetId: documentId, details: { reason } });
}
