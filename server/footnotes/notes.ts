import type * as Y from "yjs";
import { FROZEN_STATES } from "../../schema/roles.js";
import { newId } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import { authoriseDocument } from "../auth/policy.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { pointAnchor, resolvePoint, withText } from "../documents/anchors.js";
import { documentForUser, type DocumentRow } from "../documents/documents.js";
import { citation, documentText } from "../documents/paragraphs.js";
import { documentEvent } from "../events/events.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { statement } from "../store/statements.js";
import type { NotePlacement, ReferenceNote } from "../../schema/api/footnotes.js";

interface NoteRow {
  id: string;
  paragraph_id: string;
  position: number | null;
  anchor: Buffer | null;
  marker: string | null;
  text: string;
  created_by_username: string | null;
  created_at: string;
  updated_by_username: string | null;
  updated_at: string | null;
}

/** The paragraphs of a text as far as notes need them: each one's NFC text length and reference. */
export type NoteParagraphs = ReadonlyMap<string, { text: string; ref: string | null }>;

/**
 * A document's reference footnotes placed in one of its texts (`doc` the Y.Doc the text was
 * read from, `paragraphs` its blocks): ordered by paragraph, offset and age. Notes whose
 * paragraph is not in the text are left out; those whose anchored text is gone stand at
 * their paragraph's end.
 */
export function placeNotes(ctx: Pick<AppContext, "db">, documentId: string, doc: Y.Doc | null, paragraphs: NoteParagraphs): ReferenceNote[] {
  const rows = statement(
    ctx.db,
    `SELECT id, paragraph_id, position, anchor, marker, text, created_by_username, created_at, updated_by_username, updated_at
     FROM document_notes WHERE document_id = ? AND kind = 'footnote' ORDER BY created_at, id`,
  ).all(documentId) as NoteRow[];
  const placed: ReferenceNote[] = [];
  for (const row of rows) {
    let paragraphId = row.paragraph_id;
    let offset: number;
    let placement: NotePlacement;
    const resolved = row.anchor && doc ? resolvePoint(doc, new Uint8Array(row.anchor)) : null;
    if (resolved && paragraphs.has(resolved.paragraphId)) {
      paragraphId = resolved.paragraphId;
      offset = resolved.offset;
      placement = "anchor";
    } else {
      const length = paragraphs.get(paragraphId)?.text.length ?? 0;
      placement = row.anchor || row.position === null ? "end" : "offset";
      offset = placement === "end" ? length : Math.min(Math.max(0, row.position ?? 0), length);
    }
    const paragraph = paragraphs.get(paragraphId);
    if (!paragraph) continue;
    placed.push({
      id: row.id,
      paragraphId,
      ref: paragraph.ref,
      offset,
      placement,
      anchor: row.anchor && row.anchor.length > 0 ? Buffer.from(row.anchor).toString("base64") : null,
      marker: row.marker,
      text: row.text,
      createdBy: row.created_by_username,
      createdAt: row.created_at,
      updatedBy: row.updated_by_username,
      updatedAt: row.updated_at,
    });
  }
  const order = new Map([...paragraphs.keys()].map((id, i) => [id, i]));
  // Stable: notes at one offset keep the order they were made in.
  return placed.sort((a, b) => order.get(a.paragraphId)! - order.get(b.paragraphId)! || a.offset - b.offset);
}

/** Whether a document has any reference footnote with an anchor (only then is its Yjs text needed to place them). */
export function hasAnchoredNotes(ctx: Pick<AppContext, "db">, documentId: string): boolean {
  return statement(ctx.db, "SELECT 1 FROM document_notes WHERE document_id = ? AND kind = 'footnote' AND anchor IS NOT NULL LIMIT 1").get(documentId) !== undefined;
}

/** A document's reference footnotes placed in its current text. */
export function currentNotes(ctx: AppContext, documentId: string): ReferenceNote[] {
  const text = documentText(ctx, documentId);
  const paragraphs: NoteParagraphs = new Map(text.paragraphs.map((p) => [p.id, { text: p.text, ref: p.ref }]));
  if (!hasAnchoredNotes(ctx, documentId)) return placeNotes(ctx, documentId, null, paragraphs);
  return withText(ctx, documentId, (doc) => placeNotes(ctx, documentId, doc, paragraphs));
}

/** What the secretariat writes: the note's text and, when placing or moving it, the point in a paragraph. */
export interface NoteInput {
  text?: string | undefined;
  paragraphId?: string | undefined;
  offset?: number | undefined;
}

/** The document, checked: the caller's meeting, the secretariat's act, and a text that may still change. */
function editableDocument(ctx: AppContext, user: User, documentId: string): DocumentRow {
  const doc = documentForUser(ctx, user, documentId);
  authoriseDocument(user, "document.editNotes", { state: doc.state, bodyId: doc.body_id, kind: doc.kind });
  if (FROZEN_STATES.has(doc.state)) throw conflict(`the document is ${doc.state}; its reference footnotes can no longer change`);
  return doc;
}

