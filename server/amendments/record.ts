import { auditActor, SYSTEM, type AuditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentEvent } from "../events/events.js";
import type { EventAct } from "../../schema/api/events.js";
import { amendmentJson, amendmentRow, type AmendmentRow } from "./amendments.js";
import type { Amendment } from "../../schema/api/amendments.js";

/**
 * Writes the audit event `amendment.<what>` for an amendment and queues the live event of
 * the same name carrying the amendment as the API shows it. An amendment never tabled is
 * its delegation's working paper: the event then says only that a draft changed (no
 * wording), so that other delegations' editors learn nothing they could not see through
 * the API.
 */
export function recordAmendment(
  tx: CommandTx,
  who: User | null,
  id: string,
  what: EventAct<"amendment">,
  details: Record<string, unknown> = {},
): Amendment {
  const row = amendmentRow(tx.ctx, id) as AmendmentRow;
  const meetingId = tx.db.prepare("SELECT meeting_id FROM documents WHERE id = ?").pluck().get(row.document_id) as string;
  const actor: AuditActor = who ? auditActor(who) : SYSTEM;
  const amendment = amendmentJson(tx.ctx, row);
  const draft = row.number === null;
  tx.audit(actor, {
    meetingId,
    documentId: row.document_id,
    action: `amendment.${what}`,
    targetType: "amendment",
    targetId: row.id,
    details: {
      number: amendment.number,
      paragraphId: row.paragraph_id,
      paragraphRef: amendment.paragraphRef,
      operation: row.operation,
      state: row.state,
      sponsor: row.sponsor,
      ...(draft ? {} : { content: amendment.content }),
      ...details,
    },
  });
  const data = draft ? { id: row.id, state: row.state, sponsor: row.sponsor, paragraphId: row.paragraph_id } : amendment;
  tx.publish(documentEvent(row.document_id, `amendment.${what}`, data, who));
  return amendment;
}
