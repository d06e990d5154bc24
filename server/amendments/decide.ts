import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentRow } from "../documents/documents.js";
import { badRequest, conflict } from "../http/errors.js";
import { amendmentForUser, type AmendmentRow } from "./amendments.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { applyToText } from "./apply.js";
import { checkedContent } from "./content.js";
import { recordAmendment } from "./record.js";
import { amendmentLabel, changesTarget, requireAmendable, requireChair, requireState } from "./rules.js";
import { requireUnlocked } from "../commands/guards.js";
import { markStale } from "./staleness.js";
import type { Amendment, AmendmentContent } from "../../schema/api/amendments.js";

/** The chair's decisions on an amendment. */
export const DECISIONS = ["accepted", "accepted_as_modified", "rejected"] as const;
/** One decision. */
export type Decision = (typeof DECISIONS)[number];

/** What the chair decides (API: `POST /api/amendments/:id/decision`). */
export interface DecisionInput {
  decision: Decision;
  /** The revised wording, for `accepted_as_modified` only. Untrusted. */
  content?: unknown;
  reason?: string;
}

/**
 * The chair of the owning body decides a tabled amendment. Accepting applies it to the
 * live text in one Yjs transaction (accepted as modified: the chair's wording instead),
 * records which paragraphs it produced, and makes every other amendment on the table
 * against the same paragraph stale. The chair may also decide a stale amendment (the
 * room does not stop typing while the chair speaks; the current diff shows what accepting
 * it would do), as long as its paragraph exists; the audit records that it was stale.
 * 403 for anyone but the chair, 409 for an amendment not on the table, a deleted target
 * or a document past negotiation, 400 for a modification without valid content.
 */
export function decideAmendment(tx: CommandTx, user: User, amendmentId: string, input: DecisionInput): Amendment {
  const row = amendmentForUser(tx.ctx, user, amendmentId);
  const doc = documentRow(tx.ctx, row.document_id)!;
  requireChair(user, doc, "decide amendments");
  requireState(row, ["tabled", "stale"], "decide it");
  requireAmendable(doc);
  if (input.decision !== "accepted_as_modified" && input.content !== undefined)
    throw badRequest("content is only for a decision accepted_as_modified", ["content: not allowed"]);

  const now = new Date().toISOString();
  const reason = input.reason ?? null;
  if (input.decision === "rejected") {
    tx.db
      .prepare("UPDATE amendments SET state = 'rejected', decided_by = ?, decided_at = ?, decision_reason = ?, updated_at = ? WHERE id = ?")
      .run(user.id, now, reason, now, row.id);
    return recordAmendment(tx, user, row.id, "decided", { decision: "rejected", reason, ...(row.state === "stale" ? { wasStale: true } : {}) });
  }

  let applied: AmendmentContent | null = row.content === null ? null : (JSON.parse(row.content) as AmendmentContent);
  if (input.decision === "accepted_as_modified") {
    if (row.operation === "delete") throw badRequest("a deletion cannot be modified; accept or reject it", ["decision: delete cannot be modified"]);
    if (input.content === undefined) throw badRequest("accepting as modified needs the revised content", ["content: required"]);
    applied = checkedContent(row.operation, input.content);
  }
  const target = documentParagraph(tx.ctx, row.document_id, row.paragraph_id);
  if (!target) throw conflict("the target paragraph no longer exists; the amendment can only be rejected or withdrawn", ["paragraph deleted"]);
  if (changesTarget(row.operation)) requireUnlocked(tx.ctx, row.document_id, row.paragraph_id, { code: "amendment.accept", params: { amendment: amendmentLabel(row) } });

  tx.db
    .prepare(
      `UPDATE amendments SET state = ?, decided_content = ?, decided_by = ?, decided_at = ?, decision_reason = ?, updated_at = ?
       WHERE id = ?`,
    )
    .run(input.decision, input.decision === "accepted_as_modified" ? JSON.stringify(applied) : null, user.id, now, reason, now, row.id);
  // Before the text changes, so that the others' reason names the decision, not the edit.
  const others = tx.db
    .prepare("SELECT * FROM amendments WHERE document_id = ? AND paragraph_id = ? AND state = 'tabled' AND id <> ? ORDER BY number")
    .all(row.document_id, row.paragraph_id, row.id) as AmendmentRow[];
  for (const other of others)
    markStale(tx, other, `${amendmentLabel(row)} to the same paragraph (${target.ref ?? row.paragraph_id}) was accepted`, user.username);

  const produced = applyToText(tx, user, row.document_id, target, row.operation, applied);
  const insert = tx.db.prepare("INSERT INTO amendment_results (amendment_id, document_id, paragraph_id, position) VALUES (?, ?, ?, ?)");
  produced.forEach((paragraphId, i) => insert.run(row.id, row.document_id, paragraphId, i));
  return recordAmendment(tx, user, row.id, "decided", {
    decision: input.decision,
    reason,
    resultParagraphIds: produced,
    ...(row.state === "stale" ? { wasStale: true, staleReason: row.stale_reason } : {}),
  });
}
