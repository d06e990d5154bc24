import { newId } from "../../schema/index.js";
import { chairsDocument, FROZEN_STATES } from "../../schema/roles.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { citation, documentText } from "../documents/paragraphs.js";
import type { DocumentRow } from "../documents/documents.js";
import { documentEvent } from "../events/events.js";
import { conflict, forbidden, notFound } from "../http/errors.js";
import { statement } from "../store/statements.js";

export { ANNOTATION_KINDS, type Annotation, type AnnotationKind } from "../../schema/api/annotations.js";
import type { Annotation, AnnotationKind } from "../../schema/api/annotations.js";

interface AnnotationRow {
  id: string;
  document_id: string;
  paragraph_id: string;
  annotation: AnnotationKind;
  text: string;
  created_by_username: string | null;
  created_at: string;
}

/** The text an "agreed ad ref" annotation prints. */
export const AGREED_AD_REF_TEXT = "Agreed ad ref";

/** Every annotation of a document, in document order of their paragraphs, then in the order they were made. */
export function listAnnotations(ctx: AppContext, documentId: string): Annotation[] {
  const rows = statement(
    ctx.db,
    "SELECT id, document_id, paragraph_id, annotation, text, created_by_username, created_at FROM document_notes WHERE document_id = ? AND kind = 'annotation' ORDER BY created_at, id",
  ).all(documentId) as AnnotationRow[];
  const paragraphs = documentText(ctx, documentId).byId;
  const at = (r: AnnotationRow) => paragraphs.get(r.paragraph_id)?.index ?? Number.MAX_SAFE_INTEGER;
  return rows
    .sort((a, b) => at(a) - at(b))
    .map((r) => {
      const p = paragraphs.get(r.paragraph_id);
      return {
        id: r.id,
        paragraphId: r.paragraph_id,
        paragraphRef: p ? citation(p) : null,
        kind: r.annotation ?? "agreed_ad_ref",
        text: r.text,
        createdBy: r.created_by_username,
        createdAt: r.created_at,
      };
    });
}

function requireAnnotator(user: User, document: DocumentRow): void {
  if (!chairsDocument(user, { bodyId: document.body_id }))
    throw forbidden("only the chair of the body that owns the document, or the secretariat, annotates its paragraphs");
  if (FROZEN_STATES.has(document.state)) throw conflict(`the document is ${document.state}; its annotations can no longer change`);
}

/**
 * The chair (or the secretariat) notes on a paragraph that it was agreed ad referendum, or
 * adds a facilitator's note. Not text: the canonical form and the hash do not change; the
 * exports print it where negotiating texts do (after the paragraph).
 */
export function addAnnotation(tx: CommandTx, user: User, document: DocumentRow, paragraphId: string, input: { kind: AnnotationKind; text?: string }): Annotation {
  requireAnnotator(user, document);
  const paragraph = documentText(tx.ctx, document.id).byId.get(paragraphId);
  if (!paragraph || paragraph.kind === "title") throw notFound("paragraph");
  const text = input.kind === "agreed_ad_ref" ? AGREED_AD_REF_TEXT : (input.text ?? "").trim().normalize("NFC");
  if (!text) throw conflict("a facilitator's note needs its words");
  const exists = statement(tx.db, "SELECT 1 FROM document_notes WHERE document_id = ? AND paragraph_id = ? AND kind = 'annotation' AND annotation = ? AND text = ?").get(
    document.id,
    paragraphId,
    input.kind,
    text,
  );
  if (exists) throw conflict(`${citation(paragraph)} already has this annotation`);
  const id = newId("n");
  const now = new Date().toISOString();
  statement(
    tx.db,
    `INSERT INTO document_notes (id, document_id, paragraph_id, kind, position, marker, text, created_by_username, created_at, annotation)
     VALUES (?, ?, ?, 'annotation', NULL, NULL, ?, ?, ?, ?)`,
  ).run(id, document.id, paragraphId, text, user.username, now, input.kind);
  const annotation: Annotation = { id, paragraphId, paragraphRef: citation(paragraph), kind: input.kind, text, createdBy: user.username, createdAt: now };
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: document.id,
    action: "annotation.added",
    targetType: "paragraph",
    targetId: paragraphId,
    details: { id, ref: annotation.paragraphRef, kind: input.kind, text },
  });
  tx.publish(documentEvent(document.id, "annotation.added", annotation, user));
  return annotation;
}

/** The chair (or the secretariat) takes an annotation off its paragraph. */
export function removeAnnotation(tx: CommandTx, user: User, document: DocumentRow, id: string): Annotation {
  requireAnnotator(user, document);
  const annotation = listAnnotations(tx.ctx, document.id).find((a) => a.id === id);
  if (!annotation) throw notFound("annotation");
  statement(tx.db, "DELETE FROM document_notes WHERE id = ? AND document_id = ? AND kind = 'annotation'").run(id, document.id);
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: document.id,
    action: "annotation.removed",
    targetType: "paragraph",
    targetId: annotation.paragraphId,
    details: { id, ref: annotation.paragraphRef, kind: annotation.kind, text: annotation.text },
  });
  tx.publish(documentEvent(document.id, "annotation.removed", annotation, user));
  return annotation;
}
