import { auditActor, SYSTEM } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { bracketLabel, holdersOf, type BracketRow, type ClosedHow } from "./records.js";
import { statement } from "../store/statements.js";

/** How a bracket is being closed, with what it said and where it stood when it ended. */
export interface Closing {
  how: ClosedHow;
  reason: string | null;
  text: string;
  paragraphRef: string | null;
  /** Labels of brackets still held that the chair overrode, when any. */
  overrode?: string[];
}

/**
 * Closes an open bracket in the store and audits it: `resolved` when its text stays,
 * `removed` when its text goes. Callers change the text afterwards (so the removed-text
 * reaction no longer sees it open) and announce it once the text is as it will stay.
 */
export function closeBracket(tx: CommandTx, who: User | null, meetingId: string, row: BracketRow, closing: Closing): void {
  const state = closing.how === "kept" || closing.how === "chosen" ? "resolved" : "removed";
  const now = new Date().toISOString();
  statement(
    tx.db,
    `UPDATE brackets SET state = ?, closed_how = ?, closed_by_username = ?, closed_reason = ?, closed_at = ?, text = ?,
       paragraph_ref = COALESCE(?, paragraph_ref) WHERE id = ? AND state = 'open'`,
  ).run(state, closing.how, who?.username ?? SYSTEM.username, closing.reason, now, closing.text, closing.paragraphRef, row.id);
  tx.audit(who ? auditActor(who) : SYSTEM, {
    meetingId,
    documentId: row.document_id,
    action: closing.how === "text_deleted" ? "bracket.removed" : "bracket.resolved",
    targetType: "bracket",
    targetId: row.id,
    details: {
      label: bracketLabel(row),
      paragraphId: row.paragraph_id,
      paragraphRef: closing.paragraphRef ?? row.paragraph_ref,
      group: row.group_id,
      text: closing.text,
      state,
      how: closing.how,
      holders: holdersOf(tx.ctx, row.document_id, row.id).get(row.id) ?? [],
      ...(closing.reason ? { reason: closing.reason } : {}),
      ...(closing.overrode?.length ? { overrode: closing.overrode } : {}),
    },
  });
}
