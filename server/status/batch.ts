import { requireOwnStructure } from "../commands/guards.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { HttpError } from "../http/errors.js";
import { reasonCodes } from "../http/refusals.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { setParagraphStatus } from "./set.js";
import type { ParagraphStatus } from "./status.js";
import type { StatusBatchResult } from "../../schema/api/status.js";

/**
 * Sets the status of several paragraphs at once (a chair cleaning a document), each by the
 * same rules as one at a time (`setParagraphStatus`), in one transaction. A paragraph that
 * may not take the status is left as it is and reported with the guard's reasons; the
 * others change. Each change is its own audit event and announcement, as if set alone:
 * the audit trail answers "who agreed OP3, when" per paragraph, whatever screen was used.
 */
export function setParagraphStatusBatch(
  tx: CommandTx,
  user: User,
  documentId: string,
  paragraphIds: readonly string[],
  status: ParagraphStatus,
): StatusBatchResult {
  documentForUser(tx.ctx, user, documentId);
  requireOwnStructure(tx.ctx, documentId, { code: "status.set" });
  const result: StatusBatchResult = { status, changed: [], refused: [] };
  for (const paragraphId of new Set(paragraphIds)) {
    try {
      // Every check runs before the one write, so a refusal leaves nothing half done.
      result.changed.push(setParagraphStatus(tx, user, documentId, paragraphId, status));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      const ref = documentParagraph(tx.ctx, documentId, paragraphId)?.ref ?? null;
      const reasons = error.reasons ?? [error.message];
      result.refused.push({ paragraphId, ref, error: error.message, reasons, reasonCodes: reasonCodes(reasons) });
    }
  }
  return result;
}