/** The anchor of a point of the current text, or 400/404 naming what is wrong with the point. */
function anchorOfPoint(ctx: AppContext, documentId: string, paragraphId: string, offset: number): Buffer {
  const paragraph = documentText(ctx, documentId).byId.get(paragraphId);
  if (!paragraph) throw notFound("paragraph");
  if (offset > paragraph.text.length)
    throw badRequest("the offset is past the end of the paragraph", [`${citation(paragraph)} has ${paragraph.text.length} characters`]);
  const anchor = withText(ctx, documentId, (doc) => pointAnchor(doc, paragraphId, offset));
  // An empty paragraph has no text to anchor to yet: its note stands at its start (offset 0).
  return anchor ? Buffer.from(anchor) : Buffer.alloc(0);
}

function noteById(ctx: AppContext, documentId: string, noteId: string): ReferenceNote {
  const note = currentNotes(ctx, documentId).find((n) => n.id === noteId);
  if (!note) throw notFound("reference footnote");
  return note;
}

function storedNote(ctx: AppContext, noteId: string): NoteRow & { document_id: string } {
  const row = statement(ctx.db, "SELECT * FROM document_notes WHERE id = ? AND kind = 'footnote'").get(noteId) as (NoteRow & { document_id: string }) | undefined;
  if (!row) throw notFound("reference footnote");
  return row;
}

/** Adds a reference footnote at a point of a paragraph (secretariat only); audited and announced. */
export function addReferenceNote(tx: CommandTx, user: User, documentId: string, input: Required<NoteInput>): ReferenceNote {
  const doc = editableDocument(tx.ctx, user, documentId);
  const anchor = anchorOfPoint(tx.ctx, documentId, input.paragraphId, input.offset);
  const id = newId("n");
  const now = new Date().toISOString();
  statement(
    tx.db,
    `INSERT INTO document_notes (id, document_id, paragraph_id, kind, position, anchor, marker, text, created_by_username, created_at)
     VALUES (?, ?, ?, 'footnote', ?, ?, NULL, ?, ?, ?)`,
  ).run(id, documentId, input.paragraphId, input.offset, anchor.length ? anchor : null, input.text, user.username, now);
  const note = noteById(tx.ctx, documentId, id);
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId,
    action: "footnote.added",
    targetType: "footnote",
    targetId: id,
    details: { paragraphId: note.paragraphId, ref: note.ref, offset: note.offset, text: note.text },
  });
  tx.publish(documentEvent(documentId, "footnote.added", note, user));
  return note;
}

/** Changes a reference footnote's text, or moves it to another point (secretariat only); audited and announced. */
export function editReferenceNote(tx: CommandTx, user: User, noteId: string, input: NoteInput): ReferenceNote {
  const row = storedNote(tx.ctx, noteId);
  const documentId = row.document_id;
  const doc = editableDocument(tx.ctx, user, documentId);
  const before = noteById(tx.ctx, documentId, noteId);
  const now = new Date().toISOString();
  if (input.text !== undefined) statement(tx.db, "UPDATE document_notes SET text = ? WHERE id = ?").run(input.text, noteId);
  if (input.offset !== undefined) {
    const paragraphId = input.paragraphId ?? row.paragraph_id;
    const anchor = anchorOfPoint(tx.ctx, documentId, paragraphId, input.offset);
    statement(tx.db, "UPDATE document_notes SET paragraph_id = ?, position = ?, anchor = ? WHERE id = ?").run(
      paragraphId,
      input.offset,
      anchor.length ? anchor : null,
      noteId,
    );
  }
  statement(tx.db, "UPDATE document_notes SET updated_by_username = ?, updated_at = ? WHERE id = ?").run(user.username, now, noteId);
  const note = noteById(tx.ctx, documentId, noteId);
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId,
    action: "footnote.edited",
    targetType: "footnote",
    targetId: noteId,
    details: { ref: note.ref, from: { text: before.text, paragraphId: before.paragraphId, offset: before.offset }, to: { text: note.text, paragraphId: note.paragraphId, offset: note.offset } },
  });
  tx.publish(documentEvent(documentId, "footnote.edited", note, user));
  return note;
}

/** Removes a reference footnote (secretariat only); audited (with its text) and announced. */
export function removeReferenceNote(tx: CommandTx, user: User, noteId: string): void {
  const row = storedNote(tx.ctx, noteId);
  const documentId = row.document_id;
  const doc = editableDocument(tx.ctx, user, documentId);
  statement(tx.db, "DELETE FROM document_notes WHERE id = ?").run(noteId);
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId,
    action: "footnote.removed",
    targetType: "footnote",
    targetId: noteId,
    details: { paragraphId: row.paragraph_id, text: row.text },
  });
  tx.publish(documentEvent(documentId, "footnote.removed", { id: noteId, paragraphId: row.paragraph_id }, user));
}
