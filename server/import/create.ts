import { canonicalize, newId, type DocumentKind } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import { recordImportedBrackets } from "../brackets/imported.js";
import type { CommandTx } from "../commands/command.js";
import { createMeetingDocumentOf } from "../meetings/new-document.js";
import { citation } from "../documents/paragraphs.js";
import { importedBlocks } from "./to-blocks.js";
import { typedLabels } from "./parse.js";
import { freezeLabels } from "../documents/freeze.js";
import { HttpError } from "../http/errors.js";
import { setParagraphStatus } from "../status/set.js";
import type { ImportedDocument } from "./types.js";

/** Where an imported document goes and what it is called. */
export interface ImportTarget {
  meetingId: string;
  bodyId: string;
  kind: DocumentKind;
  /** The document symbol; absent: the meeting's next `doc.N`. */
  symbol?: string;
  /** What the file was: "docx" or "text", for the audit trail. */
  format: string;
}

/**
 * Creates a document from an import, in one transaction: its text (typed numbers stripped,
 * lead-ins, headings, brackets as marks; the file's own numbers kept as the document's
 * frozen numbers when they are not the order's), the brackets' records with their holders, the
 * masthead, the footnotes and paragraph annotations (a paragraph "[Agreed ad ref]" also
 * turns ad ref); audited as created and as imported
 * with the number of warnings shown to the secretariat. Returns the new document's id.
 */
export function createImportedDocument(tx: CommandTx, user: User, target: ImportTarget, imported: ImportedDocument): string {
  const blocks = importedBlocks(imported);
  const who = auditActor(user);
  const documentId = createMeetingDocumentOf(
    tx,
    who,
    target.meetingId,
    { bodyId: target.bodyId, kind: target.kind, title: imported.title, ...(target.symbol ? { symbol: target.symbol } : {}) },
    blocks,
  ).id;
  const m = imported.masthead;
  tx.db
    .prepare("UPDATE documents SET masthead = ?, document_date = ?, distribution = ?, agenda_item = ?, sponsors = ? WHERE id = ?")
    .run(JSON.stringify(m), m.date ?? null, m.distribution ?? null, m.agendaItem ?? null, m.sponsors ?? null, documentId);
  // The file's own numbers ("2 bis", a gap where a paragraph was deleted) stay the document's.
  const typed = typedLabels(
    imported.blocks,
    blocks.map((b) => b.id),
  );
  if (typed) freezeLabels(tx, who, documentId, "frozen", typed);
  const refs = canonicalize(blocks, typed ?? undefined).paragraphs.map((p) => citation(p));
  recordImportedBrackets(
    tx,
    user,
    target.meetingId,
    documentId,
    imported.brackets.map((b) => ({
      id: b.id,
      paragraphId: blocks[b.block]!.id,
      paragraphRef: b.blocks.length > 1 ? `${refs[b.block]}–${refs[b.blocks[b.blocks.length - 1]!]}` : (refs[b.block] ?? null),
      ...(b.scope === "paragraphs" ? { paragraphIds: b.blocks.map((i) => blocks[i]!.id) } : {}),
      group: b.group,
      separator: b.separator,
      optionLabel: b.optionLabel,
      noText: b.noText,
      text: b.text.normalize("NFC"),
      holders: b.holders,
    })),
  );
  const now = new Date().toISOString();
  const note = tx.db.prepare(
    `INSERT INTO document_notes (id, document_id, paragraph_id, kind, position, marker, text, created_by_username, created_at, annotation)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let footnotes = 0;
  imported.blocks.forEach((b, i) => {
    for (const f of b.footnotes) {
      note.run(newId("n"), documentId, blocks[i]!.id, "footnote", f.offset, f.marker, f.text, user.username, now, null);
      footnotes++;
    }
    for (const a of b.annotations) note.run(newId("n"), documentId, blocks[i]!.id, "annotation", null, null, a.text, user.username, now, a.kind);
  });
  // "[Agreed ad ref]" is the file saying the paragraph was agreed ad referendum: it gets that
  // status through the status command (audited like any other), unless something keeps it
  // from being agreed (an open bracket in it), which the annotation then records alone.
  imported.blocks.forEach((b, i) => {
    if (!b.annotations.some((a) => a.kind === "agreed_ad_ref")) return;
    try {
      setParagraphStatus(tx, user, documentId, blocks[i]!.id, "ad_ref");
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 409)) throw error;
    }
  });
  tx.audit(who, {
    meetingId: target.meetingId,
    documentId,
    action: "document.imported",
    targetType: "document",
    targetId: documentId,
    details: { format: target.format, paragraphs: blocks.length, brackets: imported.brackets.length, footnotes, warnings: imported.warnings.length },
  });
  return documentId;
}
