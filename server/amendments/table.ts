import { textHash } from "../../schema/index.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentRow } from "../documents/documents.js";
import { conflict } from "../http/errors.js";
import { requireUnlocked } from "../commands/guards.js";
import { amendmentForUser, amendmentRow, type AmendmentRow } from "./amendments.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { recordAmendment } from "./record.js";
import { changesTarget, requireAmendable, requireSponsor, requireState } from "./rules.js";
import type { Amendment } from "../../schema/api/amendments.js";

/**
 * Puts an amendment on the table against the target's current text: records that text
 * and its hash as the base, and gives it the document's next number unless it has one
 * (a rebased amendment keeps its number). 409 if the target paragraph is gone, or is
 * agreed and the amendment would change it (replace, delete).
 */
export function putOnTable(tx: CommandTx, row: AmendmentRow): void {
  const target = documentParagraph(tx.ctx, row.document_id, row.paragraph_id);
  if (!target)
    throw conflict(`the target paragraph ${row.paragraph_ref ?? row.paragraph_id} no longer exists; withdraw the amendment`, [
      "paragraph deleted",
    ]);
  // Words around an agreed paragraph may still be proposed; its own words wait for the chair to reopen it.
  if (changesTarget(row.operation))
    requireUnlocked(tx.ctx, row.document_id, row.paragraph_id, { code: "amendment.table" });
  const now = new Date().toISOString();
  const number =
    row.number ??
    ((tx.db.prepare("SELECT COALESCE(MAX(number), 0) + 1 FROM amendments WHERE document_id = ?").pluck().get(row.document_id) as number));
  tx.db
    .prepare(
      `UPDATE amendments SET state = 'tabled', number = ?, base_text = ?, base_hash = ?, paragraph_ref = ?, stale_reason = NULL,
         tabled_at = COALESCE(tabled_at, ?), updated_at = ? WHERE id = ?`,
    )
    .run(number, target.text, textHash(target.text), target.ref, now, now, row.id);
}

/** The amendment (404 unless the caller may see it), with the caller checked as its sponsor. */
function sponsoredAmendment(tx: CommandTx, user: User, amendmentId: string, doing: string): AmendmentRow {
  const row = amendmentForUser(tx.ctx, user, amendmentId);
  requireSponsor(user, row, doing);
  return row;
}

/**
 * The sponsor tables a draft: it gets the next number (A1, A2… in tabling order), its base
 * is the paragraph as it is now, and every delegation sees it. 409 once the document is
 * agreed ad referendum, or when the paragraph was deleted.
 */
export function tableAmendment(tx: CommandTx, user: User, amendmentId: string): Amendment {
  const row = sponsoredAmendment(tx, user, amendmentId, "table this amendment");
  requireState(row, ["draft"], "table it");
  requireAmendable(documentRow(tx.ctx, row.document_id)!);
  putOnTable(tx, row);
  const tabled = amendmentRow(tx.ctx, row.id)!;
  return recordAmendment(tx, user, row.id, "tabled", { baseHash: tabled.base_hash });
}

/**
 * The sponsor takes a stale amendment back onto the table against the paragraph's new
 * text, keeping its number and co-sponsors. 409 if it is not stale or the paragraph is gone.
 */
export function rebaseAmendment(tx: CommandTx, user: User, amendmentId: string): Amendment {
  const row = sponsoredAmendment(tx, user, amendmentId, "rebase this amendment");
  requireState(row, ["stale"], "rebase it");
  requireAmendable(documentRow(tx.ctx, row.document_id)!);
  putOnTable(tx, row);
  const rebased = amendmentRow(tx.ctx, row.id)!;
  return recordAmendment(tx, user, row.id, "rebased", { previousBaseHash: row.base_hash, baseHash: rebased.base_hash, staleReason: row.stale_reason });
}

/** The sponsor withdraws a draft, tabled or stale amendment. 403 for any other delegation. */
export function withdrawAmendment(tx: CommandTx, user: User, amendmentId: string, reason?: string): Amendment {
  const row = sponsoredAmendment(tx, user, amendmentId, "withdraw this amendment");
  requireState(row, ["draft", "tabled", "stale"], "withdraw it");
  tx.db
    .prepare("UPDATE amendments SET state = 'withdrawn', decision_reason = ?, updated_at = ? WHERE id = ?")
    .run(reason ?? null, new Date().toISOString(), row.id);
  return recordAmendment(tx, user, row.id, "withdrawn", reason ? { reason } : {});
}
