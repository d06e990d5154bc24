import { textHash } from "../../schema/canonical.js";
import { textWriteDenial } from "../../schema/roles.js";
import { indexOfBlock, replaceBlockText } from "../../schema/yfragment.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { requireUnlocked } from "../commands/guards.js";
import { documentForUser, type DocumentRow } from "../documents/documents.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { documentEvent } from "../events/events.js";
import { conflict, forbidden, notFound } from "../http/errors.js";
import { mayConsolidate } from "./consolidate.js";
import { plainRuns } from "./copy.js";
import { assessProvenance, sourceText, type ParagraphProvenance, type SourceText } from "./provenance.js";
import { DELETED_SOURCE, provenanceRow, type ProvenanceRow } from "./store.js";

interface Pending {
  meetingId: string;
  doc: DocumentRow;
  row: ProvenanceRow;
  source: SourceText;
  entry: ParagraphProvenance;
}

/** The provenance of one consolidated paragraph whose source changed, checked for `user`. */
function pendingChange(tx: CommandTx, user: User, documentId: string, paragraphId: string, verb: string): Pending {
  if (!mayConsolidate(user)) throw forbidden(`only the rapporteur or the secretariat may ${verb} source changes`);
  const doc = documentForUser(tx.ctx, user, documentId);
  const row = provenanceRow(tx.ctx, documentId, paragraphId);
  if (!row) throw notFound(`provenance of paragraph ${paragraphId}`);
  const paragraph = documentParagraph(tx.ctx, documentId, paragraphId);
  if (!paragraph) throw notFound(`paragraph ${paragraphId}`);
  const source = sourceText(tx.ctx, row.source_document_id);
  const entry = assessProvenance(row, source, paragraph.ref);
  if (entry.status === "same") throw conflict("the source paragraph has not changed since it was copied; there is nothing to " + verb);
  return { meetingId: doc.meeting_id, doc, row, source, entry };
}

function recordDecision(tx: CommandTx, user: User, row: ProvenanceRow, decision: "pulled" | "declined", hash: string, text: string | null): void {
  const now = new Date().toISOString();
  if (decision === "pulled" && text !== null) {
    tx.db
      .prepare(
        `UPDATE paragraph_provenance SET base_hash = ?, base_text = ?, decision = 'pulled', decision_hash = ?, decided_by = ?, decided_at = ?
         WHERE document_id = ? AND paragraph_id = ?`,
      )
      .run(hash, text, hash, user.id, now, row.document_id, row.paragraph_id);
  } else {
    tx.db
      .prepare(
        `UPDATE paragraph_provenance SET decision = ?, decision_hash = ?, decided_by = ?, decided_at = ?
         WHERE document_id = ? AND paragraph_id = ?`,
      )
      .run(decision, hash, user.id, now, row.document_id, row.paragraph_id);
  }
}

/**
 * Takes a source change into the consolidated text, in one Yjs transaction through the
 * server: a changed source paragraph's current wording replaces the consolidated paragraph's
 * text (same element, same id) and becomes the new baseline; a deleted source paragraph
 * removes the consolidated one. Audited as `provenance.pulled`, announced to open clients.
 * Rapporteur or secretariat; 409 when the source has not changed, or the caller may not
 * write the text in the document's state (frozen; agreed ad referendum: chair only).
 */
export function pullSourceChange(tx: CommandTx, user: User, documentId: string, paragraphId: string): ParagraphProvenance {
  const { meetingId, row, source, entry, doc } = pendingChange(tx, user, documentId, paragraphId, "pull");
  // A pull is the rapporteur writing into the text: the same rule as typing applies
  // (e.g. once agreed ad referendum only the chair corrects it).
  const denial = textWriteDenial(user, { state: doc.state, bodyId: doc.body_id, kind: doc.kind });
  if (denial) throw conflict(`the source change cannot be pulled now: ${denial}`, [denial]);
  requireUnlocked(tx.ctx, documentId, paragraphId, { code: "consolidation.pull" });
  const current = source.blocks.get(row.source_paragraph_id);
  tx.changeText(documentId, user, (fragment) => {
    const index = indexOfBlock(fragment, paragraphId);
    if (current) replaceBlockText(fragment, index, plainRuns(current.block.runs));
    else fragment.delete(index, 1);
  });
  const hash = current ? textHash(current.text) : DELETED_SOURCE;
  recordDecision(tx, user, row, "pulled", hash, current?.text ?? null);
  const decided = provenanceRow(tx.ctx, documentId, paragraphId)!;
  // A pulled deletion leaves no paragraph to assess: report the deletion as settled.
  const result: ParagraphProvenance = current
    ? assessProvenance(decided, source, entry.ref)
    : { ...entry, pending: false, decision: { action: "pulled", by: user.username, at: decided.decided_at! } };
  tx.audit(auditActor(user), {
    meetingId,
    documentId,
    action: "provenance.pulled",
    targetType: "paragraph",
    targetId: paragraphId,
    details: {
      sourceDocumentId: row.source_document_id,
      sourceParagraphId: row.source_paragraph_id,
      status: entry.status,
      before: row.base_text,
      after: current?.text ?? null,
      baseHash: hash,
    },
  });
  tx.publish(documentEvent(documentId, "provenance.pulled", result, user));
  return result;
}

/**
 * Marks a source change as deliberately not taken: the consolidated text stays, the
 * decision (who, when, which source wording) is recorded, and the change is no longer
 * reported as pending, until the source paragraph changes again. Audited as
 * `provenance.declined`, announced to open clients. Rapporteur or secretariat.
 */
export function declineSourceChange(
  tx: CommandTx,
  user: User,
  documentId: string,
  paragraphId: string,
  reason?: string,
): ParagraphProvenance {
  const { meetingId, row, source, entry } = pendingChange(tx, user, documentId, paragraphId, "decline");
  if (!entry.pending) throw conflict("this source change was already declined");
  const current = source.blocks.get(row.source_paragraph_id);
  const hash = current ? textHash(current.text) : DELETED_SOURCE;
  recordDecision(tx, user, row, "declined", hash, null);
  const result = assessProvenance(provenanceRow(tx.ctx, documentId, paragraphId)!, source, entry.ref);
  tx.audit(auditActor(user), {
    meetingId,
    documentId,
    action: "provenance.declined",
    targetType: "paragraph",
    targetId: paragraphId,
    details: {
      sourceDocumentId: row.source_document_id,
      sourceParagraphId: row.source_paragraph_id,
      status: entry.status,
      sourceHash: hash,
      ...(reason ? { reason } : {}),
    },
  });
  tx.publish(documentEvent(documentId, "provenance.declined", result, user));
  return result;
}
