import { numberBlocks, type FrozenLabel, type FrozenLabels } from "../../schema/index.js";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import { documentEvent } from "../events/events.js";
import { notFound } from "../http/errors.js";
import { documentRow } from "./documents.js";
import { frozenNumbering } from "./numbers.js";
import type { NumberingAct, Renumbered } from "../../schema/api/numbering.js";
import { documentText } from "./paragraphs.js";

/** What a freeze did. */
export interface Frozen {
  revision: number;
  act: NumberingAct;
  /** Paragraphs cited differently from now on (none when numbers are first frozen). */
  changed: Renumbered[];
}

/**
 * Freezes the document's numbers as the order gives them now: every numbered paragraph's
 * label is stored by its id, replacing any frozen before, so that from now on a new
 * paragraph takes a suffix ("7 bis") and a deleted one leaves its number unused. `act` is
 * `frozen` when the document leaves the draft and `renumbered` for the secretariat's
 * renumbering (which drops every "bis" and gap). Audited and announced as
 * `numbering.changed`.
 */
export function freezeNumbers(tx: CommandTx, who: AuditActor, documentId: string, act: NumberingAct): Frozen {
  const text = documentText(tx.ctx, documentId);
  const numbers = numberBlocks(text.blocks);
  const labels = new Map<string, FrozenLabel>();
  text.paragraphs.forEach((p, i) => {
    const label = numbers[i]!.label;
    if (label !== null && (p.kind === "pp" || p.kind === "op")) labels.set(p.id, { kind: p.kind, level: Math.max(0, Math.min(2, p.level)), label });
  });
  return freezeLabels(tx, who, documentId, act, labels);
}

/**
 * Freezes the given labels as the document's numbers (an imported file's typed numbers,
 * "2 bis" and gaps kept, so that its citations are the original's), replacing any frozen
 * before; audited and announced as `freezeNumbers` is.
 */
export function freezeLabels(tx: CommandTx, who: AuditActor, documentId: string, act: NumberingAct, labels: FrozenLabels): Frozen {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc) throw notFound("document");
  const before = documentText(tx.ctx, documentId);
  const after = numberBlocks(before.blocks, labels);
  const revision = (frozenNumbering(tx.ctx, documentId)?.revision ?? 0) + 1;
  tx.db
    .prepare(
      `INSERT INTO document_numbering (document_id, revision, act, acted_by, acted_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (document_id) DO UPDATE SET revision = excluded.revision, act = excluded.act, acted_by = excluded.acted_by, acted_at = excluded.acted_at`,
    )
    .run(documentId, revision, act, who.id, new Date().toISOString());
  tx.db.prepare("DELETE FROM paragraph_numbers WHERE document_id = ?").run(documentId);
  const insert = tx.db.prepare("INSERT INTO paragraph_numbers (document_id, paragraph_id, kind, level, label) VALUES (?, ?, ?, ?, ?)");
  for (const [paragraphId, l] of labels) insert.run(documentId, paragraphId, l.kind, l.level, l.label);
  const changed: Renumbered[] = [];
  before.paragraphs.forEach((p, i) => {
    if (after[i]!.ref !== p.ref) changed.push({ paragraphId: p.id, from: p.ref, to: after[i]!.ref });
  });
  tx.audit(who, {
    meetingId: doc.meeting_id,
    documentId,
    action: act === "frozen" ? "numbering.frozen" : "document.renumbered",
    targetType: "document",
    targetId: documentId,
    details: { revision, act, paragraphs: labels.size, changed },
  });
  const actor = who.username && who.role ? { username: who.username, delegation: who.delegation, role: who.role } : null;
  tx.publish(documentEvent(documentId, "numbering.changed", { revision, act, changed }, actor));
  return { revision, act, changed };
}

/** Freezes the numbers of a document that has left the draft, unless they already are. */
export function freezeNumbersOnce(tx: CommandTx, who: AuditActor, documentId: string): Frozen | null {
  return frozenNumbering(tx.ctx, documentId) ? null : freezeNumbers(tx, who, documentId, "frozen");
}
